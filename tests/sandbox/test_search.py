"""Search(Resource="ModelCard"): content and tags in results, filters, sort, paging, delay."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sm(aws):
    return aws("sagemaker")


def make(sm, name: str, status: str = "Draft", team: str | None = None) -> None:
    tags = [{"Key": "team", "Value": team}] if team else []
    sm.create_model_card(
        ModelCardName=name, Content=json.dumps({"n": name}), ModelCardStatus=status, Tags=tags
    )


def search(sm, *filters: dict, operator: str = "And", **kw) -> list[str]:
    expr = {"Filters": list(filters), "Operator": operator} if filters else None
    result = sm.search(Resource="ModelCard", **({"SearchExpression": expr} if expr else {}), **kw)
    return [r["ModelCard"]["ModelCardName"] for r in result["Results"]]


def test_results_carry_content_and_tags(sm) -> None:
    make(sm, "card-a", team="risk")
    record = sm.search(Resource="ModelCard")["Results"][0]["ModelCard"]
    assert record["Content"] == json.dumps({"n": "card-a"})
    assert record["Tags"] == [{"Key": "team", "Value": "risk"}]
    assert record["ModelCardVersion"] == 1


def test_filters_by_name_status_and_tags(sm) -> None:
    make(sm, "card-a", team="risk")
    make(sm, "card-b", status="Approved", team="ops")
    make(sm, "other")
    assert search(sm, {"Name": "ModelCardName", "Operator": "Equals", "Value": "card-a"}) == [
        "card-a"
    ]
    assert search(sm, {"Name": "ModelCardStatus", "Operator": "NotEquals", "Value": "Draft"}) == [
        "card-b"
    ]
    assert sorted(
        search(sm, {"Name": "ModelCardName", "Operator": "Contains", "Value": "card"})
    ) == ["card-a", "card-b"]
    assert sorted(search(sm, {"Name": "Tags.team", "Operator": "Exists"})) == ["card-a", "card-b"]
    assert search(sm, {"Name": "Tags.team", "Operator": "NotExists"}) == ["other"]
    assert search(sm, {"Name": "Tags.team", "Operator": "In", "Value": "ops,finance"}) == ["card-b"]


def test_and_or_and_sub_expressions(sm) -> None:
    make(sm, "card-a", team="risk")
    make(sm, "card-b", status="Approved", team="risk")
    make(sm, "card-c", status="Approved")
    risk = {"Name": "Tags.team", "Value": "risk"}
    approved = {"Name": "ModelCardStatus", "Value": "Approved"}
    assert search(sm, risk, approved) == ["card-b"]
    assert sorted(search(sm, risk, approved, operator="Or")) == ["card-a", "card-b", "card-c"]
    expr = {"SubExpressions": [{"Filters": [risk]}, {"Filters": [approved]}], "Operator": "And"}
    result = sm.search(Resource="ModelCard", SearchExpression=expr)["Results"]
    assert [r["ModelCard"]["ModelCardName"] for r in result] == ["card-b"]


def test_sort_and_pagination(sandbox, sm) -> None:
    for name in ("b", "c", "a"):
        make(sm, name)
        sandbox.advance(1)
    assert search(sm) == ["a", "c", "b"]  # default: LastModifiedTime, Descending
    assert search(sm, SortBy="ModelCardName", SortOrder="Ascending") == ["a", "b", "c"]
    pages = sm.get_paginator("search").paginate(
        Resource="ModelCard", PaginationConfig={"PageSize": 2}
    )
    assert [len(p["Results"]) for p in pages] == [2, 1]
    assert sm.search(Resource="ModelCard", MaxResults=1)["TotalHits"] == {
        "Value": 3,
        "Relation": "EqualTo",
    }


def test_max_results_over_100_is_rejected(sm) -> None:
    with pytest.raises(ClientError) as exc:
        sm.search(Resource="ModelCard", MaxResults=101)
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_only_own_account(aws) -> None:
    make(aws("sagemaker"), "mine")
    assert search(aws("sagemaker", "222222222222")) == []


def test_index_delay_makes_search_eventually_consistent(sandbox, sm) -> None:
    sandbox.configure(replace(sandbox.config, search_index_delay_seconds=30.0))
    make(sm, "card-a")
    assert search(sm) == []
    sandbox.advance(31)
    assert search(sm) == ["card-a"]
    sm.update_model_card(ModelCardName="card-a", ModelCardStatus="Approved")
    status = {"Name": "ModelCardStatus", "Value": "Approved"}
    assert search(sm, status) == []
    sandbox.advance(31)
    assert search(sm, status) == ["card-a"]


def test_deleted_cards_leave_the_index(sm) -> None:
    make(sm, "card-a")
    sm.delete_model_card(ModelCardName="card-a")
    assert search(sm) == []


def test_filter_without_value_is_rejected(sm) -> None:
    make(sm, "card-a")
    with pytest.raises(ClientError) as exc:
        search(sm, {"Name": "ModelCardName", "Operator": "Equals"})
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_other_resources_still_reach_moto(sm) -> None:
    result = sm.search(Resource="TrainingJob")
    assert result["Results"] == []


def test_derived_model_id_and_risk_rating_are_searchable(sm) -> None:
    content = {
        "model_overview": {"model_id": "arn:aws:sagemaker:us-east-1:1:model/m"},
        "intended_uses": {"risk_rating": "High"},
    }
    sm.create_model_card(
        ModelCardName="linked", Content=json.dumps(content), ModelCardStatus="Draft"
    )
    make(sm, "plain")
    model = {"Name": "ModelId", "Value": "arn:aws:sagemaker:us-east-1:1:model/m"}
    assert search(sm, model) == ["linked"]
    record = sm.search(Resource="ModelCard", SearchExpression={"Filters": [model]})["Results"][0]
    assert record["ModelCard"]["RiskRating"] == "High"
