"""Read a spoke's live cards, the sources of its hub's replicas.

Every card of the spoke's account and region is a source, whether git declares it or the
spoke's data scientists keep it through the API; what status its replica may take is
decided here (``replica_status``), since a spoke card's live status is not reviewed.

A spoke is read as the card account is (``live.sagemaker.search_cards``): Search, 100
cards a call with their content, from both ends of the name order. Search's index is
eventually consistent, so what a stale view could get wrong is read again from the card
store with DescribeModelCard: the spoke cards git declares that Search lacks or shows
otherwise than git (a spoke applied moments before, in the same run, is replicated at
once), and, once the hub's plan is known (``confirm_sources``), the source of every
replica the plan would write or finds without a source. Search answers with the caller's
own account's cards only (``CrossAccountFilterOption`` left out: botocore's ``Search``
documentation), and a record naming any other account or region is not a source.
Search carries no ``ModelCardProcessingStatus``: a card being deleted can still be a
source until the index drops it, as it would have been read a moment earlier.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from reconciler.aws.session import AwsSession
from reconciler.common.arns import account_and_region
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec, DesiredState, ReplicaSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.sagemaker import listed_cards, redescribed, search_cards, time_text

# Each spoke's live cards by name, by spoke target name: what the replicas are made from.
Sources = Mapping[str, Mapping[str, LiveCard]]
Replicas = tuple[dict[str, ReplicaSpec], dict[str, tuple[ReplicaSpec, ...]]]


def read_sources(state: DesiredState, spokes: Mapping[str, AwsSession]) -> Sources:
    """Every spoke's cards, the spokes read at once."""
    if not spokes:
        return {}
    with ThreadPoolExecutor(max_workers=len(spokes)) as pool:
        found = {
            name: pool.submit(
                spoke_cards, state.config.targets[name], session, state.spoke_cards.get(name, {})
            )
            for name, session in spokes.items()
        }
        return {name: _result(state.config.targets[name], f) for name, f in sorted(found.items())}


def _result(spoke: TargetSpec, read: Future[dict[str, LiveCard]]) -> dict[str, LiveCard]:
    """A spoke's cards, or the error that stopped their read, naming the spoke."""
    try:
        return read.result()
    except ReconcilerError as e:
        where = f"spoke '{spoke.name}' ({spoke.card_account_id}, {spoke.region})"
        raise ReconcilerError(f"reading {where}: {e.message}", hint=e.hint) from e


def spoke_cards(
    spoke: TargetSpec, session: AwsSession, declared: Mapping[str, CardSpec]
) -> dict[str, LiveCard]:
    """The spoke's cards as Search has them, those of ``declared`` (its cards in git)
    that Search lacks or shows otherwise than git confirmed with DescribeModelCard."""
    client = session.client("sagemaker")
    known = {name: card.content for name, card in declared.items()}
    cards = {n: c for n, c in search_cards(client, known).items() if in_spoke(spoke, c)}
    doubtful = [n for n, card in declared.items() if not _as_in_git(cards.get(n), card)]
    return redescribed(client, cards, doubtful, session.settings.max_workers, tags=False)


def in_spoke(spoke: TargetSpec, card: LiveCard) -> bool:
    """Whether the card's ARN names the spoke's account and region."""
    return account_and_region(card.arn) == (spoke.card_account_id, spoke.region)


def _as_in_git(live: LiveCard | None, card: CardSpec) -> bool:
    return live is not None and live.status == card.status and live.content == card.content


def confirm_sources(
    state: DesiredState,
    spokes: Mapping[str, AwsSession],
    sources: Sources,
    doubtful: Iterable[str],
    hub_cards: Collection[str],
) -> Sources:
    """``sources`` with the spoke cards behind the hub cards ``doubtful`` (by each spoke's
    replica name) read from the card store: described, or, for replicas the hub lacks
    (``hub_cards``: the hub's card names), listed first and described only where the
    listing shows another status or modification time than Search. ``sources`` itself
    when nothing was read again."""
    wanted = set(doubtful)
    confirmed = dict(sources)
    for name, session in sorted(spokes.items()):
        spoke = state.config.targets[name]
        cards = {c for n in wanted if (c := spoke.replica_source(n)) is not None}
        if cards:
            new = {c for c in cards if spoke.replica_of(c) not in hub_cards}
            confirmed[name] = _confirmed(session, sources.get(name, {}), cards, new)
    return confirmed if confirmed != sources else sources


def _confirmed(
    session: AwsSession, cards: Mapping[str, LiveCard], doubtful: set[str], new: set[str]
) -> dict[str, LiveCard]:
    """``cards`` with ``doubtful`` read again: those of ``new`` only if the listing says
    Search's view may be stale; and, once listed, the cards Search has yet to show."""
    client = session.client("sagemaker")
    listed = listed_cards(client) if new else {}
    stale = _stale(listed, cards) & new
    names = (doubtful - new) | stale | (set(listed) - set(cards))
    return redescribed(client, cards, names, session.settings.max_workers, tags=False)


def _stale(listed: Mapping[str, Mapping[str, object]], cards: Mapping[str, LiveCard]) -> set[str]:
    """The cards whose listing and Search view disagree, or that only one of them has."""
    return {
        name
        for name in set(listed) | set(cards)
        if name not in listed
        or name not in cards
        or listed[name].get("ModelCardStatus") != cards[name].status.value
        or time_text(listed[name].get("LastModifiedTime")) != cards[name].last_modified_time
    }


def replicas_from(state: DesiredState, sources: Sources) -> Replicas:
    """What the hub ``state.config.target`` must hold, by replica name; and the replica
    names two spoke cards claim, which are held back. A card being deleted, or whose
    content is not a JSON object, is no source: nothing can be replicated from it."""
    claims: dict[str, list[ReplicaSpec]] = {}
    for name, cards in sorted(sources.items()):
        usable = [
            c for _, c in sorted(cards.items()) if not c.processing_status and not c.unreadable
        ]
        declared = state.spoke_cards.get(name, {})
        for replica in replicas_of(state.config.targets[name], usable, declared):
            claims.setdefault(replica.name, []).append(replica)
    replicas = {n: found[0] for n, found in claims.items() if len(found) == 1}
    conflicts = {n: tuple(found) for n, found in claims.items() if len(found) > 1}
    return replicas, conflicts


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
