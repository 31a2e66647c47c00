"""Parsing a large repository's cards while the command line is still starting.

A run spends its first few hundred milliseconds importing Python modules on one CPU,
while a second one idles. When the `reconciler` command will load a repository, its entry
point forks a process first thing, while this one still has a single thread and has
imported almost nothing; the fork parses the card files from the last one backwards while
this process imports and reads its options. When loading reaches the cards, this process
parses from the first file forwards until the two meet, then takes the rest from the fork.
The files are split into chunks; two shared counters, under one lock, say which chunks
each side has taken, so every chunk is parsed once. A fork that dies, even holding the
lock, leaves its chunks to this process.

The results are exactly what ``load_file`` gives, file by file. They are used only for the
same files, under the same names, unchanged since the fork read them (size and
modification time); anything else is parsed again here. Without ``fork``, with one CPU,
or for a small repository, nothing is started and loading works as before.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

MIN_FILES = 200  # below this, a fork costs more than it saves
CHUNK = 10
LOCK_WAIT = 0.2  # seconds between checks that the other side still runs
COMMANDS = frozenset({"validate", "plan", "apply", "drift"})  # those that load a repository
SUFFIXES = (".yaml", ".yml")  # as load.files lists them

# A file's size and modification time (read before parsing it), and what it holds as plain
# values (``yamlsource.portable``): None when it is not a valid YAML document.
Parsed = tuple[tuple[int, int], Any]
_FRAME = struct.Struct("<iq")  # a chunk's number and the length of its results (marshal)


@dataclass(kw_only=True)
class _Fork:
    pid: int
    reading: int  # the pipe the fork writes its results to
    files: list[tuple[str, str]]  # (absolute path, display name), in load order
    counters: Any  # shared: [chunks this process took from the front, first chunk of the fork's]
    ended: bool = False

    def alive(self) -> bool:
        """Whether the fork still runs (reaping it once it has ended)."""
        if not self.ended:
            try:
                self.ended = os.waitpid(self.pid, os.WNOHANG)[0] != 0
            except ChildProcessError:  # reaped already (SIGCHLD ignored)
                self.ended = True
        return not self.ended

    def reap(self) -> None:
        if not self.ended:
            with suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
                os.waitpid(self.pid, 0)
            self.ended = True


_fork: _Fork | None = None


def start_for(argv: Sequence[str]) -> None:
    """Start the early parse when ``argv`` (without the program name) runs a command that
    loads a repository.

    The one place outside ``cli`` that reads the command line, and only for two facts (the
    command's name and ``--repo``): it runs before ``cli`` is imported, because importing
    it is the time the early parse overlaps. ``cli`` parses the options as usual after; a
    guess that is wrong here only costs the parse it started, which loading ignores for
    files it did not ask for."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command in COMMANDS:
        start(Path(_repo_option(argv) or "."))


def _repo_option(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--repo" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--repo="):
            return arg.removeprefix("--repo=")
    return None


def start(repo: Path) -> None:
    """Fork the process that parses ``repo``'s cards, when it is worth it and safe."""
    global _fork
    if _fork is not None or not _may_fork():
        return
    files = _card_files(repo)
    if files:
        _fork = _forked(files)


def _may_fork() -> bool:
    """Whether this platform forks, another CPU is free, and no thread runs yet."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and cpus() >= 2
        and threading.active_count() == 1
    )


def _card_files(repo: Path) -> list[tuple[str, str]]:
    """The card files, as (absolute path, display name) in load order; none when they are
    too few to be worth a fork, or when one of them (or the folder) is a symlink: whether
    a symlink may be read is reconciler.yaml's to say (``load.files``), so the fork reads
    none."""
    folder = repo / "cards"
    try:
        entries = [] if folder.is_symlink() else list(os.scandir(folder))
    except OSError:
        return []
    cards = [e for e in entries if e.name.endswith(SUFFIXES)]
    if len(cards) < MIN_FILES or any(e.is_symlink() for e in cards):
        return []
    names = sorted(e.name for e in cards if e.is_file(follow_symlinks=False))
    return [(os.path.abspath(folder / n), f"cards/{n}") for n in names]


def _forked(files: list[tuple[str, str]]) -> _Fork:
    counters = multiprocessing.get_context("fork").Array("i", [0, _chunks(files)])
    reading, writing = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        _in_the_fork(files, counters, writing, parent)
    os.close(writing)
    return _Fork(pid=pid, reading=reading, files=files, counters=counters)


def _in_the_fork(
    files: list[tuple[str, str]], counters: Any, writing: int, parent: int
) -> NoReturn:
    """Parse, hand the results over, and leave without cleaning up."""
    code = 0
    try:
        _parse_backwards(files, counters, writing, parent)
    except BaseException:
        code = 1
    os._exit(code)


def cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _parse_backwards(
    files: list[tuple[str, str]], counters: Any, writing: int, parent: int
) -> None:
    gc.disable()  # a short life that builds only acyclic data: nothing for it to collect
    from reconciler.load.yamlsource import load_file, portable

    def alive() -> bool:  # the process that forked this one, which takes the results
        return os.getppid() == parent

    done: dict[int, list[Parsed]] = {}
    while alive() and (chunk := _take(counters, back=True, alive=alive)) is not None:
        done[chunk] = [
            (_stamp(path), portable(load_file(Path(path), display)))
            for path, display in _chunk(files, chunk)
        ]
    with os.fdopen(writing, "wb") as out:
        for chunk, parsed in done.items():
            body = marshal.dumps(parsed)
            out.write(_FRAME.pack(chunk, len(body)) + body)


def _stamp(path: str) -> tuple[int, int]:
    """The file's size and modification time; of a symlink put in its place since, the
    link's own (so its result is not taken)."""
    try:
        found = os.lstat(path)
    except OSError:
        return (-1, -1)
    return (found.st_size, found.st_mtime_ns)


def _chunks(files: Sequence[object]) -> int:
    return -(-len(files) // CHUNK)


def _chunk(files: list[tuple[str, str]], chunk: int) -> list[tuple[str, str]]:
    return files[chunk * CHUNK : (chunk + 1) * CHUNK]


def _take(counters: Any, *, back: bool, alive: Callable[[], bool] = lambda: True) -> int | None:
    """Take the next chunk from the back (the fork) or the front (this process); None when
    none is left, or when the other side died (``alive``) holding the counters' lock."""
    lock = counters.get_lock()
    while not lock.acquire(timeout=LOCK_WAIT):
        if not alive():
            return None
    try:
        front, first_back = counters[0], counters[1]
        if front >= first_back:
            return None
        if back:
            counters[1] = first_back - 1
            return int(first_back - 1)
        counters[0] = front + 1
        return int(front)
    finally:
        lock.release()


def take(files: Sequence[tuple[Path, str]], load_file: Any) -> list[Any] | None:
    """What ``load_file`` gives for each of ``files``, parsed with the early process when it
    parsed exactly these files; None when there is none (or it parsed others)."""
    global _fork
    fork, _fork = _fork, None
    if fork is None:
        return None
    wanted = [(os.path.abspath(path), display) for path, display in files]
    if wanted != fork.files:
        _stop(fork)
        return None
    mine = _parse_forwards(fork, load_file)
    return _joined(fork, mine, _results(fork), load_file)


def _parse_forwards(fork: _Fork, load_file: Any) -> dict[int, list[Any]]:
    """This process's chunks, from the front, until it meets the fork (or the fork died)."""
    mine: dict[int, list[Any]] = {}
    while (chunk := _take(fork.counters, back=False, alive=fork.alive)) is not None:
        mine[chunk] = [load_file(Path(p), d) for p, d in _chunk(fork.files, chunk)]
    return mine


def _joined(
    fork: _Fork, mine: dict[int, list[Any]], theirs: dict[int, list[Parsed]], load_file: Any
) -> list[Any]:
    """Every file's result, in load order, from whichever side parsed its chunk."""
    results: list[Any] = []
    for chunk in range(_chunks(fork.files)):
        part = _chunk(fork.files, chunk)
        if chunk in mine:
            results.extend(mine[chunk])
        elif chunk in theirs:
            results.extend(_unchanged(theirs[chunk], part, load_file))
        else:  # the fork failed before it handed this chunk over
            results.extend(load_file(Path(p), d) for p, d in part)
    return results


def _unchanged(parsed: list[Parsed], part: list[tuple[str, str]], load_file: Any) -> Iterator[Any]:
    """The fork's results for files unchanged since it read them; the others (and a file it
    found not to be a valid document, for its diagnostics) parsed here."""
    from reconciler.load.yamlsource import restored

    for (stamp, values), (path, display) in zip(parsed, part, strict=True):
        if values is not None and stamp == _stamp(path):
            yield restored(path, display, values)
        else:
            yield load_file(Path(path), display)


def _results(fork: _Fork) -> dict[int, list[Parsed]]:
    """The chunks the fork parsed, read one by one as they come (never all the bytes at
    once beside the objects); what could not be read is parsed here."""
    found: dict[int, list[Parsed]] = {}
    with os.fdopen(fork.reading, "rb") as pipe, suppress(Exception):  # failed: parse here
        while header := pipe.read(_FRAME.size):
            chunk, size = _FRAME.unpack(header)
            found[chunk] = marshal.loads(pipe.read(size))
    fork.reap()
    return found


def abandon() -> None:
    """End the early parse if nothing took it (the command stopped before loading)."""
    global _fork
    fork, _fork = _fork, None
    if fork is not None:
        _stop(fork)


def _stop(fork: _Fork) -> None:
    """The early parse is of no use: end it."""
    os.close(fork.reading)  # the fork's results have nowhere to go: it ends on writing them
    if fork.counters.get_lock().acquire(timeout=LOCK_WAIT):
        fork.counters[1] = fork.counters[0]  # nothing left to parse
        fork.counters.get_lock().release()
    elif fork.alive():  # it holds the lock for good: end it
        with suppress(ProcessLookupError):
            os.kill(fork.pid, signal.SIGKILL)
    fork.reap()
