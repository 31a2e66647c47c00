"""The checks on model package groups and the card of a model version: RAM's default and
customer managed permissions for groups, what GetModelPackageGroupPolicy answers for a
group without a policy, and, with ``--write``, how SageMaker treats a version's card (the
schema, content and status in one call, an Archived card's status) and what CloudTrail
records of UpdateModelPackage.

The scratch group and its one version are made with the caller's own credentials (apply's
policy creates neither) and deleted by ``scratch``. A version is registered with a card
and nothing else; an account that refuses such a registration leaves the version's
checks not checked, with AWS's reason: the probe registers no model of yours.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code, pages
from reconciler.common.arns import GROUP_RESOURCE_TYPE
from reconciler.probe.cards import REFUSED, Seen
from reconciler.probe.context import ProbeContext, Skip, denied, said, server_time
from reconciler.probe.scratch import Work
from reconciler.reports.probe import Observation

CARD = json.dumps({"model_overview": {"model_creator": "reconciler-probe"}})
EDITED = json.dumps({"model_overview": {"model_creator": "reconciler-probe-edited"}})
OFF_SCHEMA = json.dumps({"reconciler_probe": "a section the schema does not have"})


def _group_permissions(ctx: ProbeContext, kind: str) -> list[dict[str, Any]]:
    ram = ctx.ambient.client("ram")
    return list(
        pages(
            ram.list_permissions,
            "permissions",
            "nextToken",
            resourceType=GROUP_RESOURCE_TYPE,
            permissionType=kind,
        )
    )


def group_default_permission(ctx: ProbeContext) -> Observation:
    """The AWS managed permission RAM marks as the groups' default."""
    found = [
        p["name"] for p in _group_permissions(ctx, "AWS_MANAGED") if p.get("isResourceTypeDefault")
    ]
    if not found:
        return Observation(shown=f"RAM marks no permission for {GROUP_RESOURCE_TYPE} as default")
    return Observation(
        shown=f"RAM's default for {GROUP_RESOURCE_TYPE} is {found[0]}", value=found[0]
    )


def group_customer_permissions(ctx: ProbeContext) -> Observation | None:
    own = _group_permissions(ctx, "CUSTOMER_MANAGED")
    if not own:
        return None
    shown = f"the account holds {len(own)} customer managed permission(s) for groups"
    return Observation(shown=shown, value=True)


def customer_permission(work: Work) -> Seen:
    """CreatePermission for model package groups, with the caller's own credentials."""
    if "group-customer-permissions" in work.evidence:
        return {}
    ctx, ram = work.ctx, work.ctx.ambient.client("ram")
    template = json.dumps({"Effect": "Allow", "Action": ["sagemaker:DescribeModelPackage"]})
    try:
        made = ram.create_permission(
            name=f"{ctx.name}-groups",
            resourceType=GROUP_RESOURCE_TYPE,
            policyTemplate=template,
            tags=[{"key": k, "value": v} for k, v in ctx.tags().items()],
        )
    except ClientError as e:
        if denied(e):
            raise
        shown = f"creating one for {GROUP_RESOURCE_TYPE} was refused ({said(e)})"
        return {"group-customer-permissions": Observation(shown=shown, value=False)}
    work.scratch.permissions.append(made["permission"]["arn"])
    shown = f"one was created for {GROUP_RESOURCE_TYPE}"
    return {"group-customer-permissions": Observation(shown=shown, value=True)}


def create_group(work: Work) -> Seen:
    ctx = work.ctx
    try:
        ctx.ambient.client("sagemaker").create_model_package_group(
            ModelPackageGroupName=ctx.name,
            Tags=[{"Key": k, "Value": v} for k, v in ctx.tags().items()],
        )
    except ClientError as e:
        raise Skip(f"creating the scratch model package group failed: {said(e)}") from e
    work.scratch.group = ctx.name
    return {}


def policy_absent(work: Work) -> Seen:
    """GetModelPackageGroupPolicy on the scratch group, which has no policy."""
    sagemaker = work.ctx.ambient.client("sagemaker")
    try:
        found = sagemaker.get_model_package_group_policy(ModelPackageGroupName=work.ctx.name)
    except ClientError as e:
        if denied(e):
            raise
        shown = f"for a group without a policy it answered {said(e)}"
        return {"group-policy-absent": Observation(shown=shown, value=error_code(e))}
    shown = f"for a group without a policy it answered {found.get('ResourcePolicy')!r}"
    return {"group-policy-absent": Observation(shown=shown, value="")}


def register(work: Work) -> Seen:
    """Version 1 of the scratch group, with a Draft card and nothing else."""
    ctx = work.ctx
    try:
        made = ctx.ambient.client("sagemaker").create_model_package(
            ModelPackageGroupName=ctx.name,
            ModelCard={"ModelCardContent": CARD, "ModelCardStatus": "Draft"},
        )
    except ClientError as e:
        raise Skip(
            f"registering a scratch version with only a card was refused ({said(e)}); the "
            "probe registers no model of yours"
        ) from e
    work.scratch.package_arn = str(made["ModelPackageArn"])
    return {}


def _update(work: Work, **card: str) -> dict[str, Any]:
    response: dict[str, Any] = work.ctx.ambient.client("sagemaker").update_model_package(
        ModelPackageArn=work.scratch.package_arn, ModelCard=card
    )
    return response


def _refused(work: Work, **card: str) -> str | None:
    """Why SageMaker refused the card update, or None when it took it."""
    try:
        _update(work, **card)
    except ClientError as e:
        if error_code(e) not in REFUSED:
            raise
        return said(e)
    return None


def schema(work: Work) -> Seen:
    refused = _refused(work, ModelCardContent=OFF_SCHEMA)
    shown = "content outside the model package card schema was " + (
        f"refused ({refused})" if refused else "taken"
    )
    return {"package-card-schema": Observation(shown=shown, value=refused is not None)}


def together(work: Work) -> Seen:
    """First content alone (the call ``trail`` looks for), then content and status."""
    answered = _update(work, ModelCardContent=EDITED)
    work.package_updated = server_time(answered)
    refused = _refused(work, ModelCardContent=CARD, ModelCardStatus="PendingReview")
    shown = "content and status in one call were " + (
        f"refused ({refused})" if refused else "taken"
    )
    seen = Observation(shown=shown, value=refused is None)
    return {"package-card-content-and-status": seen}


def archived_status(work: Work) -> Seen:
    _update(work, ModelCardStatus="Archived")
    refused = _refused(work, ModelCardStatus="Draft")
    shown = "status Draft on the version's Archived card: " + (
        f"refused ({refused})" if refused else "accepted"
    )
    return {"package-archived-refuses-status": Observation(shown=shown, value=refused is not None)}
