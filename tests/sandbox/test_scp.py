"""Service control policies of the Organization the accounts file declares
(``organization.scps``: policies by the root, OU or account they are attached to).

As in AWS Organizations, every level from the root down to the account must allow the
request (a level without policies is ``FullAWSAccess``), an explicit Deny at any level wins,
the root user of a member account is limited as well, and the management account is not.
``reconciler iam-policy --role consumer-guard`` prints a policy meant to be attached this
way: attached to prod, it keeps the card account's cards read-only there whatever the
share's permission allows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import Organization
from tests.sandbox.conftest import DEV, OWNER, allow, deny
from tests.sandbox.test_cross_account import share

GUARD = {
    "Version": "2012-10-17",
    "Statement": [
        deny(
            ["sagemaker:UpdateModelCard", "sagemaker:DeleteModelCard"],
            f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/*",
            condition={"StringEquals": {"aws:PrincipalAccount": DEV}},
        ),
        allow("*"),
    ],
}


def organization(scps: dict[str, Any]) -> Organization:
    return Organization(
        management_account=OWNER,
        members=frozenset({DEV}),
        ram_sharing_enabled=False,  # dev still accepts an invitation
        units={"ou-sb01-dev00001": frozenset({DEV})},
        scps={target: tuple(documents) for target, documents in scps.items()},
    )


def code(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


@pytest.fixture
def card(account: Any) -> str:
    return str(
        account(OWNER).sagemaker.create_model_card(
            ModelCardName="churn", Content="{}", ModelCardStatus="Draft"
        )["ModelCardArn"]
    )


def test_the_consumer_guard_as_an_scp_keeps_shared_cards_read_only(
    sandbox: Any, account: Any, card: str
) -> None:
    share(sandbox, account, card)  # the default permission allows UpdateModelCard
    sandbox.configure(replace(sandbox.config, organization=organization({DEV: [GUARD]})))
    dev = account(DEV).sagemaker
    assert dev.describe_model_card(ModelCardName=card)["ModelCardName"] == "churn"
    found, message = code(dev.update_model_card, ModelCardName=card, Content='{"a": {}}')
    assert found == "AccessDeniedException"
    assert message.endswith("with an explicit deny in a service control policy")


def test_every_level_must_allow(sandbox: Any, account: Any) -> None:
    describe_only = {"Version": "2012-10-17", "Statement": [allow("sagemaker:Describe*")]}
    scps = {"ou-sb01-dev00001": [describe_only]}
    sandbox.configure(replace(sandbox.config, organization=organization(scps)))
    found, message = code(account(DEV).sagemaker.list_model_cards)
    assert found == "AccessDeniedException"
    assert message.endswith(
        "because no service control policy allows the sagemaker:ListModelCards action"
    )


def test_the_management_account_is_not_limited(sandbox: Any, account: Any) -> None:
    nothing = {"Version": "2012-10-17", "Statement": [deny("*")]}
    sandbox.configure(replace(sandbox.config, organization=organization({"r-sb01": [nothing]})))
    account(OWNER).sagemaker.list_model_cards()
    assert code(account(DEV).sagemaker.list_model_cards)[0] == "AccessDeniedException"


def test_an_account_outside_the_organization_is_not_limited(sandbox: Any, account: Any) -> None:
    nothing = {"Version": "2012-10-17", "Statement": [deny("*")]}
    sandbox.configure(replace(sandbox.config, organization=organization({"r-sb01": [nothing]})))
    account("555555555555").sagemaker.list_model_cards()
