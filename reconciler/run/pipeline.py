"""The orchestrator: every run (plan, verify, import) is composed here from the pipeline's
stages; the apply run (``apply_run``) and the drift run (``drift_run``) are composed from
these functions, and no run is composed anywhere else.

load → validate → desired state ─┐
AWS → live readers ─► live state ─┴► normalise ─► diff ─► plan ─► (safety ─► execute)

A ``Target`` is what a run works on: the valid desired state of one target (a card
account in a region; a repository without ``targets:`` has one) and the AWS session of its
card account, opened once and passed explicitly to every stage that calls AWS. A hub also
holds a session for each of its spokes, whose live cards it replicates. ``fanout`` runs
these functions for every target of a repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

from reconciler.aws.session import AwsSession, AwsSettings
from reconciler.aws.waits import WaitSettings
from reconciler.common.arns import Arns
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Config, DesiredState, TargetSpec, Uses
from reconciler.desired.targets import for_target
from reconciler.diff.compose import PlanOptions, card_changes, diff_all, plan_from
from reconciler.live import audit as live_audit
from reconciler.live import history as live_history
from reconciler.live import ram as live_ram
from reconciler.live import registry as live_registry
from reconciler.live import sagemaker as live_sagemaker
from reconciler.live.model import LiveCard, LiveGroup, LiveState, OrganizationFact
from reconciler.live.organization import read_organization
from reconciler.live.replicas import Sources, confirm_sources, read_sources, replicas_from
from reconciler.normalize.state import Normalised, normalise
from reconciler.plan.model import Action, Plan, PlanPart
from reconciler.reports.consumers import VerifyReport
from reconciler.run.commit import current_commit
from reconciler.run.repository import InvalidRepository, load_repository
from reconciler.validate.schemas import Kind, is_safe_name
from reconciler.verify.consumers import verify_consumers


@dataclass(frozen=True, kw_only=True)
class RunSettings:
    repo: Path
    endpoint_url: str | None = None
    max_workers: int = 8
    target: str | None = None  # which target of the repository; None: its only one
    uses: Uses = Uses.APPLY  # which of a target's card account roles the command assumes


@dataclass(frozen=True, kw_only=True)
class Target:
    """The desired state and the card account's session a run works on."""

    state: DesiredState
    session: AwsSession
    spokes: Mapping[str, AwsSession] = field(default_factory=dict)  # a hub's, by target name

    @property
    def name(self) -> str:
        return self.state.config.target

    commit: str | None = None  # the git commit being applied (audit trail)

    def call_counts(self) -> dict[str, dict[str, int]]:
        """API calls and HTTP attempts per operation so far, as ``--stats`` shows them."""
        calls = self.session.stats
        return {"calls": dict(calls.calls), "attempts": dict(calls.attempts)}


@dataclass(frozen=True, kw_only=True)
class PlanRun:
    """One pass of the pipeline: what was read, how it compares, and the plan."""

    state: DesiredState
    live: LiveState
    normalised: Normalised
    found: PlanPart  # the whole diff behind ``plan``, errors or not (drift and pull read it)
    plan: Plan


def load_valid(repo: Path) -> DesiredState:
    """The desired state, or InvalidRepository with every problem found."""
    loaded = load_repository(repo)
    if loaded.state is None:
        raise InvalidRepository(loaded.diagnostics, loaded.files)
    return loaded.state


def connect(settings: RunSettings) -> Target:
    """Load the repository and open the card account's session, refusing credentials for
    any other account. No AWS call is made for an invalid repository."""
    state = load_valid(settings.repo)
    name = settings.target or only_target(state.config)
    return open_target(for_target(state, name), settings)


def only_target(config: Config) -> str:
    """The repository's one target; naming one is needed when it declares several."""
    if len(config.targets) > 1:
        raise ReconcilerError(
            f"reconciler.yaml declares {len(config.targets)} targets",
            hint=f"name one with --target ({', '.join(sorted(config.targets))})",
        )
    return next(iter(config.targets))


def open_target(state: DesiredState, settings: RunSettings) -> Target:
    """The sessions of one target's card account and, for a hub, of its spokes, each
    refusing credentials for any other account."""
    config = state.config
    session = card_session(config, config.targets[config.target], settings)
    spokes = {s.name: card_session(config, s, settings) for s in config.spokes_of(config.target)}
    commit = current_commit(settings.repo)
    return Target(state=state, session=session, spokes=spokes, commit=commit)


def card_session(config: Config, target: TargetSpec, settings: RunSettings) -> AwsSession:
    """A session in ``target``'s card account and region (its role_arn, or ambient)."""
    aws = AwsSettings.resolved(
        retry_mode=config.retry_mode,
        max_attempts=config.max_attempts,
        region=target.region,
        endpoint_url=settings.endpoint_url,
        role_arn=target.role_arn_for(settings.uses),
        max_workers=settings.max_workers,
    )
    session = AwsSession(aws)
    session.require_account(target.card_account_id)
    return session


