"""Drift: every way live state differs from git, as a report for people and schedules. Pure.

Built from the same diff as a plan, read the other way round: where a plan says "change
live back to git", drift says "live was changed outside git", and names who changed it
where SageMaker records that (each version's LastModifiedBy). Differences a plan could not
apply (a card archived live that git still has Approved) are drift too, not errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from reconciler.common.diagnostics import Diagnostic
from reconciler.graph.model import GraphChange
from reconciler.live.model import LiveCard, TracedVersion, Version
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, PlanPart, Unmanaged
from reconciler.reports.drift_kinds import drift_kind, remedy

FORMAT_VERSION = "1"


@dataclass(frozen=True, kw_only=True)
class Edit:
    """One recorded change to a card made outside git."""

    identity: str | None
    account: str | None
    time: str | None
    version_from: int
    version_to: int

    def sentence(self) -> str:
        who = self.identity or "an unknown identity"
        where = f" in {self.account}" if self.account else ""
        when = f" at {self.time}" if self.time else ""
        if self.version_from == self.version_to:
            return f"changed by {who}{where}{when} (version {self.version_to})"
        return f"edited by {who}{where}{when}, version {self.version_from} → {self.version_to}"


@dataclass(frozen=True, kw_only=True)
class ShareEdit:
    """One change made outside git, as CloudTrail recorded it: to a share, a model version
    or a model package group's tags."""

    identity: str | None  # e.g. assumed-role/Admin/jo
    account: str | None  # the account of the identity
    time: str
    call: str  # e.g. ram:DisassociateResourceShare, sagemaker:UpdateModelPackage
    subject: str = ""  # the principal, card, permission, version part or tag it concerns

    def sentence(self) -> str:
        who = self.identity or "an unknown identity"
        where = f" in {self.account}" if self.account else ""
        about = f" of {self.subject}" if self.subject else ""
        return f"{self.call}{about} by {who}{where} at {self.time}"


