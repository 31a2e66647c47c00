"""Read model cards from SageMaker: Search in bulk, DescribeModelCard (or, for many cards
missing from the index, ListModelCards) to confirm.

Search returns content and tags for 100 cards a call, so an unchanged repository costs
about N/100 calls. The Search index is eventually consistent, so a card that looks
changed, or is missing from it, is confirmed with DescribeModelCard (plus ListTags, since
Describe carries no tags) before the plan reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code, pages
from reconciler.live.model import LiveCard
from reconciler.normalize import readable_content

SEARCH_PAGE = 100


def search_cards(
    client: Any, known: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, LiveCard]:
    """Every card of the account as the Search index has it, by name. ``known``: contents
    already in memory (git's), by card name; a live content equal to one is kept as that
    same object, so an unchanged fleet is not held in memory twice."""
    with aws_errors("searching model cards (sagemaker:Search)"):
        records = pages(
            client.search, "Results", "NextToken", Resource="ModelCard", MaxResults=SEARCH_PAGE
        )
        cards = [_from_record(r["ModelCard"], known=known) for r in records if "ModelCard" in r]
    return {c.name: c for c in cards}


def card_names(client: Any) -> frozenset[str]:
    """Every card name of the account, from ListModelCards (100 a call): the card store,
    not the Search index. How fast a new card shows there is not documented, so a create
    that meets ConflictException is still resolved by the executor."""
    with aws_errors("listing model cards (sagemaker:ListModelCards)"):
        return frozenset(
            c["ModelCardName"]
            for c in pages(
                client.list_model_cards, "ModelCardSummaries", "NextToken", MaxResults=100
            )
        )


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
        found = (
            list(
                pages(
                    client.list_tags,
                    "Tags",
                    "NextToken",
                    ResourceArn=card["ModelCardArn"],
                    MaxResults=100,
                )
            )
            if tags
            else []
        )
    return _from_record({**card, "Tags": found}, confirmed=True)


def _from_record(
    record: Mapping[str, Any],
    confirmed: bool = False,
    known: Mapping[str, Mapping[str, Any]] | None = None,
) -> LiveCard:
    readable = readable_content(record.get("Content"))
    content = readable if readable is not None else {}  # unreadable: the card is held back
    same = (known or {}).get(record["ModelCardName"])
    return LiveCard(
        name=record["ModelCardName"],
        arn=record["ModelCardArn"],
        status=record.get("ModelCardStatus", ""),
        version=int(record.get("ModelCardVersion", 0)),
        content=same if same is not None and same == content else content,
        unreadable=readable is None,
        tags={t["Key"]: t.get("Value", "") for t in record.get("Tags", [])},
        kms_key_id=(record.get("SecurityConfig") or {}).get("KmsKeyId"),
        last_modified_time=time_text(record.get("LastModifiedTime")),
        last_modified_by=identity(record.get("LastModifiedBy")),
        processing_status=_deleting(record.get("ModelCardProcessingStatus")),
        confirmed=confirmed,
    )


def identity(user: Mapping[str, Any] | None) -> str | None:
    """The IAM identity ARN (or Studio user) in a SageMaker UserContext."""
    if not user:
        return None
    iam = user.get("IamIdentity") or {}
    return iam.get("Arn") or user.get("UserProfileName") or user.get("UserProfileArn")


def time_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _deleting(status: str | None) -> str | None:
    return status if status and status != "DeleteCompleted" else None
