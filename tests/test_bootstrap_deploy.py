"""The stacks `reconciler bootstrap` generates, deployed into the sandbox as NEXT.md deploys
them (the card account's stack through a change set, the target accounts' StackSet), with
the sandbox enforcing IAM, the trust policies and GitHub-like OIDC tokens it signs.

The attacker comes first: no token but each role's own workflow on the default branch (and
apply's only in production) reaches a role, and the roles do no more than the printed
policies. Then the whole lifecycle runs as the roles the stacks created.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reconciler.bootstrap.build import bootstrap
from reconciler.bootstrap.model import BOOTSTRAPPED, BootstrapSettings
from reconciler.bootstrap.operators import acceptance_policy
from reconciler.bootstrap.placement import size
from reconciler.cli.demo import stacks
from reconciler.cli.demo.steps import Demo
from reconciler.desired.model import DesiredState
from reconciler.iam.guard import guard_document
from reconciler.iam.policy import policy_document
from reconciler.iam.trust import GitHubRepository, WorkflowRole, trust_policy
from reconciler.run.pipeline import load_valid
from reconciler.sandbox.config import Organization
from reconciler.sandbox.iam.oidc import github_claims
from tests.test_bootstrap import expanded, with_cards

OWNER, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
REPO = stacks.GITHUB.name
BUCKET = "model-card-exports"
CARDS = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card"
LEGITIMATE = {
    WorkflowRole.PLAN: github_claims(REPO, workflow="plan-run.yml", event_name="workflow_run"),
    WorkflowRole.DRIFT: github_claims(REPO, workflow="drift.yml", event_name="schedule"),
    WorkflowRole.APPLY: github_claims(REPO, workflow="apply.yml", environment="production"),
}
PULL_REQUEST = {"ref": "refs/pull/7/merge", "event_name": "pull_request"}
ATTACKS = {
    **{
        f"a pull request's {w}": github_claims(REPO, workflow=w, **PULL_REQUEST)
        for w in ("plan.yml", "plan-run.yml", "drift.yml", "apply.yml")
    },
    "a pull request's apply.yml naming production": github_claims(
        REPO, workflow="apply.yml", environment="production", **PULL_REQUEST
    ),
    **{
        f"a branch's copy of {w}": github_claims(REPO, workflow=w, ref="refs/heads/feature")
        for w in ("plan-run.yml", "drift.yml", "apply.yml")
    },
    "a branch's apply.yml in production": github_claims(
        REPO, workflow="apply.yml", environment="production", ref="refs/heads/feature"
    ),
    "apply.yml outside any environment": github_claims(REPO, workflow="apply.yml"),
    "apply.yml in staging": github_claims(REPO, workflow="apply.yml", environment="staging"),
    "a fork's apply.yml in production": github_claims(
        "mallory/model-cards", workflow="apply.yml", environment="production"
    ),
    "the default branch's plan.yml": github_claims(REPO, workflow="plan.yml"),
}


def with_audit_trail(repo: Path) -> Path:
    with (repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
        config.write(f"exports: {{bucket: {BUCKET}, prefix: model-cards}}\n")
    return repo


def without_declared_readers(sandbox: Any) -> None:
    """The example's Organization, and no declared reader role: the StackSet makes them."""
    org = Organization(management_account=OWNER, members=frozenset({TEST, PROD}))
    roles = tuple(r for r in sandbox.config.roles if r.name != "ModelCardReader")
    sandbox.configure(replace(sandbox.config, organization=org, roles=roles))


@pytest.fixture
def state(example_repo: Path) -> DesiredState:
    return load_valid(with_audit_trail(example_repo))


@pytest.fixture
def deployed(sandbox: Any, state: DesiredState) -> stacks.Deployed:
    without_declared_readers(sandbox)
    return stacks.deploy(sandbox, stacks.generate(state), state)


def assumes(sandbox: Any, role_arn: str, claims: dict[str, Any]) -> bool:
    try:
        stacks.web_identity(sandbox, role_arn, claims)
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied", e.response["Error"]
        return False
    return True


