"""The sandbox's single notion of "now": wall time plus an offset that time travel advances.

Every time-dependent state (pending deletions, export jobs, search indexing, RAM
invitations) reads this clock, so advancing it moves them all consistently.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class SandboxClock:
    """A callable clock: ``clock()`` returns epoch seconds, shifted by ``advance``."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self._source() + self._offset

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward (never back, as time in AWS does not go back); return now."""
        if seconds < 0:
            raise ValueError(f"cannot move the sandbox clock back ({seconds} s); use reset()")
        with self._lock:
            self._offset += seconds
        return self()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
