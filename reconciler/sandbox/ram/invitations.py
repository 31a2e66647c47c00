"""Invitations as the receiving account sees them: list, accept, reject, preview resources.

Only the receiver sees or answers an invitation (the API reference: "invitations that
you have received"); for any other account its ARN is not found. Accepting puts the
principal association in force at once; rejecting disassociates it. An invitation not
answered within ``invitation_ttl_seconds`` is EXPIRED (12 hours in AWS for resource
types not on the user guide's seven-day list, which does not name SageMaker).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.ram.errors import invitation_not_found, malformed_arn, ram_error
from reconciler.sandbox.ram.model import (
    ACCEPTED,
    ASSOCIATED,
    DISASSOCIATED,
    EXPIRED,
    INVITATION_ARN,
    PENDING,
    PRINCIPAL,
    REJECTED,
    RESOURCE,
    Invitation,
    Share,
)
from reconciler.sandbox.ram.params import page, req_str, str_list
from reconciler.sandbox.ram.render import invitation as render_invitation
from reconciler.sandbox.ram.render import resource
from reconciler.sandbox.ram.state import RamContext

_ANSWERED = {
    ACCEPTED: ("ResourceShareInvitationAlreadyAcceptedException", "already accepted"),
    REJECTED: ("ResourceShareInvitationAlreadyRejectedException", "already rejected"),
    EXPIRED: ("ResourceShareInvitationExpiredException", "expired"),
}


def received(ctx: RamContext, caller: Caller, arn: str) -> Invitation:
    """The caller's invitation with this ARN, in the caller's Region."""
    if not INVITATION_ARN.match(arn or ""):
        raise malformed_arn(f"The invitation ARN {arn} is not valid. Verify the ARN and try again.")
    found = ctx.state.invitations.get(arn)
    share = ctx.state.shares.get(found.share_arn) if found else None
    if (
        found is None
        or share is None
        or found.receiver != caller.account_id
        or share.region != caller.region
    ):
        raise invitation_not_found(arn)
    return found


def get_resource_share_invitations(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    arns, share_arns = (
        str_list(p, "resourceShareInvitationArns"),
        set(str_list(p, "resourceShareArns")),
    )
    chosen = (
        [received(ctx, caller, a) for a in arns]
        if arns
        else [
            i
            for i in ctx.state.invitations.values()
            if i.receiver == caller.account_id
            and ctx.state.shares[i.share_arn].region == caller.region
        ]
    )
    chosen = [i for i in chosen if not share_arns or i.share_arn in share_arns]
    chosen.sort(key=lambda i: i.created)
    now = ctx.now()
    rows = [render_invitation(i, ctx.state.shares[i.share_arn], now) for i in chosen]
    return page(rows, p, "resourceShareInvitations", code="InvalidMaxResultsException")


def accept_resource_share_invitation(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    return _answer(ctx, caller, req_str(p, "resourceShareInvitationArn"), ACCEPTED)


def reject_resource_share_invitation(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    return _answer(ctx, caller, req_str(p, "resourceShareInvitationArn"), REJECTED)


def _answer(ctx: RamContext, caller: Caller, arn: str, answer: str) -> dict[str, Any]:
    found = received(ctx, caller, arn)
    _require_pending(ctx, found)
    now = ctx.now()
    found.timeline.rewrite(now, (now, answer, ""))
    share = ctx.state.shares[found.share_arn]
    assoc = share.associations.get((PRINCIPAL, found.receiver))
    if assoc is not None and assoc.invitation_arn == found.arn:
        if answer == ACCEPTED:
            assoc.timeline.rewrite(now, (now, ASSOCIATED, ""))
        else:
            assoc.timeline.rewrite(now, (now, DISASSOCIATED, "The invitation was rejected."))
    return {"resourceShareInvitation": render_invitation(found, share, now)}


def _require_pending(ctx: RamContext, found: Invitation) -> None:
    status = found.status(ctx.now())
    if status != PENDING:
        code, what = _ANSWERED[status]
        raise ram_error(code, f"The invitation {found.arn} was {what}; it cannot be answered now.")


def list_pending_invitation_resources(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    found = received(ctx, caller, req_str(p, "resourceShareInvitationArn"))
    status = found.status(ctx.now())
    if status in (REJECTED, EXPIRED):
        code, what = _ANSWERED[status]
        raise ram_error(code, f"The invitation {found.arn} was {what}.")
    share: Share = ctx.state.shares[found.share_arn]
    now = ctx.now()
    rows = [
        resource(share, a, now)
        for a in sorted(share.of_kind(RESOURCE), key=lambda a: a.created)
        if a.status(now) == ASSOCIATED
    ]
    return page(rows, p, "resources")


HANDLERS = {
    "GetResourceShareInvitations": get_resource_share_invitations,
    "AcceptResourceShareInvitation": accept_resource_share_invitation,
    "RejectResourceShareInvitation": reject_resource_share_invitation,
    "ListPendingInvitationResources": list_pending_invitation_resources,
}