def read_live(
    session: AwsSession, state: DesiredState, cards: Future[dict[str, LiveCard]] | None = None
) -> LiveState:
    """Cards, shares, permissions, the model packages cards name and the model package
    groups of git, read concurrently.
    ``cards``: the cards, when their read has already started (``read_cards``)."""
    sagemaker, ram = session.client("sagemaker"), session.client("ram")
    workers = session.settings.max_workers
    own, declared = state.config.ownership, frozenset(state.shares)
    with ThreadPoolExecutor(max_workers=6) as pool:
        cards = cards if cards is not None else pool.submit(read_cards, session, state)
        shares = pool.submit(live_ram.read_shares, ram, own, declared, workers)
        permissions = pool.submit(live_ram.read_permissions, ram)
        organization = _read_organization(pool, session, state)
        arns = live_audit.package_arns(state)
        packages = pool.submit(live_audit.read_packages, sagemaker, arns, workers)
        groups = pool.submit(live_registry.read_groups, sagemaker, state)
        return LiveState(
            cards=cards.result(),
            shares=shares.result(),
            permissions=permissions.result(),
            organization=organization.result() if organization else None,
            packages=packages.result(),
            groups=groups.result(),
        )


def _read_organization(
    pool: ThreadPoolExecutor, session: AwsSession, state: DesiredState
) -> Future[OrganizationFact] | None:
    """The Organization's read, started when reconciler.yaml names one to check."""
    if not state.config.organization_id:
        return None
    return pool.submit(read_organization, session.client("organizations"))


def read_cards(session: AwsSession, state: DesiredState) -> dict[str, LiveCard]:
    """Every card of the account as the Search index has it; content equal to git's is
    shared with git's (``known``), so a large account is held in memory once."""
    known = {name: card.content for name, card in state.cards.items()}
    return live_sagemaker.search_cards(session.client("sagemaker"), known)


def confirm_cards(session: AwsSession, live: LiveState, names: Iterable[str]) -> LiveState:
    """Replace the Search view of ``names`` with what SageMaker says now: DescribeModelCard
    for each, except that cards the index lacks are first looked up in ListModelCards when
    that costs fewer calls (a first apply of many new cards)."""
    wanted = sorted(set(names))
    if not wanted:
        return live
    client = session.client("sagemaker")
    absent = _listed_absent(client, live, wanted)
    described = [n for n in wanted if n not in absent]
    if not described:
        return live  # every card in doubt is absent, as Search said
    workers = session.settings.max_workers
    cards = live_sagemaker.redescribed(client, live.cards, described, workers, tags=True)
    return replace(live, cards=cards)


