"""apply.cards: the model card step handlers called directly against stubbed SageMaker,
for what the executor's table does not show: when a card that already exists counts as
an earlier attempt's, that a replica never records a commit, and the order of a
replica's writes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.apply import cards
from reconciler.common.content import content_json
from reconciler.common.status import CardStatus
from reconciler.plan.payloads import (
    CreateCard,
    DeleteCard,
    ReplaceCard,
    ReplicateCard,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)
from tests.unit.stubs import Call, Stubbed, card_arn, describe

CARD = "Churn"
ARN = card_arn(CARD)
CONTENT = {"b": 1, "a": {"d": 2, "c": 3}}
TAGS = {"team": "churn", "managed-by": "reconciler"}
NEW = CreateCard(name=CARD, arn=ARN, status=CardStatus.DRAFT, content=CONTENT, tags=TAGS)
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def sagemaker(method: str, response: dict[str, Any] | None = None, **params: Any) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response or {})


def test_tags_are_sent_sorted_by_key() -> None:
    assert cards.sagemaker_tags({"b": "2", "a": "1"}) == [
        {"Key": "a", "Value": "1"},
        {"Key": "b", "Value": "2"},
    ]
    assert cards.sagemaker_tags({}) == []


def create_refused() -> Call:
    return Call(
        service="sagemaker",
        method="create_model_card",
        params={
            "ModelCardName": CARD,
            "ModelCardStatus": CardStatus.DRAFT,
            "Content": content_json(CONTENT),
            "Tags": cards.sagemaker_tags(TAGS),
        },
        error="ConflictException",
    )


def existing(content: str, tags: dict[str, str]) -> list[Call]:
    return [
        describe(CARD, Content=content),
        sagemaker("list_tags", {"Tags": cards.sagemaker_tags(tags)}, ResourceArn=ARN),
    ]


SAME = content_json(CONTENT)
TRACE = {"reconciler-commit": COMMIT, "reconciler-versions": "1=0123456789ab"}
ALREADY = [
    pytest.param(SAME, TAGS, True, id="same-content-and-tags"),
    pytest.param('{"a": {"c": 3, "d": 2}, "b": 1}', TAGS, True, id="same-content-other-order"),
    pytest.param(SAME, {**TAGS, **TRACE}, True, id="plus-the-audit-trails-commit-tags"),
    pytest.param(SAME, {**TAGS, "owner": "ana"}, False, id="a-tag-more"),
    pytest.param(SAME, {"team": "churn"}, False, id="without-the-ownership-tag"),
    pytest.param('{"b": 2}', TAGS, False, id="other-content"),
    pytest.param("not json", TAGS, False, id="unreadable-content"),
]


@pytest.mark.parametrize(("content", "tags", "ours"), ALREADY)
def test_a_card_that_exists_already_is_an_earlier_attempts_only_if_it_is_the_same(
    stubs: Stubbed, content: str, tags: dict[str, str], ours: bool
) -> None:
    stubs.expect(create_refused(), *existing(content, tags))
    if ours:
        assert (
            cards.create_card(stubs.ctx, NEW)
            == f"{CARD} already exists with this content (an earlier attempt)"
        )
    else:
        with pytest.raises(ClientError, match="ConflictException"):
            cards.create_card(stubs.ctx, NEW)


def test_another_refusal_of_a_create_is_not_looked_into(stubs: Stubbed) -> None:
    stubs.expect(replace(create_refused(), error="ValidationException"))
    with pytest.raises(ClientError, match="ValidationException"):
        cards.create_card(stubs.ctx, NEW)


def test_tags_with_nothing_to_set_or_remove_make_no_call(stubs: Stubbed) -> None:
    update = UpdateTags(arn=ARN, add={}, remove=())
    assert cards.update_tags(stubs.ctx, update) == "set 0 tags, removed 0"


def written(status: CardStatus | None = None, content: dict[str, Any] | None = None) -> Call:
    params: dict[str, Any] = {"ModelCardName": CARD}
    params |= {"ModelCardStatus": status} if status else {"Content": content_json(content or {})}
    return sagemaker("update_model_card", {"ModelCardArn": ARN}, **params)


def status(before: CardStatus, after: CardStatus) -> UpdateStatus:
    return UpdateStatus(name=CARD, arn=ARN, status=after, from_status=before)


DRAFT, REVIEW, APPROVED, ARCHIVED = list(CardStatus)
CONTENT_ONLY = UpdateContent(name=CARD, arn=ARN, content={"x": 1})
PROVENANCE = UpdateTags(arn=ARN, add={"reconciler-replica-version": "4"}, remove=())
REPLICAS = [
    pytest.param(
        ReplicateCard(content=CONTENT_ONLY),
        [written(content={"x": 1})],
        "wrote content of Churn",
        id="content-only",
    ),
    pytest.param(
        ReplicateCard(status=status(DRAFT, APPROVED)),
        [written(APPROVED)],
        "Churn: Draft → Approved",
        id="status-only",
    ),
    pytest.param(
        ReplicateCard(content=CONTENT_ONLY, status=status(APPROVED, ARCHIVED)),
        [written(content={"x": 1}), written(ARCHIVED)],
        "wrote content of Churn; Churn: Approved → Archived",
        id="archiving-writes-content-first",
    ),
    pytest.param(
        ReplicateCard(content=CONTENT_ONLY, status=status(ARCHIVED, REVIEW)),
        [written(REVIEW), written(content={"x": 1})],
        "Churn: Archived → PendingReview; wrote content of Churn",
        id="unarchiving-sets-the-status-first",
    ),
    pytest.param(
        ReplicateCard(tags=PROVENANCE),
        [
            sagemaker(
                "add_tags",
                {"Tags": []},
                ResourceArn=ARN,
                Tags=[{"Key": "reconciler-replica-version", "Value": "4"}],
            )
        ],
        "set its provenance tags",
        id="provenance-only",
    ),
    pytest.param(ReplicateCard(), [], "", id="nothing-to-write"),
]


@pytest.mark.parametrize(("replica", "calls", "done"), REPLICAS)
def test_a_replica_is_written_in_order_and_never_records_a_commit(
    stubs: Stubbed, replica: ReplicateCard, calls: list[Call], done: str
) -> None:
    """The context carries a commit, yet no DescribeModelCard, ListTags or AddTags of
    the audit trail follows a write: a replica's versions come from its spoke card."""
    stubs.expect(*calls)
    assert cards.replicate_card(replace(stubs.ctx, commit=COMMIT), replica) == done


