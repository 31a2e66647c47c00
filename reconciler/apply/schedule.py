"""The order in which a plan's changes run, and how many at once.

Changes run in phases, and each phase waits for the one before: adoptions (ownership tags
first), customer-managed permissions, cards, shares, then removals one kind at a time
(disassociate principals, disassociate resources, delete shares, delete cards). So
permissions exist before the shares that use them, and nothing is removed before
everything else is in place. Within a phase, the changes of one resource run one after
another in plan order (a card's content before its status); different resources run in
parallel, at most ``parallelism`` steps at a time.

One exception makes a large first apply as fast as a script: a share's lane that adds
cards this apply writes (``create_share``, ``associate_resources``) starts with the card
phase, and its step associates each card as soon as that card's own lane has finished,
100 a call (``gate.Gate.batches``), rather than after every card of the apply. So a card
is still associated only once it is as this apply leaves it; a step waiting for cards
gives its slot back and takes the next free one before any step not yet started, so
waiting never counts against ``parallelism``; and principals (in the same step, or the
lane's later changes), settings and permissions, which open the share to accounts, wait
for the whole card phase.

On the first failure, or an error no step handler expected, nothing new starts, not even
the next call of a step that is associating entities; steps already running finish and
are reported as they end (a step stopped between its calls as failed, saying how far it
got); everything else is reported as not attempted, and an unexpected error is raised
once no lane is waiting any more. Once only phases that change RAM are left, the caller
hears of it (``cards_final``): the cards are as this apply leaves them, so the re-plan
that proves convergence may start reading them. Pure scheduling: the work itself is a
function handed in. ``Scheduler`` holds one run, with a method for each part of a phase
(whether it may start, its lanes, the share lanes started early, what follows its end).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from typing import get_args

from typing_extensions import assert_never

from reconciler.apply.gate import Gate, Slots, Stopped, card_address
from reconciler.apply.report import Step, StepStatus
from reconciler.plan.actions import AccountAction, CardAction, ShareAction, by_resource
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import ChangeMembers, CreateShare

CARDS, SHARES = 2, 3  # the phases of card writes, and of share creation and membership

Phases = list[tuple[int, list[list[int]]]]  # per phase: its number and its lanes


def phase(action: Action) -> int:
    """The phase an action runs in; lower phases finish first."""
    return by_resource(action, account=_account_phase, card=_card_phase, share=_share_phase)


def _account_phase(action: AccountAction) -> int:
    """Adoptions first (only tags), then the permissions shares will use."""
    match action:
        case Action.ADOPT:
            return 0
        case Action.CREATE_PERMISSION | Action.UPDATE_PERMISSION:
            return 1
        case _:
            assert_never(action)


def _card_phase(action: CardAction) -> int:
    """Cards are written after permissions, and deleted last of all."""
    match action:
        case (
            Action.CREATE_CARD
            | Action.REPLACE_CARD
            | Action.UPDATE_CONTENT
            | Action.UPDATE_STATUS
            | Action.UPDATE_TAGS
            | Action.REPLICATE_CARD
            | Action.UPDATE_PACKAGE_APPROVAL
            | Action.UPDATE_VERSION
            | Action.EXPORT_CARD
        ):
            return CARDS
        case Action.DELETE_CARD:
            return 7
        case _:
            assert_never(action)


def _share_phase(action: ShareAction) -> int:
    """Shares are written after cards; removals come one kind at a time before cards go."""
    match action:
        case (
            Action.CREATE_SHARE
            | Action.UPDATE_SHARE
            | Action.SET_PERMISSION
            | Action.ASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
        ):
            return SHARES
        case Action.DISASSOCIATE_PRINCIPALS:
            return 4
        case Action.DISASSOCIATE_RESOURCES:
            return 5
        case Action.DELETE_SHARE:
            return 6
        case _:
            assert_never(action)


# Actions that change RAM only (shares, their members, permissions): once no later phase
# holds anything else, the cards are as this apply leaves them. Any other action, including
# one added later outside ``ShareAction``, counts as writing cards.
RAM_ONLY: frozenset[Action] = frozenset(
    {Action.CREATE_PERMISSION, Action.UPDATE_PERMISSION, *get_args(ShareAction)}
)


def cards_final_after(changes: Sequence[Change]) -> int | None:
    """How many phases (of ``lanes``) must end before no card changes any more, when
    phases that change only RAM still follow; otherwise None."""
    numbers = sorted({phase(c.action) for c in changes})
    writing = [phase(c.action) for c in changes if c.action not in RAM_ONLY]
    last = numbers.index(max(writing)) + 1 if writing else 0
    return last if last < len(numbers) else None


def cards_added(change: Change) -> tuple[str, ...]:
    """The entities a change associates with a share as resources (cards, by ARN)."""
    payload = change.payload
    if isinstance(payload, CreateShare):
        return payload.resource_arns
    if change.action is Action.ASSOCIATE_RESOURCES and isinstance(payload, ChangeMembers):
        return payload.entities
    return ()


def lanes(changes: Sequence[Change]) -> Phases:
    """Per phase, in order: its number and its lanes, the indexes of one resource's changes."""
    phases: dict[int, dict[Address, list[int]]] = {}
    for index, change in enumerate(changes):
        by_address = phases.setdefault(phase(change.action), {})
        by_address.setdefault(change.address, []).append(index)
    return [(number, list(phases[number].values())) for number in sorted(phases)]


