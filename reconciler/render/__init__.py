"""Renderers: small plug-ins that turn a result into text, chosen by name from a registry.

Each result type has its own registry (``DIAGNOSTICS`` for validation reports, more for
plans and apply reports); a renderer is a pure function from the result to a string. The
catalogue's site (``site``) is a set of pages, one string each, by path.

May import: ``common``, ``plan``, ``graph``, ``desired.model``, the report records
(``apply.report``, ``reports``) and itself. Never AWS, files or the orchestrators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Generic, TypeVar

R = TypeVar("R")


class Registry(Generic[R]):
    """Named renderers for one result type; ``modules`` register theirs when imported, which
    happens the first time a renderer is asked for (a command that renders none, such as
    `validate`, never imports them)."""

    def __init__(self, what: str, modules: Sequence[str] = ()) -> None:
        self.what = what
        self._renderers: dict[str, Callable[[R], str]] = {}
        self._modules = tuple(modules)

    def register(self, name: str) -> Callable[[Callable[[R], str]], Callable[[R], str]]:
        def add(renderer: Callable[[R], str]) -> Callable[[R], str]:
            self._renderers[name] = renderer
            return renderer

        return add

    def names(self) -> list[str]:
        self._import()
        return sorted(self._renderers)

    def get(self, name: str) -> Callable[[R], str]:
        self._import()
        try:
            return self._renderers[name]
        except KeyError:
            raise ValueError(
                f"unknown format '{name}' for {self.what}: use one of {', '.join(self.names())}"
            ) from None

    def _import(self) -> None:
        modules, self._modules = self._modules, ()
        for module in modules:
            import_module(module)
