"""What lets a share's step run beside the card steps of the same apply (``schedule``).

``Slots`` bounds how many steps run at once; a step that waits for cards gives its slot
back and, when it goes on, takes the next free one before any step not yet started.
``Gate`` hands a share's step its cards as their own steps finish, 100 a call, tells it
when every card of the apply is written (the moment its principals may be added), and
stops it between two calls once any step has failed: ``Stopped`` carries what it had
done by then, which the step's handler words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from reconciler.common.arns import card_name, group_name
from reconciler.plan.address import Address


def card_address(entity: str) -> Address | None:
    """The address of the card an entity names (by ARN); None for anything else."""
    name = card_name(entity)
    return Address.card(name) if name is not None else None


class Stopped(Exception):
    """A step stopped between two of its calls because another step failed. ``done``
    says what it had done by then; "" when it had made no call."""

    def __init__(self, done: str = "") -> None:
        super().__init__(done or "stopped before its first call")
        self.done = done


class Slots:
    """At most ``size`` steps at once. A step that waited for cards takes a free slot
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
            if first and not self._first and self._free:
                self._changed.notify_all()  # steps that stood back may take the free slots

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
    """The cards this apply is still writing (their addresses), as a share's step sees
    them. A waiting step gives its slot back and takes one again before it goes on."""

    def __init__(self, pending: Iterable[Address] = (), slots: Slots | None = None):
        self._pending = set(pending)
        self._finished: list[Address] = []  # addresses, in the order their lanes finished
        self._slots = slots
        self._changed = threading.Condition()
        self._stopped = False
        self._cards_done = not self._pending

    def finished(self, address: Address) -> None:
        """The lane of ``address`` has finished, every step done."""
        with self._changed:
            if address in self._pending:
                self._pending.discard(address)
                self._finished.append(address)
                self._changed.notify_all()

    def cards_done(self) -> None:
        """Every card step of the apply has finished."""
        with self._changed:
            self._cards_done = True
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def cards_written(self) -> bool:
        """Whether every card step of the apply has finished (without waiting)."""
        return self._cards_done

    def batches(self, entities: Sequence[str], size: int) -> Iterator[list[str]]:
        """``entities`` in lists of at most ``size``, each once it is ready (a card once
        its lane has finished, a model package group once every card and version step
        has, anything else at once), in the order they become ready; a list is handed out
        when it is full or holds all the rest. Raises Stopped once a step has failed, even
        between two lists: no new call starts after a failure."""
        with self._changed:
            waiting = _Waiting(entities, self._pending, seen=len(self._finished))
            waiting.hold_groups(not self._cards_done)

        def due() -> bool:
            return waiting.enough(self._finished, size, self._cards_done)

        while waiting.ready or waiting.later or waiting.groups:
            if self._wait(due, holds_slot=True):
                raise Stopped()
            yield waiting.take(size)

    def wait_for_cards(self, *, holds_slot: bool = True) -> None:
        """Until every card step of the apply has finished; Stopped once a step failed."""
        if self._wait(lambda: self._cards_done, holds_slot=holds_slot):
            raise Stopped()

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


class _Waiting:
    """One step's entities: those ready to hand out, and the rest by the address of the
    card each waits for. Read and changed under the gate's lock."""

    def __init__(self, entities: Sequence[str], pending: set[Address], *, seen: int) -> None:
        self.ready: list[str] = []
        self.later: dict[Address, list[str]] = {}
        self.groups: list[str] = []  # model package groups, ready once the cards are done
        self._seen = seen  # how many finished lanes have been looked at
        for entity in entities:
            address = card_address(entity)
            if address is not None and address in pending:
                self.later.setdefault(address, []).append(entity)
            else:
                self.ready.append(entity)

    def hold_groups(self, hold: bool) -> None:
        """Keep the model package groups back until every card step has finished."""
        if hold:
            self.groups = [e for e in self.ready if group_name(e) is not None]
            self.ready = [e for e in self.ready if group_name(e) is None]

    def enough(self, finished: list[Address], size: int, cards_done: bool) -> bool:
        """Whether a list is due (full, or all the rest), once the entities of the cards
        whose lanes have finished since the last look are ready, and the groups once
        every card step has finished."""
        for address in finished[self._seen :]:
            self.ready.extend(self.later.pop(address, ()))
        self._seen = len(finished)
        if cards_done:
            self.ready.extend(self.groups)
            self.groups.clear()
        return len(self.ready) >= size or not (self.later or self.groups)

    def take(self, size: int) -> list[str]:
        batch, self.ready[:] = self.ready[:size], self.ready[size:]
        return batch


OPEN = Gate()  # for steps run outside a schedule: every card is written
