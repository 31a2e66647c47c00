"""Step handlers for model cards. Each performs one planned change and says what it did.

Content and status go in separate UpdateModelCard calls (SageMaker refuses both in one);
the plan orders content before status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply.audit import record_commit
from reconciler.apply.context import StepContext
from reconciler.aws.session import error_code
from reconciler.aws.waits import card_deleted
from reconciler.common.content import content_json, parse_content, readable_content
from reconciler.common.names import TRACE_TAG_KEYS
from reconciler.common.status import CardStatus
from reconciler.common.words import count
from reconciler.plan.payloads import (
    CreateCard,
    DeleteCard,
    ReplaceCard,
    ReplicateCard,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)


def sagemaker_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """SageMaker's tag list shape, sorted by key."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def create_card(ctx: StepContext, card: CreateCard) -> str:
    request: dict[str, Any] = {
        "ModelCardName": card.name,
        "ModelCardStatus": card.status,
        "Content": content_json(card.content),
        "Tags": sagemaker_tags(card.tags),
    }
    if card.kms_key_id:
        request["SecurityConfig"] = {"KmsKeyId": card.kms_key_id}
    try:
        arn = ctx.sagemaker.create_model_card(**request)["ModelCardArn"]
    except ClientError as e:
        if error_code(e) == "ConflictException" and _created_before(ctx, card):
            record_commit(ctx, card.name)
            return f"{card.name} already exists with this content (an earlier attempt)"
        raise
    record_commit(ctx, card.name)
    return f"created {arn} ({card.status})"


def _created_before(ctx: StepContext, card: CreateCard) -> bool:
    """After a retried create, the card may exist already: ours if content and tags match
    (the audit trail's commit tags aside)."""
    live = ctx.sagemaker.describe_model_card(ModelCardName=card.name)
    tags = ctx.sagemaker.list_tags(ResourceArn=live["ModelCardArn"])["Tags"]
    sent = parse_content(content_json(card.content))
    kept = {t["Key"]: t["Value"] for t in tags if t["Key"] not in TRACE_TAG_KEYS}
    same_tags = kept == dict(card.tags)
    return readable_content(live.get("Content")) == sent and same_tags


def update_content(ctx: StepContext, update: UpdateContent, *, fields: int) -> str:
    ctx.sagemaker.update_model_card(ModelCardName=update.name, Content=content_json(update.content))
    record_commit(ctx, update.name)
    return f"wrote content of {update.name} ({count(fields, 'field')} changed)"


def update_status(ctx: StepContext, update: UpdateStatus) -> str:
    ctx.sagemaker.update_model_card(ModelCardName=update.name, ModelCardStatus=update.status)
    record_commit(ctx, update.name)
    return f"{update.name}: {update.from_status} → {update.status}"


def update_tags(ctx: StepContext, update: UpdateTags) -> str:
    if update.add:
        ctx.sagemaker.add_tags(ResourceArn=update.arn, Tags=sagemaker_tags(update.add))
    if update.remove:
        ctx.sagemaker.delete_tags(ResourceArn=update.arn, TagKeys=list(update.remove))
    return f"set {count(len(update.add), 'tag')}, removed {len(update.remove)}"


def replicate_card(ctx: StepContext, replica: ReplicateCard) -> str:
    """Create the replica, or write its content, status and provenance tags. Content goes
    before status (an archived card refuses content), unless the replica is the one
    archived: then its status goes first. A replica's versions come from its spoke card,
    not from git: no commit is recorded on it."""
    ctx = replace(ctx, commit=None)
    if replica.create is not None:
        return create_card(ctx, replica.create)
    return "; ".join(_replica_writes(ctx, replica))


def _replica_writes(ctx: StepContext, replica: ReplicateCard) -> Iterator[str]:
    """What differs, written in order, each saying what it did."""
    status = replica.status
    unarchive = status is not None and status.from_status == CardStatus.ARCHIVED
    if unarchive and status is not None:
        yield update_status(ctx, status)
    if replica.content is not None:
        update_content(ctx, replica.content, fields=0)
        yield f"wrote content of {replica.content.name}"
    if status is not None and not unarchive:
        yield update_status(ctx, status)
    if replica.tags is not None:
        update_tags(ctx, replica.tags)
        yield "set its provenance tags"


def replace_card(ctx: StepContext, replacement: ReplaceCard) -> str:
    """Same name (new KMS key): delete, wait, create. New name: create, then delete."""
    new, old = replacement.create, replacement.delete
    if old.name == new.name:
        _delete(ctx, old.name)
        return f"deleted and {create_card(ctx, new)}"
    created = create_card(ctx, new)
    _delete(ctx, old.name)
    return f"{created}; deleted {old.name}"


def delete_card(ctx: StepContext, card: DeleteCard) -> str:
    _delete(ctx, card.name)
    return f"deleted {card.name}"


def _delete(ctx: StepContext, name: str) -> None:
    try:
        ctx.sagemaker.delete_model_card(ModelCardName=name)
    except ClientError as e:
        if error_code(e) != "ResourceNotFound":
            raise
    card_deleted(ctx.sagemaker, name, ctx.waits)
