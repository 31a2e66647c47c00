"""Read a spoke's live cards, the sources of its hub's replicas.

Every card of the spoke's account and region is a source, whether git declares it or the
spoke's data scientists keep it through the API; what status its replica may take is
decided here (``replica_status``), since a spoke card's live status is not reviewed.
Cards are listed with ListModelCards and read with DescribeModelCard (the card store, not
the eventually consistent Search index), so a card that a spoke created moments before, in
the same run, is replicated at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from reconciler.aws.session import AwsSession
from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec, DesiredState, ReplicaSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.sagemaker import card_names, describe_card


def read_replicas(
    state: DesiredState, spokes: Mapping[str, AwsSession]
) -> tuple[dict[str, ReplicaSpec], dict[str, tuple[ReplicaSpec, ...]]]:
    """What the hub ``state.config.target`` must hold, by replica name, read through each
    spoke's session; and the replica names two spoke cards claim, which are held back."""
    claims: dict[str, list[ReplicaSpec]] = {}
    for name, session in sorted(spokes.items()):
        cards = source_cards(session.client("sagemaker"), session.settings.max_workers)
        declared = state.spoke_cards.get(name, {})
        for replica in replicas_of(state.config.targets[name], cards, declared):
            claims.setdefault(replica.name, []).append(replica)
    replicas = {n: found[0] for n, found in claims.items() if len(found) == 1}
    conflicts = {n: tuple(found) for n, found in claims.items() if len(found) > 1}
    return replicas, conflicts


def source_cards(client: Any, workers: int) -> list[LiveCard]:
    """The spoke's cards as SageMaker has them now, except those being deleted or whose
    content is not a JSON object (nothing can be replicated from them)."""
    names = sorted(card_names(client))
    describe = partial(describe_card, client, tags=False)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(names)))) as pool:
        found = list(pool.map(describe, names))
    return [c for c in found if c and not c.processing_status and not c.unreadable]


def replicas_of(
    spoke: TargetSpec, cards: Iterable[LiveCard], declared: Mapping[str, CardSpec]
) -> list[ReplicaSpec]:
    """What the hub must hold for each of ``spoke``'s cards; ``declared``: the spoke's
    cards in git."""
    return [
        ReplicaSpec(
            name=spoke.replica_of(card.name),
            spoke=spoke.name,
            source_arn=card.arn,
            source_version=card.version,
            status=replica_status(spoke, card, declared.get(card.name)),
            source_status=card.status,
            source_kms_key_id=card.kms_key_id,
            content=card.content,
        )
        for card in cards
    ]


_RANK = {status: rank for rank, status in enumerate(CardStatus)}  # lifecycle order


def replica_status(spoke: TargetSpec, card: LiveCard, in_git: CardSpec | None) -> CardStatus:
    """The status a replica may take. A spoke card's live status is anyone's with
    UpdateModelCard in the spoke (its data scientists, its RAM consumers): the hub takes
    the status a reviewed commit gave the card (``in_git``), the live one only from a
    spoke that says ``trust_live_status``, and otherwise the live one capped at
    ``replica_status_ceiling`` (Archived counts as above every ceiling)."""
    if spoke.trust_live_status:
        return card.status
    if in_git is not None:
        return in_git.status
    ceiling = spoke.replica_status_ceiling
    return ceiling if _RANK[card.status] > _RANK[ceiling] else card.status
