"""The drift run: a plan run of what git declares, then who made each difference. Card
edits and status changes are attributed from the card's version history; share changes,
model versions' changes and group tags from CloudTrail; and each drifted card's live
versions are traced to their commits. The sources filled cards were filled from are read
again (``drift_evidence``).
Composed from the pipeline's stages like every other run (``pipeline``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, TypeVar

from reconciler.aws.session import AwsSession
from reconciler.diff.compose import PlanOptions, unmanaged
from reconciler.graph.build import drift_change
from reconciler.live.cloudtrail import ram_events, sagemaker_events
from reconciler.live.history import (
    card_versions,
    edits_after_apply,
    history_since,
    traced_from,
)
from reconciler.live.model import TracedVersion, is_managed
from reconciler.normalize.state import matches_git
from reconciler.plan.address import Address, Kind
from reconciler.plan.model import Action, Change
from reconciler.reports.drift import (
    Attribution,
    DriftReport,
    Edit,
    Findings,
    drift_report,
    edits_from,
    status_edit,
    trail_key,
)
from reconciler.reports.registry_trail import (
    CALLS,
    LastModified,
    attribute_registry,
    is_registry_drift,
)
from reconciler.reports.trail import RETENTION_DAYS, attributable, attribute, share_scope, utc
from reconciler.run.drift_evidence import stale_sources
from reconciler.run.pipeline import Confirm, PlanRun, Target, plan_run


def drift_run(target: Target) -> tuple[DriftReport, PlanRun]:
    """Everything live that differs from git, with who edited each drifted card (version
    history) and who changed each drifted share (CloudTrail)."""
    run = plan_run(target, PlanOptions(), confirm=Confirm.VERSIONS)
    findings = Findings(
        edits=card_edits(target.session, run),
        trails={**share_trails(target, run), **registry_trails(target, run)},
        versions=card_traces(target.session, run),
        evidence=stale_sources(target),
    )
    counts = (len(run.live.cards), len(run.live.shares))
    found_unmanaged = unmanaged(run.state, run.live, run.found.adoptions)
    report = drift_report(
        run.found, found_unmanaged, findings, run.plan.context, counts, run.plan.names
    )
    report = replace(report, topology=drift_change(run.state, run.live))
    return report, run


def share_trails(target: Target, run: PlanRun) -> dict[tuple[Address, Action], Attribution]:
    """Who made each share drift, from CloudTrail's RAM events in the card account since
    the last apply that changed the share (its ``ownership.applied_tag_key`` tag), or over
    CloudTrail's 90 days. One lookup serves every share; none without share drift."""
    drifted = [
        c
        for c in run.found.changes
        if attributable(c.action) and c.address.is_share and c.address.name in run.live.shares
    ]
    if not drifted:
        return {}
    own, now = run.state.config.ownership, datetime.now(timezone.utc)
    scopes = {c.address: share_scope(run.live.shares[c.address.name], own, now) for c in drifted}
    since = min(utc(s.after) for s in scopes.values())
    trail = ram_events(target.session.client("cloudtrail"), since)
    return {trail_key(c): attribute(c, scopes[c.address], trail) for c in drifted}


def registry_trails(target: Target, run: PlanRun) -> dict[tuple[Address, Action], Attribution]:
    """Who changed each drifted model version or group's tags, from CloudTrail's SageMaker
    events of CloudTrail's 90 days (versions and groups carry no apply stamp). One lookup
    per call name serves every version and group; none without registry drift."""
    drifted = [c for c in run.found.changes if is_registry_drift(c)]
    if not drifted:
        return {}
    since = datetime.now(timezone.utc) - timedelta(days=RETENTION_DAYS)
    trail = sagemaker_events(target.session.client("cloudtrail"), since, CALLS)
    return {trail_key(c): attribute_registry(c, trail, _last_modified(run, c)) for c in drifted}


def _last_modified(run: PlanRun, change: Change) -> LastModified | None:
    """What DescribeModelPackage recorded of the version ``change`` is about."""
    if change.address.kind is not Kind.VERSION:
        return None
    name, _, number = change.address.name.rpartition("/")
    group = run.live.groups.get(name)
    version = group.versions.get(int(number)) if group else None
    if version is None:
        return None
    return LastModified(by=version.last_modified_by, at=version.last_modified_time)


def card_traces(session: AwsSession, run: PlanRun) -> dict[Address, tuple[TracedVersion, ...]]:
    """Every live version, with its commit, of each managed card that drifted."""
    own = run.state.config.ownership
    names = {c.address.name for c in run.found.changes if c.address.is_card}
    drifted = sorted(
        n for n in names if n in run.live.cards and is_managed(run.live.cards[n].tags, own)
    )
    client = session.client("sagemaker")

    def trace(name: str) -> tuple[TracedVersion, ...]:
        card = run.live.cards[name]
        return traced_from(client, card) if card.versions else card_versions(client, name)

    return dict(zip(map(Address.card, drifted), _each(session, trace, drifted), strict=True))


def card_edits(session: AwsSession, run: PlanRun) -> dict[tuple[Address, str], tuple[Edit, ...]]:
    """Attribution of content and status drift, by address and drift kind."""
    client = session.client("sagemaker")
    edits: dict[tuple[Address, str], tuple[Edit, ...]] = {}
    for change in run.found.changes:
        live = run.live.cards.get(change.address.name)
        if change.action is Action.UPDATE_STATUS and live is not None:
            edits[(change.address, "status")] = (status_edit(live),)
    content = [c.address.name for c in run.found.changes if c.action is Action.UPDATE_CONTENT]
    found = _each(session, partial(_content_edits, client, run), content)
    edits.update(((Address.card(n), "content"), e) for n, e in zip(content, found, strict=True))
    return edits


def _content_edits(client: Any, run: PlanRun, name: str) -> tuple[Edit, ...]:
    """Who edited a card's content since an apply wrote it (from its version listing), or
    since its content last matched git (from its history, version by version)."""
    live = run.live.cards.get(name)
    listed = edits_after_apply(client, live) if live is not None else None
    if listed is not None:
        return edits_from(*listed)
    newer, base = history_since(client, name, partial(matches_git, run.state.cards[name]))
    return edits_from(newer, base.number if base else None)


T = TypeVar("T")


def _each(session: AwsSession, read: Callable[[str], T], names: list[str]) -> list[T]:
    """``read`` of each name, several at a time."""
    if not names:
        return []
    with ThreadPoolExecutor(max_workers=min(len(names), session.settings.max_workers)) as pool:
        return list(pool.map(read, names))