def as_role(sandbox: Any, deployed: stacks.Deployed, role: WorkflowRole, service: str) -> Any:
    """A client of ``service`` acting as the stack's ``role``, reached with its own token."""
    creds = stacks.web_identity(sandbox, deployed.roles[role], LEGITIMATE[role])
    return boto3.client(
        service,
        endpoint_url=sandbox.endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=creds["AWS_SESSION_TOKEN"],
    )


def denied(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as error:
        call(**kwargs)
    assert error.value.response["Error"]["Code"] in ("AccessDenied", "AccessDeniedException")
    return str(error.value.response["Error"]["Message"])


# -- the attacker ---------------------------------------------------------------------


def test_only_each_roles_own_workflow_on_the_default_branch_reaches_it(
    sandbox: Any, deployed: stacks.Deployed
) -> None:
    reached = {
        (token, role)
        for token, claims in {**ATTACKS, **{r.value: c for r, c in LEGITIMATE.items()}}.items()
        for role, arn in deployed.roles.items()
        if assumes(sandbox, arn, claims)
    }
    assert reached == {(role.value, role) for role in BOOTSTRAPPED}


def test_the_plan_and_drift_roles_cannot_write(sandbox: Any, deployed: stacks.Deployed) -> None:
    for role in (WorkflowRole.PLAN, WorkflowRole.DRIFT):
        sagemaker = as_role(sandbox, deployed, role, "sagemaker")
        denied(
            sagemaker.create_model_card,
            ModelCardName="Planted",
            ModelCardStatus="Draft",
            Content="{}",
            Tags=[{"Key": "managed-by", "Value": "reconciler"}],
        )
        ram = as_role(sandbox, deployed, role, "ram")
        denied(ram.create_resource_share, name="leak", principals=[DEV])
        s3 = as_role(sandbox, deployed, role, "s3")
        denied(s3.put_object, Bucket=BUCKET, Key="model-cards/Customer-Churn-Model-Card/x.pdf")


def test_the_apply_role_changes_only_what_its_printed_policy_allows(
    sandbox: Any, aws: Any, deployed: stacks.Deployed
) -> None:
    aws("sagemaker").create_model_card(
        ModelCardName="Someone-Elses", ModelCardStatus="Draft", Content="{}"
    )
    sagemaker = as_role(sandbox, deployed, WorkflowRole.APPLY, "sagemaker")
    denied(sagemaker.update_model_card, ModelCardName="Someone-Elses", ModelCardStatus="Archived")
    denied(sagemaker.delete_model_card, ModelCardName="Someone-Elses")
    s3 = as_role(sandbox, deployed, WorkflowRole.APPLY, "s3")
    denied(s3.put_object, Bucket=BUCKET, Key="model-cards/Not-In-Git/x.pdf")
    why = denied(s3.put_object, Bucket=BUCKET, Key="elsewhere/x.pdf")
    assert "explicit deny in a resource-based policy" in why  # the bucket policy, stored
    s3.put_object(Bucket=BUCKET, Key="model-cards/Customer-Churn-Model-Card/x.pdf", Body=b"%PDF")


def test_the_stacks_roles_hold_exactly_the_printed_policies(
    aws: Any, state: DesiredState, deployed: stacks.Deployed
) -> None:
    iam = aws("iam")
    for role in BOOTSTRAPPED:
        name = deployed.roles[role].rsplit("/", 1)[1]
        trust = trust_policy(role, GitHubRepository(name=REPO), partition="aws", account_id=OWNER)
        assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == trust
        held = iam.get_role_policy(RoleName=name, PolicyName=f"reconciler-{role.value}")
        assert held["PolicyDocument"] == policy_document(role.value, state)
        assert iam.list_role_policies(RoleName=name)["PolicyNames"] == [f"reconciler-{role.value}"]
        assert not iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    for account in (DEV, TEST, PROD):
        reader = aws("iam", account).get_role(RoleName="ModelCardReader")["Role"]
        boundary = reader["PermissionsBoundary"]["PermissionsBoundaryArn"]
        assert boundary == f"arn:aws:iam::{account}:policy/ReconcilerConsumerGuard"
        policy = aws("iam", account).get_role_policy(
            RoleName="ModelCardReader", PolicyName="reconciler-verify"
        )
        assert policy["PolicyDocument"] == policy_document("verify", state)


def test_the_consumer_guard_keeps_the_cards_read_only_in_each_target_account(
    aws: Any, state: DesiredState, deployed: stacks.Deployed
) -> None:
    iam = aws("iam", PROD)
    version = iam.get_policy(PolicyArn=f"arn:aws:iam::{PROD}:policy/ReconcilerConsumerGuard")
    document = iam.get_policy_version(
        PolicyArn=version["Policy"]["Arn"], VersionId=version["Policy"]["DefaultVersionId"]
    )["PolicyVersion"]["Document"]
    assert document == guard_document(state, "prod")  # AWS::AccountId resolved to prod's
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "sts:AssumeRole"}],
    }
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    iam.create_role(
        RoleName="Analyst",
        AssumeRolePolicyDocument=json.dumps(trust),
        PermissionsBoundary=version["Policy"]["Arn"],
    )
    iam.put_role_policy(RoleName="Analyst", PolicyName="all", PolicyDocument=json.dumps(everything))
    sagemaker = aws("sagemaker", PROD, "Analyst")
    why = denied(sagemaker.update_model_card, ModelCardName=f"{CARDS}/Any", ModelCardStatus="Draft")
    assert "explicit deny in a permissions boundary" in why