def test_a_new_replica_is_created_without_a_commit(stubs: Stubbed) -> None:
    stubs.expect(
        sagemaker(
            "create_model_card",
            {"ModelCardArn": ARN},
            ModelCardName=CARD,
            ModelCardStatus=DRAFT,
            Content=content_json(CONTENT),
            Tags=cards.sagemaker_tags(TAGS),
        )
    )
    done = cards.replicate_card(replace(stubs.ctx, commit=COMMIT), ReplicateCard(create=NEW))
    assert done == f"created {ARN} (Draft)"


def test_a_card_written_from_git_records_its_commit_after_the_write(stubs: Stubbed) -> None:
    stubs.expect(
        written(content={"x": 1}),
        describe(CARD, ModelCardVersion=2),
        sagemaker("list_tags", {"Tags": []}, ResourceArn=ARN),
        sagemaker(
            "add_tags",
            {"Tags": []},
            ResourceArn=ARN,
            Tags=[
                {"Key": "reconciler-commit", "Value": COMMIT},
                {"Key": "reconciler-versions", "Value": "2=0123456789ab"},
            ],
        ),
    )
    done = cards.update_content(replace(stubs.ctx, commit=COMMIT), CONTENT_ONLY, fields=1)
    assert done == "wrote content of Churn (1 field changed)"


def test_a_replacement_whose_old_card_is_gone_already_still_waits_and_creates(
    stubs: Stubbed,
) -> None:
    """Same name: delete (already done by an earlier attempt), see it gone, create."""
    old = DeleteCard(name=CARD, arn=ARN, status=APPROVED)
    stubs.expect(
        Call(
            service="sagemaker",
            method="delete_model_card",
            params={"ModelCardName": CARD},
            error="ResourceNotFound",
        ),
        describe(CARD, gone=True),
        sagemaker(
            "create_model_card",
            {"ModelCardArn": ARN},
            ModelCardName=CARD,
            ModelCardStatus=DRAFT,
            Content=content_json(CONTENT),
            Tags=cards.sagemaker_tags(TAGS),
        ),
    )
    done = cards.replace_card(stubs.ctx, ReplaceCard(create=NEW, delete=old))
    assert done == f"deleted and created {ARN} (Draft)"
