"""Associating resources and principals with shares, and the views of those associations.

GetResourceShareAssociations is the owner's view ("resource shares that you own") and
filters by status for real. Association calls on one share may overlap unless
``SandboxConfig.ram_concurrent_associations`` is off. ListResources and ListPrincipals
have two sides: SELF (shares the caller owns) and OTHER-ACCOUNTS (shares reaching the
caller through a principal association in force). A receiver may leave a share it joined
by invitation by disassociating its own account, as the Terraform
``aws_ram_resource_share_accepter`` does on destroy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.ram.errors import invalid_parameter, invalid_state, not_permitted, ram_error
from reconciler.sandbox.ram.membership import (
    add_principal,
    add_resource,
    check_batch,
    check_open,
    check_resource,
    remove,
)
from reconciler.sandbox.ram.model import (
    ASSOCIATED,
    ASSOCIATING,
    DELETED,
    PRINCIPAL,
    RESOURCE,
    SHARED_TYPES,
    Association,
    Share,
    shared_type,
)
from reconciler.sandbox.ram.params import enum, opt_str, page, req_str, str_list
from reconciler.sandbox.ram.principals import plan
from reconciler.sandbox.ram.render import association, principal, resource
from reconciler.sandbox.ram.state import RamContext, share_arn_filter

ASSOCIATION_STATUSES = (
    "ASSOCIATING",
    "ASSOCIATED",
    "FAILED",
    "DISASSOCIATING",
    "DISASSOCIATED",
    "SUSPENDED",
    "SUSPENDING",
    "RESTORING",
)
OWNERS = ("SELF", "OTHER-ACCOUNTS")


def associate_resource_share(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    share = ctx.owned_share(caller, req_str(p, "resourceShareArn"))
    check_open(share)
    resource_arns, principals = str_list(p, "resourceArns"), str_list(p, "principals")
    _require_some(resource_arns, principals)
    _one_at_a_time(ctx, share)
    check_batch(resource_arns)
    for arn in resource_arns:
        check_resource(ctx, caller, arn)
    for entity in principals:
        plan(ctx, share.owner, entity, share.allow_external)
    made = [add_resource(ctx, share, a) for a in resource_arns]
    made += [add_principal(ctx, share, e) for e in principals]
    share.updated = ctx.now()
    return {"resourceShareAssociations": [association(share, a, ctx.now()) for a in made]}


def _one_at_a_time(ctx: RamContext, share: Share) -> None:
    """With ``ram_concurrent_associations`` off, a share takes no association call while
    another association of it settles (one waiting for an invitation's answer does not)."""
    if ctx.config().ram_concurrent_associations:
        return
    now = ctx.now()
    settling = [a for a in share.associations.values() if a.invitation_arn is None]
    if any(a.status(now) == ASSOCIATING for a in settling):
        raise invalid_state(
            "At least one of the associations in the resource share is in ASSOCIATING "
            "status. Wait until it is ASSOCIATED, then retry."
        )


def disassociate_resource_share(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    arn = req_str(p, "resourceShareArn")
    resource_arns, principals = str_list(p, "resourceArns"), str_list(p, "principals")
    _require_some(resource_arns, principals)
    check_batch(resource_arns)
    share = _share_for_disassociate(ctx, caller, arn, resource_arns, principals)
    check_open(share)
    ended = [remove(ctx, share, RESOURCE, a) for a in resource_arns]
    ended += [remove(ctx, share, PRINCIPAL, e) for e in principals]
    share.updated = ctx.now()
    return {"resourceShareAssociations": [association(share, a, ctx.now()) for a in ended]}


def _share_for_disassociate(
    ctx: RamContext, caller: Caller, arn: str, resource_arns: list[str], principals: list[str]
) -> Share:
    """The owner's share; or, for a receiver leaving it, the share it was invited to."""
    try:
        return ctx.owned_share(caller, arn)
    except AwsError:
        share = ctx.any_share(arn)
        if share not in ctx.received_shares(caller):
            raise
    leaving = not resource_arns and principals == [caller.account_id]
    assoc = share.associations.get((PRINCIPAL, caller.account_id))
    if not leaving or assoc is None or assoc.invitation_arn is None:
        raise not_permitted(
            f"Only the owner of {arn} can change it; a receiver can only leave "
            "a share it joined by invitation, by disassociating its own account."
        )
    return share


def _require_some(resource_arns: list[str], principals: list[str]) -> None:
    if not resource_arns and not principals:
        raise invalid_parameter("Specify resourceArns, principals or both.")


def get_resource_share_associations(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    kind = enum(p, "associationType", (PRINCIPAL, RESOURCE, "SOURCE"), "")
    status = opt_str(p, "associationStatus")
    if status is not None:
        enum(p, "associationStatus", ASSOCIATION_STATUSES, "")
    resource_arn, entity = opt_str(p, "resourceArn"), opt_str(p, "principal")
    if kind == PRINCIPAL and resource_arn:
        raise invalid_parameter(
            "You cannot specify a resource ARN when the association type is PRINCIPAL."
        )
    if kind == RESOURCE and entity:
        raise invalid_parameter(
            "You cannot specify a principal when the association type is RESOURCE."
        )
    wanted = entity or resource_arn
    now = ctx.now()
    rows = [
        association(s, a, now)
        for s in _shares(ctx.owned_shares(caller), share_arn_filter(p))
        for a in _ordered(s.of_kind(kind))
        if (not wanted or a.entity == wanted) and (not status or a.status(now) == status)
    ]
    return page(rows, p, "resourceShareAssociations")


def list_resources(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    owner = enum(p, "resourceOwner", OWNERS, "")
    typed = _check_type(p, "InvalidResourceTypeException")
    scope = enum(p, "resourceRegionScope", ("ALL", "REGIONAL", "GLOBAL"), "ALL")
    arns, who = set(str_list(p, "resourceArns")), opt_str(p, "principal")
    now = ctx.now()
    rows = [
        resource(s, a, now)
        for s in _shares(_side(ctx, caller, owner), share_arn_filter(p))
        if owner != "SELF" or not who or _has_principal(ctx, s, who)
        for a in _ordered(s.of_kind(RESOURCE))
        if a.status(now) == ASSOCIATED and (not arns or a.entity in arns) and scope != "GLOBAL"
        if typed is None or _of_type(a.entity, typed)
    ]
    return page(rows, p, "resources")


def list_principals(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    owner = enum(p, "resourceOwner", OWNERS, "")
    typed = _check_type(p, "InvalidParameterException")
    wanted, resource_arn = set(str_list(p, "principals")), opt_str(p, "resourceArn")
    now = ctx.now()
    rows = [
        principal(s, a, now)
        for s in _shares(_side(ctx, caller, owner), share_arn_filter(p))
        if not resource_arn or _has_resource(ctx, s, resource_arn)
        if typed is None or any(_holds(now, a, typed) for a in s.of_kind(RESOURCE))
        for a in _ordered(s.of_kind(PRINCIPAL))
        if _principal_visible(ctx, caller, owner, a) and (not wanted or a.entity in wanted)
    ]
    return page(rows, p, "principals")


def _principal_visible(ctx: RamContext, caller: Caller, owner: str, a: Association) -> bool:
    status = a.status(ctx.now())
    if owner == "SELF":
        return status in (ASSOCIATING, ASSOCIATED)
    return status == ASSOCIATED and ctx.covers(a.entity, caller.account_id)


def _side(ctx: RamContext, caller: Caller, owner: str) -> list[Share]:
    found = ctx.owned_shares(caller) if owner == "SELF" else ctx.received_shares(caller)
    return [s for s in found if s.status != DELETED]


def _shares(found: Iterable[Share], wanted: set[str]) -> list[Share]:
    return sorted((s for s in found if not wanted or s.arn in wanted), key=lambda s: s.created)


def _ordered(items: list[Association]) -> list[Association]:
    return sorted(items, key=lambda a: a.created)


def _has_principal(ctx: RamContext, s: Share, who: str) -> bool:
    found = s.associations.get((PRINCIPAL, who))
    return found is not None and found.status(ctx.now()) in (ASSOCIATING, ASSOCIATED)


def _has_resource(ctx: RamContext, s: Share, arn: str) -> bool:
    found = s.associations.get((RESOURCE, arn))
    return found is not None and found.status(ctx.now()) == ASSOCIATED


def _check_type(p: Mapping[str, Any], code: str) -> str | None:
    """The resourceType filter, spelt as RAM spells it (any case matches); None without one.
    Only the types the sandbox's RAM shares are known."""
    value = opt_str(p, "resourceType")
    if value is None:
        return None
    found = next((t for t in SHARED_TYPES if t.lower() == value.lower()), None)
    if found is None:
        known = " or ".join(SHARED_TYPES)
        raise ram_error(code, f"The resource type {value} is not valid; use {known}.")
    return found


def _of_type(arn: str, resource_type: str) -> bool:
    found = shared_type(arn)
    return found is not None and found[0] == resource_type


def _holds(now: float, a: Association, resource_type: str) -> bool:
    return a.status(now) == ASSOCIATED and _of_type(a.entity, resource_type)


HANDLERS = {
    "AssociateResourceShare": associate_resource_share,
    "DisassociateResourceShare": disassociate_resource_share,
    "GetResourceShareAssociations": get_resource_share_associations,
    "ListResources": list_resources,
    "ListPrincipals": list_principals,
}
