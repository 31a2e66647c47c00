"""Every template checked before moto's engine sees it. The sandbox serves the resource
types and properties it creates and updates as AWS does (moto's own handling, verified,
and ``resources``); anything else is refused with a ``ValidationError`` naming it, because
moto would skip it and still report the stack complete. As AWS does, a template with IAM
resources needs ``CAPABILITY_IAM``, and one that names them ``CAPABILITY_NAMED_IAM``
(CloudFormation API reference, CreateStack ``Capabilities``), else
``InsufficientCapabilitiesException``.

A stack update (UpdateStack, an UPDATE change set, UpdateStackSet, whose template
reaches every instance's stack: ``stack_sets``) that would replace a resource (its type,
or a property whose change needs a new one: a name, a path, a URL) is refused: the
sandbox does not replace resources.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
# Properties whose change replaces the resource (the registry schemas' createOnlyProperties).
REPLACING: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWS::IAM::OIDCProvider": ("Url",),
        "AWS::IAM::Role": ("RoleName", "Path"),
        "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "Path", "Description"),
        "AWS::S3::Bucket": ("BucketName",),
        "AWS::S3::BucketPolicy": ("Bucket",),
    }
)
CREATES = frozenset({"CreateStack", "CreateStackSet"})


def invalid(message: str) -> AwsError:
    return AwsError("ValidationError", message, 400)


@dataclass(frozen=True, kw_only=True)
class Request:
    """A CloudFormation request: its action, its form's fields, and the current template
    of the stack (or, for UpdateStackSet, the StackSet) by name (None: there is none)."""

    action: str
    field: Callable[[str], str | None]
    capabilities: tuple[str, ...]
    current: Callable[[str], dict[str, Any] | None]


def check(request: Request) -> None:
    """Refuse the request unless the sandbox creates (or updates) what it asks for as AWS
    does."""
    update = _is_update(request)
    if not update and request.action not in CREATES | {"CreateChangeSet"}:
        return
    if request.field("TemplateURL") is not None or request.field("UsePreviousTemplate"):
        raise invalid("The sandbox takes a template as TemplateBody only.")
    template = parse(request.field("TemplateBody") or "")
    problems = unsupported(template)
    if update:
        name = request.field("StackSetName" if request.action == "UpdateStackSet" else "StackName")
        problems += replaced(request.current(name or "") or {}, template)
    if problems:
        raise invalid("The sandbox would not deploy this as AWS does: " + "; ".join(problems))
    _capabilities(template, list(request.capabilities))


def _is_update(request: Request) -> bool:
    if request.action == "CreateChangeSet":
        kind = request.field("ChangeSetType") or "UPDATE"  # CloudFormation's default
        if kind not in ("CREATE", "UPDATE"):
            raise invalid(f"The sandbox does not make {kind} change sets.")
        return kind == "UPDATE"
    return request.action in ("UpdateStack", "UpdateStackSet")


def replaced(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The resources an update from ``old`` to ``new`` would replace."""
    before = old.get("Resources") or {}
    found = []
    for name, resource in new["Resources"].items():
        previous = before.get(name)
        if previous is None:
            continue
        if previous.get("Type") != resource.get("Type"):
            found.append(f"{name}: a new resource type (a replacement)")
            continue
        keys = REPLACING.get(str(resource.get("Type")), ())
        was, now = previous.get("Properties") or {}, resource.get("Properties") or {}
        found += [f"{name}: a new {k} (a replacement)" for k in keys if was.get(k) != now.get(k)]
    return found


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
