"""Which managed permission a share applies to each resource type it holds.

A share has exactly one permission per resource type. Adding resources of a type with
none attached attaches the type's default (AWSRAMPermissionSageMakerModelCards). An
existing permission is changed only with ``replace=true`` (API reference: without it
"the operation returns an error"), and a permission can be removed only while the share
holds no resources of its type. The share keeps the permission version it attached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.ram.errors import invalid_parameter, invalid_state
from reconciler.sandbox.ram.membership import LIVE, check_group_permission, check_open
from reconciler.sandbox.ram.model import RESOURCE, Share
from reconciler.sandbox.ram.params import opt_bool, opt_int, page, req_str
from reconciler.sandbox.ram.permissions import aws_or_own, lookup
from reconciler.sandbox.ram.render import permission_summary
from reconciler.sandbox.ram.state import RamContext


def associate_resource_share_permission(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    share = ctx.owned_share(caller, req_str(p, "resourceShareArn"))
    check_open(share)
    found = lookup(ctx, caller, req_str(p, "permissionArn"))
    version = opt_int(p, "permissionVersion")
    if version is not None and version != found.default_version:
        raise invalid_parameter(
            f"Only the default version ({found.default_version}) of {found.arn} can be associated."
        )
    check_group_permission(ctx, share, found.resource_type, coming=False)
    current = share.permissions.get(found.resource_type)
    wanted = (found.arn, found.default_version)
    if current not in (None, wanted) and not opt_bool(p, "replace"):
        raise invalid_parameter(
            f"Resource share {share.arn} already uses {current[0]} for {found.resource_type}. "
            "Pass replace=true to replace it."
        )
    share.permissions[found.resource_type] = wanted
    share.updated = ctx.now()
    return {"returnValue": True}


def disassociate_resource_share_permission(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    share = ctx.owned_share(caller, req_str(p, "resourceShareArn"))
    check_open(share)
    arn = req_str(p, "permissionArn")
    resource_type = next((t for t, (a, _) in share.permissions.items() if a == arn), None)
    if resource_type is None:
        raise invalid_parameter(f"Permission {arn} is not associated with {share.arn}.")
    now = ctx.now()
    if any(a.status(now) in LIVE for a in share.of_kind(RESOURCE)):
        raise invalid_state(
            f"Resource share {share.arn} still holds {resource_type} resources; disassociate "
            "them before removing their permission."
        )
    del share.permissions[resource_type]
    share.updated = now
    return {"returnValue": True}


def list_resource_share_permissions(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    share = _readable_share(ctx, caller, req_str(p, "resourceShareArn"))
    rows = []
    for arn, version in share.permissions.values():
        found = aws_or_own(ctx, arn)
        if found is not None and found.version(version) is not None:
            rows.append(permission_summary(found, version))
    return page(rows, p, "permissions")


def _readable_share(ctx: RamContext, caller: Caller, arn: str) -> Share:
    try:
        return ctx.owned_share(caller, arn)
    except AwsError:
        share = ctx.any_share(arn)
        if share in ctx.received_shares(caller):
            return share
        raise


HANDLERS = {
    "AssociateResourceSharePermission": associate_resource_share_permission,
    "DisassociateResourceSharePermission": disassociate_resource_share_permission,
    "ListResourceSharePermissions": list_resource_share_permissions,
}
