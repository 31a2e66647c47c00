"""`reconciler bootstrap`: the generated templates pass cfn-lint, hold exactly the printed
policies and trust policies, stay within IAM's size limits (split faithfully or refused),
and NEXT.md names the exact commands. Deploying them into the sandbox and running the
lifecycle as the roles they create is tests/test_bootstrap_deploy.py."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from reconciler.bootstrap.build import bootstrap
from reconciler.bootstrap.model import BOOTSTRAPPED, BootstrapSettings
from reconciler.bootstrap.operators import acceptance_policy
from reconciler.bootstrap.placement import INLINE_LIMIT, MANAGED_LIMIT, size
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState
from reconciler.iam.guard import guard_document
from reconciler.iam.policy import policy_document
from reconciler.iam.trust import GitHubRepository, WorkflowRole, trust_policy
from reconciler.run.pipeline import load_valid

GITHUB = GitHubRepository(name="acme/model-cards")
SETTINGS = BootstrapSettings(github=GITHUB, consumer_guard=True)
OPERATOR = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1a2b"
BEFORE_MERGE = BootstrapSettings(github=GITHUB, operators=(OPERATOR,), acceptance=True)
CARD = "Customer-Churn-Model-Card"
EXPORTS = "exports: {bucket: model-card-exports, prefix: model-cards}\n"


def with_exports(repo: Path) -> Path:
    with (repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
        config.write(EXPORTS)
    return repo


def with_cards(repo: Path, count: int) -> Path:
    """``count`` more cards like the example's (adoption and exports name each one)."""
    text = (repo / "cards" / f"{CARD}.yaml").read_text(encoding="utf-8")
    for n in range(count):
        name = f"Card-{n:04d}"
        (repo / "cards" / f"{name}.yaml").write_text(
            text.replace(f"name: {CARD}", f"name: {name}"), encoding="utf-8"
        )
    return repo


def templates(state: DesiredState, settings: BootstrapSettings = SETTINGS) -> dict[str, str]:
    return bootstrap(state, settings).files()


def resources(text: str, kind: str) -> dict[str, dict[str, Any]]:
    body = yaml.safe_load(text)["Resources"]
    return {k: v["Properties"] for k, v in body.items() if v["Type"] == kind}


def role_statements(text: str, logical_id: str) -> list[dict[str, Any]]:
    """Every statement the role ends up with: inline, and in managed policies attached to it."""
    role = resources(text, "AWS::IAM::Role")[logical_id]
    found = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    for policy in resources(text, "AWS::IAM::ManagedPolicy").values():
        if {"Ref": logical_id} in policy.get("Roles", []):
            found += policy["PolicyDocument"]["Statement"]
    return found


def expanded(statements: list[dict[str, Any]]) -> Counter[str]:
    """One entry per (statement without its Sid, resource): equal for two lists of
    statements that IAM evaluates alike, however the resources are divided."""
    entries: Counter[str] = Counter()
    for statement in statements:
        rest = {k: v for k, v in statement.items() if k not in ("Sid", "Resource")}
        resources_ = statement["Resource"]
        for resource in resources_ if isinstance(resources_, list) else [resources_]:
            entries[json.dumps({**rest, "Resource": resource}, sort_keys=True)] += 1
    return entries


@pytest.fixture
def state(example_repo: Path) -> DesiredState:
    return load_valid(with_exports(example_repo))


def test_the_templates_pass_cfn_lint_with_its_informational_rules(state: DesiredState) -> None:
    for settings in (SETTINGS, BootstrapSettings(github=GITHUB, oidc_provider=False), BEFORE_MERGE):
        for name, text in templates(state, settings).items():
            if name.endswith(".yaml"):
                config = ManualArgs(regions=["us-east-1"], include_checks=["I"])
                matches = lint(text, config=config)
                assert not matches, [f"{m.rule.id} {m.linenumber}: {m.message}" for m in matches]


def test_the_roles_hold_exactly_the_printed_policies_and_trust_policies(
    state: DesiredState,
) -> None:
    card = templates(state)["card-account.yaml"]
    roles = resources(card, "AWS::IAM::Role")
    for role in BOOTSTRAPPED:
        logical = f"{role.value.capitalize()}Role"
        printed = trust_policy(role, GITHUB, partition="aws", account_id="111111111111")
        assert roles[logical]["AssumeRolePolicyDocument"] == printed
        inline = roles[logical]["Policies"]
        assert [p["PolicyDocument"] for p in inline] == [policy_document(role.value, state)]
    assert [r["RoleName"] for r in roles.values()] == [
        "ReconcilerPlan",
        "ReconcilerDrift",
        "ReconcilerApply",
    ]


