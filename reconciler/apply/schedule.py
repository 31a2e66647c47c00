"""The order in which a plan's changes run, and how many at once.

Changes run in phases, and each phase waits for the one before: adoptions (ownership tags
first), customer-managed permissions, cards, shares, then removals one kind at a time
(disassociate principals, disassociate resources, delete shares, delete cards). So
permissions exist before the shares that use them, a card exists before any association
of it, and nothing is removed before everything else is in place. Within a phase, the
changes of one resource run one after another in plan order (a card's content before its
status); different resources run in parallel, at most ``parallelism`` at a time.

On the first failure nothing new starts; steps already running finish and are reported as
they end; everything else is reported as not attempted. Once only phases that change RAM
are left, the caller hears of it (``cards_final``): the cards are as this apply leaves
them, so the re-plan that proves convergence may start reading them. Pure scheduling:
the work itself is a function handed in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from typing_extensions import assert_never

from reconciler.apply.report import Step, StepStatus
from reconciler.plan.model import Action, Change


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


def lanes(changes: Sequence[Change]) -> list[list[list[int]]]:
    """Per phase, in order, its lanes: the indexes of one resource's changes."""
    phases: dict[int, dict[str, list[int]]] = {}
    for index, change in enumerate(changes):
        by_address = phases.setdefault(phase(change.action), {})
        by_address.setdefault(change.address, []).append(index)
    return [list(phases[number].values()) for number in sorted(phases)]


def run_in_order(
    changes: Sequence[Change],
    work: Callable[[Change], Step],
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

    def lane(indexes: list[int]) -> None:
        for index in indexes:
            if stop.is_set():
                return
            step = work(changes[index])
            with lock:
                steps[index] = step
                progress(step)
            if step.status is StepStatus.FAILED:
                stop.set()
                return

    final_after = cards_final_after(changes)
    with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
        for number, phase_lanes in enumerate(lanes(changes)):
            if stop.is_set():
                break
            if number == final_after:
                cards_final()
            list(pool.map(lane, phase_lanes))
    skipped = [
        (index, Step(address=c.address, action=c.action.value, status=StepStatus.NOT_ATTEMPTED))
        for index, (c, step) in enumerate(zip(changes, steps, strict=True))
        if step is None
    ]
    for index, step in skipped:
        steps[index] = step
        progress(step)
    return tuple(step for step in steps if step is not None)
