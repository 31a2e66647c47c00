"""Adding and removing a share's resources and principals, with their timed statuses.

An association is ASSOCIATING for ``association_delay_seconds`` and then ASSOCIATED.
A principal that needs an invitation stays ASSOCIATING until the receiver accepts
(hashicorp/terraform-provider-aws ``principal_association.go``: "AWS Account ID
principals need to be accepted to become ASSOCIATED"); if the invitation expires the
principal is disassociated (RAM user guide: "the invitation expires and the end user
principal in the resource share is disassociated"). Removal passes through
DISASSOCIATING to DISASSOCIATED. Removing an association still settling into
ASSOCIATED is refused as AWS does (InvalidStateTransitionException quoted in
hashicorp/terraform-provider-aws#13458); one waiting on an invitation can be removed,
which withdraws the invitation.
"""

from __future__ import annotations

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.ram.errors import (
    invalid_parameter,
    invalid_state,
    malformed_arn,
    ram_error,
    unknown_resource,
)
from reconciler.sandbox.ram.model import (
    ANY_ARN,
    ASSOCIATED,
    ASSOCIATING,
    DELETED,
    DISASSOCIATED,
    DISASSOCIATING,
    EXPIRED,
    GROUP_TYPE,
    MODEL_CARD_TYPE,
    PENDING,
    PRINCIPAL,
    RESOURCE,
    Association,
    Invitation,
    Share,
    Timeline,
    new_invitation_arn,
    shared_type,
)
from reconciler.sandbox.ram.permissions import DEFAULT_ARN, GROUP_DEFAULT_ARN
from reconciler.sandbox.ram.principals import plan
from reconciler.sandbox.ram.state import RamContext

MAX_RESOURCES_PER_CALL = 100
EXPIRED_MESSAGE = "The invitation expired before the principal accepted it."
LIVE = (ASSOCIATING, ASSOCIATED)


# The permission RAM attaches to a resource type the request gives none for. For model
# package groups AWS does not say which managed permission is the type's default; the
# sandbox takes ``SandboxConfig.ram_group_default_permission`` (the read-only one).
# AWS undocumented: group-default-permission
TYPE_DEFAULTS = {MODEL_CARD_TYPE: DEFAULT_ARN, GROUP_TYPE: GROUP_DEFAULT_ARN}


def type_default(ctx: RamContext, kind: str) -> str:
    """The ARN of the permission RAM attaches to resources of ``kind`` by default."""
    if kind == GROUP_TYPE:
        return f"arn:aws:ram::aws:permission/{ctx.config().ram_group_default_permission}"
    return TYPE_DEFAULTS[kind]


def holds(ctx: RamContext, share: Share, kind: str) -> bool:
    """Whether ``share`` holds a resource of ``kind`` (associated or associating)."""
    now = ctx.now()
    return any(
        (shared_type(a.entity) or ("",))[0] == kind and a.status(now) in LIVE
        for a in share.of_kind(RESOURCE)
    )


def check_group_permission(ctx: RamContext, share: Share, kind: str, coming: bool) -> None:
    """A permission for model package groups on a share that holds none (and gets none
    with the request, ``coming``): InvalidParameterException unless
    ``ram_group_permission_before_groups``. AWS undocumented: group-permission-first"""
    if kind != GROUP_TYPE or ctx.config().ram_group_permission_before_groups:
        return
    if not coming and not holds(ctx, share, kind):
        raise invalid_parameter(
            f"Resource share {share.arn} holds no resource of type {kind} to apply a permission to."
        )


def check_resource(ctx: RamContext, caller: Caller, arn: str) -> None:
    """A model card or model package group the caller owns in its Region, else the error
    AWS gives. A type left out of ``ram_resource_types`` is one RAM cannot share."""
    found = shared_type(arn)
    if found is None or found[0] not in ctx.config().ram_resource_types:
        if ANY_ARN.match(arn):
            raise malformed_arn("You cannot share the selected resource type.")
        raise malformed_arn(
            f"The specified resource ARN {arn} is not valid. Verify the ARN and try again."
        )
    kind, match = found
    mine = match["account"] == caller.account_id and match["region"] == caller.region
    if not mine or not _exists(ctx, kind, arn):
        raise unknown_resource(
            f"The resource {arn} could not be found in account {caller.account_id} "
            f"Region {caller.region}. Share only resources this account owns there."
        )


