"""Values the unit tests build by hand: the example repository as git declares it, live
state as AWS shows it right after that repository was applied, and small edits of both.

Everything here is a pure value; nothing reads AWS. ``applied()`` is the state in which
the diff finds nothing to do, so each test changes one thing on one side and looks at
what the diff plans for it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from reconciler.common.arns import Arns
from reconciler.common.diagnostics import Diagnostic
from reconciler.desired.build import card_from, config_from, share_from
from reconciler.desired.model import CardSpec, DesiredState, ShareSpec
from reconciler.live.model import LiveAssociation, LiveCard, LivePermission, LiveShare, LiveState
from reconciler.load.yamlsource import SourceDocument, load_text
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, Guard, Reason
from reconciler.plan.payloads import Payload
from reconciler.run.repository import load_repository
from reconciler.validate.rules.base import RuleInput

ROOT = Path(__file__).resolve().parents[2]
OWNER, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
CARD_FILE = f"cards/{CARD}.yaml"
ARNS = Arns("aws", "us-east-1", OWNER)
CARD_ARN = ARNS.card(CARD)
MANAGED = ARNS.permission("AWSRAMPermissionSageMakerModelCards")
READ_ONLY = ARNS.permission("read-only")
DESCRIBE, LIST_VERSIONS = "sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"
EMPTY = LiveState(cards={}, shares={}, permissions={})


@cache
def example() -> DesiredState:
    """The example repository of this project (cached: the state is frozen)."""
    state = load_repository(ROOT).state
    assert state is not None
    return state


def owned(file: str, tags: dict[str, str] | None = None) -> dict[str, str]:
    """``tags`` plus the ownership tags the reconciler keeps on what it created."""
    return {**(tags or {}), "managed-by": "reconciler", "reconciler-source": file}


def share_arn(name: str) -> str:
    return f"arn:aws:ram:us-east-1:{OWNER}:resource-share/{name}"


# -- git -------------------------------------------------------------------------------


def with_card(state: DesiredState, name: str = CARD, /, **changes: Any) -> DesiredState:
    """``state`` with card ``name`` changed; a new ``name=`` in ``changes`` renames it."""
    card: CardSpec = replace(state.cards[name], **changes)
    cards = {n: c for n, c in state.cards.items() if n != name}
    return replace(state, cards={**cards, card.name: card})


def with_share(state: DesiredState, name: str, /, **changes: Any) -> DesiredState:
    """``state`` with share ``name`` changed; a new ``name=`` in ``changes`` renames it."""
    share: ShareSpec = replace(state.shares[name], **changes)
    shares = {n: s for n, s in state.shares.items() if n != name}
    return replace(state, shares={**shares, share.name: share})


def with_permission(state: DesiredState, name: str, *actions: str) -> DesiredState:
    """``state`` whose customer-managed permission ``name`` allows ``actions``."""
    config = state.config
    permission = replace(config.permissions[name], actions=actions)
    permissions = {**config.permissions, name: permission}
    return replace(state, config=replace(config, permissions=permissions))


def edited(content: Mapping[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A copy of ``content`` with the value at the dotted path set to ``value``."""
    result = copy.deepcopy(dict(content))
    *parents, leaf = dotted.split(".")
    node = result
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return result


# -- documents, as the validation rules get them ----------------------------------------


def document(file: str, text: str) -> SourceDocument:
    """``text`` loaded as the file ``file``, with the positions of its values."""
    loaded = load_text(text, file)
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document


def example_config() -> str:
    """The text of the example's reconciler.yaml."""
    return (ROOT / "reconciler.yaml").read_text(encoding="utf-8")


def rule_input(files: Mapping[str, str], config: str | None = None) -> RuleInput:
    """The repository the rules check: reconciler.yaml's text ``config`` (the example's
    when None) and ``files`` (``cards/…`` and ``shares/…`` paths to YAML text), each file
    built as if it passed its schema."""
    docs = {
        f: document(f, t)
        for f, t in {"reconciler.yaml": config or example_config(), **files}.items()
    }
    cards = tuple(card_from(d.data, f) for f, d in docs.items() if f.startswith("cards/"))
    shares = tuple(share_from(d.data, f) for f, d in docs.items() if f.startswith("shares/"))
    return RuleInput(
        config=config_from(docs["reconciler.yaml"].data),
        config_doc=docs["reconciler.yaml"],
        cards=cards,
        shares=shares,
        documents=docs,
        all_card_names=frozenset(c.name for c in cards),
    )


