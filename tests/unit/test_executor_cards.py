"""The executor's model card steps against stubbed SageMaker: each payload makes exactly
these calls, with these parameters, in this order, and says what it did.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from botocore.exceptions import ClientError

from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import (
    Adopt,
    CreateCard,
    DeleteCard,
    ReplaceCard,
    ReplicateCard,
    Service,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)
from tests.unit.stubs import SAGEMAKER_STEPS, Call, Stubbed, card_arn, describe, payload_types, step

CARD = "Churn"
ARN = card_arn(CARD)
CONTENT = {"model_overview": {"model_owner": "ana", "model_creator": "é"}, "a": [2, 1]}
SENT = '{"a":[2,1],"model_overview":{"model_creator":"é","model_owner":"ana"}}'  # canonical
TAGS = {"team": "churn", "managed-by": "reconciler"}
SENT_TAGS = [{"Key": "managed-by", "Value": "reconciler"}, {"Key": "team", "Value": "churn"}]
NEW = CreateCard(name=CARD, arn=ARN, status="Draft", content=CONTENT, tags=TAGS)
WITH_KEY = CreateCard(
    name=CARD, arn=ARN, status="Draft", content=CONTENT, tags=TAGS, kms_key_id="alias/k"
)
OLD = DeleteCard(name="Old", arn=card_arn("Old"), status="Approved")


def sagemaker(method: str, response: dict[str, object] | None = None, **params: object) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response or {})


def created(card: CreateCard = NEW, **extra: object) -> Call:
    return sagemaker(
        "create_model_card",
        {"ModelCardArn": card.arn},
        ModelCardName=card.name,
        ModelCardStatus=card.status,
        Content=SENT,
        Tags=SENT_TAGS,
        **extra,
    )


def deleted(name: str) -> Call:
    return sagemaker("delete_model_card", ModelCardName=name)


CASES = [
    pytest.param(
        step(Action.CREATE_CARD, NEW),
        [created()],
        f"created {ARN} (Draft)",
        id="create-sends-canonical-content-and-sorted-tags",
    ),
    pytest.param(
        step(Action.CREATE_CARD, WITH_KEY),
        [created(SecurityConfig={"KmsKeyId": "alias/k"})],
        f"created {ARN} (Draft)",
        id="create-with-a-kms-key",
    ),
    pytest.param(
        step(Action.UPDATE_CONTENT, UpdateContent(name=CARD, arn=ARN, content=CONTENT), fields=2),
        [sagemaker("update_model_card", {"ModelCardArn": ARN}, ModelCardName=CARD, Content=SENT)],
        f"wrote content of {CARD} (2 fields changed)",
        id="content-is-written-whole-as-canonical-json",
    ),
    pytest.param(
        step(
            Action.UPDATE_STATUS,
            UpdateStatus(name=CARD, arn=ARN, status="PendingReview", from_status="Draft"),
        ),
        [
            sagemaker(
                "update_model_card",
                {"ModelCardArn": ARN},
                ModelCardName=CARD,
                ModelCardStatus="PendingReview",
            )
        ],
        f"{CARD}: Draft → PendingReview",
        id="status-alone",
    ),
    pytest.param(
        step(Action.UPDATE_TAGS, UpdateTags(arn=ARN, add={"team": "churn"}, remove=("owner",))),
        [
            sagemaker("add_tags", ResourceArn=ARN, Tags=[{"Key": "team", "Value": "churn"}]),
            sagemaker("delete_tags", ResourceArn=ARN, TagKeys=["owner"]),
        ],
        "set 1 tag, removed 1",
        id="tags-set-and-removed",
    ),
    pytest.param(
        step(Action.UPDATE_TAGS, UpdateTags(arn=ARN, add={}, remove=("owner",))),
        [sagemaker("delete_tags", ResourceArn=ARN, TagKeys=["owner"])],
        "set 0 tags, removed 1",
        id="tags-only-removed",
    ),
    pytest.param(
        step(Action.ADOPT, Adopt(arn=ARN, service=Service.SAGEMAKER, tags=TAGS)),
        [sagemaker("add_tags", ResourceArn=ARN, Tags=SENT_TAGS)],
        "now managed: tagged managed-by, team",
        id="adopt-a-card-tags-it",
    ),
    pytest.param(
        step(
            Action.REPLACE_CARD,
            ReplaceCard(create=WITH_KEY, delete=DeleteCard(name=CARD, arn=ARN, status="Draft")),
        ),
        [
            deleted(CARD),
            describe(CARD, ModelCardProcessingStatus="DeleteInProgress"),
            describe(CARD, gone=True),
            created(SecurityConfig={"KmsKeyId": "alias/k"}),
        ],
        f"deleted and created {ARN} (Draft)",
        id="replace-under-the-same-name-deletes-waits-then-creates",
    ),
    pytest.param(
        step(Action.REPLACE_CARD, ReplaceCard(create=NEW, delete=OLD)),
        [created(), deleted("Old"), describe("Old", gone=True)],
        f"created {ARN} (Draft); deleted Old",
        id="rename-creates-then-deletes-the-old-card",
    ),
    pytest.param(
        step(Action.REPLICATE_CARD, ReplicateCard(create=NEW)),
        [created()],
        f"created {ARN} (Draft)",
        id="replicate-a-new-spoke-card-creates-its-replica",
    ),
    pytest.param(
        step(
            Action.REPLICATE_CARD,
            ReplicateCard(
                content=UpdateContent(name=CARD, arn=ARN, content=CONTENT),
                status=UpdateStatus(name=CARD, arn=ARN, status="Approved", from_status="Draft"),
                tags=UpdateTags(arn=ARN, add={"reconciler-replica-version": "4"}, remove=()),
            ),
        ),
        [
            sagemaker("update_model_card", {"ModelCardArn": ARN}, ModelCardName=CARD, Content=SENT),
            sagemaker(
                "update_model_card",
                {"ModelCardArn": ARN},
                ModelCardName=CARD,
                ModelCardStatus="Approved",
            ),
            sagemaker(
                "add_tags",
                ResourceArn=ARN,
                Tags=[{"Key": "reconciler-replica-version", "Value": "4"}],
            ),
        ],
        f"wrote content of {CARD}; {CARD}: Draft → Approved; set its provenance tags",
        id="replicate-writes-content-then-status-then-provenance",
    ),
    pytest.param(
        step(
            Action.REPLICATE_CARD,
            ReplicateCard(
                content=UpdateContent(name=CARD, arn=ARN, content=CONTENT),
                status=UpdateStatus(name=CARD, arn=ARN, status="Draft", from_status="Archived"),
            ),
        ),
        [
            sagemaker(
                "update_model_card",
                {"ModelCardArn": ARN},
                ModelCardName=CARD,
                ModelCardStatus="Draft",
            ),
            sagemaker("update_model_card", {"ModelCardArn": ARN}, ModelCardName=CARD, Content=SENT),
        ],
        f"{CARD}: Archived → Draft; wrote content of {CARD}",
        id="replicate-an-archived-replica-sets-its-status-first",
    ),
    pytest.param(
        step(Action.DELETE_CARD, OLD),
        [deleted("Old"), describe("Old", gone=True)],
        "deleted Old",
        id="delete-waits-until-the-card-is-gone",
    ),
    pytest.param(
        step(Action.DELETE_CARD, OLD),
        [
            Call(
                service="sagemaker",
                method="delete_model_card",
                params={"ModelCardName": "Old"},
                error="ResourceNotFound",
            ),
            describe("Old", gone=True),
        ],
        "deleted Old",
        id="delete-of-a-card-already-gone",
    ),
]


@pytest.mark.parametrize(("change", "calls", "detail"), CASES)
def test_each_card_step_makes_these_calls(
    stubs: Stubbed, change: Change, calls: list[Call], detail: str
) -> None:
    assert stubs.dispatch(change, *calls) == detail


def test_deletion_is_polled_with_backoff_until_the_card_is_gone(stubs: Stubbed) -> None:
    stubs.dispatch(
        step(Action.DELETE_CARD, OLD),
        deleted("Old"),
        describe("Old", ModelCardProcessingStatus="DeletePending"),
        describe("Old", ModelCardProcessingStatus="DeleteInProgress"),
        describe("Old", gone=True),
    )
    first, second = stubs.sleeps  # 0.01 s, then 0.02 s, each jittered down to half at most
    assert 0.005 <= first <= 0.01 <= second <= 0.02


def found_after_a_conflict(content: str) -> list[Call]:
    """CreateModelCard refused because the card exists, and that card as SageMaker has it."""
    return [
        replace(created(), error="ConflictException"),
        describe(CARD, Content=content),
        sagemaker("list_tags", {"Tags": SENT_TAGS}, ResourceArn=ARN),
    ]


def test_a_create_that_an_earlier_attempt_made_is_done(stubs: Stubbed) -> None:
    """A retried create finds the card: it is ours when content and tags match."""
    detail = stubs.dispatch(step(Action.CREATE_CARD, NEW), *found_after_a_conflict(SENT))
    assert detail == f"{CARD} already exists with this content (an earlier attempt)"


def test_a_create_conflicting_with_another_card_fails(stubs: Stubbed) -> None:
    with pytest.raises(ClientError, match="ConflictException"):
        stubs.dispatch(step(Action.CREATE_CARD, NEW), *found_after_a_conflict('{"other":1}'))


def test_every_payload_of_these_steps_has_a_case() -> None:
    assert payload_types(CASES) == SAGEMAKER_STEPS
