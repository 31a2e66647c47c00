"""Read model cards from SageMaker: Search in bulk, DescribeModelCard (or, for many cards
missing from the index, ListModelCards) to confirm.

Search returns content and tags for 100 cards a call, so an unchanged repository costs
about N/100 calls. Pages follow one another (each needs the last one's NextToken), so a
large account is read from both ends at once, sorted by name: ascending from the first
card and descending from the last, until together they hold every card Search counts
(``TotalHits``), or, when Search gives only a lower bound, until they meet (``_BothEnds``
says exactly when). That halves the wait for about the same number of calls. AWS does not
document which properties Search sorts model cards by: if it refuses to sort them by name
(ValidationException), they are read one page after the other in its default order. The
Search index is eventually consistent, so a card that looks changed, or is missing from
it, is confirmed with DescribeModelCard (plus ListTags, since Describe carries no tags)
before the plan reports it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from itertools import pairwise
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code, pages
from reconciler.common.content import readable_content
from reconciler.common.shared import shared
from reconciler.common.status import CardStatus
from reconciler.live.model import LiveCard

SEARCH_PAGE = 100


def search_cards(
    client: Any, known: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, LiveCard]:
    """Every card of the account as the Search index has it, by name. ``known``: contents
    already in memory (git's), by card name; a live content equal to one is kept as that
    same object, so an unchanged fleet is not held in memory twice."""
    with aws_errors("searching model cards (sagemaker:Search)"):
        return _BothEnds(client, lambda r: _from_record(r, known=known)).read()


ASCENDING, DESCENDING = "Ascending", "Descending"


class _BothEnds:
    """One read of every card, from both ends of the name order at once. It ends when one
    read reaches its end; when the reads together hold as many cards as Search counted
    (the largest exact ``TotalHits`` of any page); or, only when Search gave no exact
    count, when the reads meet having started at opposite ends and each seen its names in
    order (ascending and descending as Python compares them), so a service that ignored
    the order would be read to an end instead."""

    def __init__(self, client: Any, convert: Callable[[Mapping[str, Any]], LiveCard]) -> None:
        self.sagemaker, self.convert = client, convert
        self.found: dict[str, LiveCard] = {}
        self.seen: dict[str, set[str]] = {ASCENDING: set(), DESCENDING: set()}
        self.first: dict[str, str] = {}  # each read's first name
        self.last: dict[str, str | None] = {ASCENDING: None, DESCENDING: None}
        self.total: int | None = None  # the largest exact TotalHits seen
        self.exact = True  # whether every page counted its hits exactly
        self.ordered = True  # whether each read has seen its names in order
        self.in_flight = 0
        self.complete = False
        self.lock = threading.Lock()

    def read(self) -> dict[str, LiveCard]:
        try:
            first = self._page(ASCENDING, None)
        except ClientError as e:
            if error_code(e) != "ValidationException":
                raise
            return self._one_way()
        token = self._take(ASCENDING, first)
        if token is None:
            return self.found
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(self._stream, DESCENDING, None)
            self._stream(ASCENDING, token)
            other.result()
        return self.found

    def _one_way(self) -> dict[str, LiveCard]:
        """Every card in Search's default order, one page after the other."""
        records = pages(
            self.sagemaker.search,
            "Results",
            "NextToken",
            Resource="ModelCard",
            MaxResults=SEARCH_PAGE,
        )
        cards = [self.convert(r["ModelCard"]) for r in records if "ModelCard" in r]
        return {c.name: c for c in cards}

    def _page(self, order: str, token: str | None) -> dict[str, Any]:
        page: dict[str, Any] = self.sagemaker.search(
            Resource="ModelCard",
            SortBy="ModelCardName",
            SortOrder=order,
            MaxResults=SEARCH_PAGE,
            **({"NextToken": token} if token else {}),
        )
        return page

    def _stream(self, order: str, token: str | None) -> None:
        """Pages in ``order`` until the cards are complete; ``token`` None: from the start."""
        first = token is None
        while first or token:
            first = False
            with self.lock:
                if self._enough():
                    return
                self.in_flight += 1
            try:
                page = self._page(order, token)
            finally:
                with self.lock:
                    self.in_flight -= 1
            token = self._take(order, page)

    def _enough(self) -> bool:
        """Whether the cards read, and the pages on their way, hold every card counted.
        (A read that stops here leaves the other to re-check once nothing is in flight.)"""
        if self.complete:
            return True
        counted = self._counted()
        return counted is not None and len(self.found) + SEARCH_PAGE * self.in_flight >= counted

    def _counted(self) -> int | None:
        """How many cards Search counted, when every page counted exactly."""
        return self.total if self.exact else None

    def _from_both_ends(self) -> bool:
        """Whether the two reads started at opposite ends and each went on in its order (a
        service that ignored the order would start both at the same card)."""
        lowest, highest = self.first.get(ASCENDING), self.first.get(DESCENDING)
        return self.ordered and lowest is not None and highest is not None and lowest < highest

    def _take(self, order: str, page: Mapping[str, Any]) -> str | None:
        """Keep a page's cards; its NextToken, or None once the read is complete."""
        cards = [self.convert(r["ModelCard"]) for r in page.get("Results", []) if "ModelCard" in r]
        names = [c.name for c in cards]
        token = page.get("NextToken")
        with self.lock:
            self._count(page.get("TotalHits") or {})
            met = self._keep(order, names, cards)
            if self._ends(token, met):
                self.complete = True
            return None if self.complete else token

    def _count(self, hits: Mapping[str, Any]) -> None:
        """Note how many cards Search counted (the largest exact count), or that it did not
        count exactly."""
        if hits.get("Relation") == "EqualTo" and isinstance(hits.get("Value"), int):
            self.total = max(self.total or 0, hits["Value"])
        else:
            self.exact = False

    def _keep(self, order: str, names: list[str], cards: list[LiveCard]) -> bool:
        """Keep the cards of a page read in ``order``; whether the other read has seen any."""
        other = self.seen[DESCENDING if order == ASCENDING else ASCENDING]
        self.ordered = self.ordered and _in_order(self.last[order], names, order)
        if names:
            self.first.setdefault(order, names[0])
        self.last[order] = names[-1] if names else self.last[order]
        met = any(n in other for n in names)
        self.seen[order].update(names)
        self.found.update(zip(names, cards, strict=True))
        return met

    def _ends(self, token: str | None, met: bool) -> bool:
        """Whether the read is complete with the page just kept (``met``: the reads met)."""
        counted = self._counted()
        return (
            not token
            or (counted is not None and len(self.found) >= counted)
            or (counted is None and met and self._from_both_ends())
        )


def _in_order(last: str | None, names: list[str], order: str) -> bool:
    """Whether ``names`` follow ``last`` strictly in ``order``."""
    run = [last, *names] if last is not None else names
    if order == ASCENDING:
        return all(a < b for a, b in pairwise(run))
    return all(a > b for a, b in pairwise(run))


def card_names(client: Any) -> frozenset[str]:
    """Every card name of the account, from ListModelCards (100 a call): the card store,
    not the Search index. How fast a new card shows there is not documented, so a create
    that meets ConflictException is still resolved by the executor.
    AWS undocumented: list-delay"""
    return frozenset(listed_cards(client))


def listed_cards(client: Any) -> dict[str, Mapping[str, Any]]:
    """Every card's ListModelCards summary (name, ARN, status, times), by name."""
    with aws_errors("listing model cards (sagemaker:ListModelCards)"):
        return {
            c["ModelCardName"]: c
            for c in pages(
                client.list_model_cards, "ModelCardSummaries", "NextToken", MaxResults=100
            )
        }


def redescribed(
    client: Any, cards: Mapping[str, LiveCard], names: Iterable[str], workers: int, tags: bool
) -> dict[str, LiveCard]:
    """``cards`` with each of ``names`` as DescribeModelCard has it now (with its tags
    unless ``tags`` is False); a card found gone is left out."""
    wanted = sorted(set(names))
    merged = dict(cards)
    if not wanted:
        return merged
    describe = partial(describe_card, client, tags=tags)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(wanted)))) as pool:
        for name, card in zip(wanted, pool.map(describe, wanted), strict=True):
            if card is None:
                merged.pop(name, None)
            else:
                merged[name] = card
    return merged


