"""Diff a hub's replicas against its spokes' live cards. Pure.

A replica carries its spoke card's content and status; its provenance (the source card's
ARN and version) is in tags, so recording it never changes the content. One
``replicate_card`` change creates a replica, or writes what differs: content (a newer
version in the spoke, or an edit made to the replica in the hub), status, tags. A managed
replica whose source is gone is deleted only with ``--prune``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reconciler.common.diagnostics import START, Diagnostic, json_path
from reconciler.common.names import REPLICA_OF, REPLICA_VERSION
from reconciler.common.status import CardStatus
from reconciler.desired.model import Ownership, ReplicaSpec
from reconciler.diff.cards import card_deletion
from reconciler.diff.fields import content_fields, new_card_fields
from reconciler.diff.ownership import TagDelta, tag_delta
from reconciler.live.model import LiveCard, is_replica
from reconciler.normalize.state import Normalised, Tags, user_tags
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Guard, PlanPart, Reason
from reconciler.plan.payloads import (
    CreateCard,
    ReplicateCard,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)
from reconciler.validate.rules.targets import replica_problem

CONFIG_FILE = "reconciler.yaml"  # where spokes and hubs are declared

CardArn = Callable[[str], str]


def replica_tags(replica: ReplicaSpec, own: Ownership) -> dict[str, str]:
    """The tags a replica carries: ownership and provenance."""
    return {
        own.tag_key: own.tag_value,
        own.source_tag_key: CONFIG_FILE,
        REPLICA_OF: replica.source_arn,
        REPLICA_VERSION: str(replica.source_version),
    }


def diff_replicas(n: Normalised, card_arn: CardArn, prune: bool) -> PlanPart:
    """Every change that makes the hub's replicas hold their spokes' cards."""
    out = PlanPart()
    for replica in sorted(n.state.replicas.values(), key=lambda r: r.name):
        _diff_one(n, replica, card_arn, out)
    for name, claims in sorted(n.state.replica_conflicts.items()):
        out.errors.append(replica_error(n, claims[-1], _claimed(name, claims)))
    for live in sorted(n.live.cards.values(), key=lambda c: c.name):
        if _orphan(n, live):
            _gone(live, prune, out)
    return out


def _diff_one(n: Normalised, replica: ReplicaSpec, card_arn: CardArn, out: PlanPart) -> None:
    problem = _name_problem(n, replica) or _key_problem(n, replica)
    live = n.live.cards.get(replica.name)
    own = n.state.config.ownership
    if problem:
        out.errors.append(problem)
    elif live is None:
        key = n.state.config.targets[replica.spoke].replica_kms_key_id
        out.changes.append(
            _create(replica, card_arn, own, key if replica.source_kms_key_id else None)
        )
    elif not is_replica(live, own):
        out.errors.append(replica_error(n, replica, _in_the_way(replica)))
    elif not live.processing_status:
        refused = _transition_problem(n, replica, live)
        change = None if refused else _update(n, replica, live)
        if refused:
            out.errors.append(refused)
        if change:
            out.changes.append(change)


def _name_problem(n: Normalised, replica: ReplicaSpec) -> Diagnostic | None:
    spoke = n.state.config.targets[replica.spoke]
    source = replica.source_arn.rsplit("/", 1)[-1]
    taken = {name: f"the hub's card '{name}'" for name in n.state.cards}
    problem = replica_problem(spoke, source, n.state.config.target, taken)
    return (
        replica_error(n, replica, f"spoke card {replica.source_arn}: {problem}")
        if problem
        else None
    )


def _key_problem(n: Normalised, replica: ReplicaSpec) -> Diagnostic | None:
    """A spoke card encrypted with a customer-managed key is replicated only under a hub
    key the spoke's entry names: never stored in the hub with less protection."""
    if not replica.source_kms_key_id or n.state.config.targets[replica.spoke].replica_kms_key_id:
        return None
    message = (
        f"spoke card {replica.source_arn} is encrypted with the customer-managed key "
        f"{replica.source_kms_key_id}: name the hub's key for its replica with "
        f"replica_kms_key_id under targets.{replica.spoke}; it is not replicated without one"
    )
    return replica_error(n, replica, message)


def _claimed(name: str, claims: tuple[ReplicaSpec, ...]) -> str:
    sources = " and ".join(c.source_arn for c in claims)
    return (
        f"{sources} would both be replicated as '{name}': neither is, until one of the "
        "spokes gets another replica_name in reconciler.yaml"
    )


def _in_the_way(replica: ReplicaSpec) -> str:
    return (
        f"the hub has a card named '{replica.name}' that is not the reconciler's replica of "
        f"{replica.source_arn}: rename or delete it in the hub, or set replica_name for "
        f"target '{replica.spoke}'"
    )


def replica_error(n: Normalised, replica: ReplicaSpec, message: str) -> Diagnostic:
    """A plan error on the spoke's entry in reconciler.yaml, about one replica."""
    path = ("targets", replica.spoke)
    doc = n.state.documents.get(CONFIG_FILE)
    return Diagnostic(
        file=CONFIG_FILE,
        position=doc.locate(path, key=True) if doc else START,
        path=json_path(path),
        message=message,
        code="replica",
    )


