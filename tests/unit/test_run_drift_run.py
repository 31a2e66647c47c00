"""run.drift_run: who made each difference, for a plan run built by hand and stubbed
clients. Card edits come from the card's version history (status changes from the live
card itself), share changes from one CloudTrail lookup since the oldest last apply of a
drifted share, and each drifted managed card's versions are traced to their commits.
The whole run (``drift_run``) is driven end to end by tests/test_drift_*.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from reconciler.common.content import content_json
from reconciler.common.status import CardStatus
from reconciler.desired.model import DesiredState
from reconciler.diff.compose import PlanOptions
from reconciler.live.model import LiveState
from reconciler.plan.address import Address
from reconciler.plan.model import Action
from reconciler.reports.drift import Edit
from reconciler.run.drift_run import card_edits, card_traces, share_trails
from reconciler.run.pipeline import PlanRun, compare
from tests.unit.builders import (
    CARD,
    CARD_ARN,
    PROD,
    applied,
    edited,
    example,
    live_card,
    live_share,
    share_arn,
)
from tests.unit.stubs import Call, described, stubbed_client

GIT = example()
LIVE = applied(GIT)
BOB = "arn:aws:sts::222222222222:assumed-role/Scientist/bob"


def run(live: LiveState, state: DesiredState = GIT) -> PlanRun:
    return compare(state, live, PlanOptions())


@contextmanager
def session(service: str, *calls: Call) -> Iterator[Any]:
    with stubbed_client(service, *calls) as client:
        yield SimpleNamespace(client=lambda _: client, settings=SimpleNamespace(max_workers=1))


def test_without_drift_nothing_is_looked_up() -> None:
    in_sync = run(LIVE)
    with session("sagemaker") as sagemaker:
        assert card_edits(sagemaker, in_sync) == {}
        assert card_traces(sagemaker, in_sync) == {}
    with session("cloudtrail") as cloudtrail:
        assert share_trails(SimpleNamespace(session=cloudtrail), in_sync) == {}  # type: ignore[arg-type]


def test_a_status_changed_outside_git_is_attributed_from_the_live_card_alone() -> None:
    live = live_card(
        LIVE,
        status=CardStatus.PENDING_REVIEW,
        version=4,
        last_modified_by=BOB,
        last_modified_time="2026-11-20T10:00:00+00:00",
    )
    with session("sagemaker") as sagemaker:
        found = card_edits(sagemaker, run(live))
    assert found == {
        (Address.card(CARD), "status"): (
            Edit(
                identity="assumed-role/Scientist/bob",
                account="222222222222",
                time="2026-11-20T10:00:00+00:00",
                version_from=4,
                version_to=4,
            ),
        )
    }


def version(number: int, content: dict[str, Any], by: str) -> Call:
    return Call(
        service="sagemaker",
        method="describe_model_card",
        params={"ModelCardName": CARD, "ModelCardVersion": number},
        response=described(
            CARD,
            {},
            Content=content_json(content),
            ModelCardVersion=number,
            LastModifiedBy={"IamIdentity": {"Arn": by}},
        ),
    )


def test_a_content_edit_is_attributed_from_the_versions_since_git_last_matched() -> None:
    git_content = dict(GIT.cards[CARD].content)
    drifted = edited(git_content, "model_overview.model_owner", "bob")
    listed = Call(
        service="sagemaker",
        method="list_model_card_versions",
        params={
            "ModelCardName": CARD,
            "SortBy": "Version",
            "SortOrder": "Descending",
            "MaxResults": 100,
        },
        response={
            "ModelCardVersionSummaryList": [
                {
                    "ModelCardName": CARD,
                    "ModelCardArn": CARD_ARN,
                    "ModelCardStatus": "Draft",
                    "ModelCardVersion": n,
                    "CreationTime": 1,
                }
                for n in (3, 2)
            ]
        },
    )
    calls = [listed, version(3, drifted, BOB), version(2, git_content, "arn:aws:iam::1:role/A")]
    with session("sagemaker", *calls) as sagemaker:
        found = card_edits(sagemaker, run(live_card(LIVE, content=drifted)))
    ((key, edits),) = found.items()
    assert key == (Address.card(CARD), "content")
    assert [(e.identity, e.account, e.version_from, e.version_to) for e in edits] == [
        ("assumed-role/Scientist/bob", "222222222222", 2, 3)
    ]


def test_only_drifted_cards_the_reconciler_manages_are_traced() -> None:
    theirs = live_card(LIVE, content={"x": 1}, tags={"team": "churn"})  # unmanaged: a plan error
    with session("sagemaker") as sagemaker:
        assert card_traces(sagemaker, run(theirs)) == {}


def test_one_lookup_since_the_oldest_last_apply_attributes_every_drifted_share() -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    stamps = {"churn-prod": now - timedelta(days=2), "churn-test": now - timedelta(days=5)}
    live = LIVE
    for name, when in stamps.items():
        share = live.shares[name]
        tags = {**share.tags, "reconciler-applied-at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
        live = live_share(live, name, tags=tags, principals=())
    event = {
        "eventName": "DisassociateResourceShare",
        "eventSource": "ram.amazonaws.com",
        "eventTime": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "userIdentity": {"arn": BOB, "accountId": "111111111111"},
        "requestParameters": {"resourceShareArn": share_arn("churn-prod"), "principals": [PROD]},
    }
    lookup = Call(
        service="cloudtrail",
        method="lookup_events",
        params={
            "LookupAttributes": [
                {"AttributeKey": "EventSource", "AttributeValue": "ram.amazonaws.com"}
            ],
            "StartTime": stamps["churn-test"],
            "MaxResults": 50,
        },
        response={"Events": [{"CloudTrailEvent": json.dumps(event)}]},
    )
    with session("cloudtrail", lookup) as cloudtrail:
        found = share_trails(SimpleNamespace(session=cloudtrail), run(live))  # type: ignore[arg-type]
    assert set(found) == {
        (Address.share("churn-prod"), Action.ASSOCIATE_PRINCIPALS),
        (Address.share("churn-test"), Action.ASSOCIATE_PRINCIPALS),
    }
    (edit,) = found[(Address.share("churn-prod"), Action.ASSOCIATE_PRINCIPALS)].edits
    assert (edit.identity, edit.call, edit.subject) == (
        "assumed-role/Scientist/bob",
        "ram:DisassociateResourceShare",
        PROD,
    )
    nobody = found[(Address.share("churn-test"), Action.ASSOCIATE_PRINCIPALS)]
    assert nobody.edits == () and nobody.note, "no event names test: said, not guessed"