def _exists(ctx: RamContext, kind: str, arn: str) -> bool:
    if kind == GROUP_TYPE:
        return ctx.resources.group_exists(arn)
    return ctx.resources.card_exists(arn)


def check_batch(resource_arns: list[str]) -> None:
    if len(resource_arns) > MAX_RESOURCES_PER_CALL:
        raise ram_error(
            "ResourceShareLimitExceededException", "You can associate up to 100 resources per call."
        )


def check_open(share: Share) -> None:
    if share.status == DELETED:
        raise invalid_state(f"The resource share {share.arn} is DELETED; it cannot be changed.")


def add_resource(ctx: RamContext, share: Share, arn: str) -> Association:
    existing = _live(ctx, share, RESOURCE, arn)
    if existing:
        return existing
    found = shared_type(arn)
    kind = found[0] if found else MODEL_CARD_TYPE
    share.permissions.setdefault(kind, (type_default(ctx, kind), 1))
    return _store(share, _settling(ctx, share, RESOURCE, arn))


def add_principal(ctx: RamContext, share: Share, principal: str) -> Association:
    existing = _live(ctx, share, PRINCIPAL, principal)
    if existing:
        return existing
    how = plan(ctx, share.owner, principal, share.allow_external)
    if not how.invite:
        made = _settling(ctx, share, PRINCIPAL, principal)
    else:
        made = _invited(ctx, share, principal)
    made.external = how.external
    return _store(share, made)


def remove(ctx: RamContext, share: Share, kind: str, entity: str) -> Association:
    """Start disassociating ``entity``; a pending invitation is withdrawn."""
    found = share.associations.get((kind, entity))
    now = ctx.now()
    status = found.status(now) if found else DISASSOCIATED
    if found is None or status == DISASSOCIATED:
        raise unknown_resource(f"{entity} is not associated with resource share {share.arn}.")
    if status == ASSOCIATING and found.invitation_arn is None:
        raise invalid_state(
            "At least one of the associations in the resource share is in "
            "ASSOCIATING status. Wait until it is ASSOCIATED, then retry."
        )
    if status != DISASSOCIATING:
        _withdraw(ctx, found)
        delay = ctx.config().association_delay_seconds
        found.timeline.rewrite(now, (now, DISASSOCIATING, ""), (now + delay, DISASSOCIATED, ""))
    return found


def end_all(ctx: RamContext, share: Share, message: str = "") -> None:
    """Disassociate everything at once (the share was deleted)."""
    now = ctx.now()
    for assoc in share.associations.values():
        if assoc.status(now) != DISASSOCIATED:
            _withdraw(ctx, assoc)
            assoc.timeline.rewrite(now, (now, DISASSOCIATED, message))


def _live(ctx: RamContext, share: Share, kind: str, entity: str) -> Association | None:
    found = share.associations.get((kind, entity))
    return found if found and found.status(ctx.now()) in LIVE else None


def _settling(ctx: RamContext, share: Share, kind: str, entity: str) -> Association:
    now = ctx.now()
    delay = ctx.config().association_delay_seconds
    timeline = Timeline([(now, ASSOCIATING, ""), (now + delay, ASSOCIATED, "")])
    return Association(share.arn, kind, entity, now, timeline)


def _invited(ctx: RamContext, share: Share, account: str) -> Association:
    now = ctx.now()
    expiry = now + ctx.config().invitation_ttl_seconds
    invitation = Invitation(
        new_invitation_arn(share.region, share.owner),
        share.arn,
        share.owner,
        account,
        now,
        Timeline([(now, PENDING, ""), (expiry, EXPIRED, "")]),
    )
    ctx.state.invitations[invitation.arn] = invitation
    timeline = Timeline([(now, ASSOCIATING, ""), (expiry, DISASSOCIATED, EXPIRED_MESSAGE)])
    return Association(share.arn, PRINCIPAL, account, now, timeline, invitation_arn=invitation.arn)


def _withdraw(ctx: RamContext, assoc: Association) -> None:
    """Drop the association's invitation if the receiver has not answered it yet."""
    invitation = ctx.state.invitations.get(assoc.invitation_arn or "")
    if invitation and invitation.status(ctx.now()) == PENDING:
        del ctx.state.invitations[invitation.arn]


def _store(share: Share, assoc: Association) -> Association:
    share.associations[(assoc.kind, assoc.entity)] = assoc
    return assoc
