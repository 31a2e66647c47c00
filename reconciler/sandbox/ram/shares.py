"""Resource shares themselves: create, read, update, delete and tag.

Only the owner changes a share; for any other account a share ARN is unknown
(UnknownResourceException), as it is for a share in another Region. Deleting a share
marks it DELETED at once, ends every association, and keeps it listed with that status;
a second delete is an InvalidStateTransitionException.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.ram.errors import (
    invalid_parameter,
    invalid_state,
    not_permitted,
    ram_error,
    unknown_resource,
)
from reconciler.sandbox.ram.membership import (
    add_principal,
    add_resource,
    check_batch,
    check_group_permission,
    check_open,
    check_resource,
    end_all,
)
from reconciler.sandbox.ram.model import (
    ASSOCIATED,
    ASSOCIATING,
    DELETED,
    PRINCIPAL,
    Permission,
    Share,
    new_share_arn,
    shared_type,
)
from reconciler.sandbox.ram.params import enum, opt_bool, opt_int, opt_str, page, req_str, str_list
from reconciler.sandbox.ram.permissions import lookup
from reconciler.sandbox.ram.principals import plan
from reconciler.sandbox.ram.render import share as render_share
from reconciler.sandbox.ram.state import RamContext, share_arn_filter

MAX_TAGS = 50
STATUSES = ("PENDING", "ACTIVE", "FAILED", "DELETING", "DELETED")


def create_resource_share(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    resource_arns, principals = str_list(p, "resourceArns"), str_list(p, "principals")
    check_batch(resource_arns)
    for arn in resource_arns:
        check_resource(ctx, caller, arn)
    now = ctx.now()
    allow = opt_bool(p, "allowExternalPrincipals")
    share = Share(
        new_share_arn(caller.region, caller.account_id),
        req_str(p, "name"),
        caller.account_id,
        caller.region,
        True if allow is None else allow,
        now,
        now,
        tags=_merge_tags({}, p.get("tags") or []),
    )
    _check_name(ctx, caller, share.name)
    _attach_permissions(ctx, caller, share, str_list(p, "permissionArns"), resource_arns)
    for principal in principals:  # all validated before any invitation is sent
        plan(ctx, caller.account_id, principal, share.allow_external)
    for principal in principals:
        add_principal(ctx, share, principal)
    for arn in resource_arns:
        add_resource(ctx, share, arn)
    ctx.state.shares[share.arn] = share
    return {"resourceShare": render_share(share)}


def _check_name(ctx: RamContext, caller: Caller, name: str) -> None:
    """With ``ram_share_names_unique``, a name a share the caller holds in the Region
    already has is refused. AWS undocumented: share-names-repeat"""
    if not ctx.config().ram_share_names_unique:
        return
    if any(s.name == name and s.status not in STATUSES[3:] for s in ctx.owned_shares(caller)):
        raise invalid_parameter(f"A resource share named {name} already exists.")


def _attach_permissions(
    ctx: RamContext, caller: Caller, share: Share, arns: list[str], resources: list[str]
) -> None:
    kinds = {found[0] for found in map(shared_type, resources) if found}
    for arn in arns:
        found = lookup(ctx, caller, arn)
        check_group_permission(ctx, share, found.resource_type, found.resource_type in kinds)
        if found.resource_type in share.permissions:
            raise invalid_parameter(
                f"You can attach only one permission per resource type; {arns} name more "
                f"than one for {found.resource_type}."
            )
        share.permissions[found.resource_type] = (found.arn, found.default_version)


def get_resource_shares(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    owner = enum(p, "resourceOwner", ("SELF", "OTHER-ACCOUNTS"), "")
    tag_filters = p.get("tagFilters") or []
    if owner == "OTHER-ACCOUNTS" and tag_filters:
        raise invalid_parameter(
            "You cannot use resourceOwner set to OTHER-ACCOUNTS and tagFilters in one request"
        )
    found = ctx.owned_shares(caller) if owner == "SELF" else ctx.received_shares(caller)
    wanted = share_arn_filter(p)
    status = opt_str(p, "resourceShareStatus")
    if status is not None:
        enum(p, "resourceShareStatus", STATUSES, "")
    found = [s for s in found if _matches(s, p, wanted, status, tag_filters)]
    found.sort(key=lambda s: s.created)  # stable: creation order on ties
    return page([render_share(s) for s in found], p, "resourceShares")


def _matches(
    s: Share, p: Mapping[str, Any], wanted: set[str], status: str | None, tag_filters: list[Any]
) -> bool:
    if (wanted and s.arn not in wanted) or (status and s.status != status):
        return False
    if p.get("name") is not None and s.name != p["name"]:
        return False
    permission = opt_str(p, "permissionArn")
    version = opt_int(p, "permissionVersion")
    if permission and not any(
        arn == permission and version in (None, v) for arn, v in s.permissions.values()
    ):
        return False
    return all(_tag_matches(s, f) for f in tag_filters)


def _tag_matches(s: Share, tag_filter: Mapping[str, Any]) -> bool:
    key, values = tag_filter.get("tagKey"), tag_filter.get("tagValues") or []
    return key in s.tags and (not values or s.tags[key] in values)


def update_resource_share(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    share = ctx.owned_share(caller, req_str(p, "resourceShareArn"))
    check_open(share)
    name, allow = opt_str(p, "name"), opt_bool(p, "allowExternalPrincipals")
    if allow is False and _has_external(ctx, share):
        raise not_permitted(
            f"Resource share {share.arn} has principals outside your organization; remove "
            "them before you set allowExternalPrincipals to false."
        )
    if name is not None:
        share.name = name
    if allow is not None:
        share.allow_external = allow
    share.updated = ctx.now()
    return {"resourceShare": render_share(share)}


def _has_external(ctx: RamContext, share: Share) -> bool:
    now = ctx.now()
    return any(
        a.external and a.status(now) in (ASSOCIATING, ASSOCIATED) for a in share.of_kind(PRINCIPAL)
    )


def delete_resource_share(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    share = ctx.owned_share(caller, req_str(p, "resourceShareArn"))
    if share.status == DELETED:
        raise invalid_state(f"The resource share {share.arn} is already DELETED.")
    end_all(ctx, share, "The resource share was deleted.")
    share.status, share.updated = DELETED, ctx.now()
    return {"returnValue": True}


def tag_resource(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    target = _tag_target(ctx, caller, p)
    target.tags = _merge_tags(target.tags, p.get("tags") or [])
    return {}


def untag_resource(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    target = _tag_target(ctx, caller, p)
    for key in str_list(p, "tagKeys"):
        target.tags.pop(key, None)
    return {}


def _tag_target(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> Share | Permission:
    share_arn, resource_arn = opt_str(p, "resourceShareArn"), opt_str(p, "resourceArn")
    if bool(share_arn) == bool(resource_arn):
        raise invalid_parameter("Specify exactly one of resourceShareArn or resourceArn.")
    if share_arn:
        return ctx.owned_share(caller, share_arn)
    found = lookup(ctx, caller, resource_arn or "")
    if found.aws_managed:
        raise unknown_resource(f"{found.arn} is AWS managed; tag customer managed permissions.")
    return found


def _merge_tags(current: dict[str, str], tags: list[Any]) -> dict[str, str]:
    merged = dict(current)
    for tag in tags:
        if not isinstance(tag, dict) or not tag.get("key"):
            raise invalid_parameter("Each tag needs a non-empty key.")
        merged[str(tag["key"])] = str(tag.get("value", ""))
    if len(merged) > MAX_TAGS:
        raise ram_error(
            "TagLimitExceededException",
            f"A resource can have at most {MAX_TAGS} tags; this would make {len(merged)}.",
        )
    return merged


def enable_sharing_with_aws_organization(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    org = ctx.org()
    if org is None or caller.account_id != org.management_account:
        raise not_permitted(
            "Call EnableSharingWithAwsOrganization from the management "
            "account of an AWS Organization."
        )
    ctx.state.sharing_enabled_by_call = True
    return {"returnValue": True}


HANDLERS = {
    "CreateResourceShare": create_resource_share,
    "GetResourceShares": get_resource_shares,
    "UpdateResourceShare": update_resource_share,
    "DeleteResourceShare": delete_resource_share,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "EnableSharingWithAwsOrganization": enable_sharing_with_aws_organization,
}