def confirm_listed(
    session: AwsSession, live: LiveState, names: Iterable[str], found: PlanPart
) -> LiveState:
    """Drift's confirmation: a card Search shows whose only changes are to its content or
    status is confirmed by its version listing (one call, which drift reads again to say
    who edited it); any other, or one whose listing disagrees with Search, as
    ``confirm_cards`` confirms it. Tags are Search's: no version records their change."""
    wanted = set(names)
    listable = sorted(n for n in _edited_only(found) & wanted if n in live.cards)
    check = partial(live_history.confirmed_by_versions, session.client("sagemaker"))
    workers = max(1, min(session.settings.max_workers, len(listable)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        checked = {c.name: c for c in pool.map(check, (live.cards[n] for n in listable)) if c}
    listed = replace(live, cards={**live.cards, **checked}) if checked else live
    return confirm_cards(session, listed, wanted - set(checked))


def _edited_only(found: PlanPart) -> set[str]:
    """The cards whose every change is to their content or status."""
    edits = {Action.UPDATE_CONTENT, Action.UPDATE_STATUS}
    changed = {c.address.name for c in found.changes if c.address.is_card}
    other = {c.address.name for c in found.changes if c.address.is_card and c.action not in edits}
    return changed - other


def _listed_absent(client: Any, live: LiveState, wanted: list[str]) -> set[str]:
    """The cards of ``wanted`` the index lacks that ListModelCards does not list either,
    when one listing costs fewer calls than describing each of them; else none."""
    unseen = [n for n in wanted if n not in live.cards]
    if len(unseen) <= len(live.cards) // 100 + 1:
        return set()
    listed = live_sagemaker.card_names(client)
    return {n for n in unseen if n not in listed}


def suspects(state: DesiredState, live: LiveState, found: PlanPart) -> set[str]:
    """Cards whose Search view may be stale: seen to change, or missing from the index."""
    missing = {n for n in (*state.cards, *state.replicas) if n not in live.cards}
    error_files = {e.file for e in found.errors}
    blocked = {c.name for c in state.cards.values() if c.file in error_files}
    return {
        n
        for n in card_changes(found) | missing | blocked
        if not (n in live.cards and live.cards[n].confirmed)
    }


def compare(state: DesiredState, live: LiveState, options: PlanOptions) -> PlanRun:
    """The pure part of a run: normalise, diff and plan."""
    normalised = normalise(state, live)
    arns = Arns.for_config(state.config)
    found = diff_all(normalised, arns, options)
    return PlanRun(
        state=state,
        live=live,
        normalised=normalised,
        found=found,
        plan=plan_from(normalised, found, arns),
    )


def build_plan(state: DesiredState, live: LiveState, options: PlanOptions) -> Plan:
    """The changes that make ``live`` match ``state``, in execution order."""
    return compare(state, live, options).plan


class Confirm(Enum):
    """How the cards whose Search view is in doubt are read again."""

    DESCRIBE = "describe"  # DescribeModelCard and ListTags: what a plan to apply needs
    VERSIONS = "versions"  # their version listing where it suffices: what drift reads


def plan_run(
    target: Target,
    options: PlanOptions,
    cards: Future[dict[str, LiveCard]] | None = None,
    *,
    confirm: Confirm = Confirm.DESCRIBE,
) -> PlanRun:
    """Read, normalise, diff, confirm and plan: everything `reconciler plan` does. A hub
    also reads its spokes' live cards: what its replicas must hold. ``cards``: the live
    cards, when their read has already started."""
    sources, state, live = read_hub_and_spokes(target, cards)
    run = compare(state, live, options)
    doubtful = suspects(state, live, run.found)
    checked = confirm_sources(target.state, target.spokes, sources, doubtful, live.cards)
    if checked is not sources:
        state = with_sources(target.state, checked)
    if confirm is Confirm.VERSIONS:
        confirmed = confirm_listed(target.session, live, doubtful, run.found)
    else:
        confirmed = confirm_cards(target.session, live, doubtful)
    audited = live_audit.read_audit(target.session, state, confirmed)
    return run if audited is live and checked is sources else compare(state, audited, options)


def read_hub_and_spokes(
    target: Target, cards: Future[dict[str, LiveCard]] | None
) -> tuple[Sources, DesiredState, LiveState]:
    """The spokes' cards (a hub's), the desired state they make, and the live state; the
    card account's cards are read while the spokes are."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        if cards is None and target.spokes:
            cards = pool.submit(read_cards, target.session, target.state)
        sources = read_sources(target.state, target.spokes)
        state = with_sources(target.state, sources)
        return sources, state, read_live(target.session, state, cards)


def with_sources(state: DesiredState, sources: Sources) -> DesiredState:
    """A hub's desired state: its own cards plus a replica of each spoke's live card."""
    if not sources:
        return state  # not a hub
    replicas, conflicts = replicas_from(state, sources)
    return replace(state, replicas=replicas, replica_conflicts=conflicts)


# -- verify, drift, import -----------------------------------------------------------


def verify_run(target: Target, run: PlanRun, waits: WaitSettings) -> VerifyReport:
    """What each consumer account sees of the shares in ``run``."""
    checks = verify_consumers(target.session, run.state, run.live, waits)
    return VerifyReport(checks=checks, context=run.plan.context)


def import_candidates_run(
    target: Target, names: list[str], groups: tuple[str, ...] = ()
) -> PlanRun:
    """A plan run whose live cards not in git (or the named ones) were confirmed with
    DescribeModelCard, so files are written from what SageMaker says now. Cards that
    reconciler.yaml keeps out of git (``unmanaged.cards``) are candidates only by name.
    The named model package groups git does not declare are read whole into
    ``live.groups``."""
    run = plan_run(target, PlanOptions())
    config = run.state.config
    wanted = names or [
        n for n in run.live.cards if n not in run.state.cards and config.kept_out_of_git(n) is None
    ]
    live = confirm_cards(target.session, run.live, wanted)
    read = _undeclared_groups(target, run.state, groups)
    return compare(run.state, replace(live, groups={**live.groups, **read}), PlanOptions())


def _undeclared_groups(
    target: Target, state: DesiredState, names: tuple[str, ...]
) -> dict[str, LiveGroup | None]:
    """The named groups git does not declare, each version described. A name that is no
    group name (``registry`` schema's rule) is not asked for: the importer refuses it."""
    sagemaker = target.session.client("sagemaker")
    return {
        name: live_registry.read_whole_group(sagemaker, name)
        for name in sorted(set(names))
        if name not in state.groups and is_safe_name(Kind.REGISTRY, name)
    }
