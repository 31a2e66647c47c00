"""The catalogue `reconciler site` renders, gathered from git and, with live state, from
each target's card account.

From git: the desired state of every target, the sharing graph git declares, the gates,
and the last commit of each card file; no AWS call is made. With live state, per target:
a drift run (the plan's reads, card edits from version history, share changes from
CloudTrail), every version of each card git declares with its commit, the sharing graph
as AWS has it, and the PDF of each exported card, copied into the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from reconciler.aws.session import AwsSession, aws_errors
from reconciler.desired.model import CardSpec, DesiredState, Uses
from reconciler.desired.targets import for_target, selected
from reconciler.graph.build import from_git, from_live
from reconciler.graph.model import Graph
from reconciler.live import audit as live_audit
from reconciler.live.history import card_versions
from reconciler.live.model import LiveState
from reconciler.reports.catalogue import (
    FROM_GIT,
    FROM_LIVE,
    CardEntry,
    Catalogue,
    LastChange,
    LiveFacts,
    TargetView,
    access_of,
    drift_of,
    gates_of,
)
from reconciler.reports.drift import DriftReport
from reconciler.run.commit import current_commit, last_changes
from reconciler.run.drift_run import drift_run
from reconciler.run.pipeline import RunSettings, load_valid, open_target
from reconciler.workflows.files import card_page, card_pdf


@dataclass(frozen=True, kw_only=True)
class SiteSource:
    """The catalogue, and the files copied into the site as they are (PDFs), by path."""

    catalogue: Catalogue
    files: Mapping[str, bytes] = field(default_factory=dict)


def from_repository(repo: Path, targets: list[str] | None) -> SiteSource:
    """The catalogue of ``targets`` (default: every target) as git declares it."""
    whole = load_valid(repo)
    changes = last_changes(repo, "cards")
    views, cards = [], []
    for name in selected(whole.config, targets):
        state = for_target(whole, name)
        graph = from_git(state)
        views.append(_view(state, graph))
        cards += [_git_entry(state, c, graph, changes) for c in _cards(state)]
    catalogue = Catalogue(
        cards=tuple(cards), targets=tuple(views), source=FROM_GIT, commit=current_commit(repo)
    )
    return SiteSource(catalogue=catalogue)


def from_live_state(settings: RunSettings, targets: list[str] | None) -> SiteSource:
    """The catalogue of ``targets`` with what each card account holds (the drift role)."""
    repo = settings.repo
    whole = load_valid(repo)
    changes = last_changes(repo, "cards")
    views, cards, files = [], [], {}
    for name in selected(whole.config, targets):
        target = open_target(for_target(whole, name), settings)
        report, run = drift_run(target)
        live = live_audit.read_audit(target.session, run.state, run.live)
        graph = from_live(live, run.state.config)
        views.append(_view(run.state, graph))
        pdfs = _pdfs(target.session, run.state, live)
        files.update(pdfs)
        for card in _cards(run.state):
            entry = _git_entry(run.state, card, graph, changes)
            facts = _facts(target.session, entry, live, report, pdfs)
            cards.append(_live_entry(run.state, card, entry, live, facts))
    catalogue = Catalogue(
        cards=tuple(cards), targets=tuple(views), source=FROM_LIVE, commit=current_commit(repo)
    )
    return SiteSource(catalogue=catalogue, files=files)


def live_settings(repo: Path, endpoint_url: str | None) -> RunSettings:
    """How the live site reads each target: with the role drift assumes."""
    return RunSettings(repo=repo, endpoint_url=endpoint_url, uses=Uses.DRIFT)


def _cards(state: DesiredState) -> list[CardSpec]:
    return sorted(state.cards.values(), key=lambda c: c.name)


def _view(state: DesiredState, graph: Graph) -> TargetView:
    config = state.config
    return TargetView(
        name=config.target, region=config.region, account=config.card_account_id, graph=graph
    )


def _git_entry(
    state: DesiredState, card: CardSpec, graph: Graph, changes: Mapping[str, LastChange]
) -> CardEntry:
    return CardEntry(
        name=card.name,
        target=state.config.target,
        status=card.status,
        file=card.file,
        page=card_page(state.config.target, card.name),
        content=card.content,
        access=access_of(graph, card.name),
        gates=gates_of(state.config, card, card.content),
        last_change=changes.get(card.file),
    )


def _live_entry(
    state: DesiredState, card: CardSpec, entry: CardEntry, live: LiveState, facts: LiveFacts
) -> CardEntry:
    """The card as AWS has it: its live content (git's when AWS has none) and gates."""
    found = live.cards.get(card.name)
    content = found.content if found is not None and not found.unreadable else card.content
    gates = gates_of(state.config, card, content)
    return replace(entry, content=content, gates=gates, live=facts)


def _facts(
    session: AwsSession,
    card: CardEntry,
    live: LiveState,
    report: DriftReport,
    pdfs: Mapping[str, bytes],
) -> LiveFacts:
    """What AWS has of ``card``: status, versions with commits, drift, its PDF."""
    found = live.cards.get(card.name)
    if found is None:
        return LiveFacts(status=None, drift=drift_of(report.items, card.name, ()))
    export = live.exports.get(card.name)
    pdf = card_pdf(card.target, card.name, export.version if export else found.version)
    return LiveFacts(
        status=found.status,
        version=found.version,
        versions=card_versions(session.client("sagemaker"), card.name),
        drift=drift_of(report.items, card.name, {a.share for a in card.access}),
        pdf=pdf if pdf in pdfs else None,
        export_uri=export.uri if export else None,
    )


def _pdfs(session: AwsSession, state: DesiredState, live: LiveState) -> dict[str, bytes]:
    """The PDF of each card's current version that S3 holds, by its path in the site."""
    s3, target = session.client("s3"), state.config.target
    found = {}
    for name, export in sorted(live.exports.items()):
        if export.uri is None or name not in state.cards:
            continue
        bucket, key = live_audit.split_uri(export.uri)
        with aws_errors(f"downloading {export.uri} (s3:GetObject)"):
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        found[card_pdf(target, name, export.version)] = body
    return found