def describe_card(client: Any, name: str, *, tags: bool = True) -> LiveCard | None:
    """The card as SageMaker has it now (with its tags unless ``tags`` is False), or None
    when it does not exist."""
    with aws_errors(f"describing model card {name}"):
        try:
            card = client.describe_model_card(ModelCardName=name)
        except ClientError as e:
            if error_code(e) == "ResourceNotFound":
                return None
            raise
        found = _tags(client, card["ModelCardArn"]) if tags else []
    return _from_record({**card, "Tags": found}, confirmed=True)


def _tags(client: Any, arn: str) -> list[Any]:
    return list(pages(client.list_tags, "Tags", "NextToken", ResourceArn=arn, MaxResults=100))


def _from_record(
    record: Mapping[str, Any],
    confirmed: bool = False,
    known: Mapping[str, Mapping[str, Any]] | None = None,
) -> LiveCard:
    readable = readable_content(record.get("Content"))
    content = readable if readable is not None else {}  # unreadable: the card is held back
    name = record["ModelCardName"]
    same = (known or {}).get(name)
    return LiveCard(
        name=name,
        arn=record["ModelCardArn"],
        status=CardStatus.read(record.get("ModelCardStatus"), f"model card {name}"),
        version=int(record.get("ModelCardVersion", 0)),
        content=same if same is not None and same == content else content,
        unreadable=readable is None,
        tags={shared(t["Key"]): shared(t.get("Value", "")) for t in record.get("Tags", [])},
        kms_key_id=(record.get("SecurityConfig") or {}).get("KmsKeyId"),
        last_modified_time=time_text(record.get("LastModifiedTime")),
        last_modified_by=identity(record.get("LastModifiedBy")),
        created_by=identity(record.get("CreatedBy")),
        processing_status=_deleting(record.get("ModelCardProcessingStatus")),
        confirmed=confirmed,
    )


def identity(user: Mapping[str, Any] | None) -> str | None:
    """The IAM identity ARN (or Studio user) in a SageMaker UserContext."""
    if not user:
        return None
    iam = user.get("IamIdentity") or {}
    found = iam.get("Arn") or user.get("UserProfileName") or user.get("UserProfileArn")
    return shared(found) if isinstance(found, str) else found


def time_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _deleting(status: str | None) -> str | None:
    return status if status and status != "DeleteCompleted" else None
