"""Whether RAM grants an account an action on a model card or a model package group owned
by another account.

A grant needs one share that is ACTIVE, holds the resource in an ASSOCIATED resource
association, has an ASSOCIATED principal association covering the account (its id, or
its Organization or OU while org sharing is on), and applies to the resource's type a
permission whose actions include the action (IAM action names match case-insensitively;
conditions are not evaluated). A model version is reached through its group: SageMaker
asks with the group's ARN (``sagemaker.registry_service``).

Without a grant the consumer gets AccessDeniedException, whether or not the card
exists: a cross-account request is authorised by IAM against the resource-based policy
RAM maintains before SageMaker looks the card up, so an account that is not shared the
card cannot learn whether it exists. The message follows IAM's cross-account wording.
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.sandbox.errors import AwsError, access_denied
from reconciler.sandbox.ram.model import (
    ACTIVE,
    ASSOCIATED,
    GROUP_TYPE,
    PRINCIPAL,
    RESOURCE,
    Share,
    shared_type,
)
from reconciler.sandbox.ram.permissions import actions
from reconciler.sandbox.ram.state import RamContext


def authorize(
    ctx: RamContext, consumer: str, resource_arn: str, action: str, principal_arn: str | None = None
) -> None:
    """Return if a share grants ``action``; otherwise raise the AccessDeniedException."""
    found = shared_type(resource_arn)
    if found is None:
        raise denied(consumer, resource_arn, action, principal_arn)
    kind, match = found
    if match["account"] == consumer:
        return
    if any(_grants(ctx, s, consumer, resource_arn, kind, action) for s in _candidates(ctx, match)):
        return
    raise denied(consumer, resource_arn, action, principal_arn)


def resource_policy(ctx: RamContext, resource_arn: str) -> dict[str, Any] | None:
    """The resource policy RAM keeps on a shared resource: one statement per ACTIVE share
    that holds it, for the share's principals in force and its permission's actions; None
    when no share does. Its exact form is not documented; this is the sandbox's."""
    found = shared_type(resource_arn)
    if found is None:
        return None
    kind, match = found
    statements = [
        _statement(ctx, s, resource_arn, kind)
        for s in _candidates(ctx, match)
        if _holds(ctx, s, resource_arn)
    ]
    kept = [s for s in statements if s is not None]
    return {"Version": "2012-10-17", "Statement": kept} if kept else None


def _holds(ctx: RamContext, share: Share, arn: str) -> bool:
    held = share.associations.get((RESOURCE, arn))
    return held is not None and held.status(ctx.now()) == ASSOCIATED


def _statement(ctx: RamContext, share: Share, arn: str, kind: str) -> dict[str, Any] | None:
    now = ctx.now()
    principals = sorted(a.entity for a in share.of_kind(PRINCIPAL) if a.status(now) == ASSOCIATED)
    bound = share.permissions.get(kind)
    if not principals or bound is None:
        return None
    versions = arn.replace(":model-package-group/", ":model-package/") + "/*"
    return {
        "Sid": share.arn.rsplit("/", 1)[-1],
        "Effect": "Allow",
        "Principal": {"AWS": principals},
        "Action": sorted(actions(ctx, *bound)),
        "Resource": [arn, versions] if kind == GROUP_TYPE else arn,
    }


def denied(consumer: str, resource_arn: str, action: str, principal_arn: str | None) -> AwsError:
    who = principal_arn or f"arn:aws:iam::{consumer}:root"
    return access_denied(
        f"User: {who} is not authorized to perform: {action} on resource: {resource_arn} "
        f"because no resource-based policy allows the {action} action"
    )


def _candidates(ctx: RamContext, match: re.Match[str]) -> list[Share]:
    return [
        s
        for s in ctx.state.shares.values()
        if s.owner == match["account"] and s.region == match["region"] and s.status == ACTIVE
    ]


def _grants(ctx: RamContext, share: Share, consumer: str, arn: str, kind: str, action: str) -> bool:
    held = share.associations.get((RESOURCE, arn))
    if held is None or held.status(ctx.now()) != ASSOCIATED or not ctx.reaches(share, consumer):
        return False
    bound = share.permissions.get(kind)
    if bound is None:
        return False
    return action.lower() in {a.lower() for a in actions(ctx, *bound)}
