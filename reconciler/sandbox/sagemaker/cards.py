"""Model-card storage and lifecycle: create, versioned update, async delete, listing.

Rules (aws-facts §1-2): a new version only when the content changes (compared as
parsed JSON; switch ``identical_update_makes_version``); a status-only change edits the
latest version in place; content and status never change in one call; ``Archived`` is
terminal for content *and* status (the sandbox's choice: AWS documents no way out of
Archived; switches ``archived_refuses_content`` and ``archived_refuses_status``); deletion
walks through ModelCardProcessingStatus over ``deletion_delay_seconds`` and the name stays
taken until it completes (``name_reserved_while_deleting``). ListModelCards lists a card
``list_delay_seconds`` after its creation. Content is stored as sent unless
``content_returned_as_sent`` is off. Callers hold the service lock; this module does no
locking.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError, validation
from reconciler.sandbox.paging import page
from reconciler.sandbox.sagemaker.model import (
    Card,
    CardVersion,
    deletion_done,
    deletion_stage,
    summary,
    user_context,
    version_summary,
)

ARCHIVED = "Archived"
DEFAULT_PAGE = 10


@dataclass(frozen=True)
class Quotas:
    """Sandbox limits answered with ResourceLimitExceeded (AWS publishes no numbers)."""

    cards_per_region: int = 10_000
    versions_per_card: int = 10_000


def not_found(what: str) -> AwsError:
    return AwsError("ResourceNotFound", f"Model card {what} does not exist.")


def parse_content(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError as exc:
        raise validation(f"Model card content is not valid JSON: {exc}") from exc


class CardStore:
    """All cards of all accounts, keyed by (account, region, name)."""

    def __init__(self, clock: Callable[[], float], config: Callable[[], SandboxConfig]) -> None:
        self._clock = clock
        self._config = config
        self.cards: dict[tuple[str, str, str], Card] = {}
        self.quotas = Quotas()

    def sweep(self) -> list[Card]:
        """Drop cards whose deletion has completed; return them."""
        now, delay = self._clock(), self._config().deletion_delay_seconds
        gone = [c for c in self.cards.values() if deletion_done(c, now, delay)]
        for card in gone:
            del self.cards[(card.account, card.region, card.name)]
        return gone

    def stage(self, card: Card) -> str | None:
        return deletion_stage(card, self._clock(), self._config().deletion_delay_seconds)

    def find(self, account: str, region: str, name: str) -> Card:
        card = self.cards.get((account, region, name))
        if card is None:
            raise not_found(name)
        return card

    def in_region(self, account: str, region: str) -> list[Card]:
        return [c for (a, r, _), c in self.cards.items() if a == account and r == region]

    def create(self, caller: Caller, params: dict[str, Any], tags: dict[str, str]) -> Card:
        name = params["ModelCardName"]
        key = (caller.account_id, caller.region, name)
        existing = self.cards.get(key)
        if existing is not None:
            doing = "is being deleted" if existing.deleted_at is not None else "already exists"
            raise AwsError("ConflictException", f"Model card {name} {doing}.")
        if len(self.in_region(caller.account_id, caller.region)) >= self.quotas.cards_per_region:
            raise AwsError(
                "ResourceLimitExceeded",
                f"You have reached the limit of {self.quotas.cards_per_region} "
                "model cards in this Region; delete unused cards.",
            )
        parse_content(params["Content"])
        now, who = self._clock(), user_context(caller)
        card = Card(
            caller.account_id,
            caller.region,
            name,
            now,
            who,
            params.get("SecurityConfig") or None,
            tags=tags,
        )
        content = self._stored(params["Content"])
        card.versions.append(CardVersion(1, content, params["ModelCardStatus"], now, now, who))
        self.cards[key] = card
        return card

    def deleting(self, account: str, region: str, name: str) -> Card | None:
        """The card of that name whose deletion runs, if any."""
        card = self.cards.get((account, region, name))
        return card if card is not None and card.deleted_at is not None else None

    def _stored(self, content: str) -> str:
        """Content as DescribeModelCard will return it."""
        if self._config().content_returned_as_sent:
            return content
        return json.dumps(parse_content(content), sort_keys=True, separators=(",", ":"))

    def update(self, card: Card, caller: Caller, params: dict[str, Any]) -> bool:
        """Apply an UpdateModelCard; return whether anything changed."""
        content, status = params.get("Content"), params.get("ModelCardStatus")
        if content is not None and status is not None:
            raise validation(
                "You cannot update both model card content and model card "
                "status in a single call; send two UpdateModelCard requests."
            )
        self._check_updatable(card)
        if content is not None:
            return self._new_version(card, caller, content)
        if status is not None and status != card.latest.status:
            if card.latest.status == ARCHIVED and self._config().archived_refuses_status:
                raise validation("Model Card is in Archived state")
            card.latest.status = status
            card.latest.modified, card.latest.modified_by = self._clock(), user_context(caller)
            return True
        return False

    def _check_updatable(self, card: Card) -> None:
        if card.deleted_at is not None:
            raise AwsError("ConflictException", f"Model card {card.name} is being deleted.")

    def _new_version(self, card: Card, caller: Caller, content: str) -> bool:
        config = self._config()
        if card.latest.status == ARCHIVED and config.archived_refuses_content:
            raise validation("Model Card is in Archived state")
        same = parse_content(content) == parse_content(card.latest.content)
        if same and not config.identical_update_makes_version:
            return False
        if len(card.versions) >= self.quotas.versions_per_card:
            raise AwsError(
                "ResourceLimitExceeded",
                f"Model card {card.name} has the maximum of "
                f"{self.quotas.versions_per_card} versions.",
            )
        now = self._clock()
        card.versions.append(
            CardVersion(
                card.latest.number + 1,
                self._stored(content),
                card.latest.status,
                now,
                now,
                user_context(caller),
            )
        )
        return True

    def delete(self, card: Card) -> None:
        if card.deleted_at is not None:
            raise AwsError("ConflictException", f"Model card {card.name} is already being deleted.")
        card.deleted_at = self._clock()

    def list_cards(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        listed = self._clock() - self._config().list_delay_seconds
        cards = [
            c
            for c in self.in_region(caller.account_id, caller.region)
            if _card_matches(c, params) and c.created <= listed
        ]
        by_name = params.get("SortBy") == "Name"
        cards.sort(
            key=(lambda c: c.name) if by_name else (lambda c: c.created),
            reverse=params.get("SortOrder", "Descending") == "Descending",
        )
        items, extra = page(cards, params, params.get("MaxResults", DEFAULT_PAGE))
        return {"ModelCardSummaries": [summary(c) for c in items], **extra}

    def list_versions(self, card: Card, params: dict[str, Any]) -> dict[str, Any]:
        versions = [v for v in card.versions if _version_matches(v, params)]
        versions.sort(
            key=lambda v: v.number, reverse=params.get("SortOrder", "Descending") == "Descending"
        )
        items, extra = page(versions, params, params.get("MaxResults", DEFAULT_PAGE))
        return {"ModelCardVersionSummaryList": [version_summary(card, v) for v in items], **extra}


def _in_window(when: float, params: dict[str, Any]) -> bool:
    after, before = params.get("CreationTimeAfter"), params.get("CreationTimeBefore")
    return (after is None or when > float(after)) and (before is None or when < float(before))


def _card_matches(card: Card, params: dict[str, Any]) -> bool:
    contains = params.get("NameContains")
    status = params.get("ModelCardStatus")
    return (
        (contains is None or contains.lower() in card.name.lower())
        and (status is None or card.latest.status == status)
        and _in_window(card.created, params)
    )


def _version_matches(version: CardVersion, params: dict[str, Any]) -> bool:
    status = params.get("ModelCardStatus")
    return (status is None or version.status == status) and _in_window(version.created, params)
