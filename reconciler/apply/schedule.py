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
function handed in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress

from typing_extensions import assert_never

from reconciler.apply.gate import Gate, Slots, Stopped, card_address
from reconciler.apply.report import Step, StepStatus
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import ChangeMembers, CreateShare

CARDS, SHARES = 2, 3  # the phases of card writes, and of share creation and membership


def phase(action: Action) -> int:
    """The phase an action runs in; lower phases finish first."""
    match action:
        case Action.ADOPT:
            return 0
        case Action.CREATE_PERMISSION | Action.UPDATE_PERMISSION:
            return 1
        case (
            Action.CREATE_CARD
            | Action.REPLACE_CARD
            | Action.UPDATE_CONTENT
            | Action.UPDATE_STATUS
            | Action.UPDATE_TAGS
            | Action.REPLICATE_CARD
            | Action.UPDATE_PACKAGE_APPROVAL
            | Action.EXPORT_CARD
        ):
            return 2
        case (
            Action.CREATE_SHARE
            | Action.UPDATE_SHARE
            | Action.SET_PERMISSION
            | Action.ASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
        ):
            return 3
        case Action.DISASSOCIATE_PRINCIPALS:
            return 4
        case Action.DISASSOCIATE_RESOURCES:
            return 5
        case Action.DELETE_SHARE:
            return 6
        case Action.DELETE_CARD:
            return 7
        case _:
            assert_never(action)


# Actions that change RAM only (shares, their members, permissions): once no later phase
# holds anything else, the cards are as this apply leaves them. Any other action, including
# one added later, counts as writing cards.
RAM_ONLY = frozenset(
    {
        Action.CREATE_PERMISSION,
        Action.UPDATE_PERMISSION,
        Action.CREATE_SHARE,
        Action.UPDATE_SHARE,
        Action.SET_PERMISSION,
        Action.ASSOCIATE_RESOURCES,
        Action.ASSOCIATE_PRINCIPALS,
        Action.DISASSOCIATE_PRINCIPALS,
        Action.DISASSOCIATE_RESOURCES,
        Action.DELETE_SHARE,
    }
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


def lanes(changes: Sequence[Change]) -> list[tuple[int, list[list[int]]]]:
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
    steps: list[Step | None] = [None] * len(changes)
    stop = threading.Event()
    lock = threading.Lock()
    phased = lanes(changes)
    card_lanes = [lane for number, found in phased if number == CARDS for lane in found]
    pending = {changes[lane[0]].address for lane in card_lanes}
    early = [
        lane
        for number, found in phased
        if number == SHARES
        for lane in found
        if any(card_address(e) in pending for i in lane for e in cards_added(changes[i]))
    ]
    slots = Slots(max(1, parallelism))
    gate = Gate(pending, slots)

    def run(indexes: list[int], started_early: bool = False) -> None:
        try:
            for index in indexes:
                change = changes[index]
                if started_early and not cards_added(change):
                    with suppress(Stopped):
                        gate.wait_for_cards(holds_slot=False)
                with slots.held(first=started_early):
                    if stop.is_set():
                        return
                    step = work(change, gate)
                with lock:
                    steps[index] = step
                    progress(step)
                if step.status is not StepStatus.DONE:
                    halt()
                    return
            gate.finished(changes[indexes[0]].address)
        except BaseException:
            halt()
            raise

    def halt() -> None:
        stop.set()
        gate.stop()

    final_after = cards_final_after(changes)
    with (
        ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool,
        ThreadPoolExecutor(max_workers=max(1, len(early))) as beside,
    ):
        waiting: list[Future[None]] = []
        try:
            for position, (number, phase_lanes) in enumerate(phased):
                if stop.is_set():
                    break
                if position == final_after:
                    cards_final()
                if number == CARDS:
                    waiting = [beside.submit(run, lane, True) for lane in early]
                list(pool.map(run, [lane for lane in phase_lanes if lane not in early]))
                if number == CARDS and not stop.is_set():
                    gate.cards_done()
                if number == SHARES:
                    for done in waiting:
                        done.result()  # before any removal; an error in a lane comes out here
            for done in waiting:
                done.result()
        except BaseException:  # an error in a step, or an interrupt: no lane may wait on
            halt()
            raise
    skipped = [
        (index, Step(address=c.address, action=c.action, status=StepStatus.NOT_ATTEMPTED))
        for index, (c, step) in enumerate(zip(changes, steps, strict=True))
        if step is None
    ]
    for index, step in skipped:
        steps[index] = step
        progress(step)
    return tuple(step for step in steps if step is not None)
