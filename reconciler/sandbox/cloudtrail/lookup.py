"""CloudTrail ``LookupEvents`` over the sandbox's trail, per botocore's model and the API
reference: at most one lookup attribute (``EventId``, ``EventName``, ``ReadOnly``,
``Username``, ``ResourceType``, ``ResourceName``, ``EventSource``, ``AccessKeyId``),
``StartTime`` and ``EndTime`` inclusive, newest first, ``MaxResults`` 1 to 50 (default
50), ``NextToken`` bound to the request's other members, the caller's account and Region
only, the last 90 days only. ``EventCategory: insight`` returns no events (the sandbox has
no Insights). The caller needs ``cloudtrail:LookupEvents`` (resource ``*``).

Rate: "The rate of lookup requests is limited to two per second, per account, per Region.
If this limit is exceeded, a throttling error occurs." (API reference, LookupEvents).
``LookupRate`` admits at most ``SandboxConfig.cloudtrail_lookups_per_second`` lookups in
any one-second window of the sandbox clock per account and Region (the sandbox's reading:
AWS does not say whether it counts a sliding window or refills a bucket) and answers the
rest ``ThrottlingException`` ("Rate exceeded", HTTP 400, the shape botocore's CloudTrail
model has), before IAM is asked. AWS undocumented: lookup-rate
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from reconciler.sandbox.authz import AccessRequest, IdentityPolicies
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.cloudtrail.trail import Event, Trail, as_json
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.paging import page

OPERATION = "LookupEvents"
_KEYS: dict[str, Callable[[Event], tuple[str, ...]]] = {
    "EventId": lambda e: (e.event_id,),
    "EventName": lambda e: (e.name,),
    "ReadOnly": lambda e: ("false",),
    "Username": lambda e: (e.username,),
    "ResourceType": lambda e: tuple(t for t, _ in e.resources),
    "ResourceName": lambda e: tuple(n for _, n in e.resources),
    "EventSource": lambda e: (e.source,),
    "AccessKeyId": lambda e: (e.access_key,),
}


class LookupRate:
    """How many lookups each account and Region made in the last second."""

    def __init__(self, clock: Callable[[], float], per_second: Callable[[], int]) -> None:
        self._clock, self._per_second = clock, per_second
        self._recent: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, account: str, region: str) -> None:
        """Count one lookup, or raise ThrottlingException when the second is full."""
        limit, now = self._per_second(), self._clock()
        if limit <= 0:
            return
        with self._lock:
            recent = self._recent.setdefault((account, region), deque())
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if len(recent) >= limit:
                raise AwsError("ThrottlingException", "Rate exceeded", 400)
            recent.append(now)

    def reset(self) -> None:
        with self._lock:
            self._recent.clear()


def lookup_events(
    trail: Trail, iam: IdentityPolicies, caller: Caller, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The LookupEvents response for ``caller``."""
    iam.authorize(caller, [AccessRequest("cloudtrail:LookupEvents")])
    limit = _max_results(params.get("MaxResults"))
    category = params.get("EventCategory")
    if category not in (None, "insight"):
        raise AwsError("InvalidEventCategoryException", "Event category is not valid.")
    start, end = _times(params)
    matches = _attribute(params.get("LookupAttributes") or [])
    events = [
        e
        for e in trail.events(caller.account_id, caller.region)
        if (start is None or e.time >= start) and (end is None or e.time <= end) and matches(e)
    ]
    if category == "insight":
        events = []
    error = AwsError("InvalidNextTokenException", "Invalid NextToken.")
    found, extra = page(events, params, limit, error=error)
    return {"Events": [_render(e) for e in found], **extra}


def _max_results(value: Any) -> int:
    if value is None:
        return 50
    if not isinstance(value, int) or not 1 <= value <= 50:
        raise AwsError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    return value


def _times(params: Mapping[str, Any]) -> tuple[float | None, float | None]:
    start, end = params.get("StartTime"), params.get("EndTime")
    try:
        start = float(start) if start is not None else None
        end = float(end) if end is not None else None
    except (TypeError, ValueError) as e:
        raise AwsError("InvalidTimeRangeException", "Start or end time is not valid.") from e
    if start is not None and end is not None and start > end:
        raise AwsError("InvalidTimeRangeException", "Start time must be before end time.")
    return start, end


def _attribute(attributes: list[Any]) -> Callable[[Event], bool]:
    if len(attributes) > 1:
        raise AwsError(
            "InvalidLookupAttributesException", "You can specify only one lookup attribute."
        )
    if not attributes:
        return lambda event: True
    item = attributes[0]
    key, value = item.get("AttributeKey"), item.get("AttributeValue")
    if key not in _KEYS or not isinstance(value, str) or not value:
        raise AwsError("InvalidLookupAttributesException", f"Lookup attribute {key} is not valid.")
    if key == "ReadOnly" and value not in ("true", "false"):
        raise AwsError("InvalidLookupAttributesException", "ReadOnly must be true or false.")
    values = _KEYS[key]
    return lambda event: value in values(event)


def _render(event: Event) -> dict[str, Any]:
    return {
        "EventId": event.event_id,
        "EventName": event.name,
        "ReadOnly": "false",
        "AccessKeyId": event.access_key,
        "EventTime": event.time,
        "EventSource": event.source,
        "Username": event.username,
        "Resources": [{"ResourceType": t, "ResourceName": n} for t, n in event.resources],
        "CloudTrailEvent": as_json(event),
    }
