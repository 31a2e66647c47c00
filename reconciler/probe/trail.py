"""The checks that read CloudTrail's event history in the card account: how many lookups it
answers at once, and whether a call another account makes on the card account's resources
is recorded there (evidence already in the history, or the call ``--write`` makes a
target account's role make). Lookups use the caller's own credentials: apply's policy does
not grant ``cloudtrail:LookupEvents``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code
from reconciler.probe.context import ProbeContext, Skip, until
from reconciler.reports.probe import Observation

BURST = 6  # lookups sent at once; more than CloudTrail's documented two a second
QUIET = 1.1  # seconds without lookups before the burst, so it starts a fresh second
SOURCES = ("ram.amazonaws.com", "sagemaker.amazonaws.com")
PEOPLE = frozenset({"AssumedRole", "IAMUser", "Root"})  # not AWS services acting for you


def lookup_rate(ctx: ProbeContext) -> Observation:
    """``BURST`` lookups at once, each tried once, a second after any other lookup: how
    many CloudTrail answers."""
    cloudtrail = ctx.ambient.single_attempt().client("cloudtrail")
    ctx.sleep(QUIET)

    def one(_: int) -> bool:
        try:
            cloudtrail.lookup_events(MaxResults=1)
        except ClientError as e:
            if error_code(e) != "ThrottlingException":
                raise
            return False
        return True

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        answered = sum(pool.map(one, range(BURST)))
    if answered == 0:
        return Observation(shown=f"not checked: none of {BURST} lookups was answered")
    if answered == BURST:
        shown = f"{BURST} lookups sent at once were all answered"
        return Observation(shown=shown, value=0)
    shown = f"of {BURST} lookups sent at once, {answered} were answered, the rest throttled"
    return Observation(shown=shown, value=answered)


def cross_account_evidence(ctx: ProbeContext) -> Observation | None:
    """An event in the card account's history made by a principal of another account."""
    for source in SOURCES:
        for event in _events(ctx, {"AttributeKey": "EventSource", "AttributeValue": source}):
            caller = _caller_account(event)
            if caller not in (None, ctx.account):
                name = event.get("eventName")
                shown = f"the card account's history holds {name} made by account {caller}"
                return Observation(shown=shown, value=True)
    return None


def cross_account_event(ctx: ProbeContext, name: str, caller: str, since: float) -> Observation:
    """Wait for the ``name`` event ``caller``'s account made after ``since`` to show in the
    card account's history."""
    attribute = {"AttributeKey": "EventName", "AttributeValue": name}
    start = datetime.fromtimestamp(since, tz=timezone.utc) - timedelta(minutes=5)

    def look() -> dict[str, Any] | None:
        found = _events(ctx, attribute, StartTime=start)
        return next((e for e in found if _caller_account(e) == caller), None)

    what = f"{name} by account {caller} in the card account's history"
    try:
        _, waited = until(ctx, look, what, pause=1.0)
    except Skip:
        return Observation(shown=f"{what}: none within {ctx.wait_seconds:.0f} s", value=False)
    return Observation(shown=f"{what}: shown after {waited:.0f} s", value=True)


def _events(ctx: ProbeContext, attribute: dict[str, str], **more: Any) -> Iterator[dict[str, Any]]:
    """The newest page of events with ``attribute``, each as its parsed record."""
    cloudtrail = ctx.ambient.client("cloudtrail")
    page = cloudtrail.lookup_events(LookupAttributes=[attribute], MaxResults=50, **more)
    for event in page.get("Events", []):
        record = json.loads(event.get("CloudTrailEvent") or "{}")
        if isinstance(record, dict):
            yield record


def _caller_account(record: dict[str, Any]) -> str | None:
    """The account of the person or role that made the call, if a person or role did."""
    identity = record.get("userIdentity") or {}
    if identity.get("type") not in PEOPLE:
        return None
    account = identity.get("accountId")
    return str(account) if account else None


UPDATE_PACKAGE = "UpdateModelPackage"
EDITED_MARK = "reconciler-probe-edited"  # in the content the probe's update sends


def _card_members(record: dict[str, Any], arn: str | None) -> bool | None:
    """Whether a successful UpdateModelPackage record holds the card's content under the
    names drift reads (True). With ``arn``, False for the probe's content-only update of
    that version when it holds the content otherwise, or not at all; None for any other
    record."""
    params = record.get("requestParameters") or {}
    if record.get("errorCode") or not isinstance(params, dict):
        return None
    card = params.get("modelCard")
    if isinstance(card, dict) and "modelCardContent" in card and "modelPackageArn" in params:
        return True if arn is None or params["modelPackageArn"] == arn else None
    text = json.dumps(params)
    if arn is None or arn not in text:
        return None
    if EDITED_MARK in text:
        return False  # the content, under other names
    content_only = isinstance(card, dict) and not any("status" in k.lower() for k in card)
    return False if content_only else None


def package_update_evidence(ctx: ProbeContext) -> Observation | None:
    """An UpdateModelPackage in the card account's history that names the card's content
    under drift's member names."""
    attribute = {"AttributeKey": "EventName", "AttributeValue": UPDATE_PACKAGE}
    for record in _events(ctx, attribute):
        if _card_members(record, None):
            shown = "the card account's history holds an UpdateModelPackage with "
            shown += "modelPackageArn and modelCard.modelCardContent"
            return Observation(shown=shown, value=True)
    return None


def package_update_event(ctx: ProbeContext, arn: str, since: float) -> Observation:
    """Wait for the scratch version's content update in the card account's history."""
    attribute = {"AttributeKey": "EventName", "AttributeValue": UPDATE_PACKAGE}
    start = datetime.fromtimestamp(since, tz=timezone.utc) - timedelta(minutes=5)

    def look() -> bool | None:
        found = (_card_members(r, arn) for r in _events(ctx, attribute, StartTime=start))
        return next((f for f in found if f is not None), None)

    what = f"the scratch version's {UPDATE_PACKAGE} in the card account's history"
    try:
        held, _ = until(ctx, look, what, pause=1.0)
    except Skip:
        return Observation(
            shown=f"not checked: {what} did not show within {ctx.wait_seconds:.0f} s"
        )
    if held:
        return Observation(shown=f"{what} holds modelCard.modelCardContent", value=True)
    return Observation(
        shown=f"{what} lacks modelPackageArn or modelCard.modelCardContent", value=False
    )
