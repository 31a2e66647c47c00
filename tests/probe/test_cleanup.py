"""`reconciler probe --write` deletes its scratch resources whatever happens: after a
failed step, Ctrl-C and SIGTERM; what it cannot delete it names with the command that
deletes it, and exits 1.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from reconciler.probe import run
from reconciler.probe.run import PHASES, Step
from tests.probe.conftest import OWNER, Probe
from tests.probe.scratch import assert_clean


def failing_at(key: str, fail: Any) -> tuple[tuple[Step, ...], ...]:
    """The write phases with the step that settles ``key`` replaced by ``fail``."""
    return tuple(
        tuple(Step(s.keys, fail, s.essential) if key in s.keys else s for s in phase)
        for phase in PHASES
    )


def made(probe: Probe) -> set[str]:
    """What the probe created in the card account, by its CloudTrail events."""
    names = {"CreateModelCard", "CreateResourceShare", "CreatePermission"}
    events = probe.sandbox.trail.events(OWNER, "us-east-1")
    return {e.name for e in events if e.name in names and "errorCode" not in e.record}


def run_cli(probe: Probe) -> Any:
    return probe.cli("probe", "--repo", str(probe.repo), "--write", "--wait", "4")


def test_a_failed_step_still_deletes_everything(
    probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(work: Any) -> Any:
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(run, "PHASES", failing_at("ram-needs-get-resource-policy", fail))
    with pytest.raises(RuntimeError, match="a bug in a check"):
        run_cli(probe)
    assert made(probe) == {"CreateModelCard", "CreateResourceShare", "CreatePermission"}
    assert_clean(probe.sandbox)


def test_ctrl_c_deletes_everything(probe: Probe, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(work: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "PHASES", failing_at("concurrent-associations", interrupt))
    result = run_cli(probe)
    assert result.exit_code == 130
    assert made(probe) == {"CreateModelCard", "CreateResourceShare", "CreatePermission"}
    assert_clean(probe.sandbox)


def test_sigterm_deletes_everything(probe: Probe, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cancelled CI job gets SIGTERM: it interrupts the probe as Ctrl-C does."""

    def terminated(work: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts the sleep
        raise AssertionError("SIGTERM did not interrupt")

    monkeypatch.setattr(run, "PHASES", failing_at("archived-refuses-content", terminated))
    handler = signal.getsignal(signal.SIGTERM)
    result = run_cli(probe)
    assert result.exit_code == 130
    assert signal.getsignal(signal.SIGTERM) == handler  # restored
    assert_clean(probe.sandbox)


def test_what_cannot_be_deleted_is_named_with_its_command(probe: Probe) -> None:
    probe.sandbox.faults.fail_next("DeleteResourceShare", 2, "OperationNotPermittedException")
    result = run_cli(probe)
    assert result.exit_code == 1
    assert "could not delete everything it made" in result.stderr
    assert "Left behind: share arn:aws:ram:us-east-1:111111111111:resource-share/" in result.stdout
    assert "aws ram delete-resource-share --resource-share-arn arn:aws:ram:" in result.stdout
    assert "aws ram delete-permission --permission-arn" in result.stdout  # still attached
