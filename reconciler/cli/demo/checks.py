"""How the demo checks each step: a step that does not behave as expected fails the demo
at once, saying what was expected (``DemoFailed``, raised by ``expect``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence


class DemoFailed(Exception):
    """A step did not behave as expected."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(what)


def walk(steps: Sequence[Callable[[], None]], say: Callable[[str], None], label: str) -> None:
    """Run ``steps`` in order, each announced by ``label``, its number and its docstring."""
    for number, step in enumerate(steps, 1):
        say(f"\n━━ {label} {number}/{len(steps)}: {(step.__doc__ or '').strip()}")
        step()
