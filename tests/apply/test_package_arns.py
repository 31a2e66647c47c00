"""The model package ARN a card names is untrusted input (issue 22, "ARNs in content").

``content.model_package_details.model_package_arn`` had no pattern: ``"a" * 300`` passed
validate, then plan called DescribeModelPackage with it and the whole fleet's plan failed
with a ValidationException. The schema now holds botocore's ``ModelPackageArn`` pattern;
and a package that does not exist, is in another account, or cannot be described holds
back only the card that names it, with a plan error on its line.
"""

from __future__ import annotations

import json
from pathlib import Path

from reconciler.sandbox.faults import FailNext, FaultSettings
from tests.apply.helpers import CARD_FILE, OWNER, Cli, add_card
from tests.apply.test_registry_and_history import name_package

OTHER = "Other-Card"


def _line(repo: Path) -> int:
    lines = (repo / CARD_FILE).read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if "model_package_arn" in text)


def _plan(cli: Cli, repo: Path) -> tuple[int, dict[str, object], str]:
    result = cli("plan", "--repo", str(repo), "--format", "json")
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def _held_back(plan: dict[str, object], repo: Path) -> str:
    """The one plan error, on the package line; the other card's creation still planned."""
    [error] = plan["errors"]  # type: ignore[misc]
    assert (error["file"], error["line"]) == (CARD_FILE, _line(repo))
    assert error["path"] == "$.content.model_package_details.model_package_arn"
    addresses = {c["address"] for c in plan["changes"]}  # type: ignore[attr-defined]
    assert f"card.{OTHER}" in addresses and "card.Customer-Churn-Model-Card" not in addresses
    return str(error["message"])


def test_an_arn_that_is_no_model_package_arn_fails_validate(cli: Cli, repo: Path) -> None:
    name_package(repo, "a" * 300)
    result = cli("validate", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["file"], problem["line"], problem["code"]) == (CARD_FILE, _line(repo), "schema")
    assert "model-package" in problem["message"]


def test_a_package_aws_refuses_to_describe_holds_back_only_its_card(cli: Cli, repo: Path) -> None:
    """Valid by the pattern, too long for DescribeModelPackage (176 characters at most):
    the sandbox answers ValidationException, as AWS does."""
    name_package(repo, f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{'g' * 200}/1")
    add_card(repo, OTHER)
    code, plan, _ = _plan(cli, repo)
    assert code == 1
    message = _held_back(plan, repo)
    assert "cannot be described" in message and "ValidationException" in message


def test_a_package_in_another_account_is_never_described(
    cli: Cli, repo: Path, sandbox: object
) -> None:
    name_package(repo, "arn:aws:sagemaker:us-east-1:999999999999:model-package/churn/1")
    add_card(repo, OTHER)
    code, plan, _ = _plan(cli, repo)
    assert code == 1
    message = _held_back(plan, repo)
    assert "account 999999999999" in message and f"card account {OWNER}" in message
    stats = cli("plan", "--repo", str(repo), "--stats").stdout
    assert "DescribeModelPackage" not in stats


def test_access_denied_on_a_package_holds_back_only_its_card(
    cli: Cli, repo: Path, sandbox: object
) -> None:
    name_package(repo, f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/churn/1")
    add_card(repo, OTHER)
    denied = FailNext(operation="DescribeModelPackage", count=1, code="AccessDeniedException")
    sandbox.faults.apply(FaultSettings(fail_next=[denied]))  # type: ignore[attr-defined]
    code, plan, _ = _plan(cli, repo)
    assert code == 1
    assert "AccessDeniedException" in _held_back(plan, repo)
