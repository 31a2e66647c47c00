"""Checks that need more than one file, or more than a schema can say.

Each rule takes the repository as loaded so far (only the files that passed their schema)
and yields diagnostics placed on the value at fault. Rules never raise and never call AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from reconciler.common.diagnostics import Diagnostic, Severity, json_path
from reconciler.desired.model import CardSpec, Config, ShareSpec
from reconciler.desired.registry import GroupSpec
from reconciler.load.yamlsource import PathKey, SourceDocument


@dataclass(frozen=True, kw_only=True)
class RuleInput:
    """The repository as loaded so far. ``all_card_names`` includes cards that failed schema."""

    config: Config | None
    config_doc: SourceDocument | None
    cards: tuple[CardSpec, ...]
    shares: tuple[ShareSpec, ...]
    documents: Mapping[str, SourceDocument]
    all_card_names: frozenset[str]
    groups: tuple[GroupSpec, ...] = ()


Rule = Callable[[RuleInput], Iterator[Diagnostic]]


def at(
    doc: SourceDocument,
    path: PathKey,
    message: str,
    code: str,
    *,
    key: bool = False,
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    """A diagnostic on the value (or key) at ``path`` of ``doc``."""
    return Diagnostic(
        file=doc.file,
        position=doc.locate(path, key=key),
        path=json_path(path),
        message=message,
        code=code,
        severity=severity,
    )
