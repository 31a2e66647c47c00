"""The command line reads like a normal CLI: plain `--help` with flags shown bare and each
choice listed once, a clear error for a wrong choice, shell completion, and colour only on a
terminal without NO_COLOR.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import typer

from reconciler.cli import app
from reconciler.cli.options import colour_on
from tests.conftest import CliResult

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)], ids=["root", *COMMANDS])
def test_help_shows_flags_bare_and_each_choice_once(
    cli: Callable[..., CliResult], command: list[str]
) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: reconciler")
    assert "<bool>" not in result.stdout
    options = [line for line in result.stdout.splitlines() if line.lstrip().startswith("--")]
    for internal in ("<str>", "<int", "<list[", "range>"):  # Python types, not what to type
        assert not [line for line in options if internal in line]
    assert "\x1b[" not in result.stdout
    for line in result.stdout.splitlines():
        if "|" in line and "<" in line:
            choices = line[line.index("<") : line.index(">") + 1]
            assert result.stdout.count(choices) == 1, choices


def test_plan_help_lists_its_formats_once(cli: Callable[..., CliResult]) -> None:
    shown = cli("plan", "--help").stdout
    assert "--format <text|markdown|json>" in shown
    assert "--detailed-exitcode " in shown
    assert "--prune / --no-prune" in shown


def test_a_wrong_choice_names_the_choices_on_one_line(cli: Callable[..., CliResult]) -> None:
    result = cli("iam-policy", "--role", "admin")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--role': 'admin' is not one of: "
        "plan, drift, apply, verify, consumer-guard, fill"
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _reconciler_completion reconciler"),
        ("zsh", "#compdef reconciler"),
        ("fish", "complete --command reconciler"),
    ],
)
def test_the_completion_script_is_generated_for_each_shell(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, shell: str, marker: str
) -> None:
    monkeypatch.setenv("_RECONCILER_COMPLETE", f"source_{shell}")
    result = cli()
    assert result.exit_code == 0
    assert marker in result.stdout
    assert "_RECONCILER_COMPLETE=complete_" in result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("reconciler pl", ["plan"]),
        (
            "reconciler iam-policy --role ",
            ["plan", "drift", "apply", "verify", "consumer-guard", "fill"],
        ),
        ("reconciler plan --format ", ["text", "markdown", "json"]),
    ],
)
def test_completion_offers_commands_and_choices(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, words: str, expected: list[str]
) -> None:
    monkeypatch.setenv("_RECONCILER_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
    result = cli()
    assert result.exit_code == 0
    assert result.stdout.split() == expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "no_color", "expected"),
    [(_Terminal(), None, True), (_Terminal(), "1", False), (io.StringIO(), None, False)],
    ids=["terminal", "terminal with NO_COLOR", "pipe"],
)
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, no_color: str | None, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert colour_on(stream) is expected
