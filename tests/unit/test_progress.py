"""cli.progress: quiet for a short apply, a plain line about every two seconds in logs, a
progress bar on a terminal, failures at once; always on the stream it is given (stderr)."""

from __future__ import annotations

import io

import pytest

from reconciler.apply.report import Step, StepStatus
from reconciler.cli.progress import ApplyProgress
from reconciler.plan.actions import Action
from reconciler.plan.address import Address


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def step(i: int, status: StepStatus = StepStatus.DONE) -> Step:
    return Step(
        address=Address.card(f"C{i}"),
        action=Action.CREATE_CARD,
        status=status,
        error_code="ThrottlingException" if status is StepStatus.FAILED else None,
        error_message="Rate exceeded" if status is StepStatus.FAILED else None,
    )


def test_a_short_apply_prints_only_its_end() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = ApplyProgress(stream, clock)
    progress.start(3)
    for i in range(3):
        progress(step(i))
    assert stream.getvalue() == "  applied 3/3 changes\n"


def test_a_long_apply_prints_a_line_about_every_two_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream, clock = io.StringIO(), Clock()
    progress = ApplyProgress(stream, clock)
    progress.start(100)
    for i in range(100):
        clock.now = i * 0.1  # ten steps a second
        progress(step(i, StepStatus.FAILED if i == 42 else StepStatus.DONE))
    assert stream.getvalue().splitlines() == [
        "  applied 21/100 changes",  # the first line after two seconds, then every two
        "  applied 41/100 changes",
        "  failed card.C42 (create_card): ThrottlingException: Rate exceeded",  # at once
        "  applied 61/100 changes, 1 failed",
        "  applied 81/100 changes, 1 failed",
        "  applied 100/100 changes, 1 failed",
    ]


def test_no_color_means_plain_lines_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stream, clock = Terminal(), Clock()
    progress = ApplyProgress(stream, clock)
    progress.start(1)
    progress(step(0))
    assert stream.getvalue() == "  applied 1/1 change\n"


def test_a_terminal_gets_a_progress_bar_that_goes_away(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream, clock = Terminal(), Clock()
    progress = ApplyProgress(stream, clock)
    progress.start(50)
    for i in range(50):
        clock.now = 3.0 + i
        progress(step(i))
    progress.close()
    text = stream.getvalue()
    assert "applying" in text and "50/50" in text
    assert "applied 50/50" not in text  # no plain lines on a terminal
