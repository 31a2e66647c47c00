"""live.replicas: what status a hub's replica takes from its spoke card. A spoke's API
user (or a RAM consumer of the spoke with UpdateModelCard) must not decide what the hub
shares: only a status git reviewed, or one the spoke target trusts, reaches the replica.
And what the hub must hold, read from its spokes' live cards (stubbed SageMaker): every
card of a spoke that can be replicated, under the spoke's replica name; a name two spoke
cards claim is held back with both; a Search record that is not the spoke's is no source;
what Search may show stale is read again from the card store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from reconciler.common.content import content_json
from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.replicas import confirm_sources, replicas_from, replicas_of, spoke_cards
from tests.unit.builders import example
from tests.unit.stubs import Call, stubbed_client

SPOKE = TargetSpec(name="eu", region="eu-west-1", card_account_id="555555555555", hub="hub")
ARN = "arn:aws:sagemaker:eu-west-1:555555555555:model-card/Risk"
DRAFT, REVIEW, APPROVED, ARCHIVED = (
    CardStatus.DRAFT,
    CardStatus.PENDING_REVIEW,
    CardStatus.APPROVED,
    CardStatus.ARCHIVED,
)


def spoke_card(status: CardStatus, kms_key_id: str | None = None) -> LiveCard:
    return LiveCard(
        name="Risk",
        arn=ARN,
        status=status,
        version=3,
        content={"model_overview": {"model_owner": "eu"}},
        tags={},
        kms_key_id=kms_key_id,
    )


def in_git(status: CardStatus) -> dict[str, CardSpec]:
    return {"Risk": CardSpec(name="Risk", status=status, content={}, file="cards/Risk.yaml")}


@pytest.mark.parametrize(
    ("live", "expected"),
    [
        pytest.param(APPROVED, DRAFT, id="approved-through-the-api-is-held-at-draft"),
        pytest.param(REVIEW, DRAFT, id="pending-review-is-held-at-draft"),
        pytest.param(DRAFT, DRAFT, id="draft-stays-draft"),
        pytest.param(ARCHIVED, DRAFT, id="archived-is-held-too"),
    ],
)
def test_a_card_git_does_not_declare_is_held_at_the_ceiling(
    live: CardStatus, expected: CardStatus
) -> None:
    (replica,) = replicas_of(SPOKE, [spoke_card(live)], {})
    assert replica.status is expected
    assert replica.source_status is live


def test_the_ceiling_is_configurable_and_lower_statuses_pass() -> None:
    spoke = replace(SPOKE, replica_status_ceiling=REVIEW)
    assert replicas_of(spoke, [spoke_card(APPROVED)], {})[0].status is REVIEW
    assert replicas_of(spoke, [spoke_card(DRAFT)], {})[0].status is DRAFT


def test_a_card_git_declares_takes_the_status_git_reviewed() -> None:
    """The spoke's live status may be an API edit made since (drift in the spoke): the hub
    holds the reviewed status, never the edit."""
    (replica,) = replicas_of(SPOKE, [spoke_card(APPROVED)], in_git(REVIEW))
    assert replica.status is REVIEW
    (approved,) = replicas_of(SPOKE, [spoke_card(APPROVED)], in_git(APPROVED))
    assert approved.status is APPROVED


def test_a_spoke_that_trusts_live_status_passes_it_on() -> None:
    spoke = replace(SPOKE, trust_live_status=True)
    assert replicas_of(spoke, [spoke_card(APPROVED)], {})[0].status is APPROVED


def test_the_source_key_is_recorded_for_the_diff_to_decide() -> None:
    (replica,) = replicas_of(SPOKE, [spoke_card(DRAFT, kms_key_id="arn:aws:kms:k")], {})
    assert replica.source_kms_key_id == "arn:aws:kms:k"


# -- reading the spokes ---------------------------------------------------------------------

EU = replace(SPOKE, region="eu-west-1")
AP = TargetSpec(name="ap", region="ap-south-1", card_account_id="666666666666", hub="hub")
HUB = TargetSpec(name="hub", region="us-east-1", card_account_id="111111111111")
HUB_STATE = replace(
    example(),
    config=replace(example().config, targets={"hub": HUB, "eu": EU, "ap": AP}, target="hub"),
)
WHEN = datetime(2026, 11, 20, tzinfo=timezone.utc)


def eu_arn(name: str, account: str = EU.card_account_id, region: str = EU.region) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:model-card/{name}"


def record(name: str, content: Any = None, status: str = "Approved", **more: Any) -> dict[str, Any]:
    """A card as Search (and, with ``ModelCardProcessingStatus``, Describe) returns it."""
    raw = content if isinstance(content, str) else content_json(content or {"n": name})
    return {
        "ModelCardArn": eu_arn(name),
        "ModelCardName": name,
        "ModelCardVersion": 4,
        "Content": raw,
        "ModelCardStatus": status,
        "LastModifiedTime": WHEN,
        **more,
    }


def searched(*cards: dict[str, Any]) -> Call:
    """One page of Search, sorted by name (the read starts ascending)."""
    return Call(
        service="sagemaker",
        method="search",
        params={
            "Resource": "ModelCard",
            "SortBy": "ModelCardName",
            "SortOrder": "Ascending",
            "MaxResults": 100,
        },
        response={
            "Results": [{"ModelCard": c} for c in cards],
            "TotalHits": {"Value": len(cards), "Relation": "EqualTo"},
        },
    )


def card(name: str, content: Any = None, status: str = "Approved", **more: Any) -> Call:
    """DescribeModelCard of ``name``."""
    found = {**record(name, content, status, **more), "CreationTime": WHEN, "CreatedBy": {}}
    return Call(
        service="sagemaker",
        method="describe_model_card",
        params={"ModelCardName": name},
        response=found,
    )


def listed(*cards: dict[str, Any]) -> Call:
    keys = ("ModelCardName", "ModelCardArn", "ModelCardStatus", "LastModifiedTime")
    summaries = [{**{k: c[k] for k in keys}, "CreationTime": WHEN} for c in cards]
    return Call(
        service="sagemaker",
        method="list_model_cards",
        params={"MaxResults": 100},
        response={"ModelCardSummaries": summaries},
    )


def spoke_session(client: Any) -> Any:
    """What the reader uses of a spoke's session: its SageMaker client, one worker (so the
    stubbed calls come in order)."""
    return SimpleNamespace(client=lambda _: client, settings=SimpleNamespace(max_workers=1))


def git_card(name: str, status: CardStatus = APPROVED, content: Any = None) -> CardSpec:
    return CardSpec(name=name, status=status, content=content or {"n": name}, file="c.yaml")


def test_every_readable_card_of_the_spoke_is_a_source_except_those_being_deleted() -> None:
    calls = [
        searched(record("A"), record("B", "not json")),  # nothing can be replicated from B
        card("C", ModelCardProcessingStatus="DeletePending"),  # git's, not yet in Search
        card("D", status="Draft", ModelCardProcessingStatus="DeleteCompleted"),
    ]
    declared = {"C": git_card("C"), "D": git_card("D", DRAFT)}
    with stubbed_client("sagemaker", *calls) as client:
        found = spoke_cards(EU, spoke_session(client), declared)
    state = replace(HUB_STATE, spoke_cards={"eu": declared})
    replicas, _ = replicas_from(state, {"eu": found})
    assert [(r.name, r.status, r.source_version) for r in replicas.values()] == [
        ("eu-A", DRAFT, 4),  # not in git: held at the ceiling
        ("eu-D", DRAFT, 4),
    ]


def test_a_search_record_of_another_account_or_region_is_no_source() -> None:
    """Attack: Search in the spoke answers with its own account's cards only, but the
    record is data from AWS: one whose ARN names another account (a card someone shared
    with the spoke, say) or region is not replicated as the spoke's."""
    foreign = record("Planted", ModelCardArn=eu_arn("Planted", account="999999999999"))
    elsewhere = record("Moved", ModelCardArn=eu_arn("Moved", region="us-east-1"))
    with stubbed_client("sagemaker", searched(record("A"), elsewhere, foreign)) as client:
        found = spoke_cards(EU, spoke_session(client), {})
    assert list(found) == ["A"]


