"""Read a spoke's live cards, the sources of its hub's replicas.

Every card of the spoke's account and region is a source, whether git declares it or the
spoke's data scientists keep it through the API. Cards are listed with ListModelCards and
read with DescribeModelCard (the card store, not the eventually consistent Search index),
so a card that a spoke created moments before, in the same run, is replicated at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from reconciler.aws.session import AwsSession
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Config, ReplicaSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.sagemaker import card_names, describe_card


def read_replicas(config: Config, spokes: Mapping[str, AwsSession]) -> dict[str, ReplicaSpec]:
    """What the hub ``config.target`` must hold, by replica name, read through each spoke's
    session. Two spoke cards under one replica name are an error naming both."""
    replicas: dict[str, ReplicaSpec] = {}
    for name, session in sorted(spokes.items()):
        cards = source_cards(session.client("sagemaker"), session.settings.max_workers)
        for replica in replicas_of(config.targets[name], cards):
            other = replicas.setdefault(replica.name, replica)
            if other is not replica:
                raise ReconcilerError(
                    f"{other.source_arn} and {replica.source_arn} would both be replicated "
                    f"as '{replica.name}' in hub '{config.target}'",
                    hint=f"give target '{name}' another replica_name in reconciler.yaml",
                )
    return replicas


def source_cards(client: Any, workers: int) -> list[LiveCard]:
    """The spoke's cards as SageMaker has them now, except those being deleted or whose
    content is not a JSON object (nothing can be replicated from them)."""
    names = sorted(card_names(client))
    describe = partial(describe_card, client, tags=False)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(names)))) as pool:
        found = list(pool.map(describe, names))
    return [c for c in found if c and not c.processing_status and not c.unreadable]


def replicas_of(spoke: TargetSpec, cards: Iterable[LiveCard]) -> list[ReplicaSpec]:
    """What the hub must hold for each of ``spoke``'s cards."""
    return [
        ReplicaSpec(
            name=spoke.replica_of(card.name),
            spoke=spoke.name,
            source_arn=card.arn,
            source_version=card.version,
            status=card.status,
            content=card.content,
        )
        for card in cards
    ]
