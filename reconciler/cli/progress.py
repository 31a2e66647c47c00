"""Progress of an apply on stderr, never on stdout.

On a terminal (and without ``NO_COLOR``), a rich progress bar once the run has taken about
two seconds; elsewhere (CI, pipes, ``NO_COLOR``), a plain line about every two seconds and
at the end, so a log shows the run moving without one line per change. A failed step is
always printed at once, with its error.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import IO, Any

from reconciler.apply.report import Step, StepStatus
from reconciler.cli.options import colour_on
from reconciler.common.words import count

QUIET_SECONDS = 2.0


class ApplyProgress:
    """Receives each finished step; shows how far the apply has come."""

    def __init__(self, stream: IO[str] | None = None, clock: Any = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.fancy = colour_on(self.stream)
        self.total = self.done = self.failed = 0
        self.started = self.last = 0.0
        self._bar: Any = None
        self._task: Any = None
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        self.total, self.started = total, self.clock()
        self.last = self.started

    def __call__(self, step: Step) -> None:
        with self._lock:
            self.done += 1
            if step.status is StepStatus.FAILED:
                self.failed += 1
                self._print(
                    f"  failed {step.address} ({step.action.value}): {step.error_code}: "
                    f"{step.error_message}"
                )
            now = self.clock()
            if now - self.started < QUIET_SECONDS and self.done < self.total:
                return
            if self.fancy:
                self._advance()
            elif now - self.last >= QUIET_SECONDS or self.done == self.total:
                self.last = now
                self._print(self._line())

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _line(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"  applied {self.done}/{count(self.total, 'change')}{failed}"

    def _advance(self) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            console = Console(file=self.stream)
            self._bar = Progress(
                "applying",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("apply", total=self.total)
        self._bar.update(self._task, completed=self.done)

    def _print(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, highlight=False, markup=False)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()
