"""Every command runs under exactly the policies `reconciler iam-policy` prints, with the
sandbox enforcing IAM as AWS does, and every statement and action of them is needed.

The roles are created the way a user creates them: IAM CreateRole, then PutRolePolicy with
the printed document. `card_account.role_arn` names the plan role for plan, import and
pull, the drift role for drift, and the apply role for apply and verify; the consumer role
of each target account holds the verify policy. The lifecycle covers every kind of apply
step, KMS-encrypted cards, adoption after import, permission versions at RAM's limit, and
prune.

Minimality: the sandbox records every evaluation it made during the run. Each one is
replayed against the policy with one statement, or one action of a statement, left out;
if some evaluation is then denied, the command that made it would have failed at that call
(the run is the same up to it), so that statement or action is needed. A real run with one
statement removed shows the denial as a user sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.common.content import content_json
from reconciler.sandbox.iam.enforcer import Evaluation
from reconciler.sandbox.iam.policy import Decision, decide, parse

OWNER = "111111111111"
TARGETS = ("222222222222", "333333333333", "444444444444")
READER = "ModelCardReader"
CARD = "Customer-Churn-Model-Card"
Cli = Callable[..., Any]


def trust(principal: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
            ],
        }
    )


def printed(cli: Cli, repo: Path, role: str) -> dict[str, Any]:
    result = cli("iam-policy", "--role", role, "--repo", str(repo))
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def create_role(aws: Callable[..., Any], account: str, name: str, policy: dict[str, Any]) -> str:
    iam = aws("iam", account=account)
    root = f"arn:aws:iam::{OWNER}:root"
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(root))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="reconciler", PolicyDocument=json.dumps(policy))
    return arn


def write(repo: Path, path: str, text: str) -> None:
    (repo / path).write_text(text, encoding="utf-8")


def edit(repo: Path, path: str, old: str, new: str) -> None:
    text = (repo / path).read_text(encoding="utf-8")
    assert old in text, (path, old)
    write(repo, path, text.replace(old, new))


def card(name: str, status: str = "Draft", extra: str = "") -> str:
    return (
        f"name: {name}\nstatus: {status}\n{extra}content:\n  model_overview:\n"
        f"    model_owner: model-owner\n"
    )


def card_key_policy() -> dict[str, Any]:
    """The card account's key: its own IAM policies decide for it, and the target accounts
    may decrypt its model cards through SageMaker (the SageMaker cross-account guide's
    statement, for each target account's IAM policies to grant on)."""
    cards = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/*"
    consumers = {
        "Sid": "ModelCardConsumers",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{a}:root" for a in TARGETS]},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {
            "StringEquals": {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": cards},
        },
    }
    own = {
        "Sid": "EnableIamPolicies",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    return {"Version": "2012-10-17", "Statement": [own, consumers]}


def allow_statement(action: str, resource: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def use_role(repo: Path, name: str) -> None:
    """Point card_account.role_arn at one of the card account's roles."""
    text = (repo / "reconciler.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if 'role_arn: "arn:aws:iam::1111' not in line]
    text = "\n".join(lines) + "\n"
    anchor = f'  id: "{OWNER}"'
    assert anchor in text
    role = f'  role_arn: "arn:aws:iam::{OWNER}:role/{name}"'
    write(repo, "reconciler.yaml", text.replace(anchor, f"{anchor}\n{role}", 1))


class Run:
    """The CLI against the repository copy, as the plan or the apply role."""

    def __init__(self, cli: Cli, repo: Path) -> None:
        self.cli, self.repo = cli, repo

    def __call__(self, role: str, *args: str, ok: tuple[int, ...] = (0, 2)) -> Any:
        use_role(self.repo, role)
        result = self.cli(*args, "--repo", str(self.repo))
        assert result.exit_code in ok, f"{role} {args}: {result.stderr}{result.stdout}"
        return result


def full_versions(ram: Any, arn: str) -> None:
    """Bring a permission to RAM's five versions, so the next update must make room."""
    template = ram.get_permission(permissionArn=arn)["permission"]["permission"]
    while len(ram.list_permission_versions(permissionArn=arn)["permissions"]) < 5:
        ram.create_permission_version(permissionArn=arn, policyTemplate=template)
    for share in ram.get_resource_shares(resourceOwner="SELF", permissionArn=arn)["resourceShares"]:
        ram.associate_resource_share_permission(
            resourceShareArn=share["resourceShareArn"], permissionArn=arn, replace=True
        )


def second_round(repo: Path) -> None:
    """Changes that exercise every kind of apply step."""
    churn, test = f"cards/{CARD}.yaml", "shares/churn-test.yaml"
    edit(repo, churn, "model_owner: ana", "model_owner: churn-owner")  # pulled from dev
    edit(repo, churn, "status: Draft", "status: PendingReview")
    edit(repo, churn, "  cost-center: ml-platform\n", "  tier: gold\n")
    (repo / "cards/Fraud-Model-Card.yaml").unlink()
    write(
        repo,
        "cards/Fraud-Model-Card-V2.yaml",
        card("Fraud-Model-Card-V2", "Archived", "previous_names: [Fraud-Model-Card]\n"),
    )
    (repo / "cards/Spare-Model-Card.yaml").unlink()
    edit(
        repo,
        "reconciler.yaml",
        "actions: [sagemaker:DescribeModelCard, ",
        "actions: [sagemaker:DescribeModelCard, sagemaker:DescribeModelCardExportJob, ",
    )
    edit(repo, test, "principals: [test]", "principals: [prod]")
    edit(
        repo,
        test,
        "permission: AWSRAMPermissionSageMakerModelCards",
        "permission: AWSRAMPermissionSageMakerModelCardsAllowExport",
    )
    edit(repo, test, "tags: {purpose: testing}", "tags: {stage: test}")
    edit(
        repo,
        "shares/churn-dev.yaml",
        "principals: [dev]",
        "principals: [dev]\nprevious_names: [churn-dev-old]",
    )
    (repo / "shares/churn-prod.yaml").unlink()
    secret = "cards/Secret-Model-Card.yaml"
    edit(repo, secret, "model_owner: someone-else", "model_owner: secret-owner")


@pytest.fixture
def lifecycle(
    cli: Cli, example_repo: Path, card_account_env: str, sandbox: Any, aws: Callable[..., Any]
) -> tuple[dict[str, dict[str, Any]], list[Evaluation]]:
    """The whole lifecycle under the printed policies; the policies by role ARN and every
    evaluation the sandbox made."""
    sandbox.configure(
        replace(sandbox.config, association_delay_seconds=0.02, deletion_delay_seconds=0.02)
    )
    repo, run = example_repo, Run(cli, example_repo)
    kms = aws("kms")
    key = kms.create_key(Policy=json.dumps(card_key_policy()))["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/model-cards", TargetKeyId=key)
    # Archived, so in no share: a replaced card that is shared fails its disassociation
    # (the card is deleted before the share step runs).
    write(repo, "cards/Fraud-Model-Card.yaml", card("Fraud-Model-Card", "Archived"))
    write(
        repo,
        "cards/Spare-Model-Card.yaml",
        card("Spare-Model-Card", "Draft", "kms_key_id: alias/model-cards\n"),
    )
    write(
        repo,
        "cards/Secret-Model-Card.yaml",
        card("Secret-Model-Card", "Draft", "kms_key_id: alias/model-cards\n"),
    )
    edit(  # the sandbox's Organization: plan and apply check it (organizations:Describe…)
        repo,
        "reconciler.yaml",
        "safety:",
        'organization: {id: "o-sandbox0001"}\nsafety:',
    )
    edit(repo, "shares/churn-dev.yaml", "name: churn-dev", "name: churn-dev-old")
    write(repo, "shares/churn-dev-old.yaml", (repo / "shares/churn-dev.yaml").read_text())
    (repo / "shares/churn-dev.yaml").unlink()
    policies = {
        create_role(aws, OWNER, "ReconcilerPlan", printed(cli, repo, "plan")): "plan",
        create_role(aws, OWNER, "ReconcilerDrift", printed(cli, repo, "drift")): "drift",
        create_role(aws, OWNER, "ReconcilerApply", printed(cli, repo, "apply")): "apply",
        **{
            create_role(aws, account, READER, printed(cli, repo, "verify")): "verify"
            for account in TARGETS
        },
    }
    documents = {arn: printed(cli, repo, role) for arn, role in policies.items()}
    sandbox.iam.recorded = recorded = []
    try:
        run("ReconcilerPlan", "plan")
        run("ReconcilerDrift", "drift")  # nothing applied yet: every card is missing
        run("ReconcilerApply", "apply", "--auto-approve", "--force", ok=(0,))
        run("ReconcilerPlan", "graph", "--live", ok=(0,))
        # A data scientist in dev edits the shared card; drift names the edit.
        aws("sagemaker", account=TARGETS[0]).update_model_card(
            ModelCardName=f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}",
            Content=content_json({"model_overview": {"model_owner": "ana"}}),
        )
        secret = aws("sagemaker").update_model_card(
            ModelCardName="Secret-Model-Card",
            Content=content_json({"model_overview": {"model_owner": "someone-else"}}),
        )
        # And tags it by hand: a tag records no version, so drift reads the card's tags.
        aws("sagemaker").add_tags(
            ResourceArn=secret["ModelCardArn"], Tags=[{"Key": "by-hand", "Value": "yes"}]
        )
        # Someone disassociates test in the console; drift asks CloudTrail who.
        sandbox.advance(2)
        test_share = aws("ram").get_resource_shares(resourceOwner="SELF", name="churn-test")
        aws("ram", role="ConsoleAdmin").disassociate_resource_share(
            resourceShareArn=test_share["resourceShares"][0]["resourceShareArn"],
            principals=[TARGETS[1]],
        )
        run("ReconcilerDrift", "drift")
        run("ReconcilerPlan", "pull", "--all", ok=(0,))
        # A card made by hand, imported into git, then adopted by the next apply.
        aws("sagemaker").create_model_card(
            ModelCardName="Legacy-Model-Card",
            Content=content_json({"model_overview": {"model_owner": "legacy"}}),
            ModelCardStatus="Draft",
        )
        run("ReconcilerPlan", "import", "Legacy-Model-Card", ok=(0,))
        legacy = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/Legacy-Model-Card"
        aws("ram").create_resource_share(
            name="legacy-share",
            principals=[TARGETS[1]],
            resourceArns=[legacy],
            allowExternalPrincipals=False,
        )
        run("ReconcilerPlan", "import", "--shares", ok=(0,))
        assert (repo / "shares/legacy-share.yaml").exists()
        (repo / "shares/churn-dev-old.yaml").rename(repo / "shares/churn-dev.yaml")
        edit(repo, "shares/churn-dev.yaml", "name: churn-dev-old", "name: churn-dev")
        second_round(repo)
        # Git now declares the imported card and share: the apply policy, printed again and
        # attached outside any pull request, lets the role adopt exactly those.
        apply_arn = next(a for a, r in policies.items() if r == "apply")
        documents[apply_arn] = printed(cli, repo, "apply")
        aws("iam").put_role_policy(
            RoleName="ReconcilerApply",
            PolicyName="reconciler",
            PolicyDocument=json.dumps(documents[apply_arn]),
        )
        full_versions(aws("ram"), f"arn:aws:ram:us-east-1:{OWNER}:permission/read-only")
        run("ReconcilerApply", "apply", "--auto-approve", "--force", "--prune", ok=(0,))
        run("ReconcilerApply", "verify", ok=(0,))
    finally:
        sandbox.iam.recorded = None
    return documents, recorded


def test_the_lifecycle_runs_under_the_printed_policies(
    lifecycle: tuple[dict[str, dict[str, Any]], list[Evaluation]],
) -> None:
    documents, recorded = lifecycle
    assert not [e for e in recorded if not e.allowed]
    by_role = {arn: sum(1 for e in recorded if e.role_arn == arn) for arn in documents}
    assert all(by_role.values()), by_role  # every role was really evaluated


def without(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what was left out, the policy without it): each statement, and each action of a
    statement with several."""
    statements = document["Statement"]
    for i, statement in enumerate(statements):
        rest = statements[:i] + statements[i + 1 :]
        yield statement["Sid"], {**document, "Statement": rest}
        actions = statement["Action"]
        for action in actions if len(actions) > 1 else ():
            fewer = {**statement, "Action": [a for a in actions if a != action]}
            reduced = [*statements[:i], fewer, *statements[i + 1 :]]
            yield f"{statement['Sid']}/{action}", {**document, "Statement": reduced}


def needed(document: dict[str, Any], evaluations: list[Evaluation]) -> bool:
    """True when some evaluation that was allowed is denied under ``document``."""
    statements = parse(document)
    return any(
        decide(statements, e.action, e.resource, e.context) is not Decision.ALLOW
        for e in evaluations
    )


def test_every_statement_and_every_action_is_needed(
    lifecycle: tuple[dict[str, dict[str, Any]], list[Evaluation]],
) -> None:
    documents, recorded = lifecycle
    unneeded = []
    for arn, document in documents.items():
        mine = [e for e in recorded if e.role_arn == arn and e.allowed]
        role = arn.rsplit("/", 1)[-1]
        unneeded += [
            f"{role}: {left_out}"
            for left_out, reduced in without(document)
            if not needed(reduced, mine)
        ]
    # The consumer role is the same in every target account: a statement needed in one
    # account's run is needed.
    readers = [d for a, d in documents.items() if a.endswith(f"/{READER}")]
    reader_evaluations = [e for e in recorded if e.role_arn.endswith(f"/{READER}") and e.allowed]
    unneeded = [u for u in unneeded if not u.startswith(f"{READER}: ")]
    unneeded += [
        f"{READER}: {left_out}"
        for left_out, reduced in without(readers[0])
        if not needed(reduced, reader_evaluations)
    ]
    assert not unneeded, unneeded


@pytest.mark.parametrize(
    ("left_out", "action"),
    [
        ("LetRamManageModelCardPolicies", "sagemaker:PutResourcePolicy"),
        ("CreateManagedModelCards", "sagemaker:CreateModelCard"),
    ],
)
def test_a_policy_without_a_statement_fails_naming_the_missing_action(
    cli: Cli,
    example_repo: Path,
    card_account_env: str,
    aws: Callable[..., Any],
    left_out: str,
    action: str,
) -> None:
    policy = printed(cli, example_repo, "apply")
    policy["Statement"] = [s for s in policy["Statement"] if s["Sid"] != left_out]
    create_role(aws, OWNER, "ReconcilerApply", policy)
    result = Run(cli, example_repo)(
        "ReconcilerApply", "apply", "--auto-approve", "--force", "--no-verify", ok=(1,)
    )
    assert "AccessDeniedException" in result.stdout
    assert f"is not authorized to perform: {action}" in result.stdout


def test_with_a_card_account_role_every_call_is_made_as_that_role(
    card_account_env: str, sandbox: Any, aws: Callable[..., Any]
) -> None:
    """The STS client that assumed card_account.role_arn belongs to the ambient identity:
    the account check, and assuming consumer roles, must use the role's own (the consumer
    role trusts only the deployer's account, so the ambient identity could not)."""
    from reconciler.aws.session import AwsSession, AwsSettings

    reader = f"arn:aws:iam::{TARGETS[2]}:role/{READER}"
    assume = {"Version": "2012-10-17", "Statement": [allow_statement("sts:AssumeRole", reader)]}
    role = create_role(aws, TARGETS[1], "CardAccountDeployer", assume)
    aws("iam", account=TARGETS[2]).create_role(
        RoleName=READER, AssumeRolePolicyDocument=trust(f"arn:aws:iam::{TARGETS[1]}:root")
    )
    session = AwsSession(
        AwsSettings(region="us-east-1", endpoint_url=sandbox.endpoint, role_arn=role)
    )
    assert session.caller_account() == TARGETS[1]
    consumer = session.assume(f"arn:aws:iam::{TARGETS[2]}:role/{READER}", "verify")
    who = consumer.client("sts").get_caller_identity()["Arn"]
    assert who == f"arn:aws:sts::{TARGETS[2]}:assumed-role/{READER}/verify"


def test_the_consumer_guard_keeps_shared_cards_read_only_whatever_the_share_allows(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any]
) -> None:
    """churn-test shares with AWSRAMPermissionSageMakerModelCards, which allows updates; the
    guard printed for test, attached as a permissions boundary, denies them there."""
    edit(example_repo, f"cards/{CARD}.yaml", "status: Draft", "status: PendingReview")
    assert cli("apply", "--repo", str(example_repo), "--auto-approve", "--force").exit_code == 0
    guard = json.loads(
        cli(
            "iam-policy",
            "--role",
            "consumer-guard",
            "--account",
            "test",
            "--repo",
            str(example_repo),
        ).stdout
    )
    iam = aws("iam", account=TARGETS[1])
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
    }
    for name in ("Editor", "GuardedEditor"):  # people of the test account
        people = trust(f"arn:aws:iam::{TARGETS[1]}:root")
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=people)
        iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=json.dumps(everything))
    arn = iam.create_policy(PolicyName="guard", PolicyDocument=json.dumps(guard))["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName="GuardedEditor", PermissionsBoundary=arn)
    card = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"
    new = content_json({"model_overview": {"model_owner": "someone"}})
    aws("sagemaker", account=TARGETS[1], role="Editor").update_model_card(
        ModelCardName=card, Content=new
    )  # the share's permission allows it
    guarded = aws("sagemaker", account=TARGETS[1], role="GuardedEditor")
    assert guarded.describe_model_card(ModelCardName=card)["ModelCardStatus"] == "PendingReview"
    with pytest.raises(ClientError) as denied:
        guarded.update_model_card(ModelCardName=card, Content=content_json({}))
    message = denied.value.response["Error"]["Message"]
    assert "sagemaker:UpdateModelCard" in message and "explicit deny" in message