@dataclass(frozen=True)
class Found:
    """What a test asserts about a diagnostic: the file, the JSON path and line of the
    value at fault, the check that found it, and whether it is an error or a warning."""

    file: str
    path: str
    code: str
    line: int
    severity: str = "error"


def found(diagnostics: Iterable[Diagnostic]) -> list[Found]:
    return [Found(d.file, d.path, d.code, d.line, d.severity.value) for d in diagnostics]


# -- live ------------------------------------------------------------------------------


def card_as_applied(card: CardSpec, **changes: Any) -> LiveCard:
    """What SageMaker shows for ``card`` once applied, with ``changes``."""
    live = LiveCard(
        name=card.name,
        arn=ARNS.card(card.name),
        status=card.status,
        version=1,
        content=dict(card.content),
        tags=owned(card.file, dict(card.tags)),
        kms_key_id=card.kms_key_id,
        confirmed=True,
    )
    return replace(live, **changes)


def associated(*entities: str, status: str = "ASSOCIATED") -> tuple[LiveAssociation, ...]:
    return tuple(LiveAssociation(entity=e, status=status) for e in entities)


def share_as_applied(state: DesiredState, share: ShareSpec, **changes: Any) -> LiveShare:
    """What RAM shows for ``share`` once applied (cards selected by their git status)."""
    accounts = state.config.accounts
    cards = sorted(
        c.name
        for c in state.cards.values()
        if c.status in share.card_statuses or c.name in share.card_names
    )
    live = LiveShare(
        name=share.name,
        arn=share_arn(share.name),
        status="ACTIVE",
        allow_external_principals=share.allow_external_principals,
        tags=owned(share.file, dict(share.tags)),
        resources=associated(*(ARNS.card(c) for c in cards)),
        principals=associated(*(accounts[p].id if p in accounts else p for p in share.principals)),
        permission_arns=(ARNS.permission(share.permission),),
    )
    return replace(live, **changes)


def permission_as_applied(
    state: DesiredState, name: str = "read-only", **changes: Any
) -> LivePermission:
    live = LivePermission(
        name=name,
        arn=ARNS.permission(name),
        version="1",
        actions=state.config.permissions[name].actions,
        tags=owned("reconciler.yaml"),
    )
    return replace(live, **changes)


def applied(state: DesiredState | None = None) -> LiveState:
    """Live state right after ``state`` (default: the example) was applied."""
    state = state or example()
    return LiveState(
        cards={n: card_as_applied(c) for n, c in state.cards.items()},
        shares={n: share_as_applied(state, s) for n, s in state.shares.items()},
        permissions={n: permission_as_applied(state, n) for n in state.config.permissions},
    )


def live_with(
    live: LiveState,
    *,
    cards: tuple[LiveCard, ...] = (),
    shares: tuple[LiveShare, ...] = (),
    permissions: tuple[LivePermission, ...] = (),
    without: tuple[str, ...] = (),
) -> LiveState:
    """``live`` with resources added or replaced (by name), and the names in ``without``
    removed from cards and shares."""

    def merged(current: dict[str, Any], new: tuple[Any, ...]) -> dict[str, Any]:
        kept = {n: v for n, v in current.items() if n not in without}
        return {**kept, **{v.name: v for v in new}}

    return LiveState(
        cards=merged(dict(live.cards), cards),
        shares=merged(dict(live.shares), shares),
        permissions={**live.permissions, **{p.name: p for p in permissions}},
    )


def live_card(live: LiveState, name: str = CARD, **changes: Any) -> LiveState:
    """``live`` with its card ``name`` changed."""
    return live_with(live, cards=(replace(live.cards[name], **changes),))


def live_share(live: LiveState, name: str, **changes: Any) -> LiveState:
    """``live`` with its share ``name`` changed."""
    return live_with(live, shares=(replace(live.shares[name], **changes),))


# -- what a plan says ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Planned:
    """What a test asserts about a change: what it does and why, never its display text."""

    address: Address
    action: Action
    reason: Reason
    payload: Payload
    guards: tuple[Guard, ...] = ()
    guard_note: str = ""


def planned(change: Change) -> Planned:
    return Planned(
        address=change.address,
        action=change.action,
        reason=change.reason,
        payload=change.payload,
        guards=change.guards,
        guard_note=change.guard_note,
    )