def test_a_git_card_search_shows_otherwise_than_git_is_read_from_the_card_store() -> None:
    """The spoke applied it moments before (in the same run): Search may still hold the
    version before, so the card store's answer is what the hub replicates."""
    declared = {"A": git_card("A", content={"n": "new"}), "B": git_card("B")}
    calls = [searched(record("A", {"n": "old"}), record("B")), card("A", {"n": "new"})]
    with stubbed_client("sagemaker", *calls) as client:
        found = spoke_cards(EU, spoke_session(client), declared)
    assert found["A"].content == {"n": "new"} and found["A"].confirmed
    assert not found["B"].confirmed


def test_a_spoke_without_cards_has_no_source() -> None:
    with stubbed_client("sagemaker", searched()) as client:
        assert spoke_cards(EU, spoke_session(client), {}) == {}


def live(name: str, status: CardStatus = APPROVED, spoke: TargetSpec = EU) -> LiveCard:
    arn = eu_arn(name, spoke.card_account_id, spoke.region)
    return LiveCard(name=name, arn=arn, status=status, version=4, content={"n": name}, tags={})


def test_the_hub_holds_a_replica_of_every_card_of_each_spoke() -> None:
    sources = {"ap": {"Risk": live("Risk", spoke=AP)}, "eu": {"Churn": live("Churn")}}
    found, conflicts = replicas_from(HUB_STATE, sources)
    assert conflicts == {}
    assert {n: (r.spoke, r.source_arn) for n, r in found.items()} == {
        "ap-Risk": ("ap", eu_arn("Risk", AP.card_account_id, AP.region)),
        "eu-Churn": ("eu", eu_arn("Churn")),
    }