def test_the_readers_stack_set_holds_verify_and_the_guard_for_its_own_account(
    state: DesiredState,
) -> None:
    readers = templates(state)["target-accounts.yaml"]
    role = resources(readers, "AWS::IAM::Role")["ReaderRole"]
    assert role["RoleName"] == "ModelCardReader"
    assert role["Policies"][0]["PolicyDocument"] == policy_document("verify", state)
    trusted = role["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trusted] == [
        {"AWS": "arn:aws:iam::111111111111:role/ReconcilerApply"}
    ]
    assert role["PermissionsBoundary"] == {"Ref": "ConsumerGuard"}
    guard = resources(readers, "AWS::IAM::ManagedPolicy")["ConsumerGuard"]["PolicyDocument"]
    printed = json.dumps(guard_document(state, "prod")).replace(
        '"444444444444"', '{"Ref": "AWS::AccountId"}'
    )
    assert guard == json.loads(printed)


def test_the_exports_bucket_is_encrypted_private_owned_and_tls_only(state: DesiredState) -> None:
    card = templates(state)["card-account.yaml"]
    bucket = resources(card, "AWS::S3::Bucket")["ExportsBucket"]
    assert bucket["BucketName"] == "model-card-exports"
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption == [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    policy = resources(card, "AWS::S3::BucketPolicy")["ExportsBucketPolicy"]["PolicyDocument"]
    assert [s["Effect"] for s in policy["Statement"]] == ["Deny", "Deny"]  # never widens a role
    assert policy["Statement"][1]["NotResource"] == "arn:aws:s3:::model-card-exports/model-cards/*"


def test_without_exports_there_is_no_bucket_and_without_the_provider_none_is_created(
    example_repo: Path,
) -> None:
    settings = BootstrapSettings(github=GITHUB, oidc_provider=False)
    card = templates(load_valid(example_repo), settings)["card-account.yaml"]
    kinds = {v["Type"] for v in yaml.safe_load(card)["Resources"].values()}
    assert kinds == {"AWS::IAM::Role"}


def test_a_policy_too_large_to_be_inline_is_split_into_managed_policies_alike(
    example_repo: Path,
) -> None:
    state = load_valid(with_cards(with_exports(example_repo), 120))
    printed = policy_document("apply", state)
    assert size(printed) > INLINE_LIMIT
    card = templates(state)["card-account.yaml"]
    assert "Policies" not in resources(card, "AWS::IAM::Role")["ApplyRole"]
    managed = resources(card, "AWS::IAM::ManagedPolicy")
    assert all(size(p["PolicyDocument"]) <= MANAGED_LIMIT for p in managed.values())
    assert expanded(role_statements(card, "ApplyRole")) == expanded(printed["Statement"])
    sids = [s["Sid"] for s in role_statements(card, "ApplyRole")]
    assert {"AdoptModelCards1", "AdoptModelCards2"} <= set(sids)  # divided by resource


def test_a_policy_too_large_for_any_role_is_refused_with_the_numbers(example_repo: Path) -> None:
    state = load_valid(with_cards(with_exports(example_repo), 900))
    with pytest.raises(ReconcilerError) as refused:
        bootstrap(state, SETTINGS)
    message = str(refused.value)
    assert "the apply policy of this repository is" in message
    assert "10,240 inline, or 10 managed policies of 6,144" in message
    assert "targets:" in message


def test_reader_roles_of_different_names_are_refused(example_repo: Path) -> None:
    config = example_repo / "reconciler.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("444444444444:role/ModelCardReader", "444444444444:role/Other"))
    with pytest.raises(ReconcilerError, match="reader roles of different names"):
        bootstrap(load_valid(example_repo), SETTINGS)


def test_a_target_whose_roles_are_assumed_from_elsewhere_is_refused(example_repo: Path) -> None:
    config = example_repo / "reconciler.yaml"
    anchor = '  id: "111111111111"'
    role = '  role_arn: "arn:aws:iam::111111111111:role/Reconciler"'
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(anchor, f"{anchor}\n{role}", 1), encoding="utf-8")
    with pytest.raises(ReconcilerError, match="names roles for its card account"):
        bootstrap(load_valid(example_repo), SETTINGS)


