"""The ``--write`` checks on the scratch share: the omitted allowExternalPrincipals key,
customer managed permissions for cards, what RAM needs to put a card into a share and take
it out (each action left out of a session policy in turn), how it evaluates several
resources, overlapping association calls, how long an association takes, a target
account answering the share's invitation (whose event ``trail`` then looks for), a second
share of the same name, and a permission for groups on a share that holds none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import AwsSession, error_code
from reconciler.common.arns import RESOURCE_TYPE
from reconciler.common.regions import partition_for
from reconciler.probe.assumptions import GROUP_DEFAULT
from reconciler.probe.cards import Seen, seconds
from reconciler.probe.context import (
    NO_ROLE,
    SESSION,
    ProbeContext,
    Skip,
    denied,
    restricted,
    said,
    server_time,
    until,
    without,
)
from reconciler.probe.scratch import Work
from reconciler.reports.probe import Observation

SETTLING = frozenset({"ASSOCIATING", "DISASSOCIATING"})
ALLOW_REST = {"Effect": "Allow", "NotAction": [], "Resource": "*"}


def _allow_but(action: str, condition: dict[str, Any]) -> list[dict[str, Any]]:
    """A session policy: everything, and ``action`` only under ``condition``."""
    only = {"Effect": "Allow", "Action": action, "Resource": "*", "Condition": condition}
    return [{**ALLOW_REST, "NotAction": [action]}, only]


def _create(session: AwsSession, ctx: ProbeContext, external: bool | None) -> str:
    params: dict[str, Any] = {
        "name": ctx.name,
        "tags": [{"key": k, "value": v} for k, v in ctx.tags().items()],
    }
    if external is not None:
        params["allowExternalPrincipals"] = external
    made = session.client("ram").create_resource_share(**params)["resourceShare"]
    return str(made["resourceShareArn"])


def create_share(work: Work) -> Seen:
    """The scratch share, empty; first made leaving allowExternalPrincipals out where
    that can tell something."""
    seen = _omitted_external(work)
    if work.scratch.share_arn is None:
        try:
            work.scratch.share_arn = _create(work.ctx.session, work.ctx, work.ctx.external)
        except ClientError as e:
            raise Skip(f"creating the scratch share failed: {said(e)}") from e
    return {"omitted-external": seen}


def _omitted_external(work: Work) -> Observation:
    ctx = work.ctx
    if not ctx.external:
        return Observation(
            shown="not checked: no share in git allows external principals, so apply's "
            "policy allows only shares closed to them"
        )
    condition = {"Bool": {"ram:RequestedAllowsExternalPrincipals": "true"}}
    session = restricted(ctx, _allow_but("ram:CreateResourceShare", condition))
    if session is None:
        return Observation(shown=NO_ROLE)
    try:
        work.scratch.share_arn = _create(session, ctx, None)
    except ClientError as e:
        if not denied(e):
            raise
        return Observation(shown=f"a create that left it out was denied ({said(e)})", value=False)
    return Observation(
        shown="a create that left it out met a condition that it be true", value=True
    )


def customer_permission(work: Work) -> Seen:
    """A customer managed permission for cards, attached to the scratch share."""
    if "customer-permissions" in work.evidence:
        return {}
    ctx, ram = work.ctx, work.ctx.session.client("ram")
    template = json.dumps({"Effect": "Allow", "Action": ["sagemaker:DescribeModelCard"]})
    tags = [{"key": k, "value": v} for k, v in ctx.tags().items()]
    try:
        made = ram.create_permission(
            name=ctx.name, resourceType=RESOURCE_TYPE, policyTemplate=template, tags=tags
        )
    except ClientError as e:
        if denied(e):
            raise
        shown = f"creating one for {RESOURCE_TYPE} was refused ({said(e)})"
        return {"customer-permissions": Observation(shown=shown, value=False)}
    arn = made["permission"]["arn"]
    work.scratch.permissions.append(arn)
    share = work.scratch.share_arn
    ram.associate_resource_share_permission(resourceShareArn=share, permissionArn=arn, replace=True)
    shown = "one was created and attached to the scratch share"
    return {"customer-permissions": Observation(shown=shown, value=True)}


def _settled(ctx: ProbeContext, share: str, entity: str, kind: str = "RESOURCE") -> tuple[str, str]:
    """(status, message) of an association once it no longer settles."""
    ram = ctx.session.client("ram")
    member = {"resourceArn": entity} if kind == "RESOURCE" else {"principal": entity}

    def look() -> tuple[str, str] | None:
        found = ram.get_resource_share_associations(
            associationType=kind, resourceShareArns=[share], **member
        )["resourceShareAssociations"]
        mine = next((a for a in found if a["associatedEntity"] == entity), None)
        if mine is None or mine["status"] in SETTLING:
            return None
        return str(mine["status"]), str(mine.get("statusMessage", ""))

    return until(ctx, look, f"the association of {entity}")[0]


def _needs(work: Work, action: str, associate: bool) -> Observation:
    """Whether sharing the card (``associate``) or unsharing it fails as the apply role
    without ``action``: refused at once, or the association ending FAILED."""
    ctx, share, card = work.ctx, str(work.scratch.share_arn), work.ctx.card_arn()
    session = without(ctx, action)
    if session is None:
        return Observation(shown=NO_ROLE)
    ram, verb = session.client("ram"), "sharing" if associate else "unsharing"
    call = ram.associate_resource_share if associate else ram.disassociate_resource_share
    try:
        call(resourceShareArn=share, resourceArns=[card])
    except ClientError as e:
        if not denied(e):
            raise
        return Observation(
            shown=f"{verb} the card without {action} was denied ({said(e)})", value=True
        )
    status, message = _settled(ctx, share, card)
    if status != ("ASSOCIATED" if associate else "DISASSOCIATED"):
        return Observation(shown=f"{verb} without {action} ended {status}: {message}", value=True)
    return Observation(shown=f"{verb} the card without {action} succeeded", value=False)


def _unshare(work: Work) -> None:
    """Take the card out of the scratch share again (as the apply role), if it is in."""
    ctx, share, card = work.ctx, str(work.scratch.share_arn), work.ctx.card_arn()
    ram = ctx.session.client("ram")
    found = ram.get_resource_share_associations(
        associationType="RESOURCE", resourceShareArns=[share], resourceArn=card
    )["resourceShareAssociations"]
    if any(a["status"] == "ASSOCIATED" for a in found):
        ram.disassociate_resource_share(resourceShareArn=share, resourceArns=[card])
        _settled(ctx, share, card)


def needs_put(work: Work) -> Seen:
    seen = _needs(work, "sagemaker:PutResourcePolicy", associate=True)
    _unshare(work)
    return {"ram-needs-put-resource-policy": seen}


def needs_get(work: Work) -> Seen:
    seen = _needs(work, "sagemaker:GetResourcePolicy", associate=True)
    _unshare(work)
    return {"ram-needs-get-resource-policy": seen}


def needs_delete(work: Work) -> Seen:
    seen = _needs(work, "sagemaker:DeleteResourcePolicy", associate=False)
    _unshare(work)
    return {"ram-needs-delete-resource-policy": seen}


def one_by_one(work: Work) -> Seen:
    """Share the card and a card that does not exist in one call, allowed only for
    requests where some ram:ResourceArn is the card: evaluated per ARN, it is denied."""
    ctx, card = work.ctx, work.ctx.card_arn()
    condition = {"ForAnyValue:StringEquals": {"ram:ResourceArn": [card]}}
    session = restricted(ctx, _allow_but("ram:AssociateResourceShare", condition))
    if session is None:
        return {"ram-resources-one-by-one": Observation(shown=NO_ROLE)}
    absent = ctx.card_arn(f"{ctx.name}-absent")
    try:
        session.client("ram").associate_resource_share(
            resourceShareArn=work.scratch.share_arn, resourceArns=[card, absent]
        )
    except ClientError as e:
        one = denied(e)
        shown = f"the request naming the card and another was {'denied' if one else 'refused'}"
        seen = Observation(shown=f"{shown} ({said(e)})", value=one)
        return {"ram-resources-one-by-one": seen}
    _unshare(work)
    shown = "the request naming the card and another was taken"
    return {"ram-resources-one-by-one": Observation(shown=shown, value=False)}


def concurrent(work: Work) -> Seen:
    """Share the card, then at once the target account, in two calls; time the card's
    association."""
    ctx, share, card = work.ctx, str(work.scratch.share_arn), work.ctx.card_arn()
    ram = ctx.session.client("ram")
    work.consumer = consumer = ctx.invited()
    calls: dict[str, Callable[[], Any]] = {
        "card": lambda: ram.associate_resource_share(resourceShareArn=share, resourceArns=[card])
    }
    if consumer is not None:
        calls[consumer.name] = lambda: ram.associate_resource_share(
            resourceShareArn=share, principals=[consumer.id]
        )
    started = ctx.clock()
    refused = _in_turn(calls)
    for name in refused:
        until(ctx, partial(_taken, calls[name]), f"associating {name} again")
    status, message = _settled(ctx, share, card)
    waited = ctx.clock() - started
    if status != "ASSOCIATED":
        raise Skip(f"the card's association ended {status}: {message}")
    delay = Observation(
        shown=f"the card was ASSOCIATED after {waited:.1f} s", value=seconds(waited)
    )
    return {"association-delay": delay, "concurrent-associations": _overlap(consumer, refused)}


def _in_turn(calls: dict[str, Callable[[], Any]]) -> dict[str, str]:
    """Send each call as soon as the one before it is answered (the card's association is
    then still ASSOCIATING when the next arrives, whatever the machine's load; sent from
    threads at once, the principal's call could arrive first, and an invitation's
    association does not hold up the next call); why each refused one was refused."""
    refused: dict[str, str] = {}
    for name, call in calls.items():
        try:
            call()
        except ClientError as e:
            if denied(e) or error_code(e) == "ThrottlingException":
                raise
            refused[name] = said(e)
    return refused


def _taken(call: Callable[[], Any]) -> bool | None:
    try:
        call()
    except ClientError as e:
        if error_code(e) != "InvalidStateTransitionException":
            raise
        return None
    return True


def _overlap(consumer: Any, refused: dict[str, str]) -> Observation:
    if consumer is None:
        return Observation(
            shown="not checked: no target account with a role_arn is named by a share in git"
        )
    if refused:
        why = "; ".join(f"{name}: {reason}" for name, reason in refused.items())
        return Observation(shown=f"of two calls at once, RAM refused {why}", value=False)
    return Observation(shown="two association calls at once were both taken", value=True)


def accept(work: Work) -> Seen:
    """The target account answers the scratch share's invitation (a call on a resource of
    the card account, which ``trail`` then looks for in the card account's history)."""
    consumer, ctx = work.consumer, work.ctx
    if consumer is None or "cross-account-events" in work.evidence:
        return {}
    ram = ctx.session.assume(str(consumer.role_arn), SESSION).client("ram")
    share = work.scratch.share_arn

    def invitation() -> str | None:
        found = ram.get_resource_share_invitations(resourceShareArns=[share])
        pending = [i for i in found["resourceShareInvitations"] if i["status"] == "PENDING"]
        return str(pending[0]["resourceShareInvitationArn"]) if pending else None

    arn, _ = until(ctx, invitation, f"the invitation to {consumer.name}")
    answered = ram.accept_resource_share_invitation(resourceShareInvitationArn=arn)
    work.accepted = server_time(answered)
    return {}


