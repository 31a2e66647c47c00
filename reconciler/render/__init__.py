"""Renderers: small plug-ins that turn a result into text, chosen by name from a registry.

Each result type has its own registry (``DIAGNOSTICS`` for validation reports, more for
plans and apply reports); a renderer is a pure function from the result to a string. The
catalogue's site (``site``) is a set of pages, one string each, by path.

May import: ``common``, ``plan``, ``graph``, ``desired.model``, the report records
(``apply.report``, ``reports``) and itself. Never AWS, files or the orchestrators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class Registry(Generic[R]):
    """Named renderers for one result type."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._renderers: dict[str, Callable[[R], str]] = {}

    def register(self, name: str) -> Callable[[Callable[[R], str]], Callable[[R], str]]:
        def add(renderer: Callable[[R], str]) -> Callable[[R], str]:
            self._renderers[name] = renderer
            return renderer

        return add

    def names(self) -> list[str]:
        return sorted(self._renderers)

    def get(self, name: str) -> Callable[[R], str]:
        try:
            return self._renderers[name]
        except KeyError:
            raise ValueError(
                f"unknown format '{name}' for {self.what}: use one of {', '.join(self.names())}"
            ) from None
