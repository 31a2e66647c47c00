"""How the demo checks each step: a step that does not behave as expected fails the demo
at once, saying what was expected (``DemoFailed``, raised by ``expect``)."""

from __future__ import annotations


class DemoFailed(Exception):
    """A step did not behave as expected."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(what)
