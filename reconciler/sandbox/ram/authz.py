"""What each RAM operation asks IAM: its resources, the facts it knows, dependent actions.

One builder for every operation: the share, permission and invitation a request names
become its resources (by SAR resource type), and what the request and those records
say becomes facts (``ram:Principal``, ``ram:ResourceArn``, ``ram:RequestedResourceType``,
``ram:RequestedAllowsExternalPrincipals``, ``ram:AllowsExternalPrincipals``,
``ram:ResourceShareName``, ``ram:PermissionArn``, ``ram:PermissionResourceType``,
``ram:ShareOwnerAccountId``, tags). The SAR then decides which of them an action is
evaluated against (``reconciler.sandbox.iam``); ``ListPermissionVersions``, for one, has
no resource type, so only ``"Resource": "*"`` allows it.

``ram:RequestedResourceType`` is RAM's type of each resource ARN (``resource_types``): a
model package group's ARN is ``sagemaker:ModelPackageGroup``, so a policy that allows only
model cards denies it here, before RAM looks at it, as AWS does; an ARN whose type the
sandbox cannot name makes the key unknowable. AWS does not say how RAM evaluates a request
that names several resources: the sandbox evaluates each resource ARN on its own (with
``ram:ResourceArn`` and ``ram:RequestedResourceType`` single-valued), so one resource of
another type denies the request (switch ``iam_ram_resources_one_by_one``; False makes one
evaluation with both keys multivalued). AWS undocumented: ram-resources-one-by-one

``allowExternalPrincipals`` defaults to true on CreateResourceShare, and the requested
key carries that default when the request leaves it out, so a Deny on
``ram:RequestedAllowsExternalPrincipals = true`` cannot be dodged by omission (the
sandbox's reading; AWS documents the key, not the omitted case: switch
``iam_ram_omitted_external_is_true``). AWS undocumented: omitted-external

Dependent SageMaker permissions (aws-facts section 7; the SAR's "[permission only]"
actions): putting a model card or a model package group into a share
(CreateResourceShare, AssociateResourceShare) needs ``sagemaker:PutResourcePolicy``;
taking one out (DisassociateResourceShare, or
DeleteResourceShare of a share holding one) needs ``sagemaker:DeleteResourcePolicy``
(switches ``iam_ram_needs_put_resource_policy`` and ``..._delete_resource_policy``);
with ``SandboxConfig.iam_ram_needs_get_resource_policy`` (default on; AWS does not say)
each of those also needs ``sagemaker:GetResourcePolicy``. All three have no resource
type, so they are evaluated against ``*``. CreatePermission with tags needs
``ram:TagResource``; EnableSharingWithAwsOrganization needs the SAR's dependent actions.
AWS undocumented: ram-needs-put-resource-policy
AWS undocumented: ram-needs-get-resource-policy
AWS undocumented: ram-needs-delete-resource-policy
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.authz import AccessRequest, request_tag_facts, tag_facts
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.ram.membership import LIVE
from reconciler.sandbox.ram.model import RESOURCE, Share, shared_type
from reconciler.sandbox.ram.permissions import aws_or_own
from reconciler.sandbox.ram.resource_types import resource_type
from reconciler.sandbox.ram.state import RamContext

Facts = dict[str, tuple[str, ...]]
Switches = SandboxConfig
# Condition keys the RAM requests compute (absent where a request leaves them out).
MODELLED = (
    "ram:principal",
    "ram:resourcearn",
    "ram:requestedresourcetype",
    "ram:requestedallowsexternalprincipals",
    "ram:allowsexternalprincipals",
    "ram:resourcesharename",
    "ram:permissionarn",
    "ram:permissionresourcetype",
    "ram:shareowneraccountid",
    "aws:resourcetag/",
    "ram:resourcetag/",
    "aws:requesttag/",
    "aws:tagkeys",
)
_ORG_DEPENDENTS = (
    AccessRequest(
        "iam:CreateServiceLinkedRole",
        {
            "role": "arn:aws:iam::{account}:role/aws-service-role/ram.amazonaws.com/"
            "AWSServiceRoleForResourceAccessManager"
        },
    ),
    AccessRequest("organizations:DescribeOrganization"),
    AccessRequest("organizations:EnableAWSServiceAccess"),
)


def _flag(value: bool) -> tuple[str, ...]:
    return ("true" if value else "false",)


def _share_facts(share: Share) -> Facts:
    return {
        **tag_facts("aws:ResourceTag", share.tags),
        **tag_facts("ram:ResourceTag", share.tags),
        "ram:ResourceShareName": (share.name,),
        "ram:AllowsExternalPrincipals": _flag(share.allow_external),
    }


def _share(ctx: RamContext, arn: str, resources: dict[str, str], facts: Facts) -> Share | None:
    resources["resource-share"] = arn
    share = ctx.state.shares.get(arn)
    if share is not None:
        facts.update(_share_facts(share))
    return share


def _permission(ctx: RamContext, arn: str, resources: dict[str, str], facts: Facts) -> None:
    found = aws_or_own(ctx, arn)
    kind = "permission" if arn.split(":")[4:5] == ["aws"] else "customer-managed-permission"
    resources[kind] = arn
    facts["ram:PermissionArn"] = (arn,)
    if found is not None:
        facts["ram:PermissionResourceType"] = (found.resource_type,)
        facts.update(tag_facts("aws:ResourceTag", found.tags))


def _invitation(ctx: RamContext, arn: str, resources: dict[str, str], facts: Facts) -> None:
    resources["resource-share-invitation"] = arn
    found = ctx.state.invitations.get(arn)
    share = ctx.state.shares.get(found.share_arn) if found else None
    if share is not None:
        facts["ram:ShareOwnerAccountId"] = (share.owner,)
        facts["ram:ResourceShareName"] = (share.name,)


def _request_facts(operation: str, p: Mapping[str, Any], switches: Switches) -> Facts:
    facts: Facts = {}
    principals, arns = _strings(p.get("principals")), _strings(p.get("resourceArns"))
    if principals:
        facts["ram:Principal"] = principals
    if arns:
        facts["ram:ResourceArn"] = arns
        kinds = {resource_type(a, switches.ram_resource_types) for a in arns}
        facts["ram:RequestedResourceType"] = tuple(sorted(k for k in kinds if k))
    allow = p.get("allowExternalPrincipals")
    if allow is None and operation == "CreateResourceShare":
        allow = True if switches.iam_ram_omitted_external_is_true else None
    if isinstance(allow, bool):
        facts["ram:RequestedAllowsExternalPrincipals"] = _flag(allow)
        if operation == "CreateResourceShare":
            facts["ram:AllowsExternalPrincipals"] = _flag(allow)
    tags = p.get("tags")
    pairs = tags if isinstance(tags, list) else []
    facts.update(
        request_tag_facts(
            {str(t.get("key")): str(t.get("value", "")) for t in pairs if isinstance(t, dict)}
        )
    )
    if p.get("tagKeys"):
        facts["aws:TagKeys"] = _strings(p.get("tagKeys"))
    if operation == "CreatePermission" and isinstance(p.get("resourceType"), str):
        facts["ram:PermissionResourceType"] = (p["resourceType"],)
    return facts


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _permission_arn(caller: Caller, operation: str, p: Mapping[str, Any]) -> str | None:
    if operation == "CreatePermission":
        return f"arn:aws:ram:{caller.region}:{caller.account_id}:permission/{p.get('name')}"
    if operation in ("TagResource", "UntagResource") and p.get("resourceArn"):
        return str(p["resourceArn"])
    return str(p["permissionArn"]) if p.get("permissionArn") else None


def _resource_policy(needed: tuple[str, ...], switches: Switches) -> list[AccessRequest]:
    get = ("sagemaker:GetResourcePolicy",) if switches.iam_ram_needs_get_resource_policy else ()
    return [AccessRequest(a, modelled=MODELLED) for a in (*needed, *get)]


def _dependents(
    operation: str, share: Share | None, facts: Facts, now: float, switches: Switches
) -> list[AccessRequest]:
    types = facts.get("ram:RequestedResourceType", ())
    cards = any(t.startswith("sagemaker:") for t in types)
    if operation in ("CreateResourceShare", "AssociateResourceShare") and cards:
        put = switches.iam_ram_needs_put_resource_policy
        return _resource_policy(("sagemaker:PutResourcePolicy",) if put else (), switches)
    held = share is not None and any(
        a.status(now) in LIVE and shared_type(a.entity) for a in share.of_kind(RESOURCE)
    )
    if (operation == "DisassociateResourceShare" and cards) or (
        operation == "DeleteResourceShare" and held
    ):
        delete = switches.iam_ram_needs_delete_resource_policy
        return _resource_policy(("sagemaker:DeleteResourcePolicy",) if delete else (), switches)
    return []


def requests_for(
    ctx: RamContext, caller: Caller, operation: str, p: Mapping[str, Any]
) -> list[AccessRequest]:
    """The access requests of one RAM operation, read against current state."""
    switches = ctx.config()
    resources: dict[str, str] = {}
    facts = _request_facts(operation, p, switches)
    share = None
    if isinstance(p.get("resourceShareArn"), str):
        share = _share(ctx, p["resourceShareArn"], resources, facts)
    permission = _permission_arn(caller, operation, p)
    if permission is not None:
        _permission(ctx, permission, resources, facts)
    if isinstance(p.get("resourceShareInvitationArn"), str):
        _invitation(ctx, p["resourceShareInvitationArn"], resources, facts)
    found = _main(f"ram:{operation}", resources, facts, switches)
    found += _dependents(operation, share, facts, ctx.now(), switches)
    if operation == "CreatePermission" and facts.get("aws:TagKeys"):
        found.append(AccessRequest("ram:TagResource", resources, facts, modelled=MODELLED))
    if operation == "EnableSharingWithAwsOrganization":
        found += [_for_account(r, caller.account_id) for r in _ORG_DEPENDENTS]
    return found


def _main(
    action: str, resources: dict[str, str], facts: Facts, switches: Switches
) -> list[AccessRequest]:
    """The operation's own request: one per resource ARN (``iam_ram_resources_one_by_one``),
    or one for all."""
    arns, named = facts.get("ram:ResourceArn", ()), switches.ram_resource_types
    one_by_one = switches.iam_ram_resources_one_by_one
    groups = [(a,) for a in arns] if one_by_one and len(arns) > 1 else [arns]
    found = []
    for group in groups:
        each = dict(facts)
        if group:
            each["ram:ResourceArn"] = group
            each["ram:RequestedResourceType"] = tuple(
                sorted({t for a in group if (t := resource_type(a, named))})
            )
        unknown = [a for a in group if resource_type(a, named) is None]
        why = {"ram:requestedresourcetype": _untyped(unknown)} if unknown else {}
        found.append(AccessRequest(action, resources, each, modelled=MODELLED, unknowable=why))
    return found


def _untyped(arns: list[str]) -> str:
    return f"the sandbox does not know RAM's resource type of {', '.join(arns)}"


def _for_account(request: AccessRequest, account: str) -> AccessRequest:
    resources = {k: v.format(account=account) for k, v in request.resources.items()}
    return AccessRequest(request.action, resources, request.facts, modelled=MODELLED)
