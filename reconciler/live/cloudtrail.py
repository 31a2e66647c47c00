"""Read who changed things outside git: CloudTrail's management events in the card account
(``LookupEvents``), from a start time on: RAM's (EventSource ``ram.amazonaws.com``) for
shares, and SageMaker's calls that change model versions and group tags
(``UpdateModelPackage``, ``AddTags``, ``DeleteTags``) for the Model Registry. LookupEvents
takes one lookup attribute, so the registry's calls are one lookup by EventName each, and
events of other services under the same name (``AddTags`` is also Elastic Load
Balancing's) are left out by their source.

CloudTrail's event history keeps 90 days; a lookup that is not permitted (AccessDenied)
or fails is not an error of the run: the ``Trail`` says so, and drift reports it instead of
guessing. Failed calls (events with an ``errorCode``) changed nothing and are left out.

"The rate of lookup requests is limited to two per second, per account, per Region"
(LookupEvents API reference): each page is requested no sooner than ``SPACING`` seconds
after the previous lookup through the same client (one client is one account and Region),
so drift stays within the rate instead of relying on retries after throttling.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from reconciler.aws.session import error_code, pages
from reconciler.live.model import Trail, TrailEvent

SOURCE = "ram.amazonaws.com"
SAGEMAKER = "sagemaker.amazonaws.com"
LOOKUPS_PER_SECOND = 2
SPACING = 1.1 / LOOKUPS_PER_SECOND  # a tenth more than the rate allows: clocks differ


class Pace:
    """Spaces calls at least ``spacing`` seconds apart; thread-safe."""

    def __init__(
        self,
        spacing: float = SPACING,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._spacing, self._clock, self._sleep = spacing, clock, sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when the next call may be made, and count it as made."""
        with self._lock:
            delay = self._next - self._clock()
            if delay > 0:
                self._sleep(delay)
            self._next = self._clock() + self._spacing


_PACES: weakref.WeakKeyDictionary[Any, Pace] = weakref.WeakKeyDictionary()
_PACES_LOCK = threading.Lock()


def paced(client: Any) -> Callable[..., dict[str, Any]]:
    """``client.lookup_events``, called no faster than CloudTrail's lookup rate."""
    with _PACES_LOCK:
        pace = _PACES.setdefault(client, Pace())

    def lookup(**kwargs: Any) -> dict[str, Any]:
        pace.wait()
        page: dict[str, Any] = client.lookup_events(**kwargs)
        return page

    return lookup


def ram_events(client: Any, since: datetime) -> Trail:
    """RAM's write events in the card account since ``since``, newest first."""
    return _trail(since, lambda: _events(client, since, "EventSource", SOURCE, SOURCE))


def sagemaker_events(client: Any, since: datetime, names: tuple[str, ...]) -> Trail:
    """SageMaker's events of the calls ``names`` since ``since``, newest first; events of
    the same second (CloudTrail's resolution) in the order of ``names``."""

    def lookups() -> tuple[TrailEvent, ...]:
        found = [e for n in names for e in _events(client, since, "EventName", n, SAGEMAKER)]
        mine = (e for e in found if e.source == SAGEMAKER)
        return tuple(sorted(mine, key=lambda e: e.time, reverse=True))  # ISO 8601 UTC

    return _trail(since, lookups)


def _trail(since: datetime, lookups: Callable[[], tuple[TrailEvent, ...]]) -> Trail:
    start = since.isoformat()
    try:
        events = lookups()
    except ClientError as e:
        message = e.response.get("Error", {}).get("Message", "")
        return Trail(since=start, problem=f"{error_code(e)}: {message}".rstrip(": "))
    except BotoCoreError as e:
        return Trail(since=start, problem=str(e))
    return Trail(since=start, events=events)


def _events(
    client: Any, since: datetime, key: str, value: str, source: str
) -> tuple[TrailEvent, ...]:
    found = pages(
        paced(client),
        "Events",
        "NextToken",
        LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}],
        StartTime=since,
        MaxResults=50,
    )
    return tuple(e for e in (_event(item, source) for item in found) if e is not None)


def _event(item: Mapping[str, Any], source: str) -> TrailEvent | None:
    try:
        record = json.loads(item.get("CloudTrailEvent") or "{}")
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("errorCode"):
        return None
    who = record.get("userIdentity") or {}
    return TrailEvent(
        name=str(record.get("eventName") or item.get("EventName") or ""),
        source=str(record.get("eventSource") or source),
        time=str(record.get("eventTime") or ""),
        identity=who.get("arn"),
        account=who.get("accountId"),
        parameters=record.get("requestParameters") or {},
        response=record.get("responseElements") or {},
    )
