"""Cross-file and meaning-level checks of the repository, one module per subject."""

from __future__ import annotations

from reconciler.common.diagnostics import Diagnostic
from reconciler.validate.rules import (
    cards,
    config,
    evidence,
    gates,
    registry,
    shares,
    targets,
)
from reconciler.validate.rules.base import Rule, RuleInput

RULES: list[Rule] = [
    cards.file_names_match,
    cards.names_unique,
    cards.content_size,
    cards.tags_valid,
    cards.ignore_paths_valid,
    cards.not_kept_out_of_git,
    *config.RULES,
    *shares.RULES,
    *targets.RULES,
    *gates.RULES,
    *evidence.RULES,
    *registry.RULES,
]


def run_rules(data: RuleInput) -> list[Diagnostic]:
    """Every cross-file problem, from every rule."""
    return [d for rule in RULES for d in rule(data)]


__all__ = ["RuleInput", "run_rules"]
