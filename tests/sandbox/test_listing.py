"""ListModelCards / ListModelCardVersions: filters, sorting and pagination."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sm(aws):
    return aws("sagemaker")


def make(sm, name: str, status: str = "Draft", text: str = "x") -> None:
    content = json.dumps({"model_overview": {"model_description": text}})
    sm.create_model_card(ModelCardName=name, Content=content, ModelCardStatus=status)


def names(page: dict) -> list[str]:
    return [s["ModelCardName"] for s in page["ModelCardSummaries"]]


def test_default_sort_is_newest_first_and_name_sort_works(sandbox, sm) -> None:
    for name in ("b-card", "a-card", "c-card"):
        make(sm, name)
        sandbox.advance(1)
    assert names(sm.list_model_cards()) == ["c-card", "a-card", "b-card"]
    assert names(sm.list_model_cards(SortBy="Name", SortOrder="Ascending")) == [
        "a-card",
        "b-card",
        "c-card",
    ]


def test_name_contains_is_case_insensitive(sm) -> None:
    make(sm, "Fraud-Model")
    make(sm, "churn")
    assert names(sm.list_model_cards(NameContains="fraud")) == ["Fraud-Model"]


def test_status_filter_uses_latest_version_only(sm) -> None:
    make(sm, "moved")
    sm.update_model_card(ModelCardName="moved", Content=json.dumps({"a": 1}))
    sm.update_model_card(ModelCardName="moved", ModelCardStatus="Approved")
    make(sm, "stays")
    assert names(sm.list_model_cards(ModelCardStatus="Draft")) == ["stays"]
    page = sm.list_model_cards(ModelCardStatus="Approved")
    assert names(page) == ["moved"]
    assert page["ModelCardSummaries"][0]["ModelCardStatus"] == "Approved"


def test_creation_time_filters_use_card_creation_not_updates(sandbox, sm) -> None:
    make(sm, "old")
    sandbox.advance(100)
    cut = sandbox.now()
    sandbox.advance(100)
    make(sm, "new")
    sm.update_model_card(ModelCardName="old", Content=json.dumps({"b": 2}))
    assert names(sm.list_model_cards(CreationTimeAfter=cut)) == ["new"]
    assert names(sm.list_model_cards(CreationTimeBefore=cut)) == ["old"]


def test_pagination_covers_everything_once(sm) -> None:
    for i in range(7):
        make(sm, f"card-{i}")
    seen, token, pages = [], None, 0
    while True:
        page = sm.list_model_cards(MaxResults=3, **({"NextToken": token} if token else {}))
        seen += names(page)
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(seen) == [f"card-{i}" for i in range(7)] and pages == 3
    paginated = sm.get_paginator("list_model_cards").paginate(PaginationConfig={"PageSize": 2})
    assert len([n for p in paginated for n in names(p)]) == 7


def test_default_page_size_is_ten(sm) -> None:
    for i in range(12):
        make(sm, f"card-{i}")
    page = sm.list_model_cards()
    assert len(page["ModelCardSummaries"]) == 10 and "NextToken" in page


@pytest.mark.parametrize("token", ["garbage", "eyJvIjogMywgImYiOiAiMDAwMDAwMDAwMDAwMDAwMCJ9"])
def test_invalid_or_foreign_token_is_a_validation_error(sm, token: str) -> None:
    with pytest.raises(ClientError) as exc:
        sm.list_model_cards(NextToken=token)
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_token_reused_with_other_filters_is_rejected(sm) -> None:
    for i in range(3):
        make(sm, f"card-{i}")
    token = sm.list_model_cards(MaxResults=1)["NextToken"]
    with pytest.raises(ClientError):
        sm.list_model_cards(MaxResults=1, NextToken=token, NameContains="card")


def test_max_results_over_100_is_rejected(sm) -> None:
    with pytest.raises(ClientError) as exc:
        sm.list_model_cards(MaxResults=101)
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_versions_filter_sort_and_page(sandbox, sm) -> None:
    make(sm, "card", text="v1")
    sandbox.advance(10)
    cut = sandbox.now()
    for text in ("v2", "v3", "v4"):
        sandbox.advance(10)
        sm.update_model_card(ModelCardName="card", Content=json.dumps({"t": text}))
    sm.update_model_card(ModelCardName="card", ModelCardStatus="Approved")

    def versions(**kw) -> list[int]:
        page = sm.list_model_card_versions(ModelCardName="card", **kw)
        return [v["ModelCardVersion"] for v in page["ModelCardVersionSummaryList"]]

    assert versions() == [4, 3, 2, 1]
    assert versions(SortBy="Version", SortOrder="Ascending") == [1, 2, 3, 4]
    assert versions(ModelCardStatus="Approved") == [4]
    assert versions(CreationTimeAfter=cut) == [4, 3, 2]
    paginator = sm.get_paginator("list_model_card_versions")
    pages = list(paginator.paginate(ModelCardName="card", PaginationConfig={"PageSize": 3}))
    assert [len(p["ModelCardVersionSummaryList"]) for p in pages] == [3, 1]


def test_versions_of_unknown_card_is_not_found(sm) -> None:
    with pytest.raises(ClientError) as exc:
        sm.list_model_card_versions(ModelCardName="nope")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"