def run_in_order(
    changes: Sequence[Change],
    work: Callable[[Change, Gate], Step],
    parallelism: int,
    progress: Callable[[Step], None] = lambda step: None,
    cards_final: Callable[[], None] = lambda: None,
) -> tuple[Step, ...]:
    """Every change run by ``work`` in its phase; the steps in plan order. ``cards_final``
    is called once no step will change a card any more, while phases that change only RAM
    are still to run, and only when nothing has failed."""
    scheduler = Scheduler(changes, work, parallelism, progress=progress, cards_final=cards_final)
    return scheduler.run()


def _cards_written(changes: Sequence[Change], phased: Phases) -> set[Address]:
    """The addresses of the cards this apply writes: the lanes of the card phase."""
    return {changes[lane[0]].address for n, found in phased if n == CARDS for lane in found}


def _started_early(
    changes: Sequence[Change], phased: Phases, pending: set[Address]
) -> list[list[int]]:
    """The share lanes that associate cards this apply writes: they start with the cards."""
    return [
        lane
        for number, found in phased
        if number == SHARES
        for lane in found
        if any(card_address(e) in pending for i in lane for e in cards_added(changes[i]))
    ]


class Scheduler:
    """One run of a plan's changes, phase after phase (``run``, once). It holds the steps
    so far, the slots that bound parallelism, the gate that streams written cards to the
    share lanes started early, and the flag that stops everything after a failure."""

    def __init__(
        self,
        changes: Sequence[Change],
        work: Callable[[Change, Gate], Step],
        parallelism: int,
        *,
        progress: Callable[[Step], None],
        cards_final: Callable[[], None],
    ) -> None:
        self._changes, self._work, self._progress = changes, work, progress
        self._cards_final, self._final_after = cards_final, cards_final_after(changes)
        self._phases = lanes(changes)
        pending = _cards_written(changes, self._phases)
        self._early = _started_early(changes, self._phases, pending)
        self._slots = Slots(max(1, parallelism))
        self._gate = Gate(pending, self._slots)
        self._pool = ThreadPoolExecutor(max_workers=max(1, parallelism))
        self._beside = ThreadPoolExecutor(max_workers=max(1, len(self._early)))
        self._steps: list[Step | None] = [None] * len(changes)
        self._waiting: list[Future[None]] = []  # the early lanes, once the card phase starts
        self._stop, self._lock = threading.Event(), threading.Lock()

    def run(self) -> tuple[Step, ...]:
        """Every phase in order, then every change without a step as not attempted."""
        with self._pool, self._beside:
            try:
                self._phases_in_order()
            except BaseException:  # an error in a step, or an interrupt: no lane may wait on
                self._halt()
                raise
        self._not_attempted()
        return tuple(step for step in self._steps if step is not None)

    def _phases_in_order(self) -> None:
        for position, (number, phase_lanes) in enumerate(self._phases):
            if not self._may_start(position):
                break
            if number == CARDS:
                self._start_early()
            self._run_lanes(phase_lanes)
            self._after(number)
        self._join_early()

    def _run_lanes(self, phase_lanes: list[list[int]]) -> None:
        """A phase's lanes (but those started early) side by side, until all have ended."""
        later = [lane for lane in phase_lanes if lane not in self._early]
        list(self._pool.map(self._lane, later))

    def _may_start(self, position: int) -> bool:
        """What must have happened before the phase at ``position`` runs: no failure. When
        only phases that change RAM are left, the caller first hears the cards are final."""
        if self._stop.is_set():
            return False
        if position == self._final_after:
            self._cards_final()
        return True

    def _start_early(self) -> None:
        """The share lanes that associate this apply's cards start beside the card phase."""
        self._waiting = [self._beside.submit(self._lane, lane, True) for lane in self._early]

    def _after(self, number: int) -> None:
        """The card phase's end opens the gate to principals; the share phase's end waits
        for the lanes that started early, before any removal."""
        if number == CARDS and not self._stop.is_set():
            self._gate.cards_done()
        if number == SHARES:
            self._join_early()

    def _join_early(self) -> None:
        for done in self._waiting:
            done.result()  # an error in a lane comes out here

    def _lane(self, indexes: list[int], started_early: bool = False) -> None:
        """One resource's changes in plan order, until one is not done."""
        try:
            for index in indexes:
                if not self._step(index, started_early):
                    return
            self._gate.finished(self._changes[indexes[0]].address)
        except BaseException:
            self._halt()
            raise

    def _step(self, index: int, started_early: bool) -> bool:
        """Run one change in a slot; whether its lane goes on. A change of a lane started
        early that adds no cards waits for the whole card phase, without a slot."""
        change = self._changes[index]
        if started_early and not cards_added(change):
            with suppress(Stopped):
                self._gate.wait_for_cards(holds_slot=False)
        with self._slots.held(first=started_early):
            if self._stop.is_set():
                return False
            step = self._work(change, self._gate)
        self._record(index, step)
        if step.status is not StepStatus.DONE:
            self._halt()
            return False
        return True

    def _record(self, index: int, step: Step) -> None:
        with self._lock:
            self._steps[index] = step
            self._progress(step)

    def _halt(self) -> None:
        """After the first failure nothing new starts, not even a share step's next call."""
        self._stop.set()
        self._gate.stop()

    def _not_attempted(self) -> None:
        """Every change without a step (after a failure) is reported not attempted."""
        for index, change in enumerate(self._changes):
            if self._steps[index] is None:
                status = StepStatus.NOT_ATTEMPTED
                step = Step(address=change.address, action=change.action, status=status)
                self._record(index, step)
