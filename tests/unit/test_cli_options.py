"""cli.options: a choice option that shows its values once and names them when a value
is wrong, and colour only on a terminal without NO_COLOR."""

from __future__ import annotations

import io
from enum import Enum
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from reconciler.cli.options import choice, colour_on


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "no_color", "on"),
    [
        pytest.param(True, None, True, id="a-terminal"),
        pytest.param(False, None, False, id="a-pipe-or-file"),
        pytest.param(True, "1", False, id="no-color-set"),
        pytest.param(True, "", True, id="no-color-empty-is-unset"),
        pytest.param(False, "1", False, id="both"),
    ],
)
def test_colour_on(
    monkeypatch: pytest.MonkeyPatch, tty: bool, no_color: str | None, on: bool
) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert colour_on(Terminal(tty)) is on


class Fmt(str, Enum):
    TEXT = "text"
    JSON = "json"


app = typer.Typer()


@app.command()
def show(fmt: Annotated[Fmt, choice(Fmt, "--format", help="How to show it.")] = Fmt.TEXT) -> None:
    """As the commands declare their --format."""
    typer.echo(repr(fmt))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_value_becomes_the_enum_member() -> None:
    assert run("--format", "json") == (0, "<Fmt.JSON: 'json'>\n")


def test_a_wrong_value_is_answered_with_the_choices() -> None:
    code, output = run("--format", "yaml")
    assert code == 2
    assert "'yaml' is not one of: text, json" in output


def test_a_value_is_matched_exactly() -> None:
    assert run("--format", "JSON")[0] == 2


def test_help_shows_the_choices_once() -> None:
    code, output = run("--help")
    assert code == 0
    assert output.count("<text|json>") == 1
