"""A probe run: every read-only check, then, with ``--write``, the scratch card's and the
scratch share's steps in order, and always the scratch resources' deletion, also after a
failed step, Ctrl-C or SIGTERM. The result is one ``Finding`` per assumption.

A step that fails marks the assumptions it would have settled as not checked and the run
goes on; a step the rest of its phase needs (creating the card, the share, deleting the
card) stops that phase. Writes come in phases because RAM's steps need the card and the
card's last steps delete it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from reconciler.common.errors import ReconcilerError
from reconciler.probe import cards, deletion, registry, shares
from reconciler.probe.assumptions import ASSUMPTIONS
from reconciler.probe.context import ProbeContext, Skip, said
from reconciler.probe.reads import READS
from reconciler.probe.scratch import Scratch, Work
from reconciler.probe.trail import (
    cross_account_event,
    cross_account_evidence,
    lookup_rate,
    package_update_event,
    package_update_evidence,
)
from reconciler.reports.probe import Assumption, Finding, Mode, Observation, ProbeReport

Seen = dict[str, Observation]


@dataclass(frozen=True)
class Step:
    keys: tuple[str, ...]  # the assumptions it settles
    do: Callable[[Work], Seen]
    essential: bool = False  # the rest of its phase needs it


def _trail(work: Work) -> Seen:
    if work.accepted is None or work.consumer is None:
        return {}
    ctx, who = work.ctx, work.consumer.id
    return {"cross-account-events": cross_account_event(ctx, _ACCEPT, who, work.accepted)}


def _package_trail(work: Work) -> Seen:
    arn, since = work.scratch.package_arn, work.package_updated
    if arn is None or since is None or _PACKAGE_TRAIL in work.evidence:
        return {}
    return {_PACKAGE_TRAIL: package_update_event(work.ctx, arn, since)}


_PACKAGE_TRAIL = "trail-package-update-fields"


_ACCEPT = "AcceptResourceShareInvitation"
_VERSION_KEYS = (
    "package-card-schema",
    "package-card-content-and-status",
    "package-archived-refuses-status",
    _PACKAGE_TRAIL,
)
PHASES: tuple[tuple[Step, ...], ...] = (
    (
        Step((), cards.create, essential=True),
        Step(("list-delay",), cards.list_delay),
        Step(("content-as-sent",), cards.content_as_sent),
        Step(("search-index-delay",), cards.search_delay),
        Step(("identical-update-version",), cards.identical_update),
        Step(("export-denial",), cards.export_denial),
        Step(("omitted-external",), shares.create_share, essential=True),
        Step(("share-names-repeat",), shares.twin),
        Step(("customer-permissions",), shares.customer_permission),
        Step(("group-customer-permissions",), registry.customer_permission),
        Step(("ram-needs-put-resource-policy",), shares.needs_put),
        Step(("ram-resources-one-by-one",), shares.one_by_one),
        Step(("ram-needs-get-resource-policy",), shares.needs_get),
        Step(("concurrent-associations", "association-delay"), shares.concurrent),
        Step(("cross-account-events",), shares.accept),
        Step(("group-permission-first",), shares.group_permission_first),
        Step(("ram-needs-delete-resource-policy",), shares.needs_delete),
    ),
    (
        Step(("archived-refuses-content", "archived-refuses-status"), cards.archived),
        Step((deletion.ARCHIVED, deletion.RETIRE), deletion.delete, essential=True),
        Step((deletion.RESERVED,), deletion.name_while_deleting),
        Step(("deletion-delay",), deletion.deletion_delay),
    ),
    (
        Step(("group-policy-absent",), registry.create_group, essential=True),
        Step(("group-policy-absent",), registry.policy_absent),
        Step(_VERSION_KEYS, registry.register, essential=True),
        Step(("package-card-schema",), registry.schema),
        Step(("package-card-content-and-status",), registry.together),
        Step(("package-archived-refuses-status",), registry.archived_status),
    ),
    (Step(("cross-account-events",), _trail), Step((_PACKAGE_TRAIL,), _package_trail)),
)


def run_probe(ctx: ProbeContext, write: bool) -> ProbeReport:
    """Every assumption checked on the card account (the write ones with ``write``)."""
    seen = read_checks(ctx)
    leftovers: tuple[str, ...] = ()
    if write:
        found, leftovers = written(ctx, seen)
        seen = merged(seen, found)
    findings = tuple(Finding.of(a, seen.get(a.key) or _unseen(a, write)) for a in ASSUMPTIONS)
    return ProbeReport(
        account=ctx.account,
        region=ctx.region,
        target=ctx.state.config.target,
        write=write,
        findings=findings,
        leftovers=leftovers,
    )


def merged(first: Seen, then: Seen) -> Seen:
    """``then`` over ``first``, except where only ``first`` decided something (evidence in
    the account's records stands when a later step could not run)."""
    kept = {k: o for k, o in then.items() if _decided(o) or not _decided(first.get(k))}
    return {**first, **kept}


def _decided(seen: Observation | None) -> bool:
    return seen is not None and (seen.value is not None or seen.outcome is not None)


def _unseen(a: Assumption, write: bool) -> Observation:
    if not a.checkable:
        return Observation(shown=f"not checkable here: {a.why_not}")
    needs = a.mode is Mode.WRITE and not write
    return Observation(shown="not checked: needs --write" if needs else "not checked")


def read_checks(ctx: ProbeContext) -> Seen:
    """The read-only checks; the lookup burst last, so it slows no other lookup."""
    checks: dict[str, Callable[[ProbeContext], Observation | None]] = {
        **READS,
        "cross-account-events": cross_account_evidence,
        _PACKAGE_TRAIL: package_update_evidence,
        "lookup-rate": lookup_rate,
    }
    seen: Seen = {}
    for key, check in checks.items():
        try:
            found = check(ctx)
        except (ClientError, ReconcilerError, Skip) as e:
            found = Observation(shown=f"not checked: {_why(e)}")
        if found is not None:
            seen[key] = found
    return seen


def _why(error: BaseException) -> str:
    return said(error) if isinstance(error, ClientError) else str(error)


def written(ctx: ProbeContext, seen: Seen) -> tuple[Seen, tuple[str, ...]]:
    """The write phases, then the scratch resources deleted whatever happened; what the
    phases saw and what could not be deleted."""
    evidence = frozenset(k for k, o in seen.items() if o.value is not None)
    work = Work(ctx=ctx, scratch=Scratch(ctx=ctx), evidence=evidence)
    try:
        with _terminate_interrupts():
            found: Seen = {}
            for phase in PHASES:
                found.update(run_phase(work, phase))
    except BaseException as e:
        left = _cleaned(work.scratch)
        if left:
            raise LeftBehind(left, e) from e
        raise
    return found, _cleaned(work.scratch)


def run_phase(work: Work, steps: tuple[Step, ...]) -> Seen:
    """Each step in turn; a failed step's keys are not checked, and an essential step's
    failure leaves the rest of the phase out."""
    seen: Seen = {}
    for index, step in enumerate(steps):
        try:
            seen.update(step.do(work))
        except (ClientError, ReconcilerError, Skip) as e:
            missed = Observation(shown=f"not checked: {_why(e)}")
            rest = steps[index:] if step.essential else (step,)
            seen.update({k: missed for s in rest for k in s.keys if k not in seen})
            if step.essential:
                return seen
    return seen


class LeftBehind(ReconcilerError):
    """A run that stopped early and could not delete everything it made."""

    def __init__(self, left: tuple[str, ...], cause: BaseException) -> None:
        stopped = "interrupted" if isinstance(cause, KeyboardInterrupt) else f"failed ({cause})"
        super().__init__(
            f"the probe {stopped} and could not delete: {'; '.join(left)}",
            hint="delete them with the commands shown",
        )


def _cleaned(scratch: Scratch) -> tuple[str, ...]:
    with _uninterrupted():
        return scratch.clean()


@contextmanager
def _terminate_interrupts() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) interrupts as Ctrl-C does, so the scratch resources are
    deleted then too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the scratch resources are deleted."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
