"""Step handlers for model cards. Each performs one planned change and says what it did.

Content and status go in separate UpdateModelCard calls (SageMaker refuses both in one);
the plan orders content before status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply.context import StepContext
from reconciler.aws.session import error_code
from reconciler.aws.waits import card_deleted
from reconciler.normalize import content_json, parse_content
from reconciler.plan.model import Change
from reconciler.words import count


def sagemaker_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """SageMaker's tag list shape, sorted by key."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def create_card(ctx: StepContext, change: Change) -> str:
    return _create(ctx, change.params)


def _create(ctx: StepContext, params: Mapping[str, Any]) -> str:
    request: dict[str, Any] = {
        "ModelCardName": params["name"],
        "ModelCardStatus": params["status"],
        "Content": content_json(params["content"]),
        "Tags": sagemaker_tags(params["tags"]),
    }
    if params.get("kms_key_id"):
        request["SecurityConfig"] = {"KmsKeyId": params["kms_key_id"]}
    try:
        arn = ctx.sagemaker.create_model_card(**request)["ModelCardArn"]
    except ClientError as e:
        if error_code(e) == "ConflictException" and _created_before(ctx, params):
            return f"{params['name']} already exists with this content (an earlier attempt)"
        raise
    return f"created {arn} ({params['status']})"


def _created_before(ctx: StepContext, params: Mapping[str, Any]) -> bool:
    """After a retried create, the card may exist already: ours if content and tags match."""
    card = ctx.sagemaker.describe_model_card(ModelCardName=params["name"])
    tags = ctx.sagemaker.list_tags(ResourceArn=card["ModelCardArn"])["Tags"]
    same_content = parse_content(card.get("Content")) == parse_content(
        content_json(params["content"])
    )
    return same_content and {t["Key"]: t["Value"] for t in tags} == dict(params["tags"])


def update_content(ctx: StepContext, change: Change) -> str:
    name = change.params["name"]
    ctx.sagemaker.update_model_card(
        ModelCardName=name, Content=content_json(change.params["content"])
    )
    return f"wrote content of {name} ({count(len(change.fields), 'field')} changed)"


def update_status(ctx: StepContext, change: Change) -> str:
    name, status = change.params["name"], change.params["status"]
    ctx.sagemaker.update_model_card(ModelCardName=name, ModelCardStatus=status)
    return f"{name}: {change.params['from_status']} → {status}"


def update_tags(ctx: StepContext, change: Change) -> str:
    arn, add, remove = change.params["arn"], change.params["add"], change.params["remove"]
    if add:
        ctx.sagemaker.add_tags(ResourceArn=arn, Tags=sagemaker_tags(add))
    if remove:
        ctx.sagemaker.delete_tags(ResourceArn=arn, TagKeys=list(remove))
    return f"set {count(len(add), 'tag')}, removed {len(remove)}"


def replace_card(ctx: StepContext, change: Change) -> str:
    """Same name (new KMS key): delete, wait, create. New name: create, then delete."""
    params, old = change.params, change.params["delete_name"]
    if old == params["name"]:
        _delete(ctx, old)
        return f"deleted and {_create(ctx, params)}"
    created = _create(ctx, params)
    _delete(ctx, old)
    return f"{created}; deleted {old}"


def delete_card(ctx: StepContext, change: Change) -> str:
    _delete(ctx, change.params["name"])
    return f"deleted {change.params['name']}"


def _delete(ctx: StepContext, name: str) -> None:
    try:
        ctx.sagemaker.delete_model_card(ModelCardName=name)
    except ClientError as e:
        if error_code(e) != "ResourceNotFound":
            raise
    card_deleted(ctx.sagemaker, name, ctx.waits)