def test_an_apply_policy_split_into_managed_policies_deploys_and_holds_alike(
    sandbox: Any, aws: Any, example_repo: Path
) -> None:
    state = load_valid(with_cards(with_audit_trail(example_repo), 120))
    without_declared_readers(sandbox)
    deployed = stacks.deploy(sandbox, stacks.generate(state), state)
    iam = aws("iam")
    attached = iam.list_attached_role_policies(RoleName="ReconcilerApply")["AttachedPolicies"]
    held: list[dict[str, Any]] = []
    for policy in attached:
        meta = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=policy["PolicyArn"], VersionId=meta["DefaultVersionId"]
        )
        held += version["PolicyVersion"]["Document"]["Statement"]
    printed = policy_document("apply", state)
    assert size(printed) > 10_240 and len(attached) > 1
    assert expanded(held) == expanded(printed["Statement"])
    s3 = as_role(sandbox, deployed, WorkflowRole.APPLY, "s3")
    s3.put_object(Bucket=BUCKET, Key="model-cards/Card-0119/x.pdf", Body=b"%PDF")


def test_deploying_again_after_the_repository_grows_updates_the_roles_in_place(
    sandbox: Any, aws: Any, example_repo: Path, deployed: stacks.Deployed
) -> None:
    """`reconciler bootstrap` and `aws cloudformation deploy` again: the apply policy grows
    past the inline limit and moves to managed policies, then shrinks back; a new default
    branch moves every trust policy."""
    card = with_cards(example_repo, 120)
    grown = load_valid(card)
    stacks.deploy(sandbox, stacks.generate(grown), grown)
    iam = aws("iam")
    assert not iam.list_role_policies(RoleName="ReconcilerApply")["PolicyNames"]
    attached = iam.list_attached_role_policies(RoleName="ReconcilerApply")["AttachedPolicies"]
    assert len(attached) > 1
    s3 = as_role(sandbox, deployed, WorkflowRole.APPLY, "s3")
    s3.put_object(Bucket=BUCKET, Key="model-cards/Card-0119/x.pdf", Body=b"%PDF")
    for extra in (card / "cards").glob("Card-*.yaml"):
        extra.unlink()
    back = load_valid(card)
    settings = BootstrapSettings(
        github=GitHubRepository(name=REPO, default_branch="release"), consumer_guard=True
    )
    stacks.deploy(sandbox, bootstrap(back, settings), back)
    held = iam.get_role_policy(RoleName="ReconcilerApply", PolicyName="reconciler-apply")
    assert held["PolicyDocument"] == policy_document("apply", back)
    assert not iam.list_attached_role_policies(RoleName="ReconcilerApply")["AttachedPolicies"]
    release = github_claims(REPO, workflow="drift.yml", ref="refs/heads/release")
    assert assumes(sandbox, deployed.roles[WorkflowRole.DRIFT], release)
    assert not assumes(sandbox, deployed.roles[WorkflowRole.DRIFT], LEGITIMATE[WorkflowRole.DRIFT])