@dataclass(frozen=True, kw_only=True)
class Attribution:
    """Who changed a share: what CloudTrail recorded, and ``note``, what it could not say."""

    edits: tuple[ShareEdit, ...] = ()
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class DriftItem:
    address: str
    kind: str
    summary: str
    detail: str = ""
    fields: tuple[FieldChange, ...] = ()
    edits: tuple[Edit, ...] = ()
    remedy: str = ""
    trail: Attribution = Attribution()
    # Every live version of the card with the commit behind it (on a card's first item).
    versions: tuple[TracedVersion, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DriftReport:
    items: tuple[DriftItem, ...]
    context: Mapping[str, str] = field(default_factory=dict)
    cards_checked: int = 0
    shares_checked: int = 0
    names: Mapping[str, str] = field(default_factory=dict)  # the plan's display names
    color: bool = False  # display: colour word diffs (a terminal, NO_COLOR unset)
    topology: GraphChange | None = None  # the sharing that changed outside git, if any
    warnings: tuple[str, ...] = ()

    @property
    def has_drift(self) -> bool:
        return bool(self.items)


def split_identity(arn: str | None) -> tuple[str | None, str | None]:
    """('assumed-role/DataScientist/ana', '222222222222') from an STS or IAM ARN."""
    if not arn or not arn.startswith("arn:"):
        return arn, None
    parts = arn.split(":", 5)
    return (parts[5] if len(parts) == 6 else arn), (parts[4] or None)


def edits_from(history: tuple[Version, ...], base: int | None) -> tuple[Edit, ...]:
    """Edits oldest first, from versions newer than version ``base`` (the last one that
    matched git, or that an apply wrote)."""
    edits = []
    previous = base
    for version in sorted(history, key=lambda v: v.number):
        who, account = split_identity(version.modified_by)
        start = previous if previous is not None else version.number - 1
        edits.append(
            Edit(
                identity=who,
                account=account,
                time=version.modified_at,
                version_from=start,
                version_to=version.number,
            )
        )
        previous = version.number
    return tuple(edits)


def status_edit(card: LiveCard) -> Edit:
    who, account = split_identity(card.last_modified_by)
    return Edit(
        identity=who,
        account=account,
        time=card.last_modified_time,
        version_from=card.version,
        version_to=card.version,
    )


@dataclass(frozen=True, kw_only=True)
class StaleSource:
    """A source a card was filled from (``evidence:``) that changed since it was read."""

    card: str
    source: str  # its kind and where it is: "model-monitor-binary s3://…/statistics.json"
    change: str  # what changed: "a new report object (ETag a → b)"


@dataclass(frozen=True, kw_only=True)
class Findings:
    """What drift found out beyond the diff: card edits by address and drift kind (from
    version history), share attributions by ``trail_key`` (from CloudTrail), and the
    sources of filled cards that changed since they were read."""

    edits: Mapping[tuple[Address, str], tuple[Edit, ...]] = field(default_factory=dict)
    trails: Mapping[tuple[Address, Action], Attribution] = field(default_factory=dict)
    # Every live version of each drifted managed card with its commit, by card address.
    versions: Mapping[Address, tuple[TracedVersion, ...]] = field(default_factory=dict)
    evidence: tuple[StaleSource, ...] = ()


def trail_key(change: Change) -> tuple[Address, Action]:
    return (change.address, change.action)


def drift_report(
    found: PlanPart,
    unmanaged: tuple[Unmanaged, ...],
    findings: Findings,
    context: Mapping[str, str],
    counts: tuple[int, int],
    names: Mapping[str, str],
) -> DriftReport:
    """Every difference as a drift item: changes, blocked differences, unmanaged resources;
    each drifted card's live versions go on its first item; plan warnings too."""
    items = [_from_change(c, findings) for c in found.changes]
    items += [_from_error(e) for e in found.errors]
    items += [_from_unmanaged(u) for u in unmanaged]
    items += [_from_stale(s) for s in findings.evidence]
    items.sort(key=lambda i: (i.address, i.kind))
    cards, shares = counts
    return DriftReport(
        items=_with_versions(items, findings.versions),
        context=dict(context),
        cards_checked=cards,
        shares_checked=shares,
        names=dict(names),
        warnings=tuple(found.warnings),
    )


def _with_versions(
    items: list[DriftItem], versions: Mapping[Address, tuple[TracedVersion, ...]]
) -> tuple[DriftItem, ...]:
    """``items`` with each drifted card's live versions on the first item of that card."""
    traced = {str(address): found for address, found in versions.items()}
    shown: set[str] = set()
    out = []
    for item in items:
        found = traced.get(item.address)
        if found and item.address not in shown:
            item = replace(item, versions=found)
            shown.add(item.address)
        out.append(item)
    return tuple(out)


def _from_change(change: Change, findings: Findings) -> DriftItem:
    kind, summary = drift_kind(change.action)
    return DriftItem(
        address=str(change.address),
        kind=kind,
        summary=summary,
        detail=change.detail,
        fields=tuple(change.fields),
        edits=findings.edits.get((change.address, kind), ()),
        remedy=remedy(kind),
        trail=findings.trails.get(trail_key(change), Attribution()),
    )


def _from_stale(stale: StaleSource) -> DriftItem:
    return DriftItem(
        address=str(Address.card(stale.card)),
        kind="evidence",
        summary="a source it was filled from changed since it was read",
        detail=f"{stale.source}: {stale.change}",
        remedy=remedy("evidence"),
    )


def _from_error(error: Diagnostic) -> DriftItem:
    name = error.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    shown = _file_address(error.file, name)
    address = str(shown)
    if "/" not in error.file:  # reconciler.yaml: a hub's replica of a spoke card
        address = f"{error.file}:{error.path}"
    return DriftItem(
        address=address,
        kind="blocked",
        summary="differs from git in a way apply cannot undo",
        detail=f"{error.file}:{error.line}:{error.column}: {error.message}",
        remedy="change git to match, or fix the card by hand",
    )


def _file_address(file: str, name: str) -> Address:
    """The address of what a file of the repository declares."""
    if file.startswith("shares/"):
        return Address.share(name)
    return Address.group(name) if file.startswith("registry/") else Address.card(name)


def _from_unmanaged(item: Unmanaged) -> DriftItem:
    card = item.kind == "model_card"
    remedy = (
        f"`reconciler import {item.name}` brings it under git"
        if card
        else "`reconciler import --shares` brings it under git"
    )
    return DriftItem(
        address=str(Address.card(item.name) if card else Address.share(item.name)),
        kind="unmanaged",
        summary=f"{item.kind.replace('_', ' ')} not managed by the reconciler",
        detail="" if card else item.arn,
        remedy=remedy,
    )
