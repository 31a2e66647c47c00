"""iam.reads: what plan reads in the card account, version history only for drift, and
the Organization only when reconciler.yaml names one."""

from __future__ import annotations

from dataclasses import replace

from reconciler.iam.reads import CARD_LISTS, SHARE_LISTS, organization_statements, read_statements
from reconciler.iam.scope import Scope, Statement
from tests.unit.builders import example

GIT = example()
S = Scope.for_state(GIT)


def by_sid(statements: list[Statement]) -> dict[str, Statement]:
    return {s["Sid"]: s for s in statements}


def test_list_actions_without_resource_level_permissions_are_the_only_ones_on_star() -> None:
    found = read_statements(S, history=False)
    star = sorted(a for s in found if s["Resource"] == "*" for a in s["Action"])
    assert star == sorted([*CARD_LISTS, *SHARE_LISTS])


def test_plan_reads_the_accounts_cards_shares_and_permissions() -> None:
    found = by_sid(read_statements(S, history=False))
    assert found["ReadModelCards"]["Resource"] == S.cards
    assert found["ReadModelCards"]["Action"] == [
        "sagemaker:DescribeModelCard",
        "sagemaker:ListTags",
    ]
    assert found["ReadSharePermissions"]["Resource"] == S.shares
    assert found["ReadCustomerManagedPermissions"]["Resource"] == S.permissions
    assert not any("Condition" in s for s in found.values()), "reads need no ownership"


def test_only_drift_reads_the_version_history() -> None:
    history = by_sid(read_statements(S, history=True))["ReadModelCards"]["Action"]
    plain = by_sid(read_statements(S, history=False))["ReadModelCards"]["Action"]
    assert set(history) - set(plain) == {"sagemaker:ListModelCardVersions"}


def test_the_organization_is_read_only_when_reconciler_yaml_names_one() -> None:
    assert organization_statements(GIT) == []
    named = replace(GIT, config=replace(GIT.config, organization_id="o-abcdefghij"))
    assert organization_statements(named) == [
        {
            "Sid": "ReadOrganization",
            "Effect": "Allow",
            "Action": ["organizations:DescribeOrganization"],
            "Resource": "*",
        }
    ]
