"""Model package groups shared by the approval of their versions in git, as cards are by
status: validated with file:line:col, planned and applied through RAM with the groups'
permission, verified as each account sees them, and never shared further than git says.

The example's test share takes the group once a version is PendingManualApproval, prod's
once one is Approved."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from tests.apply.helpers import (
    OWNER,
    PROD,
    TEST,
    Aws,
    Cli,
    apply,
    consumer,
    error_code,
    members,
    share_arn,
    steps,
    verify,
)
from tests.apply.test_registry_versions import GROUP, HOLDOUT, declare, plan, register

GROUP_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package-group/{GROUP.lower()}"
READ = "AWSRAMPermissionSageMakerModelPackageGroup"
CARD = """    card:
      status: {status}
      content:
        model_overview: {{model_creator: pipeline}}
        intended_uses: {{risk_rating: Low, intended_uses: Weekly scoring}}
"""


def version(approval: str, card: str = "PendingReview") -> str:
    """Version 1 of the group with this approval, and its card in ``card``."""
    return f"versions:\n  - version: 1\n    approval: {approval}\n" + CARD.format(status=card)


PENDING = version("PendingManualApproval")
APPROVED = version("Approved", "Approved") + HOLDOUT  # the Approved gates hold


def select(repo: Path, share: str, approval: str, extra: str = "") -> None:
    """Add ``model_package_groups`` to the example share ``share``."""
    path = repo / "shares" / f"{share}.yaml"
    path.write_text(
        path.read_text()
        + f"model_package_groups:\n  names: [{GROUP}]\n  approval: [{approval}]\n"
        + f"  permission: {READ}\n{extra}"
    )


def shared_groups(aws: Aws, account: str) -> list[str]:
    listed = aws("sagemaker", account).list_model_package_groups(
        CrossAccountFilterOption="CrossAccount"
    )
    return [g["ModelPackageGroupArn"] for g in listed["ModelPackageGroupSummaryList"]]


def validate(cli: Cli, repo: Path) -> tuple[int, list[tuple[str, int, int, str]]]:
    result = cli("validate", "--repo", str(repo), "--format", "json")
    found = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    return result.exit_code, [(p["file"], p["line"], p["column"], p["message"]) for p in found]


def reader_policy(cli: Cli, repo: Path, sandbox: Any) -> None:
    """Give the accounts' reader role exactly what `iam-policy --role verify` prints."""
    printed = json.loads(cli("iam-policy", "--repo", str(repo), "--role", "verify").stdout)
    roles = tuple(
        replace(r, policies={"verify": printed}) if r.name == "ModelCardReader" else r
        for r in sandbox.config.roles
    )
    sandbox.configure(replace(sandbox.config, roles=roles))


