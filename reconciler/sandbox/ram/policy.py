"""Checking a customer-managed permission's policy template for ``sagemaker:ModelCard`` (or,
where ``ram_customer_permissions_for_groups`` allows them, ``sagemaker:ModelPackageGroup``,
whose actions are those of its AWS managed permissions).

The RAM API reference allows ``Effect`` (must be Allow), ``Action`` (only actions the
resource type supports) and an optional ``Condition``; ``Resource`` and ``Principal``
are filled in by RAM. Which of the two modeled errors AWS picks for which fault is not
documented: here a template that is not of that form is MalformedPolicyTemplate, and a
well-formed template naming an action the type does not support is InvalidPolicy.
Conditions are stored but not evaluated when authorising.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.sandbox.config import DEFAULT_GROUP_PERMISSIONS
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.ram.errors import ram_error

# Model-card actions a RAM permission can grant (the AllowExport managed permission's set).
SUPPORTED = (
    "sagemaker:DescribeModelCard",
    "sagemaker:ListModelCardVersions",
    "sagemaker:UpdateModelCard",
    "sagemaker:CreateModelCardExportJob",
    "sagemaker:DescribeModelCardExportJob",
)
GROUP_SUPPORTED = tuple(sorted({a for v in DEFAULT_GROUP_PERMISSIONS.values() for a in v}))
_BY_TYPE = {"sagemaker:ModelCard": SUPPORTED, "sagemaker:ModelPackageGroup": GROUP_SUPPORTED}
_ALLOWED_KEYS = {"Effect", "Action", "Condition"}


def malformed(reason: str) -> AwsError:
    return ram_error(
        "MalformedPolicyTemplateException", f"The policy template is not valid: {reason}"
    )


def parse_template(template: str, kind: str = "sagemaker:ModelCard") -> tuple[str, ...]:
    """The actions of a valid template, spelt canonically; otherwise the AWS error."""
    doc = _load(template)
    extra = set(doc) - _ALLOWED_KEYS
    if extra & {"Resource", "Principal", "NotResource", "NotPrincipal"}:
        raise malformed("it must not contain Resource or Principal; RAM fills them in.")
    if extra:
        raise malformed(f"unexpected elements {sorted(extra)}; use Effect, Action, Condition.")
    if str(doc.get("Effect", "")).lower() != "allow":
        raise malformed('Effect must be "Allow".')
    if "Condition" in doc and not isinstance(doc["Condition"], dict):
        raise malformed("Condition must be an object.")
    return tuple(_canonical(a, kind) for a in _actions(doc.get("Action")))


def _load(template: str) -> dict[str, Any]:
    try:
        doc = json.loads(template)
    except ValueError as exc:
        raise malformed(f"it is not JSON ({exc}).") from exc
    if not isinstance(doc, dict):
        raise malformed("it must be a JSON object with Effect and Action.")
    return doc


def _actions(value: object) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(a, str) for a in items):
        raise malformed("Action must be a non-empty string or list of strings.")
    return items


def _canonical(action: str, kind: str) -> str:
    supported = _BY_TYPE[kind]
    found = next((a for a in supported if a.lower() == action.lower()), None)
    if found is None:
        raise ram_error(
            "InvalidPolicyException",
            f"The action {action} is not supported by resource type {kind}. "
            f"Supported actions: {', '.join(supported)}.",
        )
    return found
