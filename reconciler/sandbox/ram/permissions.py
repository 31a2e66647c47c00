"""RAM managed permissions: the AWS-managed ones for model cards and for model package
groups, and customer-managed ones for model cards.

AWS-managed permissions for model cards and their actions are those of the SageMaker
developer guide ("Set up cross-account support for Amazon SageMaker Model Cards"), held in
``SandboxConfig.ram_managed_permissions``; those for model package groups are in
``SandboxConfig.ram_group_permissions`` (their actions are not documented: see there;
AWS undocumented: ram-group-permissions).
RAM lists the SageMaker resource types of ``SandboxConfig.ram_resource_types``;
customer-managed permissions for model cards exist while
``ram_customer_permissions_for_model_cards`` is on. Customer-managed
permissions live in one account and Region, are versioned (at most 5 versions, a new
version becomes the default) and cannot be deleted while a share uses them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.ram.errors import (
    invalid_parameter,
    malformed_arn,
    not_permitted,
    ram_error,
    unknown_resource,
)
from reconciler.sandbox.ram.model import (
    DELETED,
    GROUP_TYPE,
    MODEL_CARD_TYPE,
    SHARED_TYPES,
    Permission,
    PermissionVersion,
)
from reconciler.sandbox.ram.params import enum, opt_int, page, req_str
from reconciler.sandbox.ram.policy import parse_template
from reconciler.sandbox.ram.render import (
    permission_detail,
    permission_summary,
    policy_template,
)
from reconciler.sandbox.ram.state import RamContext

DEFAULT_ARN = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
EXPORT_ARN = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"
GROUP_DEFAULT_ARN = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelPackageGroup"
_AWS = "arn:aws:ram::aws:permission/"
_PUBLISHED = 1_688_169_600.0  # 2023-07-01, a fixed creation time for AWS-managed permissions
PERMISSION_ARN = re.compile(
    r"^arn:aws[a-z-]*:ram:(?P<region>[a-z0-9-]*):(?P<owner>\d{12}|aws):permission/(?P<name>[\w.-]+)$"
)
NAME = re.compile(r"^[\w.-]{1,36}$")
MAX_VERSIONS = 5


def _managed(name: str, actions: tuple[str, ...], resource_type: str, default: bool) -> Permission:
    arn = f"arn:aws:ram::aws:permission/{name}"
    version = PermissionVersion(1, actions, policy_template(actions), _PUBLISHED)
    return Permission(arn, name, resource_type, "aws", [version], type_default=default)


Named = tuple[tuple[str, tuple[str, ...]], ...]


@cache
def _managed_set(cards: Named, groups: Named, group_default: str) -> dict[str, Permission]:
    made = [
        _managed(name, actions, MODEL_CARD_TYPE, f"{_AWS}{name}" == DEFAULT_ARN)
        for name, actions in cards
    ]
    made += [_managed(name, actions, GROUP_TYPE, name == group_default) for name, actions in groups]
    return {p.arn: p for p in made}


def managed(ctx: RamContext) -> dict[str, Permission]:
    """The AWS managed permissions for model cards and for model package groups, by ARN, as
    the configuration has them (``ram_managed_permissions``, ``ram_group_permissions``, and
    ``ram_group_default_permission`` the groups' default)."""
    config = ctx.config()
    cards = tuple((k, tuple(v)) for k, v in config.ram_managed_permissions.items())
    groups = tuple((k, tuple(v)) for k, v in config.ram_group_permissions.items())
    return _managed_set(cards, groups, config.ram_group_default_permission)


def aws_or_own(ctx: RamContext, arn: str) -> Permission | None:
    """The AWS managed permission or the customer managed one with this ARN, if any."""
    return managed(ctx).get(arn) or ctx.state.permissions.get(arn)


def canonical_type(value: str, known: tuple[str, ...] = SHARED_TYPES) -> str:
    """The resource type as RAM spells it; the match is case-insensitive, as AWS documents.
    ``known``: the types this call takes."""
    found = next((t for t in known if t.lower() == value.lower()), None)
    if found is None:
        raise invalid_parameter(f"Invalid resource type: {value}")
    return found


def lookup(ctx: RamContext, caller: Caller, arn: str) -> Permission:
    """A permission the caller may attach: AWS-managed, or its own in its Region."""
    if not PERMISSION_ARN.match(arn or ""):
        raise malformed_arn(f"The permission ARN {arn} is not valid. Verify the ARN and try again.")
    found = aws_or_own(ctx, arn)
    if found is None or not (found.aws_managed or _is_mine(found, caller)):
        raise unknown_resource(f"Permission {arn} could not be found.")
    return found


def readable(ctx: RamContext, caller: Caller, arn: str) -> Permission:
    """Like ``lookup``, but a receiver may also read a permission its shares use."""
    try:
        return lookup(ctx, caller, arn)
    except AwsError:
        found = ctx.state.permissions.get(arn)
        if found and any(
            arn == p for s in ctx.received_shares(caller) for p, _ in s.permissions.values()
        ):
            return found
        raise


def actions(ctx: RamContext, arn: str, version: int) -> tuple[str, ...]:
    """The actions a share's permission grants (empty once the permission is gone)."""
    found = aws_or_own(ctx, arn)
    v = found.version(version) if found else None
    return v.actions if v else ()


def _is_mine(p: Permission, caller: Caller) -> bool:
    return bool(p.owner == caller.account_id and p.arn.split(":")[3] == caller.region)


def _mine(ctx: RamContext, caller: Caller, arn: str) -> Permission:
    found = lookup(ctx, caller, arn)
    if found.aws_managed:
        raise not_permitted(
            f"{arn} is an AWS managed permission; only customer managed "
            "permissions can be changed or deleted."
        )
    return found


def list_resource_types(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    scope = enum(p, "resourceRegionScope", ("ALL", "REGIONAL", "GLOBAL"), "ALL")
    named = [] if scope == "GLOBAL" else sorted(ctx.config().ram_resource_types)
    types = [
        {"resourceType": t, "serviceName": "sagemaker", "resourceRegionScope": "REGIONAL"}
        for t in named
    ]
    return page(types, p, "resourceTypes")


def list_permissions(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    kind = enum(p, "permissionType", ("ALL", "AWS_MANAGED", "CUSTOMER_MANAGED"), "ALL")
    enum(p, "permissionStatus", ("ATTACHABLE", "UNATTACHABLE", "DELETING", "DELETED"), "ATTACHABLE")
    wanted = canonical_type(str(p["resourceType"])) if p.get("resourceType") else None
    found = list(managed(ctx).values()) if kind != "CUSTOMER_MANAGED" else []
    if kind != "AWS_MANAGED" and p.get("resourceOwner") != "OTHER-ACCOUNTS":
        found += sorted(
            (x for x in ctx.state.permissions.values() if _is_mine(x, caller)), key=lambda x: x.name
        )
    found = [x for x in found if wanted is None or x.resource_type == wanted]
    if p.get("permissionStatus") not in (None, "ATTACHABLE"):
        found = []
    return page([permission_summary(x) for x in found], p, "permissions")


def get_permission(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    found = readable(ctx, caller, req_str(p, "permissionArn"))
    number = opt_int(p, "permissionVersion")
    if found.version(number) is None:
        raise unknown_resource(f"Version {number} of permission {found.arn} could not be found.")
    return {"permission": permission_detail(found, number)}


def create_permission(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    name = req_str(p, "name")
    if not NAME.match(name):
        raise invalid_parameter(
            f"Permission name {name!r} is not valid: use 1-36 letters, digits, '_', '.' or '-'."
        )
    resource_type = canonical_type(req_str(p, "resourceType"))
    # Undocumented for model package groups (AWS describes only permissions created from a
    # group's resource policy, then promoted): ``ram_customer_permissions_for_groups``.
    # AWS undocumented: group-customer-permissions
    config = ctx.config()
    allowed = (
        config.ram_customer_permissions_for_groups
        if resource_type == GROUP_TYPE
        else config.ram_customer_permissions_for_model_cards
    )
    if not allowed:
        raise invalid_parameter(
            f"Customer managed permissions are not supported for resource type {resource_type}."
        )
    arn = f"arn:aws:ram:{caller.region}:{caller.account_id}:permission/{name}"
    if arn in ctx.state.permissions:
        raise ram_error(
            "PermissionAlreadyExistsException",
            f"A permission named {name} already exists in {caller.region}. "
            "Choose a different name.",
        )
    version = _new_version(ctx, 1, req_str(p, "policyTemplate"), resource_type)
    tags = {t["key"]: t.get("value", "") for t in p.get("tags") or []}
    created = Permission(arn, name, resource_type, caller.account_id, [version], tags=tags)
    ctx.state.permissions[arn] = created
    return {"permission": permission_summary(created)}


def create_permission_version(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    found = _mine(ctx, caller, req_str(p, "permissionArn"))
    if len(found.versions) >= MAX_VERSIONS:
        raise ram_error(
            "PermissionVersionsLimitExceededException",
            f"{found.arn} already has {MAX_VERSIONS} versions; delete one first.",
        )
    number = max(v.version for v in found.versions) + 1
    template = req_str(p, "policyTemplate")
    found.versions.append(_new_version(ctx, number, template, found.resource_type))
    found.default_version = number
    return {"permission": permission_detail(found)}


def list_permission_versions(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    found = readable(ctx, caller, req_str(p, "permissionArn"))
    items = [permission_summary(found, v.version) for v in found.versions]
    return page(items, p, "permissions")


def set_default_permission_version(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    found = _mine(ctx, caller, req_str(p, "permissionArn"))
    number = opt_int(p, "permissionVersion")
    if number is None or found.version(number) is None:
        raise invalid_parameter(f"{found.arn} has no version {number}.")
    found.default_version = number
    return {"returnValue": True}


def delete_permission(ctx: RamContext, caller: Caller, p: Mapping[str, Any]) -> dict[str, Any]:
    found = _mine(ctx, caller, req_str(p, "permissionArn"))
    users = [
        s.arn
        for s in ctx.state.shares.values()
        if s.status != DELETED and any(a == found.arn for a, _ in s.permissions.values())
    ]
    if users:
        raise not_permitted(
            f"{found.arn} is attached to resource shares {', '.join(users)}; "
            "replace or disassociate it there first."
        )
    del ctx.state.permissions[found.arn]
    return {"returnValue": True, "permissionStatus": "DELETED"}


def delete_permission_version(
    ctx: RamContext, caller: Caller, p: Mapping[str, Any]
) -> dict[str, Any]:
    """Per the API reference: the version must be neither the default nor attached to any
    resource share."""
    found = _mine(ctx, caller, req_str(p, "permissionArn"))
    number = opt_int(p, "permissionVersion")
    if number is None or found.version(number) is None:
        raise unknown_resource(f"Version {number} of permission {found.arn} could not be found.")
    if number == found.default_version:
        raise not_permitted(
            f"Version {number} is the default version of {found.arn}; set another default first."
        )
    users = [
        s.arn
        for s in ctx.state.shares.values()
        if s.status != DELETED and (found.arn, number) in s.permissions.values()
    ]
    if users:
        raise not_permitted(
            f"Version {number} of {found.arn} is attached to resource shares "
            f"{', '.join(users)}; attach another version there first."
        )
    found.versions = [v for v in found.versions if v.version != number]
    return {"returnValue": True, "permissionStatus": "DELETED"}


def _new_version(ctx: RamContext, number: int, template: str, kind: str) -> PermissionVersion:
    parsed = parse_template(template, kind)
    return PermissionVersion(number, parsed, template, ctx.now())


HANDLERS = {
    "ListResourceTypes": list_resource_types,
    "ListPermissions": list_permissions,
    "GetPermission": get_permission,
    "CreatePermission": create_permission,
    "CreatePermissionVersion": create_permission_version,
    "ListPermissionVersions": list_permission_versions,
    "SetDefaultPermissionVersion": set_default_permission_version,
    "DeletePermission": delete_permission,
    "DeletePermissionVersion": delete_permission_version,
}
