"""iam.guard: the consumer guard for a target account keeps the card account's model
cards read-only there, and allows everything else, so it serves as a service control
policy or as a permissions boundary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.iam.guard import GUARDED_ACTIONS, guard_document
from tests.unit.builders import PROD, TEST, example

GIT = example()


@pytest.mark.parametrize(("account", "account_id"), [("prod", PROD), ("test", TEST)])
def test_the_guard_denies_the_named_accounts_principals_changing_the_cards(
    account: str, account_id: str
) -> None:
    deny, allow = guard_document(GIT, account)["Statement"]
    cards = "arn:aws:sagemaker:us-east-1:111111111111:model-card/*"
    assert deny == {
        "Sid": "KeepCardAccountModelCardsReadOnly",
        "Effect": "Deny",
        "Action": list(GUARDED_ACTIONS),
        "Resource": [cards, f"{cards}/*"],
        "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}},
    }
    assert allow == {
        "Sid": "AllowEverythingElse",
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
    }


def test_the_guarded_actions_are_the_writes_and_exports_of_a_card() -> None:
    assert set(GUARDED_ACTIONS) == {
        "sagemaker:CreateModelCardExportJob",
        "sagemaker:DeleteModelCard",
        "sagemaker:UpdateModelCard",
    }
    assert list(GUARDED_ACTIONS) == sorted(GUARDED_ACTIONS)


@pytest.mark.parametrize(
    "account", [None, "staging", "444444444444"], ids=["none", "unknown", "an-id"]
)
def test_the_guard_needs_an_account_named_in_reconciler_yaml(account: str | None) -> None:
    with pytest.raises(ReconcilerError) as refused:
        guard_document(GIT, account)
    assert refused.value.message.endswith(f"got {account!r}")
    assert refused.value.hint == "use one of: dev, prod, test"


def test_without_declared_accounts_the_hint_says_so() -> None:
    bare = replace(GIT, config=replace(GIT.config, accounts={}))
    with pytest.raises(ReconcilerError) as refused:
        guard_document(bare, "prod")
    assert refused.value.hint == "use one of: none declared"
