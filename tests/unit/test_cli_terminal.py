"""cli.terminal: the question asked before an apply changes anything: yes with
--auto-approve, otherwise the plan on stderr and only 'yes' typed on a terminal; never
asked without a terminal. With several targets, each question names its target."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from reconciler.cli.terminal import ApplyConsole, confirmed
from reconciler.common.errors import ReconcilerError
from reconciler.plan.model import Plan


class Typed(io.StringIO):
    """A terminal (or not) on which ``text`` is typed."""

    def __init__(self, text: str, tty: bool = True) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


EMPTY = Plan(changes=())


def test_auto_approve_asks_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Typed("no\n", tty=False))
    assert confirmed(EMPTY, auto_approve=True) is True
    assert capsys.readouterr().err == ""


def test_without_a_terminal_apply_refuses_rather_than_guess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", Typed("yes\n", tty=False))
    with pytest.raises(ReconcilerError) as refused:
        confirmed(EMPTY, auto_approve=False)
    assert refused.value.hint == "review the plan, then pass --auto-approve"


@pytest.mark.parametrize(
    ("typed", "applies"),
    [("yes\n", True), ("  yes  \n", True), ("y\n", False), ("YES\n", False), ("", False)],
    ids=["yes", "yes-with-spaces", "y", "upper-case", "end-of-input"],
)
def test_only_yes_applies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: str, applies: bool
) -> None:
    monkeypatch.setattr(sys, "stdin", Typed(typed))
    assert confirmed(EMPTY, auto_approve=False) is applies
    err = capsys.readouterr().err
    assert err.endswith("\nApply these changes? Only 'yes' is accepted: ")
    assert "No changes" in err, "the plan is shown before the question"


def test_with_several_targets_each_question_names_its_target(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Typed("yes\n"))
    with ApplyConsole(auto_approve=False) as console:
        assert console.confirm(EMPTY, name="eu") is True
    assert capsys.readouterr().err.startswith("\nTarget eu:\n")


def test_the_only_target_is_not_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ApplyConsole(auto_approve=True) as console:
        assert console.confirm(EMPTY, name=None) is True
        assert console.confirm(EMPTY, name="eu") is True
    assert capsys.readouterr().err == ""


def target(declares_targets: bool) -> Any:
    """What the console reads of a target: its name, and whether the repository has
    several."""
    config = SimpleNamespace(declares_targets=declares_targets, target="eu")
    return SimpleNamespace(state=SimpleNamespace(config=config), name="eu")


def test_the_only_target_applies_with_a_progress_bar() -> None:
    with ApplyConsole(auto_approve=True) as console:
        hooks = console.hooks(target(declares_targets=False))
        assert hooks.progress is console.progress
        assert hooks.starting == console.progress.start


def test_each_of_several_targets_says_when_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    with ApplyConsole(auto_approve=True) as console:
        hooks = console.hooks(target(declares_targets=True))
        hooks.starting(3)
        assert hooks.confirm(EMPTY) is True
    assert capsys.readouterr().err == "target eu: applying 3 changes\n"
