"""Read who changed RAM shares outside git: CloudTrail's management events of RAM in the
card account (``LookupEvents``, EventSource ``ram.amazonaws.com``), from a start time on.

CloudTrail's event history keeps 90 days; a lookup that is not permitted (AccessDenied)
or fails is not an error of the run: the ``Trail`` says so, and drift reports it instead of
guessing. Failed calls (events with an ``errorCode``) changed nothing and are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from reconciler.aws.session import error_code, pages
from reconciler.live.model import Trail, TrailEvent

SOURCE = "ram.amazonaws.com"


def ram_events(client: Any, since: datetime) -> Trail:
    """RAM's write events in the card account since ``since``, newest first."""
    start = since.isoformat()
    try:
        events = _events(client, since)
    except ClientError as e:
        message = e.response.get("Error", {}).get("Message", "")
        return Trail(since=start, problem=f"{error_code(e)}: {message}".rstrip(": "))
    except BotoCoreError as e:
        return Trail(since=start, problem=str(e))
    return Trail(since=start, events=events)


def _events(client: Any, since: datetime) -> tuple[TrailEvent, ...]:
    found = pages(
        client.lookup_events,
        "Events",
        "NextToken",
        LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": SOURCE}],
        StartTime=since,
        MaxResults=50,
    )
    return tuple(e for e in map(_event, found) if e is not None)


def _event(item: Mapping[str, Any]) -> TrailEvent | None:
    try:
        record = json.loads(item.get("CloudTrailEvent") or "{}")
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("errorCode"):
        return None
    who = record.get("userIdentity") or {}
    return TrailEvent(
        name=str(record.get("eventName") or item.get("EventName") or ""),
        source=str(record.get("eventSource") or SOURCE),
        time=str(record.get("eventTime") or ""),
        identity=who.get("arn"),
        account=who.get("accountId"),
        parameters=record.get("requestParameters") or {},
        response=record.get("responseElements") or {},
    )
