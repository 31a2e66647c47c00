"""The management events CloudTrail records of the sandbox's SageMaker and RAM calls.

Every call the sandbox answers that is not a read (``Describe``, ``List``, ``Get``,
``Search``) becomes an event, as CloudTrail's event history records management write
events by default: who (``userIdentity``, from the resolved caller and its access key),
when (the sandbox clock), where (``awsRegion``, ``sourceIPAddress``), what
(``eventSource``, ``eventName``, ``requestParameters`` and, for a call that succeeded,
``responseElements``; a failed call carries ``errorCode`` and ``errorMessage``), and the
account whose history holds it (``recipientAccountId``). Fields follow "CloudTrail record
contents" in the CloudTrail User Guide.

Choices where AWS documents no rule for these two services, each a setting:

- Cross-account calls: CloudTrail documents that a call made with another account's
  resource (its example is a KMS key) is delivered to both accounts, with one
  ``sharedEventID`` and an ``eventID`` and ``recipientAccountId`` each. The sandbox does
  the same whenever a parameter names a resource ARN of another account (a consumer's
  ``UpdateModelCard`` by ARN, a ``CreateModelPackage`` into a shared group or an
  ``UpdateModelPackage`` of its version by ARN, a ``RejectResourceShareInvitation`` of an owner's
  invitation): ``SandboxConfig.cloudtrail_cross_account_events``.
- ``Resources``: the ARN each call names, typed ``AWS::SageMaker::ModelCard``,
  ``AWS::RAM::ResourceShare``, ``AWS::RAM::ResourceShareInvitation`` or
  ``AWS::RAM::Permission``, so ``ResourceName`` lookups find them.
- Keys of ``requestParameters`` and ``responseElements`` start lower case, as CloudTrail
  writes them for JSON services (``modelCardName``); values are kept as sent.

Event history keeps 90 days (``RETENTION_SECONDS``); older events are dropped.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from reconciler.sandbox.caller import Caller

RETENTION_SECONDS = 90 * 24 * 3600
READS = ("Describe", "List", "Get", "Search")
SOURCES = {"sagemaker": "sagemaker.amazonaws.com", "ram": "ram.amazonaws.com"}
_ARN_PARAMETERS = (
    "ModelCardName",
    "ModelPackageGroupName",
    "ModelPackageArn",
    "ModelPackageName",
    "ResourceArn",
    "resourceShareArn",
    "resourceShareInvitationArn",
    "permissionArn",
    "resourceArn",
)
_TYPES = {
    ":model-card/": "AWS::SageMaker::ModelCard",
    ":resource-share/": "AWS::RAM::ResourceShare",
    ":resource-share-invitation/": "AWS::RAM::ResourceShareInvitation",
    ":permission/": "AWS::RAM::Permission",
}


@dataclass(frozen=True, kw_only=True)
class Call:
    """One call the sandbox answered, as the front saw it."""

    caller: Caller
    access_key: str
    service: str  # sagemaker | ram
    operation: str
    params: Mapping[str, Any]
    response: Mapping[str, Any] | None = None
    error: tuple[str, str] | None = None  # (code, message) of a failed call


@dataclass(frozen=True, kw_only=True)
class Event:
    """One event in one account's history."""

    time: float
    account: str  # recipientAccountId
    region: str
    name: str
    source: str
    username: str
    access_key: str
    resources: tuple[tuple[str, str], ...]  # (type, name)
    record: Mapping[str, Any]  # the CloudTrailEvent document

    @property
    def event_id(self) -> str:
        return str(self.record["eventID"])


class Trail:
    """Events by account, oldest first; thread-safe."""

    def __init__(
        self,
        clock: Callable[[], float],
        cross_account: Callable[[], bool],
        card_content: Callable[[], bool] = lambda: True,
    ) -> None:
        self._clock, self._cross_account = clock, cross_account
        self._card_content = card_content  # cloudtrail_package_card_content
        self._events: deque[Event] = deque()  # oldest first: the clock only moves forward
        self._lock = threading.Lock()

    def record(self, call: Call) -> None:
        """Record ``call`` if it is a management write event (reads are not recorded)."""
        if call.operation.startswith(READS) or call.service not in SOURCES:
            return
        now, shared = self._clock(), str(uuid.uuid4())
        accounts = [call.caller.account_id]
        owner = _owner(call)
        if owner and owner != call.caller.account_id and self._cross_account():
            accounts.append(owner)
        if not self._card_content():
            call = _without_card_content(call)
        events = [
            _event(call, now, account, shared if len(accounts) > 1 else None)
            for account in accounts
        ]
        with self._lock:
            while self._events and self._events[0].time < now - RETENTION_SECONDS:
                self._events.popleft()
            self._events.extend(events)

    def events(self, account: str, region: str) -> list[Event]:
        """The account's events in the region within the retention period, newest first."""
        oldest = self._clock() - RETENTION_SECONDS
        with self._lock:
            found = [
                e
                for e in self._events
                if e.account == account and e.region == region and e.time >= oldest
            ]
        return sorted(found, key=lambda e: e.time, reverse=True)

    def reset(self) -> None:
        with self._lock:
            self._events.clear()


