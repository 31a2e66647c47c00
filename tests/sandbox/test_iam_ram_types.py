"""``ram:RequestedResourceType`` comes from every resource ARN RAM shares, so a policy that
lets a role share only model cards denies a model package group at IAM, as AWS does.

The reproduction of issue 22: the key was set only for model-card ARNs, so the printed
apply policy's ``StringEqualsIfExists ram:RequestedResourceType = sagemaker:ModelCard``
let a model package group through IAM (the key was absent), and RAM failed it later with
``MalformedArn``.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.ram.resource_types import resource_type
from tests.sandbox.conftest import DEV, OWNER, REGION, allow

GROUP = f"arn:aws:sagemaker:{REGION}:{OWNER}:model-package-group/churn"
MODEL_CARDS_ONLY = {"StringEqualsIfExists": {"ram:RequestedResourceType": "sagemaker:ModelCard"}}
RESOURCE_POLICY = allow(
    ["sagemaker:PutResourcePolicy", "sagemaker:GetResourcePolicy", "sagemaker:DeleteResourcePolicy"]
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


@pytest.fixture
def sharer(role: Any) -> Any:
    """A role that may share model cards only, as the printed apply policy says."""
    return role(
        allow("ram:CreateResourceShare", condition=MODEL_CARDS_ONLY),
        allow(["ram:AssociateResourceShare", "ram:GetResourceShares"]),
        RESOURCE_POLICY,
    )


def test_a_model_package_group_is_denied_at_iam(sharer: Any, account: Any) -> None:
    account(OWNER).sagemaker.create_model_package_group(ModelPackageGroupName="churn")
    found, message = code(sharer.ram.create_resource_share, name="s", resourceArns=[GROUP])
    assert found == "AccessDeniedException", message
    assert "ram:CreateResourceShare" in message


def test_a_model_card_is_allowed(sharer: Any, card: str) -> None:
    sharer.ram.create_resource_share(name="s", resourceArns=[card], principals=[DEV])


def test_a_card_and_a_group_together_are_denied(sharer: Any, card: str) -> None:
    found, _ = code(sharer.ram.create_resource_share, name="s", resourceArns=[card, GROUP])
    assert found == "AccessDeniedException"


def test_one_evaluation_for_all_resources_is_a_switch(sandbox: Any, sharer: Any, card: str) -> None:
    sandbox.configure(SandboxConfig(iam_ram_resources_one_by_one=False))
    found, _ = code(sharer.ram.create_resource_share, name="s", resourceArns=[card, GROUP])
    assert found != "AccessDeniedException"  # multivalued: the card's type matches


def test_a_share_without_resources_has_no_resource_type(sharer: Any) -> None:
    sharer.ram.create_resource_share(name="s", principals=[DEV])


def test_an_arn_whose_type_the_sandbox_cannot_name_is_a_loud_error(sharer: Any) -> None:
    subnet = f"arn:aws:ec2:{REGION}:{OWNER}:subnet/subnet-1"
    found, message = code(sharer.ram.create_resource_share, name="s", resourceArns=[subnet])
    assert found == "SandboxCannotEvaluateCondition"
    assert "RAM's resource type of " + subnet in message


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:model-card/churn", "sagemaker:ModelCard"),
        (GROUP, "sagemaker:ModelPackageGroup"),
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:pipeline/train", "sagemaker:Pipeline"),
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:lineage-group/g", "sagemaker:LineageGroup"),
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:feature-group/f", "sagemaker:FeatureGroup"),
        (
            f"arn:aws:sagemaker:{REGION}:{OWNER}:sagemaker-catalog/DefaultFeatureGroupCatalog",
            "sagemaker:SagemakerCatalog",
        ),
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:model-package/churn/1", None),
        (f"arn:aws:sagemaker:{REGION}:{OWNER}:model-card/churn/export-job/j", None),
        (f"arn:aws:ec2:{REGION}:{OWNER}:subnet/subnet-1", None),
        ("not-an-arn", None),
    ],
)
def test_resource_types_by_arn(arn: str, expected: str | None) -> None:
    assert resource_type(arn) == expected
