"""How options read on the command line: a choice option that lists its choices once and
names them in its error, and the one rule for colour (a terminal, and no ``NO_COLOR``).
"""

from __future__ import annotations

import os
from enum import Enum
from typing import IO, Any, TypeVar

import typer

E = TypeVar("E", bound=Enum)


def colour_on(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def choice(kind: type[E], *flags: str, help: str, **more: Any) -> Any:
    """A ``typer.Option`` taking one of ``kind``'s values: shown once as ``<a|b|c>`` in
    ``--help``, and a wrong value answered with the choices, one line."""
    values = [str(member.value) for member in kind]

    def parse(text: str) -> E:
        for member in kind:
            if str(member.value) == text:
                return member
        raise typer.BadParameter(f"{text!r} is not one of: {', '.join(values)}")

    return typer.Option(*flags, parser=parse, metavar=f"<{'|'.join(values)}>", help=help, **more)
