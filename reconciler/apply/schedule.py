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
100 a call (``Gate.batches``), rather than after every card of the apply. So a card is
still associated only once it is as this apply leaves it; a step waiting for cards gives
its slot back and takes the next free one before any step not yet started, so waiting
never counts against ``parallelism``; and the lane's other changes (settings,
permissions, principals, which open the share to accounts) still wait for the whole card
phase.

On the first failure nothing new starts, not even the next call of a share's step that
is associating cards; steps already running finish and are reported as they end (a
share's step that was stopped between its calls as failed, saying how far it got);
everything else is reported as not attempted. Once only phases that change RAM
are left, the caller hears of it (``cards_final``): the cards are as this apply leaves
them, so the re-plan that proves convergence may start reading them. Pure scheduling:
the work itself is a function handed in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress

from typing_extensions import assert_never

from reconciler.apply.report import Step, StepStatus
from reconciler.arns import card_name
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


def card_address(entity: str) -> str:
    """The address of the card an entity names (by ARN); "" for anything else."""
    name = card_name(entity)
    return f"card.{name}" if name is not None else ""


class Stopped(Exception):
    """An earlier step failed while this one waited for cards: ``associated`` of ``total``
    entities had been handed out."""

    def __init__(self, associated: int, total: int) -> None:
        super().__init__(f"stopped by an earlier failure after {associated} of {total}")
        self.associated, self.total = associated, total


class Slots:
    """At most ``size`` steps at once. A step that associates cards takes a free slot
    before any step that has not started, so the cards' own steps never starve it."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._first = 0  # steps waiting to take a slot first
        self._changed = threading.Condition()

    def take(self, *, first: bool = False) -> None:
        with self._changed:
            self._first += first
            while self._free == 0 or (self._first and not first):
                self._changed.wait()
            self._first -= first
            self._free -= 1

    def give(self) -> None:
        with self._changed:
            self._free += 1
            self._changed.notify_all()

    @contextmanager
    def held(self, *, first: bool = False) -> Iterator[None]:
        self.take(first=first)
        try:
            yield
        finally:
            self.give()


class Gate:
    """What a step that associates cards waits for: the lanes of the cards this apply is
    still writing (by address). A waiting step gives its slot back and takes one again
    before it goes on."""

    def __init__(self, pending: Iterable[str] = (), slots: Slots | None = None):
        self._pending = set(pending)
        self._finished: list[str] = []  # addresses, in the order their lanes finished
        self._slots = slots
        self._changed = threading.Condition()
        self._stopped = False
        self._cards_done = not self._pending

    def finished(self, address: str) -> None:
        """The lane of ``address`` has finished, every step done."""
        with self._changed:
            if address in self._pending:
                self._pending.discard(address)
                self._finished.append(address)
                self._changed.notify_all()

    def cards_done(self) -> None:
        with self._changed:
            self._cards_done = True
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def batches(self, entities: Sequence[str], size: int) -> Iterator[list[str]]:
        """``entities`` in lists of at most ``size``, each once it is ready (it is not a
        card, or its card's lane has finished), in the order they become ready; a list is
        handed out when it is full or holds all the rest. Raises Stopped once a step has
        failed, even in the middle: no new call starts after a failure."""
        ready: list[str] = []
        later: dict[str, list[str]] = {}  # by the address of the card they wait for
        with self._changed:
            for entity in entities:
                address = card_address(entity)
                if address in self._pending:
                    later.setdefault(address, []).append(entity)
                else:
                    ready.append(entity)
            seen = len(self._finished)
        handed = 0

        def enough() -> bool:
            nonlocal seen
            for address in self._finished[seen:]:
                ready.extend(later.pop(address, ()))
            seen = len(self._finished)
            return len(ready) >= size or not later

        while ready or later:
            if self._wait(enough, holds_slot=True):
                raise Stopped(handed, len(entities))
            batch, ready[:] = ready[:size], ready[size:]
            handed += len(batch)
            yield batch

    def wait_for_cards(self) -> None:
        """Until the card phase has ended; Stopped when an earlier step has failed."""
        if self._wait(lambda: self._cards_done, holds_slot=False):
            raise Stopped(0, 0)

    def _wait(self, until: Callable[[], bool], *, holds_slot: bool) -> bool:
        """Wait until ``until()`` (called under the lock), giving the caller's slot back
        meanwhile; True, at once, when a step has failed: then nothing new starts."""
        released = False
        with self._changed:
            while not until():
                if self._stopped:
                    break
                if holds_slot and self._slots is not None and not released:
                    self._slots.give()
                    released = True
                self._changed.wait()
        if released and self._slots is not None:
            self._slots.take(first=True)
        return self._stopped  # read again: a step may have failed while this one took a slot


OPEN = Gate()  # for steps run outside a schedule: everything is ready


def lanes(changes: Sequence[Change]) -> list[tuple[int, list[list[int]]]]:
    """Per phase, in order: its number and its lanes, the indexes of one resource's changes."""
    phases: dict[int, dict[str, list[int]]] = {}
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
        for index in indexes:
            change = changes[index]
            if started_early and not cards_added(change):
                with suppress(Stopped):
                    gate.wait_for_cards()
            with slots.held(first=started_early):
                if stop.is_set():
                    return
                step = work(change, gate)
            with lock:
                steps[index] = step
                progress(step)
            if step.status is not StepStatus.DONE:
                stop.set()
                gate.stop()
                return
        gate.finished(changes[indexes[0]].address)

    final_after = cards_final_after(changes)
    with (
        ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool,
        ThreadPoolExecutor(max_workers=max(1, len(early))) as beside,
    ):
        waiting = []
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
                wait(waiting)
    skipped = [
        (index, Step(address=c.address, action=c.action.value, status=StepStatus.NOT_ATTEMPTED))
        for index, (c, step) in enumerate(zip(changes, steps, strict=True))
        if step is None
    ]
    for index, step in skipped:
        steps[index] = step
        progress(step)
    return tuple(step for step in steps if step is not None)