def test_a_replica_name_two_spoke_cards_claim_is_held_back_with_both() -> None:
    targets = {
        "hub": HUB,
        "eu": replace(EU, replica_name="{card}"),
        "ap": replace(AP, replica_name="{card}"),
    }
    state = replace(HUB_STATE, config=replace(HUB_STATE.config, targets=targets))
    sources = {
        "ap": {"Churn": live("Churn", spoke=AP)},
        "eu": {"Churn": live("Churn"), "Risk": live("Risk")},
    }
    found, conflicts = replicas_from(state, sources)
    assert list(found) == ["Risk"]
    assert {n: [r.spoke for r in claims] for n, claims in conflicts.items()} == {
        "Churn": ["ap", "eu"]
    }


def test_a_replica_the_plan_would_write_is_read_from_its_spoke_card_again() -> None:
    sources = {"eu": {"A": live("A"), "B": live("B")}}
    with stubbed_client("sagemaker", card("A", status="Draft")) as client:
        checked = confirm_sources(
            HUB_STATE, {"eu": spoke_session(client)}, sources, ["eu-A"], {"eu-A", "eu-B"}
        )
    assert checked["eu"]["A"].status is DRAFT and checked["eu"]["B"] is sources["eu"]["B"]


def test_new_replicas_are_checked_against_the_card_store_listing() -> None:
    """Creating replicas: one listing of the spoke says which Search records may be stale
    (another status or modification time), which cards are gone, and which Search has
    yet to show; only those are described."""
    sources = {"eu": {"A": live("A"), "B": live("B"), "Gone": live("Gone")}}
    for name in sources["eu"]:
        sources["eu"][name] = replace(sources["eu"][name], last_modified_time=WHEN.isoformat())
    calls = [
        listed(record("A"), record("B", status="Draft"), record("New")),
        card("B", status="Draft"),
        describe_gone("Gone"),
        card("New"),
    ]
    with stubbed_client("sagemaker", *calls) as client:
        checked = confirm_sources(
            HUB_STATE, {"eu": spoke_session(client)}, sources, ["eu-A", "eu-B", "eu-Gone"], ()
        )
    assert checked["eu"]["A"] is sources["eu"]["A"]
    assert sorted(checked["eu"]) == ["A", "B", "New"]
    assert checked["eu"]["B"].status is DRAFT and checked["eu"]["New"].confirmed


def test_nothing_in_doubt_reads_nothing() -> None:
    sources = {"eu": {"A": live("A")}}
    with stubbed_client("sagemaker") as client:
        checked = confirm_sources(HUB_STATE, {"eu": spoke_session(client)}, sources, ["x"], ())
    assert checked is sources


def describe_gone(name: str) -> Call:
    return Call(
        service="sagemaker",
        method="describe_model_card",
        params={"ModelCardName": name},
        error="ResourceNotFound",
    )
