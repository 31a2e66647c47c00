"""Wire forms of RAM records, as botocore's output shapes name their members.

Timestamps are epoch seconds (floats), the rest-json encoding of RAM's ``DateTime``.
Every member the shapes define and AWS fills is present, so a response parses with
the same keys a real one has.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.sandbox.ram.model import (
    MODEL_CARD_TYPE,
    Association,
    Invitation,
    Permission,
    PermissionVersion,
    Share,
    shared_type,
    tag_list,
)


def resource_type_of(arn: str) -> str:
    """RAM's type of a shared resource (a model card unless the ARN says otherwise)."""
    found = shared_type(arn)
    return found[0] if found else MODEL_CARD_TYPE


def share(s: Share) -> dict[str, Any]:
    return {
        "resourceShareArn": s.arn,
        "name": s.name,
        "owningAccountId": s.owner,
        "allowExternalPrincipals": s.allow_external,
        "status": s.status,
        "tags": tag_list(s.tags),
        "creationTime": s.created,
        "lastUpdatedTime": s.updated,
        "featureSet": "STANDARD",
        "resourceShareConfiguration": {"retainSharingOnAccountLeaveOrganization": False},
    }


def association(s: Share, a: Association, now: float) -> dict[str, Any]:
    since, status, message = a.timeline.at(now)
    out: dict[str, Any] = {
        "resourceShareArn": s.arn,
        "resourceShareName": s.name,
        "associatedEntity": a.entity,
        "associationType": a.kind,
        "status": status,
        "creationTime": a.created,
        "lastUpdatedTime": since,
        "external": a.external,
    }
    if message:
        out["statusMessage"] = message
    return out


def invitation(i: Invitation, s: Share, now: float) -> dict[str, Any]:
    return {
        "resourceShareInvitationArn": i.arn,
        "resourceShareName": s.name,
        "resourceShareArn": s.arn,
        "senderAccountId": i.sender,
        "receiverAccountId": i.receiver,
        "invitationTimestamp": i.created,
        "status": i.status(now),
    }


def resource(s: Share, a: Association, now: float) -> dict[str, Any]:
    since = a.timeline.at(now)[0]
    return {
        "arn": a.entity,
        "type": resource_type_of(a.entity),
        "resourceShareArn": s.arn,
        "status": "AVAILABLE",
        "creationTime": a.created,
        "lastUpdatedTime": since,
        "resourceRegionScope": "REGIONAL",
    }


def principal(s: Share, a: Association, now: float) -> dict[str, Any]:
    return {
        "id": a.entity,
        "resourceShareArn": s.arn,
        "creationTime": a.created,
        "lastUpdatedTime": a.timeline.at(now)[0],
        "external": a.external,
    }


def permission_summary(p: Permission, number: int | None = None) -> dict[str, Any]:
    """A ``ResourceSharePermissionSummary``; ``number`` picks a version (default: default)."""
    v = _version(p, number)
    out: dict[str, Any] = {
        "arn": p.arn,
        "version": str(v.version),
        "defaultVersion": v.version == p.default_version,
        "name": p.name,
        "resourceType": p.resource_type,
        "status": "ATTACHABLE",
        "creationTime": v.created,
        "lastUpdatedTime": v.created,
        "isResourceTypeDefault": p.type_default,
        "permissionType": "AWS_MANAGED" if p.aws_managed else "CUSTOMER_MANAGED",
        "featureSet": "STANDARD",
    }
    if not p.aws_managed:
        out["tags"] = tag_list(p.tags)
    return out


def permission_detail(p: Permission, number: int | None = None) -> dict[str, Any]:
    """A ``ResourceSharePermissionDetail``: the summary plus the policy template."""
    out = permission_summary(p, number)
    out.pop("tags", None)
    out["permission"] = _version(p, number).template
    out["permissionTemplateParameters"] = []
    if not p.aws_managed:
        out["tags"] = tag_list(p.tags)
    return out


def policy_template(actions: tuple[str, ...]) -> str:
    return json.dumps({"Effect": "Allow", "Action": list(actions)}, separators=(",", ":"))


def _version(p: Permission, number: int | None) -> PermissionVersion:
    v = p.version(number)
    assert v is not None, f"{p.arn} has no version {number}"
    return v
