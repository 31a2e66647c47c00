"""Every template checked before moto's engine sees it. The sandbox serves the resource
types and properties it creates as AWS does (moto's own handling, verified, and
``resources``); anything else is refused with a ``ValidationError`` naming it, because
moto would skip it and still report the stack complete. As AWS does, a template with IAM
resources needs ``CAPABILITY_IAM``, and one that names them ``CAPABILITY_NAMED_IAM``
(CloudFormation API reference, CreateStack ``Capabilities``), else
``InsufficientCapabilitiesException``.

Stack and StackSet updates are refused: moto's engine updates a role's description only,
so a new trust or inline policy would be reported ``UPDATE_COMPLETE`` and not applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import yaml

from reconciler.sandbox.errors import AwsError

# Resource type → the properties the sandbox applies as AWS does.
SUPPORTED: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "AWS::IAM::OIDCProvider": frozenset({"Url", "ClientIdList", "ThumbprintList", "Tags"}),
        "AWS::IAM::Role": frozenset(
            {
                "RoleName",
                "Path",
                "Description",
                "AssumeRolePolicyDocument",
                "Policies",
                "ManagedPolicyArns",
                "PermissionsBoundary",
                "MaxSessionDuration",
            }
        ),
        "AWS::IAM::ManagedPolicy": frozenset(
            {"ManagedPolicyName", "Description", "Path", "PolicyDocument", "Roles"}
        ),
        "AWS::S3::Bucket": frozenset(
            {
                "BucketName",
                "BucketEncryption",
                "PublicAccessBlockConfiguration",
                "OwnershipControls",
                "Tags",
            }
        ),
        "AWS::S3::BucketPolicy": frozenset({"Bucket", "PolicyDocument"}),
    }
)
SECTIONS = frozenset(
    {
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Mappings",
        "Conditions",
        "Resources",
        "Outputs",
    }
)
ATTRIBUTES = frozenset(
    {"Type", "Properties", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Condition"}
)
# The IAM resource types that need a capability (CreateStack's ``Capabilities``), and the
# property that names each (which makes it need CAPABILITY_NAMED_IAM).
IAM_TYPES: Mapping[str, str | None] = MappingProxyType(
    {
        "AWS::IAM::AccessKey": None,
        "AWS::IAM::Group": "GroupName",
        "AWS::IAM::InstanceProfile": "InstanceProfileName",
        "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
        "AWS::IAM::Policy": None,
        "AWS::IAM::Role": "RoleName",
        "AWS::IAM::User": "UserName",
        "AWS::IAM::UserToGroupAddition": None,
    }
)
CREATES = frozenset({"CreateStack", "CreateStackSet"})
UPDATES = frozenset({"UpdateStack", "UpdateStackSet"})


def invalid(message: str) -> AwsError:
    return AwsError("ValidationError", message, 400)


def check(action: str, field: Callable[[str], str | None], capabilities: list[str]) -> None:
    """Refuse the request (``action`` with its form ``field``s) unless the sandbox creates
    what it asks for as AWS does."""
    if action == "CreateChangeSet":
        if field("ChangeSetType") not in (None, "CREATE"):
            raise _no_updates()
    elif action in UPDATES:
        raise _no_updates()
    elif action not in CREATES:
        return
    if field("TemplateURL") is not None or field("UsePreviousTemplate") is not None:
        raise invalid("The sandbox takes a template as TemplateBody only.")
    template = parse(field("TemplateBody") or "")
    problems = unsupported(template)
    if problems:
        raise invalid("The sandbox would not create this as AWS does: " + "; ".join(problems))
    _capabilities(template, capabilities)


def _no_updates() -> AwsError:
    return invalid(
        "The sandbox does not update stacks: moto's engine would keep a role's old trust and "
        "inline policies and report UPDATE_COMPLETE. Delete the stack (or the StackSet's "
        "instances) and create it again."
    )


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (``!Ref X`` → ``{"Ref": "X"}``)."""


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _short_form)


def parse(body: str) -> dict[str, Any]:
    """A template body (YAML or JSON) as data."""
    try:
        template = yaml.load(body, Loader=_Loader)  # a SafeLoader: builds plain data only
    except yaml.YAMLError as e:
        raise invalid(f"Template format error: {e}") from e
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise invalid("Template format error: At least one Resources member must be defined.")
    return template


def unsupported(template: Mapping[str, Any]) -> list[str]:
    """What the template asks for that the sandbox does not create as AWS does."""
    problems = [f"the section {s}" for s in sorted(set(template) - SECTIONS)]
    for name, resource in template["Resources"].items():
        problems += [f"{name}: {p}" for p in _resource_problems(resource)]
    return problems


def _resource_problems(resource: Any) -> list[str]:
    kind = str(resource.get("Type")) if isinstance(resource, dict) else None
    if kind is None or kind not in SUPPORTED:
        return [f"the resource type {kind}"]
    properties = resource.get("Properties") or {}
    found = [f"the attribute {a}" for a in sorted(set(resource) - ATTRIBUTES)]
    return found + [f"{kind}'s property {p}" for p in sorted(set(properties) - SUPPORTED[kind])]


def _capabilities(template: Mapping[str, Any], given: list[str]) -> None:
    iam = [r for r in template["Resources"].values() if r["Type"] in IAM_TYPES]
    named = any(IAM_TYPES[r["Type"]] in (r.get("Properties") or {}) for r in iam)
    needed = "CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"
    enough = {"CAPABILITY_NAMED_IAM"} if named else {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}
    if iam and not enough & set(given):
        raise AwsError(
            "InsufficientCapabilitiesException", f"Requires capabilities : [{needed}]", 400
        )
