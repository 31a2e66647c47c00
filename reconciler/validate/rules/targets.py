"""Rules about targets: their declaration in reconciler.yaml, the targets card and share
files name, shares whose cards belong to their targets, hubs, and replica names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping

from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.desired.model import CardSpec, ShareSpec, TargetSpec
from reconciler.desired.registry import GroupSpec
from reconciler.desired.targets import belongs
from reconciler.validate.rules.base import Rule, RuleInput, at
from reconciler.validate.rules.shares import names_replica, share_targets

CARD_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
MAX_CARD_NAME = 63


def targets_or_top_level(data: RuleInput) -> Iterator[Diagnostic]:
    """``targets:`` replaces the top-level region and card_account; both is ambiguous."""
    doc = data.config_doc
    if doc is None or not isinstance(doc.data, dict) or "targets" not in doc.data:
        return
    for key in ("region", "card_account"):
        if key in doc.data:
            yield at(
                doc,
                (key,),
                f"'{key}' is set beside targets:, where each target has its own: move it "
                "into the targets that use it",
                "targets",
                key=True,
            )


def target_names_known(data: RuleInput) -> Iterator[Diagnostic]:
    """Every name under a card's, share's or group's ``targets:`` is a target of
    reconciler.yaml."""
    if data.config is None:
        return
    config = data.config
    known = sorted(config.targets) if config.declares_targets else []
    items: tuple[CardSpec | ShareSpec | GroupSpec, ...] = (*data.cards, *data.shares, *data.groups)
    for item in items:
        for i, name in enumerate(item.targets):
            if name not in known:
                message = f"unknown target '{name}': {_known_targets_hint(name, known)}"
                yield at(data.documents[item.file], ("targets", i), message, "target")


def _known_targets_hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if known:
        return f"known: {', '.join(known)}"
    return "reconciler.yaml declares no targets: remove targets: here"


def hubs_valid(data: RuleInput) -> Iterator[Diagnostic]:
    """A hub is another declared target, and is not itself a spoke."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    for target in config.targets.values():
        problem = _hub_problem(config.targets, target)
        if problem:
            yield at(doc, (*target.path, "hub"), f"{problem}: name a hub target", "hub")


def _hub_problem(targets: Mapping[str, TargetSpec], target: TargetSpec) -> str | None:
    if target.hub is None:
        return None
    hub = targets.get(target.hub)
    if hub is None:
        close = difflib.get_close_matches(target.hub, sorted(targets), n=1)
        return f"unknown target '{target.hub}'" + (
            f" (did you mean '{close[0]}'?)" if close else ""
        )
    if hub.name == target.name:
        return "a target cannot be its own hub"
    if hub.hub:
        return f"'{hub.name}' is itself a spoke of '{hub.hub}': a hub holds no hub"
    return None