def _create(
    replica: ReplicaSpec, card_arn: CardArn, own: Ownership, kms_key_id: str | None
) -> Change:
    create = CreateCard(
        name=replica.name,
        arn=card_arn(replica.name),
        status=replica.status,
        content=replica.content,
        tags=replica_tags(replica, own),
        kms_key_id=kms_key_id,
    )
    return Change(
        address=Address.card(replica.name),
        action=Action.REPLICATE_CARD,
        reason=Reason.SOURCE_NEW,
        detail=f"new in spoke '{replica.spoke}': {replica.source_arn} "
        f"(version {replica.source_version}){_held(replica)}",
        fields=new_card_fields(replica.status, replica.content),
        payload=ReplicateCard(create=create),
    )


def _transition_problem(n: Normalised, replica: ReplicaSpec, live: LiveCard) -> Diagnostic | None:
    """A replica's status moves as any card's does: along lifecycle.transitions."""
    allowed = n.state.config.transitions.get(live.status, frozenset())
    if live.status == replica.status or replica.status in allowed:
        return None
    options = ", ".join(sorted(s.value for s in allowed)) or "nothing"
    message = (
        f"replica '{replica.name}': {live.status} → {replica.status} is not an allowed "
        f"transition; from {live.status} a card may move to: {options} (the status of "
        f"{replica.source_arn}{_held(replica)})"
    )
    return replica_error(n, replica, message)


def _held(replica: ReplicaSpec) -> str:
    """Why the replica's status is not its spoke card's live status, if it is not."""
    source = replica.source_status
    if source is None or source == replica.status:
        return ""
    return (
        f"; held at {replica.status}: the spoke card is {source}, a status no reviewed "
        f"commit gave it (declare the card in git, or set trust_live_status for target "
        f"'{replica.spoke}')"
    )


def _update(n: Normalised, replica: ReplicaSpec, live: LiveCard) -> Change | None:
    current = n.live_cards[live.name]
    delta = _tag_delta(n, replica, current.tags)
    content = content_fields(current.content, replica.content)
    status = live.status != replica.status
    if not (content or status or delta):
        return None
    recorded = live.tags.get(REPLICA_VERSION)
    status_field = (FieldChange("$.status", live.status, replica.status),) if status else ()
    reason = _reason(recorded, replica, bool(content), status)
    return Change(
        address=Address.card(live.name),
        action=Action.REPLICATE_CARD,
        reason=reason,
        detail=_detail(reason, replica, recorded) + _held(replica),
        fields=(*content, *status_field, *delta.fields),
        payload=_writes(replica, live, content=bool(content), status=status, tags=delta),
        guards=_guards(live, replica, status),
    )


def _guards(live: LiveCard, replica: ReplicaSpec, status: bool) -> tuple[Guard, ...]:
    archiving = live.status == CardStatus.APPROVED and replica.status == CardStatus.ARCHIVED
    return (Guard.ARCHIVES_APPROVED,) if status and archiving else ()


def _tag_delta(n: Normalised, replica: ReplicaSpec, current: Tags) -> TagDelta:
    """The ownership and provenance tags the replica lacks, or has otherwise."""
    own = n.state.config.ownership
    wanted = replica_tags(replica, own)
    return tag_delta(Tags(all=wanted, user=user_tags(wanted, own)), current)


def _writes(
    replica: ReplicaSpec, live: LiveCard, *, content: bool, status: bool, tags: TagDelta
) -> ReplicateCard:
    """What differs from the source card, to write over the replica."""
    return ReplicateCard(
        content=UpdateContent(name=live.name, arn=live.arn, content=replica.content)
        if content
        else None,
        status=UpdateStatus(
            name=live.name, arn=live.arn, status=replica.status, from_status=live.status
        )
        if status
        else None,
        tags=UpdateTags(arn=live.arn, add=tags.add, remove=tags.remove) if tags else None,
    )


def _reason(recorded: str | None, replica: ReplicaSpec, content: bool, status: bool) -> Reason:
    newer = recorded != str(replica.source_version)
    if content:
        return Reason.SOURCE_UPDATED if newer else Reason.REPLICA_EDITED
    if status:
        return Reason.SOURCE_STATUS
    return Reason.SOURCE_UPDATED if newer else Reason.REPLICA_EDITED


_DETAILS: Mapping[Reason, str] = {
    Reason.SOURCE_UPDATED: "spoke '{spoke}' has version {version} of {arn} (the replica holds "
    "version {recorded})",
    Reason.REPLICA_EDITED: "edited in the hub: the replica differs from version {version} of "
    "{arn}, which it records",
    Reason.SOURCE_STATUS: "the status differs from that of {arn} in spoke '{spoke}'",
}


def _detail(reason: Reason, replica: ReplicaSpec, recorded: str | None) -> str:
    return _DETAILS[reason].format(
        spoke=replica.spoke,
        version=replica.source_version,
        arn=replica.source_arn,
        recorded=recorded or "none",
    )


def _orphan(n: Normalised, live: LiveCard) -> bool:
    """A managed replica no spoke card stands for (and that git does not declare)."""
    return (
        is_replica(live, n.state.config.ownership)
        and live.name not in n.state.replicas
        and live.name not in n.state.replica_conflicts
        and live.name not in n.state.cards
        and not live.processing_status
    )


def _gone(live: LiveCard, prune: bool, out: PlanPart) -> None:
    source = live.tags.get(REPLICA_OF, "?")
    if not prune:
        out.warnings.append(
            f"replica '{live.name}' stands for {source}, which is gone: plan with --prune "
            "to delete it"
        )
        return
    out.changes.append(card_deletion(live, Reason.SOURCE_GONE, f"its source {source} is gone"))