# -- the lifecycle ---------------------------------------------------------------------


def test_the_lifecycle_runs_as_the_roles_the_stacks_created(
    sandbox: Any, example_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's steps (create in Draft and share with dev, a consumer edit seen as drift,
    promotion to test, approval to prod read-only, export, registry approval, prune, a no-op
    apply), every reconciler command as the role its workflow assumes."""
    without_declared_readers(sandbox)
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox.endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    sandbox.iam.recorded = []
    said: list[str] = []
    try:
        Demo(sandbox, example_repo, said.append).run()
        calls = list(sandbox.iam.recorded)
    finally:
        sandbox.iam.recorded = None
    by_role: dict[str, set[str]] = {}
    for call in calls:
        assert call.allowed, call
        by_role.setdefault(call.role_arn.rsplit("/", 1)[1], set()).add(call.action)
    assert {"ReconcilerPlan", "ReconcilerDrift", "ReconcilerApply"} <= set(by_role)
    writes = {a for a in by_role["ReconcilerApply"] if ":Create" in a or ":Update" in a}
    assert {"sagemaker:CreateModelCard", "ram:CreateResourceShare"} <= writes
    assert "sagemaker:CreateModelCardExportJob" in by_role["ReconcilerApply"]
    assert "sagemaker:UpdateModelPackage" in by_role["ReconcilerApply"]
    assert "ram:DeleteResourceShare" in by_role["ReconcilerApply"]  # prune
    assert not {a for a in by_role["ReconcilerPlan"] if ":Create" in a or ":Update" in a}
    assert "sagemaker:ListModelCardVersions" in by_role["ReconcilerDrift"]
    assert "sagemaker:DescribeModelCard" in by_role["ModelCardReader"]  # verify, via StackSet
    assert any("STS answers AccessDenied" in line for line in said)


def test_a_new_readers_template_updates_the_stack_set_in_place(
    sandbox: Any, aws: Any, example_repo: Path, deployed: stacks.Deployed
) -> None:
    """A registry file grows the consumer guard: deploying again updates the StackSet
    (`update-stack-set`), and each target account's guard changes in place, its reader
    role kept."""
    iam = aws("iam", PROD)
    role_id = iam.get_role(RoleName="ModelCardReader")["Role"]["RoleId"]
    (example_repo / "registry").mkdir()
    (example_repo / "registry" / "churn-models.yaml").write_text(
        "name: churn-models\nversions: []\n"
    )
    grown = load_valid(example_repo)
    stacks.deploy(sandbox, stacks.generate(grown), grown)
    guard = f"arn:aws:iam::{PROD}:policy/ReconcilerConsumerGuard"
    version = iam.get_policy(PolicyArn=guard)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=guard, VersionId=version)["PolicyVersion"]
    assert document["Document"] == guard_document(grown, "prod")
    assert iam.get_role(RoleName="ModelCardReader")["Role"]["RoleId"] == role_id
    cfn = aws("cloudformation")
    operations = cfn.list_stack_set_operations(StackSetName=stacks.READERS_STACK_SET)
    actions = sorted(o["Action"] for o in operations["Summaries"])
    assert "UPDATE" in actions and "DELETE" not in actions


# -- before the first merge: the probe and acceptance roles ------------------------------

OPERATOR = f"arn:aws:iam::{OWNER}:role/SandboxAdmin"


def allow_all() -> dict[str, str]:
    return {"Effect": "Allow", "Action": "*", "Resource": "*"}


@pytest.fixture
def deployed_for_checks(sandbox: Any, state: DesiredState) -> stacks.Deployed:
    """The stacks of `bootstrap --operator <SandboxAdmin> --acceptance`."""
    without_declared_readers(sandbox)
    generated = stacks.generate(state, operators=(OPERATOR,), acceptance=True)
    return stacks.deploy(sandbox, generated, state)


def test_only_the_operators_reach_the_probe_role_and_no_workflow_does(
    sandbox: Any, aws: Any, state: DesiredState, deployed_for_checks: stacks.Deployed
) -> None:
    probe = deployed_for_checks.outputs["ProbeRoleArn"]
    admin = sandbox.client("sts", OWNER, "SandboxAdmin")
    assert admin.assume_role(RoleArn=probe, RoleSessionName="probe")["Credentials"]
    iam = aws("iam")
    admin_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": OPERATOR}, "Action": "sts:AssumeRole"}
        ],
    }
    iam.create_role(RoleName="Colleague", AssumeRolePolicyDocument=json.dumps(admin_trust))
    anything = {"Version": "2012-10-17", "Statement": [allow_all()]}
    iam.put_role_policy(RoleName="Colleague", PolicyName="all", PolicyDocument=json.dumps(anything))
    colleague = sandbox.client("sts", OWNER, "Colleague")
    assert "not authorized to perform: sts:AssumeRole" in denied(
        colleague.assume_role, RoleArn=probe, RoleSessionName="probe"
    )
    for claims in (*LEGITIMATE.values(), *ATTACKS.values()):
        assert not assumes(sandbox, probe, claims)
    held = aws("iam").get_role_policy(RoleName="ReconcilerProbe", PolicyName="reconciler-apply")
    assert held["PolicyDocument"] == policy_document("apply", state)


def test_an_operator_probes_what_apply_needs_through_the_probe_role(
    sandbox: Any,
    cli: Any,
    example_repo: Path,
    card_account_env: str,
    deployed_for_checks: stacks.Deployed,
) -> None:
    """`reconciler probe --role-arn` as NEXT.md says: the checks of what apply needs, made
    with session policies on the probe role, are checked and match the sandbox."""
    probe = deployed_for_checks.outputs["ProbeRoleArn"]
    result = cli(
        "probe", "--repo", str(example_repo), "--role-arn", probe, "--format", "json",
        "--write", "--wait", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr + result.stdout
    found = {f["key"]: f for f in json.loads(result.stdout)["findings"]}
    for key in ("star-resource-account", "secure-transport", "ram-needs-get-resource-policy"):
        assert found[key]["outcome"] == "matches", found[key]


def test_the_acceptance_roles_hold_the_suites_policies_and_readers_trust_only_its_role(
    sandbox: Any, aws: Any, deployed_for_checks: stacks.Deployed
) -> None:
    card = deployed_for_checks.outputs["AcceptanceRoleArn"]
    assert card == f"arn:aws:iam::{OWNER}:role/ReconcilerAcceptance"
    assert assumes(sandbox, card, github_claims(REPO, workflow="acceptance.yml"))
    branch = github_claims(REPO, workflow="acceptance.yml", ref="refs/heads/feature")
    pulled = github_claims(REPO, workflow="acceptance.yml", **PULL_REQUEST)
    for claims in (branch, pulled, *LEGITIMATE.values(), *ATTACKS.values()):
        assert not assumes(sandbox, card, claims)
    acting = sandbox.client("sts", OWNER, "SandboxAdmin").assume_role(
        RoleArn=card, RoleSessionName="acceptance"
    )["Credentials"]
    as_card = boto3.client(
        "sts",
        endpoint_url=sandbox.endpoint,
        region_name="us-east-1",
        aws_access_key_id=acting["AccessKeyId"],
        aws_secret_access_key=acting["SecretAccessKey"],
        aws_session_token=acting["SessionToken"],
    )
    for account in (DEV, TEST, PROD):
        reader = f"arn:aws:iam::{account}:role/ReconcilerAcceptanceReader"
        assert as_card.assume_role(RoleArn=reader, RoleSessionName="run")["Credentials"]
        admin = sandbox.client("sts", OWNER, "SandboxAdmin")  # an operator, not the suite's role
        assert "sts:AssumeRole" in denied(admin.assume_role, RoleArn=reader, RoleSessionName="xx")
        held = aws("iam", account).get_role_policy(
            RoleName="ReconcilerAcceptanceReader", PolicyName="reconciler-acceptance-reader"
        )
        assert held["PolicyDocument"] == acceptance_policy("target-account")