def target_accounts_unique(data: RuleInput) -> Iterator[Diagnostic]:
    """Two targets never manage the same card account in the same region."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    seen: dict[tuple[str, str], str] = {}
    for name, target in sorted(config.targets.items()):
        key = (target.card_account_id, target.region)
        if key in seen:
            yield at(
                doc,
                (*target.path, "card_account", "id"),
                f"target '{seen[key]}' already manages account {key[0]} in {key[1]}: "
                "give each account and region one target",
                "target-account",
            )
        seen.setdefault(key, name)


def share_cards_in_target(data: RuleInput) -> Iterator[Diagnostic]:
    """A card a share names belongs to every target of the share (or is a replica there)."""
    config = data.config
    if config is None or not config.declares_targets:
        return
    cards = {c.name: c for c in data.cards}
    for share in data.shares:
        named = [(i, cards[name]) for i, name in enumerate(share.card_names) if name in cards]
        for i, card in named:
            for target in share_targets(config, share):
                if not belongs(card, target.name) and not names_replica(data, share, card.name):
                    message = _not_in_target(card, target)
                    path = ("cards", "names", i)
                    yield at(data.documents[share.file], path, message, "target-card")


def _not_in_target(card: CardSpec, target: TargetSpec) -> str:
    return (
        f"card '{card.name}' is not in target '{target.name}', where this share is "
        f"(it is in {', '.join(card.targets)}): limit the share with targets:, "
        "or add the target to the card"
    )


def replica_names_fit(data: RuleInput) -> Iterator[Diagnostic]:
    """The replica of each spoke card declared in git has a valid name in its hub, and no
    other card of the hub has that name."""
    config = data.config
    if config is None:
        return
    for hub in [t for t in config.targets.values() if config.spokes_of(t.name)]:
        taken = _hub_names(data, hub)
        for spoke in config.spokes_of(hub.name):
            for card in (c for c in data.cards if belongs(c, spoke.name)):
                problem = replica_problem(spoke, card.name, hub.name, taken)
                if problem:
                    yield at(data.documents[card.file], ("name",), problem, "replica-name")
                taken.setdefault(spoke.replica_of(card.name), f"the replica of {card.file}")


def replica_problem(spoke: TargetSpec, card: str, hub: str, taken: dict[str, str]) -> str | None:
    """Why ``card`` of ``spoke`` cannot be replicated in ``hub`` under its replica name."""
    name = spoke.replica_of(card)
    remedy = f"shorten the card's name, or set replica_name for target '{spoke.name}'"
    if len(name) > MAX_CARD_NAME:
        return (
            f"its replica in hub '{hub}' would be named '{name}' ({len(name)} characters); "
            f"SageMaker allows {MAX_CARD_NAME}: {remedy}"
        )
    if not CARD_NAME.fullmatch(name):
        return (
            f"its replica in hub '{hub}' would be named '{name}', which is not a model card "
            f"name (letters, digits and hyphens): {remedy}"
        )
    if name in taken:
        return f"its replica in hub '{hub}' would be named '{name}', like {taken[name]}: {remedy}"
    return None


def _hub_names(data: RuleInput, hub: TargetSpec) -> dict[str, str]:
    """Names of the hub's own cards (and their previous names), with where each is from."""
    taken: dict[str, str] = {}
    for card in (c for c in data.cards if belongs(c, hub.name)):
        for name in (card.name, *card.previous_names):
            taken.setdefault(name, f"the hub's card in {card.file}")
    return taken


SPOKE_KEYS = ("trust_live_status", "replica_status_ceiling", "replica_kms_key_id")


def spoke_settings(data: RuleInput) -> Iterator[Diagnostic]:
    """Replica settings belong to spokes; trusting a spoke's live status is a warning that
    names who then decides what the hub shares."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    for target in config.targets.values():
        raw = (doc.data.get("targets") or {}).get(target.name) if target.path else None
        given = [k for k in SPOKE_KEYS if isinstance(raw, dict) and k in raw]
        if given and target.hub is None:
            yield at(doc, (*target.path, given[0]), _not_a_spoke(target, given[0]), "spoke-only")
        elif target.trust_live_status:
            yield at(
                doc,
                (*target.path, "trust_live_status"),
                _trusting(target),
                "trust-live-status",
                severity=Severity.WARNING,
            )


def _not_a_spoke(target: TargetSpec, key: str) -> str:
    return (
        f"{key} applies to the replicas of a spoke's cards, and target '{target.name}' is no "
        "spoke: remove it, or name the target's hub with hub:"
    )


def _trusting(target: TargetSpec) -> str:
    return (
        f"replicas of target '{target.name}' take the status its cards have live: anyone who "
        f"can call UpdateModelCard in account {target.card_account_id} (its data scientists, "
        f"its RAM consumers) decides what hub '{target.hub}' holds as Approved and shares "
        "onward, with no pull request; declare the cards in git instead where you can"
    )


RULES: list[Rule] = [
    targets_or_top_level,
    target_names_known,
    hubs_valid,
    target_accounts_unique,
    share_cards_in_target,
    replica_names_fit,
    spoke_settings,
]