def test_a_branch_cannot_share_a_group_with_an_account_the_share_file_does_not_name(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    """A branch lists an outside account and another account's group by ARN: both are
    file:line:col errors, and apply touches nothing."""
    register(aws, versions=1)
    declare(applied, PENDING)
    path = applied / "shares" / "churn-test.yaml"
    path.write_text(
        path.read_text().replace("principals: [test]", 'principals: [test, "555555555555"]')
    )
    select(applied, "churn-test", "PendingManualApproval")
    code, problems = validate(cli, applied)
    assert code == 1
    assert [(f, line, col) for f, line, col, _ in problems] == [("shares/churn-test.yaml", 3, 20)]
    assert "555555555555" in problems[0][3]
    path.write_text(
        path.read_text()
        .replace('principals: [test, "555555555555"]', "principals: [test]")
        .replace(f"names: [{GROUP}]", f"names: [{GROUP_ARN.replace(OWNER, '555555555555')}]")
    )
    code, problems = validate(cli, applied)
    assert (code, [(f, line) for f, line, _, _ in problems]) == (1, [("shares/churn-test.yaml", 9)])
    refused = cli("apply", "--repo", str(applied), "--auto-approve")
    assert refused.exit_code == 1 and "churn-test.yaml:9:11" in refused.stderr
    assert GROUP_ARN not in members(aws, "churn-test", "RESOURCE")
    assert shared_groups(aws, TEST) == []


def test_unknown_groups_statuses_and_permissions_are_errors_on_their_lines(
    cli: Cli, repo: Path
) -> None:
    declare(repo, PENDING)
    select(repo, "churn-test", "Aproved")
    path = repo / "shares" / "churn-test.yaml"
    code, problems = validate(cli, repo)
    assert code == 1
    assert [(line, col) for _, line, col, _ in problems] == [(10, 14)]
    path.write_text(
        path.read_text()
        .replace("[Aproved]", "[Approved]")
        .replace(f"names: [{GROUP}]", "names: [Churn-Modles]")
        .replace(f"permission: {READ}", "permission: AWSRAMPermissionSageMakerModelCards")
    )
    code, problems = validate(cli, repo)
    assert code == 1
    assert [(line, col) for _, line, col, _ in problems] == [(9, 11), (11, 15)]
    assert f"did you mean '{GROUP}'" in problems[0][3]
    assert f"did you mean '{READ}'" in problems[1][3]


def test_a_group_is_shared_with_test_when_pending_then_with_prod_when_approved(
    cli: Cli, applied: Path, aws: Aws, sandbox: Any
) -> None:
    arns = register(aws, versions=1)
    declare(applied, PENDING)
    select(applied, "churn-test", "PendingManualApproval, Approved")
    select(applied, "churn-prod", "Approved")
    code, found = plan(cli, applied)
    assert code == 0, found["errors"]
    shared = [c for c in found["changes"] if c["address"].startswith("share.")]
    assert [(c["address"], c["action"], c["detail"]) for c in shared] == [
        (
            "share.churn-test",
            "set_permission",
            f"permission for model package groups is none, git says {READ}",
        ),
        ("share.churn-test", "associate_resources", "1 model package group to add"),
    ]
    reader_policy(cli, applied, sandbox)
    code, report, stderr = apply(cli, applied)
    assert (code, report["converged"]) == (0, True), stderr
    assert GROUP_ARN in members(aws, "churn-test", "RESOURCE")
    assert (shared_groups(aws, TEST), shared_groups(aws, PROD)) == ([GROUP_ARN], [])
    test = consumer(report, "test")
    assert (test["groups_visible"], test["ok"]) == ([GROUP], True)

    declare(applied, APPROVED)
    code, report, stderr = apply(cli, applied)
    assert code == 0, stderr
    assert ("share.churn-prod", "associate_resources", "done") in steps(report)
    assert shared_groups(aws, PROD) == [GROUP_ARN]
    prod = aws("sagemaker", PROD)
    assert (
        prod.describe_model_package(ModelPackageName=arns[0])["ModelApprovalStatus"] == "Approved"
    )
    assert (
        error_code(
            lambda: prod.update_model_package(
                ModelPackageArn=arns[0], ModelApprovalStatus="Rejected"
            )
        )
        == "AccessDeniedException"
    )
    code, checked = verify(cli, applied)
    assert code == 0, checked
    assert consumer(checked, "prod")["groups_visible"] == [GROUP]


def shared_with_test(cli: Cli, applied: Path, aws: Aws) -> None:
    """Version 1 registered PendingManualApproval, its group selected by the test share and
    applied."""
    register(aws, versions=1)
    declare(applied, PENDING)
    select(applied, "churn-test", "PendingManualApproval")
    assert apply(cli, applied, "--no-verify")[0] == 0


def test_a_group_leaves_a_share_only_when_git_removes_it_and_a_hand_made_share_stays(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    shared_with_test(cli, applied, aws)
    by_hand = aws("ram").create_resource_share(
        name="console-share", resourceArns=[GROUP_ARN], principals=[PROD]
    )["resourceShare"]["resourceShareArn"]

    declare(applied, version("Rejected"))
    code, found = plan(cli, applied)
    shared = [c for c in found["changes"] if c["address"].startswith("share.")]
    assert [(c["address"], c["action"], c["detail"]) for c in shared] == [
        (
            "share.churn-test",
            "disassociate_resources",
            "1 model package group no longer selected in git",
        )
    ]
    code, report, stderr = apply(cli, applied, "--no-verify")
    assert (code, report["converged"]) == (0, True), stderr
    assert GROUP_ARN not in members(aws, "churn-test", "RESOURCE")
    kept = aws("ram").get_resource_share_associations(
        associationType="RESOURCE", resourceShareArns=[by_hand]
    )["resourceShareAssociations"]
    assert [(a["associatedEntity"], a["status"]) for a in kept] == [(GROUP_ARN, "ASSOCIATED")]


def test_a_share_of_groups_only_is_created_with_both_permissions(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    register(aws, versions=1)
    declare(repo, PENDING)
    (repo / "shares" / "churn-groups.yaml").write_text(
        "name: churn-groups\nprincipals: [test]\npermission: read-only\n"
        f"model_package_groups:\n  approval: [PendingManualApproval]\n  permission: {READ}\n"
    )
    code, found = plan(cli, repo)
    [created] = [c for c in found["changes"] if c["address"] == "share.churn-groups"]
    assert created["payload"]["resource_arns"] == [GROUP_ARN]
    assert created["payload"]["group_permission_arn"] == f"arn:aws:ram::aws:permission/{READ}"
    code, report, stderr = apply(cli, repo, "--force", "--no-verify")
    assert report["converged"], stderr
    assert code == 0, stderr
    assert shared_groups(aws, TEST) == [GROUP_ARN]


def test_import_writes_a_share_s_groups_under_their_permission_and_plans_no_change(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    shared_with_test(cli, applied, aws)
    path = applied / "shares" / "churn-test.yaml"
    path.unlink()
    result = cli("import", "--shares", "--repo", str(applied))
    assert result.exit_code == 0, result.stderr
    assert "imported: shares/churn-test.yaml" in result.stdout
    written = yaml.safe_load(path.read_text())
    assert written["model_package_groups"] == {"names": [GROUP], "permission": READ}
    code, found = plan(cli, applied)
    assert code == 0 and not found["errors"], found["errors"]
    assert [c["address"] for c in found["changes"] if c["address"].startswith("share.")] == []


def test_verify_fails_and_names_a_group_removed_from_the_share_by_hand(
    cli: Cli, applied: Path, aws: Aws, sandbox: Any
) -> None:
    shared_with_test(cli, applied, aws)
    reader_policy(cli, applied, sandbox)
    code, checked = verify(cli, applied)
    assert (code, consumer(checked, "test")["groups_visible"]) == (0, [GROUP]), checked
    aws("ram").disassociate_resource_share(  # an administrator, outside git
        resourceShareArn=share_arn(aws, "churn-test"), resourceArns=[GROUP_ARN]
    )
    code, checked = verify(cli, applied)
    assert code == 1
    test = consumer(checked, "test")
    assert (test["groups_visible"], test["groups_missing"], test["ok"]) == ([], [GROUP], False)
    assert (
        f"model package group {GROUP} is not listed as shared with the account: "
        "the share does not hold it; run apply"
    ) in test["problems"]
    assert consumer(checked, "prod")["groups_missing"] == []
