"""Model-card create/describe/update/delete over HTTP, with AWS's validation and lifecycle."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from botocore.exceptions import ClientError

OWNER = "111111111111"
CONTENT = json.dumps({"model_overview": {"model_description": "first"}})
CONTENT_2 = json.dumps({"model_overview": {"model_description": "second"}})


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


@pytest.fixture
def sm(aws):
    return aws("sagemaker")


def create(sm, name: str = "card-a", status: str = "Draft", **kw):
    return sm.create_model_card(ModelCardName=name, Content=CONTENT, ModelCardStatus=status, **kw)


def test_create_then_describe_returns_every_field(sm) -> None:
    arn = create(sm, SecurityConfig={"KmsKeyId": "alias/k"})["ModelCardArn"]
    card = sm.describe_model_card(ModelCardName="card-a")
    assert arn == f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/card-a"
    assert (card["ModelCardVersion"], card["Content"], card["ModelCardStatus"]) == (
        1,
        CONTENT,
        "Draft",
    )
    assert card["SecurityConfig"] == {"KmsKeyId": "alias/k"}
    who = card["CreatedBy"]["IamIdentity"]
    assert who["Arn"] == f"arn:aws:sts::{OWNER}:assumed-role/SandboxAdmin/sandbox"
    assert who["PrincipalId"].endswith(":sandbox")
    assert card["LastModifiedBy"] == card["CreatedBy"]
    assert "ModelCardProcessingStatus" not in card


def test_describe_accepts_own_arn_and_rejects_other_region(sm) -> None:
    arn = create(sm)["ModelCardArn"]
    assert sm.describe_model_card(ModelCardName=arn)["ModelCardName"] == "card-a"
    with pytest.raises(ClientError) as exc:
        sm.describe_model_card(ModelCardName=arn.replace("us-east-1", "eu-west-1"))
    assert code(exc) == "ResourceNotFound"


def test_duplicate_name_conflicts(sm) -> None:
    create(sm)
    with pytest.raises(ClientError) as exc:
        create(sm)
    assert code(exc) == "ConflictException"


@pytest.mark.parametrize("name", ["bad_name!", "-lead", "a" * 64, "trail-"])
def test_invalid_names_are_rejected(sm, name: str) -> None:
    with pytest.raises(ClientError) as exc:
        create(sm, name=name)
    assert code(exc) == "ValidationException"
    assert "modelCardName" in exc.value.response["Error"]["Message"]


def test_arn_is_not_a_name_for_create_and_delete(sm) -> None:
    arn = create(sm)["ModelCardArn"]
    for call in (lambda: create(sm, name=arn), lambda: sm.delete_model_card(ModelCardName=arn)):
        with pytest.raises(ClientError) as exc:
            call()
        assert code(exc) == "ValidationException"


@pytest.mark.parametrize("content", ["{not json", "x" * 100_001])
def test_content_must_be_json_within_limit(sm, content: str) -> None:
    with pytest.raises(ClientError) as exc:
        sm.create_model_card(ModelCardName="c", Content=content, ModelCardStatus="Draft")
    assert code(exc) == "ValidationException"


def test_status_must_be_in_enum(sm) -> None:
    with pytest.raises(ClientError) as exc:
        create(sm, status="Bogus")
    assert "enum value set" in exc.value.response["Error"]["Message"]


def test_content_update_adds_version_and_carries_status(sm) -> None:
    create(sm, status="PendingReview")
    sm.update_model_card(ModelCardName="card-a", Content=CONTENT_2)
    card = sm.describe_model_card(ModelCardName="card-a")
    assert (card["ModelCardVersion"], card["Content"], card["ModelCardStatus"]) == (
        2,
        CONTENT_2,
        "PendingReview",
    )
    assert sm.describe_model_card(ModelCardName="card-a", ModelCardVersion=1)["Content"] == CONTENT


def test_status_update_keeps_version_and_content(sm) -> None:
    create(sm)
    before = sm.describe_model_card(ModelCardName="card-a")
    sm.update_model_card(ModelCardName="card-a", ModelCardStatus="Approved")
    card = sm.describe_model_card(ModelCardName="card-a")
    assert (card["ModelCardVersion"], card["Content"], card["ModelCardStatus"]) == (
        1,
        CONTENT,
        "Approved",
    )
    assert card["LastModifiedTime"] >= before["LastModifiedTime"]


def test_noop_updates_add_no_version(sm) -> None:
    create(sm)
    sm.update_model_card(ModelCardName="card-a")
    sm.update_model_card(ModelCardName="card-a", Content=json.dumps(json.loads(CONTENT), indent=4))
    sm.update_model_card(ModelCardName="card-a", ModelCardStatus="Draft")
    versions = sm.list_model_card_versions(ModelCardName="card-a")["ModelCardVersionSummaryList"]
    assert [v["ModelCardVersion"] for v in versions] == [1]


def test_content_and_status_together_is_rejected(sm) -> None:
    create(sm)
    with pytest.raises(ClientError) as exc:
        sm.update_model_card(ModelCardName="card-a", Content=CONTENT_2, ModelCardStatus="Approved")
    assert code(exc) == "ValidationException"


def test_archived_is_terminal(sm) -> None:
    create(sm, status="Archived")
    with pytest.raises(ClientError) as exc:
        sm.update_model_card(ModelCardName="card-a", Content=CONTENT_2)
    assert exc.value.response["Error"]["Message"] == "Model Card is in Archived state"
    with pytest.raises(ClientError) as exc:
        sm.update_model_card(ModelCardName="card-a", ModelCardStatus="Draft")
    assert code(exc) == "ValidationException"


def test_update_unknown_card_is_not_found(sm) -> None:
    with pytest.raises(ClientError) as exc:
        sm.update_model_card(ModelCardName="nope", Content=CONTENT)
    assert code(exc) == "ResourceNotFound"


def test_unknown_version_is_not_found(sm) -> None:
    create(sm)
    with pytest.raises(ClientError) as exc:
        sm.describe_model_card(ModelCardName="card-a", ModelCardVersion=7)
    assert code(exc) == "ResourceNotFound"


def test_delete_walks_processing_states_then_is_gone(sandbox, sm) -> None:
    sandbox.configure(replace(sandbox.config, deletion_delay_seconds=100.0))
    create(sm)
    sm.delete_model_card(ModelCardName="card-a")
    seen = []
    for _ in range(5):
        seen.append(sm.describe_model_card(ModelCardName="card-a")["ModelCardProcessingStatus"])
        sandbox.advance(20)
    assert seen == [
        "DeletePending",
        "DeleteInProgress",
        "ContentDeleted",
        "ExportJobsDeleted",
        "DeleteCompleted",
    ]
    with pytest.raises(ClientError) as exc:
        sm.describe_model_card(ModelCardName="card-a")
    assert code(exc) == "ResourceNotFound"
    create(sm)  # the name is free again


def test_name_is_taken_while_deleting(sm) -> None:
    create(sm)
    sm.delete_model_card(ModelCardName="card-a")
    for call in (
        lambda: create(sm),
        lambda: sm.update_model_card(ModelCardName="card-a", Content=CONTENT_2),
        lambda: sm.delete_model_card(ModelCardName="card-a"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert code(exc) == "ConflictException"


def test_delete_unknown_card_is_not_found(sm) -> None:
    with pytest.raises(ClientError) as exc:
        sm.delete_model_card(ModelCardName="nope")
    assert code(exc) == "ResourceNotFound"


def test_card_quota_answers_resource_limit_exceeded(sandbox, sm) -> None:
    from reconciler.sandbox.sagemaker.cards import Quotas

    sandbox.sagemaker.cards.quotas = Quotas(cards_per_region=1)
    create(sm)
    with pytest.raises(ClientError) as exc:
        create(sm, name="card-b")
    assert code(exc) == "ResourceLimitExceeded"


def test_cards_are_private_to_their_account(aws) -> None:
    create(aws("sagemaker"))
    other = aws("sagemaker", "222222222222")
    assert other.list_model_cards()["ModelCardSummaries"] == []
    with pytest.raises(ClientError) as exc:
        other.describe_model_card(ModelCardName="card-a")
    assert code(exc) == "ResourceNotFound"


def test_metadata_only_keeps_the_documented_fields(sm) -> None:
    content = {
        "model_overview": {"model_id": "m-1", "model_description": "secret"},
        "intended_uses": {"risk_rating": "Low", "purpose_of_model": "p"},
    }
    sm.create_model_card(ModelCardName="c", Content=json.dumps(content), ModelCardStatus="Draft")
    card = sm.describe_model_card(ModelCardName="c", IncludedData="MetadataOnly")
    assert json.loads(card["Content"]) == {
        "model_overview": {"model_id": "m-1"},
        "intended_uses": {"risk_rating": "Low"},
    }
    full = sm.describe_model_card(ModelCardName="c", IncludedData="AllData")
    assert json.loads(full["Content"]) == content


def test_injected_clock_stamps_every_time() -> None:
    from reconciler.sandbox import Sandbox

    with Sandbox(clock=lambda: 1_700_000_000.0) as sb:
        sb.reset()
        sm = sb.client("sagemaker")
        sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
        card = sm.describe_model_card(ModelCardName="c")
        assert card["CreationTime"].timestamp() == 1_700_000_000.0
        sb.advance(60)
        sm.update_model_card(ModelCardName="c", ModelCardStatus="Approved")
        assert sm.describe_model_card(ModelCardName="c")["LastModifiedTime"].timestamp() == (
            1_700_000_060.0
        )