def twin(work: Work) -> Seen:
    """A second share with the scratch share's name."""
    ctx = work.ctx
    try:
        work.scratch.twin_arn = _create(ctx.session, ctx, ctx.external)
    except ClientError as e:
        if denied(e):
            raise
        shown = f"a second share of the same name was refused ({said(e)})"
        return {"share-names-repeat": Observation(shown=shown, value=True)}
    shown = "a second share of the same name was created"
    return {"share-names-repeat": Observation(shown=shown, value=False)}


def group_permission_first(work: Work) -> Seen:
    """The groups' default permission attached to the scratch share, which holds none."""
    ram, share = work.ctx.ambient.client("ram"), work.scratch.share_arn
    arn = f"arn:{partition_for(work.ctx.region)}:ram::aws:permission/{GROUP_DEFAULT}"
    try:
        ram.associate_resource_share_permission(
            resourceShareArn=share, permissionArn=arn, replace=True
        )
    except ClientError as e:
        if denied(e):
            raise
        shown = f"attaching {GROUP_DEFAULT} to a share without groups was refused ({said(e)})"
        return {"group-permission-first": Observation(shown=shown, value=False)}
    shown = f"{GROUP_DEFAULT} was attached to a share without groups"
    return {"group-permission-first": Observation(shown=shown, value=True)}