def _owner(call: Call) -> str | None:
    for key in _ARN_PARAMETERS:
        value = call.params.get(key)
        if isinstance(value, str) and value.startswith("arn:"):
            parts = value.split(":")
            if len(parts) > 5 and parts[4].isdigit():
                return parts[4]
    return None


def _resources(call: Call) -> tuple[tuple[str, str], ...]:
    """The ARNs the call names: in its parameters (a card by name too), or, for a call
    that creates something, in its answer."""
    names = [call.params.get(key) for key in _ARN_PARAMETERS]
    card = call.params.get("ModelCardName")
    if isinstance(card, str) and not card.startswith("arn:"):
        caller = call.caller
        names.append(f"arn:aws:sagemaker:{caller.region}:{caller.account_id}:model-card/{card}")
    response = call.response or {}
    share = response.get("resourceShare")
    names += [response.get("modelCardArn"), share.get("resourceShareArn") if share else None]
    found: dict[str, str] = {}
    for value in names:
        if isinstance(value, str):
            kind = next((t for marker, t in _TYPES.items() if marker in value), None)
            if kind is not None:
                found.setdefault(value, kind)
    return tuple((kind, name) for name, kind in found.items())


def _without_card_content(call: Call) -> Call:
    """``call`` with a model version's card content left out of its parameters, as a
    trail that withholds that sensitive member records it.
    AWS undocumented: trail-package-update-fields"""
    card = call.params.get("ModelCard")
    if not isinstance(card, Mapping) or "ModelCardContent" not in card:
        return call
    kept = {k: v for k, v in card.items() if k != "ModelCardContent"}
    return replace(call, params={**call.params, "ModelCard": kept})


def _event(call: Call, now: float, account: str, shared: str | None) -> Event:
    caller = call.caller
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": user_identity(caller, call.access_key),
        "eventTime": datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": SOURCES[call.service],
        "eventName": call.operation,
        "awsRegion": caller.region,
        "sourceIPAddress": "127.0.0.1",
        "userAgent": "sandbox",
        "requestParameters": _camel(call.params),
        "responseElements": _camel(call.response) if call.response is not None else None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if call.error is not None:
        record["errorCode"], record["errorMessage"] = call.error
    if shared is not None:
        record["sharedEventID"] = shared
    resources = _resources(call)
    if resources:
        record["resources"] = [
            {"ARN": name, "accountId": name.split(":")[4] or None, "type": kind}
            for kind, name in resources
        ]
    return Event(
        time=now,
        account=account,
        region=caller.region,
        name=call.operation,
        source=SOURCES[call.service],
        username=username(caller),
        access_key=call.access_key,
        resources=resources,
        record=record,
    )


def user_identity(caller: Caller, access_key: str) -> dict[str, Any]:
    """The ``userIdentity`` element for the caller (CloudTrail userIdentity element)."""
    identity: dict[str, Any] = {
        "principalId": caller.principal_id,
        "arn": caller.arn,
        "accountId": caller.account_id,
        "accessKeyId": access_key,
    }
    if ":assumed-role/" in caller.arn:
        role_name = caller.arn.split("/")[1]
        issuer_arn = caller.role_arn or f"arn:aws:iam::{caller.account_id}:role/{role_name}"
        issuer = {
            "type": "Role",
            "principalId": caller.principal_id.split(":")[0],
            "arn": issuer_arn,
            "accountId": caller.account_id,
            "userName": role_name,
        }
        return {"type": "AssumedRole", **identity, "sessionContext": {"sessionIssuer": issuer}}
    if ":user/" in caller.arn:
        return {"type": "IAMUser", **identity, "userName": caller.arn.rsplit("/", 1)[1]}
    return {"type": "Root", **identity}


def username(caller: Caller) -> str:
    """Event history's user name: the session name of an assumed role, the user name of an
    IAM user, ``root`` for the root user."""
    if ":assumed-role/" in caller.arn or ":user/" in caller.arn:
        return caller.arn.rsplit("/", 1)[1]
    return "root"


def _camel(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {(k[:1].lower() + k[1:]): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def as_json(event: Event) -> str:
    return json.dumps(event.record, sort_keys=True, default=str)
