"""The steps of a run, composed: load the repository, check the account, read live state,
diff, confirm what looks changed, and plan. Each step is a short call into its module.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reconciler.aws.session import AwsSession, AwsSettings, CallStats
from reconciler.commands.drift import DriftReport, Edit, drift_report, edits_from, status_edit
from reconciler.diagnostics import Diagnostic
from reconciler.diff.cards import same_content
from reconciler.diff.compose import PlanOptions, diff_all, plan_from, unmanaged
from reconciler.errors import ReconcilerError
from reconciler.live import ram as live_ram
from reconciler.live import sagemaker as live_sagemaker
from reconciler.live.history import history_since
from reconciler.live.model import LiveCard, LiveState
from reconciler.load.desired import DesiredState
from reconciler.load.repo import load_repository
from reconciler.plan.model import Action, Plan, PlanPart
from reconciler.words import count

CARD_ACTIONS = frozenset(
    {
        Action.CREATE_CARD,
        Action.REPLACE_CARD,
        Action.UPDATE_CONTENT,
        Action.UPDATE_STATUS,
        Action.UPDATE_TAGS,
        Action.DELETE_CARD,
    }
)


class InvalidRepository(ReconcilerError):
    """The repository has errors; nothing was read from or written to AWS."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...], files: tuple[str, ...]) -> None:
        errors = sum(1 for d in diagnostics if d.severity.value == "error")
        super().__init__(
            f"the repository has {count(errors, 'error')}",
            hint="fix what is listed above (`reconciler validate` lists it too), then try again",
        )
        self.diagnostics, self.files = diagnostics, files


@dataclass(frozen=True)
class RunSettings:
    repo: Path
    endpoint_url: str | None = None
    max_workers: int = 8


@dataclass(frozen=True)
class PlanRun:
    state: DesiredState
    live: LiveState
    plan: Plan
    stats: CallStats
    session: AwsSession
    found: PlanPart  # the whole diff behind ``plan``, errors or not (drift and pull read it)


def load_valid(repo: Path) -> DesiredState:
    """The desired state, or InvalidRepository with every problem found."""
    loaded = load_repository(repo)
    if loaded.state is None:
        raise InvalidRepository(loaded.diagnostics, loaded.files)
    return loaded.state


def open_session(state: DesiredState, settings: RunSettings, stats: CallStats) -> AwsSession:
    """A session for the card account, refusing credentials for any other account."""
    config = state.config
    session = AwsSession(
        AwsSettings(
            config.region,
            settings.endpoint_url,
            config.card_role_arn,
            max_workers=settings.max_workers,
        ),
        stats,
    )
    session.require_account(config.card_account_id)
    return session


def read_live(session: AwsSession, state: DesiredState) -> LiveState:
    """Cards, shares and permissions, read concurrently."""
    sagemaker, ram = session.client("sagemaker"), session.client("ram")
    workers = session.settings.max_workers
    with ThreadPoolExecutor(max_workers=3) as pool:
        cards = pool.submit(live_sagemaker.search_cards, sagemaker)
        shares = pool.submit(
            live_ram.read_shares, ram, state.config.ownership, frozenset(state.shares), workers
        )
        permissions = pool.submit(live_ram.read_permissions, ram)
        return LiveState(cards.result(), shares.result(), permissions.result())


def confirm_cards(session: AwsSession, live: LiveState, names: Iterable[str]) -> LiveState:
    """Replace the Search view of ``names`` with what DescribeModelCard says now."""
    wanted = sorted(set(names))
    if not wanted:
        return live
    client = session.client("sagemaker")
    with ThreadPoolExecutor(max_workers=session.settings.max_workers) as pool:
        found = dict(
            zip(
                wanted,
                pool.map(lambda n: live_sagemaker.describe_card(client, n), wanted),
                strict=True,
            )
        )
    cards: dict[str, LiveCard] = dict(live.cards)
    for name, card in found.items():
        if card is None:
            cards.pop(name, None)
        else:
            cards[name] = card
    return replace(live, cards=cards)


def suspects(state: DesiredState, live: LiveState, found: PlanPart) -> set[str]:
    """Cards whose Search view may be stale: seen to change, or missing from the index."""
    changed = {c.address.split(".", 1)[1] for c in found.changes if c.action in CARD_ACTIONS}
    changed |= {c.params["delete_name"] for c in found.changes if "delete_name" in c.params}
    missing = {n for n in state.cards if n not in live.cards}
    error_files = {e.file for e in found.errors}
    blocked = {c.name for c in state.cards.values() if c.file in error_files}
    return {
        n for n in changed | missing | blocked if not (n in live.cards and live.cards[n].confirmed)
    }


def plan_run(settings: RunSettings, options: PlanOptions) -> PlanRun:
    """Load, read, diff, confirm and plan: everything `reconciler plan` does."""
    state = load_valid(settings.repo)
    stats = CallStats()
    session = open_session(state, settings, stats)
    live = read_live(session, state)
    found = diff_all(state, live, options)
    doubtful = suspects(state, live, found)
    if doubtful:
        live = confirm_cards(session, live, doubtful)
        found = diff_all(state, live, options)
    return PlanRun(state, live, plan_from(state, live, found), stats, session, found)


def import_candidates_run(settings: RunSettings, names: list[str]) -> PlanRun:
    """A plan run whose live cards not in git (or the named ones) were confirmed with
    DescribeModelCard, so files are written from what SageMaker says now."""
    run = plan_run(settings, PlanOptions())
    wanted = names or [n for n in run.live.cards if n not in run.state.cards]
    return replace(run, live=confirm_cards(run.session, run.live, wanted))


def drift_run(settings: RunSettings) -> tuple[DriftReport, PlanRun]:
    """Everything live that differs from git, with who edited each drifted card."""
    run = plan_run(settings, PlanOptions())
    found = run.found
    edits = card_edits(run, found)
    counts = (len(run.live.cards), len(run.live.shares))
    report = drift_report(
        found, unmanaged(run.state, run.live, found.adoptions), edits, run.plan.context, counts
    )
    return report, run


def card_edits(run: PlanRun, found: PlanPart) -> dict[str, tuple[Edit, ...]]:
    """Attribution of content and status drift, keyed '<address>:<kind>'."""
    client = run.session.client("sagemaker")
    edits: dict[str, tuple[Edit, ...]] = {}
    for change in found.changes:
        name = change.address.removeprefix("card.")
        live = run.live.cards.get(name)
        if change.action is Action.UPDATE_STATUS and live is not None:
            edits[f"{change.address}:status"] = (status_edit(live),)
        if change.action is Action.UPDATE_CONTENT:
            card = run.state.cards[name]
            newer, base = history_since(client, name, partial(same_content, card))
            edits[f"{change.address}:content"] = edits_from(newer, base)
    return edits
