"""Reading many YAML files on every CPU.

Parsing is the floor of loading a large repository, and it is CPU work under one GIL. When
a repository has many files, this process has a single thread and the machine more than
one CPU, the files are split into contiguous slices: this process parses the first, forked
workers parse the others, and the results come back in the files' order, exactly what
``load_file`` gives one by one. Forking is only done with a single thread because a fork
copies locks that other threads may hold; any other process (a test run beside an
in-process emulator, a command that already opened AWS clients) reads the files itself.
The cards of a run from the command line have usually been parsed in part already, by a
process forked at start-up (``early``).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from pathlib import Path

from reconciler.load.early import cpus, take
from reconciler.load.yamlsource import LoadResult, load_file

MIN_FILES = 200  # below this, starting a worker costs more than it saves
MAX_WORKERS = 4


def load_files(files: Sequence[tuple[Path, str]]) -> list[LoadResult]:
    """``load_file(path, display)`` for each item, in order."""
    early = take(files, load_file)
    if early is not None:
        return early
    workers = _workers(len(files))
    if workers < 2:
        return _load_slice(files)
    size = -(-len(files) // workers)
    slices = [files[i : i + size] for i in range(0, len(files), size)]
    with multiprocessing.get_context("fork").Pool(len(slices) - 1) as pool:
        others = pool.map_async(_load_slice, slices[1:])
        results = _load_slice(slices[0])
        for part in others.get():
            results.extend(part)
    return results


def _load_slice(files: Sequence[tuple[Path, str]]) -> list[LoadResult]:
    return [load_file(path, display) for path, display in files]


def _workers(files: int) -> int:
    if files < MIN_FILES or threading.active_count() != 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cpus(), MAX_WORKERS, files // (MIN_FILES // 2)))