def commands(text: str) -> Iterator[str]:
    """The shell commands of NEXT.md's code blocks, continuation lines joined."""
    blocks = text.split("```")[1::2]
    for block in blocks:
        joined = block.replace("\\\n", " ")
        yield from (" ".join(line.split()) for line in joined.splitlines()[1:] if line.strip())


def test_next_md_names_the_exact_deploy_commands_and_settings(state: DesiredState) -> None:
    text = templates(state)["NEXT.md"]
    found = list(commands(text))
    assert (
        "aws cloudformation deploy --region us-east-1 --stack-name reconciler-card-account "
        "--template-file card-account.yaml --capabilities CAPABILITY_NAMED_IAM" in found
    )
    assert (
        "aws cloudformation create-stack-set --region us-east-1 --stack-set-name "
        "reconciler-target-accounts --template-body file://target-accounts.yaml "
        "--capabilities CAPABILITY_NAMED_IAM" in found
    )
    assert (
        "aws cloudformation create-stack-instances --region us-east-1 --stack-set-name "
        "reconciler-target-accounts --accounts 222222222222 333333333333 444444444444 "
        "--regions us-east-1" in found
    )
    for variable, value in (
        ("RECONCILER_PLAN_ROLE_ARN", "arn:aws:iam::111111111111:role/ReconcilerPlan"),
        ("RECONCILER_DRIFT_ROLE_ARN", "arn:aws:iam::111111111111:role/ReconcilerDrift"),
        ("RECONCILER_APPLY_ROLE_ARN", "arn:aws:iam::111111111111:role/ReconcilerApply"),
        ("AWS_REGION", "us-east-1"),
    ):
        assert f"gh variable set {variable} --repo acme/model-cards --body {value}" in found
    assert "New environment `production`" in text
    assert "required reviewers" in text
    assert "**`reconciler / plan`**" in text
    assert len(text.splitlines()) < 150  # README-sized


def test_the_command_writes_the_templates_and_next_md(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("bootstrap", "--github", "acme/model-cards", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "NEXT.md",
        "card-account.yaml",
        "target-accounts.yaml",
    ]
    assert f"next: {out / 'NEXT.md'}" in result.stdout
    card = yaml.safe_load((out / "card-account.yaml").read_text(encoding="utf-8"))
    assert "GitHubOidcProvider" in card["Resources"]


def test_the_command_needs_the_github_repository(cli: Any, tmp_path: Path) -> None:
    result = cli("bootstrap", "--github", "model-cards", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "--github needs <owner/repo>" in result.stderr


# -- before the first merge: the probe role and the acceptance suite's roles ------------


def test_without_operators_or_acceptance_there_is_no_role_outside_the_workflows(
    state: DesiredState,
) -> None:
    files = templates(state)
    names = {
        r["RoleName"] for r in resources(files["card-account.yaml"], "AWS::IAM::Role").values()
    }
    assert names == {"ReconcilerPlan", "ReconcilerDrift", "ReconcilerApply"}
    readers = resources(files["target-accounts.yaml"], "AWS::IAM::Role")
    assert {r["RoleName"] for r in readers.values()} == {"ModelCardReader"}


def test_the_probe_role_holds_apply_and_only_the_operators_may_assume_it(
    state: DesiredState,
) -> None:
    card = templates(state, BEFORE_MERGE)["card-account.yaml"]
    role = resources(card, "AWS::IAM::Role")["ProbeRole"]
    assert role["RoleName"] == "ReconcilerProbe"
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Sid": "OperatorsProbe",
            "Effect": "Allow",
            "Principal": {"AWS": OPERATOR},
            "Action": "sts:AssumeRole",
        }
    ]
    assert [p["PolicyDocument"] for p in role["Policies"]] == [policy_document("apply", state)]
    assert "ProbeRoleArn" in yaml.safe_load(card)["Outputs"]


