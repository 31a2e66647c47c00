"""An IAM role as CloudFormation resources: the role with its trust policy, and its printed
policy where ``placement`` puts it (one inline policy, or managed policies attached to the
role). Shared by the card account's template and the target accounts' StackSet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.bootstrap.placement import Placement, place

Resource = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class RoleSpec:
    """A role to create: its logical ID in the template, name and path in IAM, trust
    policy, printed policy (named for the role it was printed for), description, and
    optionally its permissions boundary and a resource it must wait for."""

    logical_id: str
    name: str
    path: str = "/"
    trust: dict[str, Any]
    printed_as: str  # the --role the policy was printed for
    policy: dict[str, Any]
    description: str
    boundary: Resource | None = None  # a reference to the boundary policy's ARN
    depends_on: str | None = None


def arn_output(logical_id: str, description: str) -> dict[str, Resource]:
    """The stack output ``<logical id>Arn``: the ARN of the template's role ``logical_id``."""
    return {
        f"{logical_id}Arn": {
            "Description": description,
            "Value": {"Fn::GetAtt": [logical_id, "Arn"]},
        }
    }


def role_resources(spec: RoleSpec) -> dict[str, Resource]:
    """The role and, when its policy is split, the managed policies attached to it."""
    placement = place(spec.printed_as, spec.policy)
    return {spec.logical_id: _role(spec, placement), **_managed(spec, placement)}


def _role(spec: RoleSpec, placement: Placement) -> Resource:
    properties: Resource = {
        "RoleName": spec.name,
        "Path": spec.path,
        "Description": spec.description,
        "AssumeRolePolicyDocument": spec.trust,
    }
    if placement.inline is not None:
        name = f"reconciler-{spec.printed_as}"
        properties["Policies"] = [{"PolicyName": name, "PolicyDocument": placement.inline}]
    if spec.boundary is not None:
        properties["PermissionsBoundary"] = spec.boundary
    resource: Resource = {"Type": "AWS::IAM::Role"}
    if spec.depends_on is not None:
        resource["DependsOn"] = spec.depends_on
    return {**resource, "Properties": properties}


def _managed(spec: RoleSpec, placement: Placement) -> dict[str, Resource]:
    """One managed policy per part. Its name and description stay the same when the number
    of parts changes: changing either replaces a managed policy, and CloudFormation cannot
    replace one with a fixed name."""
    return {
        f"{spec.logical_id}Policy{n}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "ManagedPolicyName": f"{spec.name}-{n}",
                "Description": f"Part {n} of `reconciler iam-policy --role {spec.printed_as}` "
                f"for {spec.name}",
                "PolicyDocument": document,
                "Roles": [{"Ref": spec.logical_id}],
            },
        }
        for n, document in enumerate(placement.managed, 1)
    }
