"""live.cloudtrail: RAM's write events in the card account since a time, from stubbed
CloudTrail. Failed calls changed nothing and are left out; a lookup that is refused or
cannot be made is a ``Trail`` with its problem, never a failed run."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from reconciler.live.cloudtrail import ram_events
from reconciler.live.model import Trail, TrailEvent
from tests.unit.stubs import Call, stubbed_client

SINCE = datetime(2026, 11, 1, tzinfo=timezone.utc)
WHO = {"arn": "arn:aws:iam::111111111111:user/ana", "accountId": "111111111111"}
SHARE = {"resourceShareArn": "arn:aws:ram:us-east-1:111111111111:resource-share/x"}


def record(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "eventName": name,
        "eventSource": "ram.amazonaws.com",
        "eventTime": "2026-11-02T10:00:00Z",
        "userIdentity": WHO,
        "requestParameters": SHARE,
        **fields,
    }


def item(raw: Any, name: str = "AnyName") -> dict[str, Any]:
    text = raw if isinstance(raw, str) else json.dumps(raw)
    return {"EventId": "e", "EventName": name, "CloudTrailEvent": text}


def lookup(items: list[dict[str, Any]], token: str | None = None, after: str | None = None) -> Call:
    """One LookupEvents page: ``after`` is the token it was asked with, ``token`` the next."""
    params: dict[str, Any] = {
        "LookupAttributes": [
            {"AttributeKey": "EventSource", "AttributeValue": "ram.amazonaws.com"}
        ],
        "StartTime": SINCE,
        "MaxResults": 50,
    }
    response: dict[str, Any] = {"Events": items, **({"NextToken": token} if token else {})}
    return Call(
        service="cloudtrail",
        method="lookup_events",
        params={**params, **({"NextToken": after} if after else {})},
        response=response,
    )


def event(name: str, **changes: Any) -> TrailEvent:
    fields: dict[str, Any] = {
        "name": name,
        "source": "ram.amazonaws.com",
        "time": "2026-11-02T10:00:00Z",
        "identity": WHO["arn"],
        "account": WHO["accountId"],
        "parameters": SHARE,
        "response": {},
    }
    return TrailEvent(**{**fields, **changes})


EVENTS = [
    pytest.param(
        [item(record("DisassociateResourceShare"))], [event("DisassociateResourceShare")], id="one"
    ),
    pytest.param(
        [item(record("AssociateResourceShare", errorCode="AccessDenied"))],
        [],
        id="a-failed-call-changed-nothing",
    ),
    pytest.param([item("not json"), item("[1, 2]")], [], id="unreadable-records"),
    pytest.param(
        [item("", name="UntagResource")],
        [event("UntagResource", time="", identity=None, account=None, parameters={})],
        id="an-item-without-its-record-is-known-by-its-name",
    ),
    pytest.param(
        [item({"userIdentity": None}, name="TagResource")],
        [event("TagResource", time="", identity=None, account=None, parameters={})],
        id="a-bare-record-takes-the-lookups-name-and-ram-as-source",
    ),
    pytest.param(
        [item(record("CreateResourceShare", responseElements={"resourceShare": SHARE}))],
        [event("CreateResourceShare", response={"resourceShare": SHARE})],
        id="with-its-response",
    ),
]


@pytest.mark.parametrize(("items", "expected"), EVENTS)
def test_ram_events(items: list[dict[str, Any]], expected: list[TrailEvent]) -> None:
    with stubbed_client("cloudtrail", lookup(items)) as cloudtrail:
        trail = ram_events(cloudtrail, SINCE)
    assert trail == Trail(since="2026-11-01T00:00:00+00:00", events=tuple(expected))


def test_every_page_is_read_in_order_even_after_an_empty_one() -> None:
    pages = [
        lookup([item(record("A"))], token="t1"),
        lookup([], token="t2", after="t1"),
        lookup([item(record("B"))], after="t2"),
    ]
    with stubbed_client("cloudtrail", *pages) as cloudtrail:
        trail = ram_events(cloudtrail, SINCE)
    assert [e.name for e in trail.events] == ["A", "B"]


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        pytest.param(
            "AccessDeniedException",
            "AccessDeniedException: AccessDeniedException (stubbed)",
            id="refused",
        ),
        pytest.param(
            "InvalidTimeRangeException",
            "InvalidTimeRangeException: InvalidTimeRangeException (stubbed)",
            id="bad-time",
        ),
    ],
)
def test_a_refused_lookup_is_a_trail_with_its_problem(error: str, problem: str) -> None:
    refused = Call(
        service="cloudtrail",
        method="lookup_events",
        params=lookup([]).params,
        error=error,
    )
    with stubbed_client("cloudtrail", refused) as cloudtrail:
        trail = ram_events(cloudtrail, SINCE)
    assert trail == Trail(since=SINCE.isoformat(), problem=problem)


class Unreachable:
    """A CloudTrail client whose endpoint does not answer."""

    def lookup_events(self, **_: Any) -> dict[str, Any]:
        raise EndpointConnectionError(endpoint_url="https://cloudtrail.example")


def test_a_lookup_that_cannot_be_made_is_a_trail_with_its_problem() -> None:
    trail = ram_events(Unreachable(), SINCE)
    assert trail.events == ()
    assert trail.problem == 'Could not connect to the endpoint URL: "https://cloudtrail.example"'
