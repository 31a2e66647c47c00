"""Whether RAM grants an account an action on a model card owned by another account.

A grant needs one share that is ACTIVE, holds the card in an ASSOCIATED resource
association, has an ASSOCIATED principal association covering the account (its id, or
its Organization or OU while org sharing is on), and applies a permission whose actions
include the action (IAM action names match case-insensitively; conditions are not
evaluated).

Without a grant the consumer gets AccessDeniedException, whether or not the card
exists: a cross-account request is authorised by IAM against the resource-based policy
RAM maintains before SageMaker looks the card up, so an account that is not shared the
card cannot learn whether it exists. The message follows IAM's cross-account wording.
"""

from __future__ import annotations

import re

from reconciler.sandbox.errors import AwsError, access_denied
from reconciler.sandbox.ram.model import (
    ACTIVE,
    ASSOCIATED,
    MODEL_CARD_ARN,
    MODEL_CARD_TYPE,
    RESOURCE,
    Share,
)
from reconciler.sandbox.ram.permissions import actions
from reconciler.sandbox.ram.state import RamContext


def authorize(
    ctx: RamContext, consumer: str, resource_arn: str, action: str, principal_arn: str | None = None
) -> None:
    """Return if a share grants ``action``; otherwise raise the AccessDeniedException."""
    match = MODEL_CARD_ARN.match(resource_arn)
    if match and match["account"] == consumer:
        return
    if match and any(
        _grants(ctx, s, consumer, resource_arn, action) for s in _candidates(ctx, match)
    ):
        return
    raise denied(consumer, resource_arn, action, principal_arn)


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


def _grants(ctx: RamContext, share: Share, consumer: str, arn: str, action: str) -> bool:
    held = share.associations.get((RESOURCE, arn))
    if held is None or held.status(ctx.now()) != ASSOCIATED or not ctx.reaches(share, consumer):
        return False
    bound = share.permissions.get(MODEL_CARD_TYPE)
    if bound is None:
        return False
    return action.lower() in {a.lower() for a in actions(ctx, *bound)}
