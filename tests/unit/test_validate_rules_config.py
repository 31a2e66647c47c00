"""validate.rules.config: what reconciler.yaml must mean beyond its schema: known regions,
roles in the accounts they are declared for, one name per account ID, permission names
that are not AWS's, and a registry mapping that approves packages of Approved cards only."""

from __future__ import annotations

import pytest

from reconciler.validate.rules import config
from reconciler.validate.rules.base import Rule
from tests.unit.builders import Found, found, rule_input

Y = "reconciler.yaml"
HEAD = 'region: {region}\ncard_account: {{id: "111111111111"{role}}}\n'


def yaml(*lines: str, region: str = "us-east-1", role: str = "") -> str:
    return HEAD.format(region=region, role=role) + "\n".join(lines) + "\n"


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/R"


PLAN_ROLE = role("999999999999")
TARGETS = (
    "targets:\n"
    "  us:\n"
    "    region: us-east-1\n"
    f'    card_account: {{id: "111111111111", plan_role_arn: "{PLAN_ROLE}"}}\n'
    '  eu: {region: eu-westt-1, card_account: {id: "222222222222"}}\n'
)

CASES = [
    pytest.param(config.region_known, yaml(), [], id="a-sagemaker-region"),
    pytest.param(
        config.region_known, yaml(region="eu-central-1"), [], id="another-sagemaker-region"
    ),
    pytest.param(
        config.region_known,
        yaml(region="us-east-9"),
        [Found(Y, "$.region", "region", 1)],
        id="an-unknown-region",
    ),
    pytest.param(
        config.region_known,
        TARGETS,
        [Found(Y, "$.targets.eu.region", "region", 5)],
        id="each-targets-region",
    ),
    pytest.param(
        config.roles_match_accounts,
        yaml(role=f', role_arn: "{role("111111111111")}"'),
        [],
        id="a-card-account-role-of-the-card-account",
    ),
    pytest.param(
        config.roles_match_accounts,
        yaml(role=f', role_arn: "{role("222222222222")}"'),
        [Found(Y, "$.card_account.role_arn", "role-account", 2)],
        id="a-card-account-role-of-another-account",
    ),
    pytest.param(
        config.roles_match_accounts,
        TARGETS,
        [Found(Y, "$.targets.us.card_account.plan_role_arn", "role-account", 4)],
        id="a-targets-plan-role-of-another-account",
    ),
    pytest.param(
        config.roles_match_accounts,
        yaml(
            "accounts:",
            f'  dev: {{id: "222222222222", role_arn: "{role("222222222222")}"}}',
            f'  test: {{id: "333333333333", role_arn: "{role("222222222222")}"}}',
        ),
        [Found(Y, "$.accounts.test.role_arn", "role-account", 5)],
        id="an-accounts-role-of-another-account",
    ),
    pytest.param(
        config.account_ids_unique,
        yaml("accounts:", '  dev: {id: "222222222222"}', '  qa: {id: "222222222222"}'),
        [Found(Y, "$.accounts.qa.id", "account-id", 5)],
        id="one-id-under-two-names",
    ),
    pytest.param(
        config.account_ids_unique,
        yaml("accounts:", '  me: {id: "111111111111"}'),
        [Found(Y, "$.accounts.me.id", "account-id", 4)],
        id="the-card-account-as-a-share-target",
    ),
    pytest.param(
        config.account_ids_unique,
        TARGETS + 'accounts:\n  eu: {id: "222222222222"}\n',
        [],
        id="with-targets-another-targets-card-account-may-be-a-share-target",
    ),
    pytest.param(
        config.permission_names_free,
        yaml(
            "permissions:",
            "  AWSRAMPermissionSageMakerModelCards: {actions: [sagemaker:DescribeModelCard]}",
            "  read-only: {actions: [sagemaker:DescribeModelCard]}",
        ),
        [Found(Y, "$.permissions.AWSRAMPermissionSageMakerModelCards", "permission-name", 4)],
        id="a-permission-named-like-an-aws-managed-one",
    ),
    pytest.param(
        config.only_approved_cards_approve,
        yaml("registry: {sync_approval: true, mapping: {Approved: Approved}}"),
        [],
        id="approved-approves",
    ),
    pytest.param(
        config.only_approved_cards_approve,
        yaml(
            "registry:",
            "  mapping:",
            "    Draft: Approved",
            "    PendingReview: PendingManualApproval",
            "    Archived: Approved",
        ),
        [
            Found(Y, "$.registry.mapping.Draft", "registry-approval", 5),
            Found(Y, "$.registry.mapping.Archived", "registry-approval", 7),
        ],
        id="other-statuses-may-not-approve",
    ),
    pytest.param(
        config.only_approved_cards_approve,
        yaml("registry: {mapping: {Draft: Rejected, Approved: null}}"),
        [],
        id="rejecting-or-leaving-alone-is-fine",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_rule(rule: Rule, text: str, expected: list[Found]) -> None:
    """Diagnostics are sorted before they are shown: here by line."""
    assert sorted(found(rule(rule_input({}, text))), key=lambda f: f.line) == expected


def test_the_example_reconciler_yaml_passes_every_rule() -> None:
    data = rule_input({})
    assert [d for rule in config.RULES for d in rule(data)] == []


def test_a_region_message_says_what_to_check() -> None:
    (problem,) = config.region_known(rule_input({}, yaml(region="us-east-9")))
    assert problem.message.startswith("'us-east-9' is not a region where SageMaker is available")


def test_a_role_message_names_both_accounts() -> None:
    text = yaml(role=f', role_arn: "{role("222222222222")}"')
    (problem,) = config.roles_match_accounts(rule_input({}, text))
    assert problem.message == (
        f"role {role('222222222222')} is in account 222222222222, not 111111111111: "
        "use a role of account 111111111111"
    )


def test_a_duplicate_account_names_the_name_it_already_has() -> None:
    (problem,) = config.account_ids_unique(
        rule_input({}, yaml("accounts:", '  me: {id: "111111111111"}'))
    )
    assert "already declared as 'card_account'" in problem.message


def test_a_permission_name_is_placed_on_its_key() -> None:
    text = yaml("permissions:", "  AWSRAMPermissionSageMakerModelCards: {actions: [a]}")
    (problem,) = config.permission_names_free(rule_input({}, text))
    assert (problem.line, problem.column) == (4, 3)


def test_sagemaker_regions_come_from_botocore_across_partitions() -> None:
    regions = config.known_regions()
    assert {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"} <= regions
    assert "us-east-9" not in regions