def test_the_acceptance_roles_hold_the_suites_policies_and_trust_its_workflow_and_operators(
    state: DesiredState,
) -> None:
    files = templates(state, BEFORE_MERGE)
    role = resources(files["card-account.yaml"], "AWS::IAM::Role")["AcceptanceRole"]
    assert role["RoleName"] == "ReconcilerAcceptance"
    workflow = trust_policy(
        WorkflowRole.ACCEPTANCE, GITHUB, partition="aws", account_id="111111111111"
    )["Statement"]
    statements = role["AssumeRolePolicyDocument"]["Statement"]
    assert statements[:-1] == workflow
    assert statements[-1]["Principal"] == {"AWS": OPERATOR}
    assert role["Policies"][0]["PolicyDocument"] == acceptance_policy("card-account")
    reader = resources(files["target-accounts.yaml"], "AWS::IAM::Role")["AcceptanceReaderRole"]
    assert reader["RoleName"] == "ReconcilerAcceptanceReader"
    trusted = [s["Principal"] for s in reader["AssumeRolePolicyDocument"]["Statement"]]
    assert trusted == [{"AWS": "arn:aws:iam::111111111111:role/ReconcilerAcceptance"}]
    assert reader["Policies"][0]["PolicyDocument"] == acceptance_policy("target-account")


def test_the_acceptance_suite_alone_makes_a_stack_set_for_every_account(
    example_repo: Path,
) -> None:
    config = example_repo / "reconciler.yaml"
    text = config.read_text(encoding="utf-8")
    for account in ("222222222222", "333333333333", "444444444444"):
        text = text.replace(f'role_arn: "arn:aws:iam::{account}:role/ModelCardReader"', "")
    config.write_text(text.replace(", }", "}").replace("\n    \n", "\n"), encoding="utf-8")
    state = load_valid(example_repo)
    assert bootstrap(state, SETTINGS).readers is None
    generated = bootstrap(state, BootstrapSettings(github=GITHUB, acceptance=True))
    assert generated.stack_set_accounts == ("222222222222", "333333333333", "444444444444")
    readers = generated.files()["target-accounts.yaml"]
    assert set(resources(readers, "AWS::IAM::Role")) == {"AcceptanceReaderRole"}


@pytest.mark.parametrize(
    "operator",
    [
        "arn:aws:sts::111111111111:assumed-role/Admin/ana",
        "arn:aws:iam::999999999999:role/Admin",
        "arn:aws:iam::111111111111:root",
        "Admin",
    ],
)
def test_an_operator_that_is_not_a_role_or_user_of_the_card_account_is_refused(
    state: DesiredState, operator: str
) -> None:
    with pytest.raises(ReconcilerError, match="is not a role or user of card account"):
        bootstrap(state, BootstrapSettings(github=GITHUB, operators=(operator,)))


def test_next_md_says_how_to_probe_and_run_the_acceptance_suite(state: DesiredState) -> None:
    found = list(commands(templates(state, BEFORE_MERGE)["NEXT.md"]))
    probe = "arn:aws:iam::111111111111:role/ReconcilerProbe"
    assert f"reconciler probe --repo . --role-arn {probe}" in found
    reader = "role/ReconcilerAcceptanceReader"
    for line in (
        "export RECONCILER_ACC_CARD_ROLE_ARN=arn:aws:iam::111111111111:role/ReconcilerAcceptance",
        f"export RECONCILER_ACC_DEV_ROLE_ARN=arn:aws:iam::222222222222:{reader}",
        f"export RECONCILER_ACC_PROD_ROLE_ARN=arn:aws:iam::444444444444:{reader}",
        "export RECONCILER_ACC_INVITED=dev",
        "make acceptance",
    ):
        assert line in found
    plain = templates(state)["NEXT.md"]
    assert "reconciler probe --repo ." in plain and "--operator" in plain
    assert "make acceptance" not in plain


def test_the_command_takes_operators_and_the_acceptance_suite(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "bootstrap", "--github", "acme/model-cards", "--out", str(out),
        "--operator", OPERATOR, "--acceptance",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    card = yaml.safe_load((out / "card-account.yaml").read_text(encoding="utf-8"))
    assert {"ProbeRole", "AcceptanceRole"} <= set(card["Resources"])
    wrong = cli("bootstrap", "--github", "acme/model-cards", "--out", str(out), "--operator", "x")
    assert wrong.exit_code == 1 and "--operator 'x'" in wrong.stderr
