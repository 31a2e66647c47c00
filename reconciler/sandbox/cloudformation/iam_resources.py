"""``AWS::IAM::Role`` and ``AWS::IAM::ManagedPolicy`` as CloudFormation creates, updates and
deletes them. moto 5.2.5 stored a role's inline policies as Python objects (GetRolePolicy
then answered their repr), ignored ``ManagedPolicyArns``, updated only a role's
description, and neither updated nor deleted a managed policy. Here, through moto's IAM
backend as the IAM API would:

- a role's inline policies are JSON; its ``ManagedPolicyArns`` are attached; an update
  puts the new trust policy, inline policies (removing those gone), managed policy ARNs,
  permissions boundary, description and session duration;
- a managed policy's update makes the new document its default version (older versions
  deleted) and attaches it to exactly its ``Roles``; its deletion detaches it first.

What each resource attached is remembered on moto's object, so an update or deletion
detaches only that, as CloudFormation does. Properties whose change replaces the resource
(names, paths) are refused before the update reaches here (``templates``).
"""

from __future__ import annotations

import json
from typing import Any

from moto.iam.models import ManagedPolicy as MotoManagedPolicy
from moto.iam.models import Role as MotoRole
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

Json = dict[str, Any]
ATTACHED = "sandbox_attached"  # the policy ARNs (of a role) or role names (of a policy)


def iam(account_id: str, region: str) -> Any:
    return iam_backends[account_id][get_partition(region)]


def as_json(document: str | Json) -> str:
    """A policy document as IAM stores it (a template may give it as either)."""
    return document if isinstance(document, str) else json.dumps(document)


def _attached(resource: Any) -> set[str]:
    return set(getattr(resource, ATTACHED, ()))


class Role(MotoRole):
    """``AWS::IAM::Role``."""

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        bare = {**cloudformation_json, "Properties": {**properties, "Policies": []}}
        role = MotoRole.create_from_cloudformation_json(
            resource_name, bare, account_id, region_name, **kwargs
        )
        _policies(iam(account_id, region_name), role, properties)
        return role

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
    ) -> Any:
        properties, backend = cloudformation_json["Properties"], iam(account_id, region_name)
        name = original_resource.name
        document = as_json(properties["AssumeRolePolicyDocument"])
        backend.update_assume_role_policy(name, document)
        backend.update_role(
            name, properties.get("Description", ""), properties.get("MaxSessionDuration", 3600)
        )
        _boundary(backend, original_resource, properties.get("PermissionsBoundary"))
        _policies(backend, original_resource, properties)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Json, account_id: str, region_name: str
    ) -> None:
        backend = iam(account_id, region_name)
        role = backend.get_role(resource_name)
        for arn in _attached(role):
            backend.detach_role_policy(arn, resource_name)
        MotoRole.delete_from_cloudformation_json(
            resource_name, cloudformation_json, account_id, region_name
        )


def _policies(backend: Any, role: Any, properties: Json) -> None:
    """The role's inline policies and attached ``ManagedPolicyArns`` as ``properties`` say."""
    inline = {p["PolicyName"]: as_json(p["PolicyDocument"]) for p in properties.get("Policies", [])}
    for gone in set(role.policies) - set(inline):
        backend.delete_role_policy(role.name, gone)
    for name, document in inline.items():
        backend.put_role_policy(role.name, name, document)
    wanted = set(properties.get("ManagedPolicyArns", []))
    for arn in _attached(role) - wanted:
        backend.detach_role_policy(arn, role.name)
    for arn in wanted - _attached(role):
        backend.attach_role_policy(arn, role.name)
    setattr(role, ATTACHED, tuple(sorted(wanted)))


def _boundary(backend: Any, role: Any, boundary: str | None) -> None:
    if boundary:
        backend.put_role_permissions_boundary(role.name, boundary)
    elif role.permissions_boundary_arn:
        backend.delete_role_permissions_boundary(role.name)


class ManagedPolicy(MotoManagedPolicy):
    """``AWS::IAM::ManagedPolicy``."""

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        document = json.loads(as_json(properties["PolicyDocument"]))
        parsed = {**cloudformation_json, "Properties": {**properties, "PolicyDocument": document}}
        policy = MotoManagedPolicy.create_from_cloudformation_json(
            resource_name, parsed, account_id, region_name, **kwargs
        )
        setattr(policy, ATTACHED, tuple(sorted(properties.get("Roles", []))))
        return policy

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
    ) -> Any:
        properties, backend = cloudformation_json["Properties"], iam(account_id, region_name)
        arn = original_resource.arn
        backend.create_policy_version(arn, as_json(properties["PolicyDocument"]), True)
        for version in list(backend.get_policy(arn).versions):
            if not version.is_default:
                backend.delete_policy_version(arn, version.version_id)
        _roles(backend, original_resource, set(properties.get("Roles", [])))
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Json, account_id: str, region_name: str
    ) -> None:
        backend = iam(account_id, region_name)
        policy = backend.get_policy(resource_name)
        _roles(backend, policy, set())
        backend.delete_policy(resource_name)


def _roles(backend: Any, policy: Any, wanted: set[str]) -> None:
    """Attach ``policy`` to exactly the roles ``wanted`` among those it attached itself."""
    for name in _attached(policy) - wanted:
        backend.detach_role_policy(policy.arn, name)
    for name in wanted - _attached(policy):
        backend.attach_role_policy(policy.arn, name)
    setattr(policy, ATTACHED, tuple(sorted(wanted)))
