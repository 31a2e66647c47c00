"""load.early: the cards parsed by a process forked at start-up, together with this
process, give exactly what one process gives; a file changed after the fork read it is
parsed again; other files, or a fork that died, fall back to parsing here; and only the
commands that load a repository start it. Each case runs in a fresh process, which has a
single thread and so may fork."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.load import early, parallel
from reconciler.load.yamlsource import LoadResult
from tests.unit.test_parallel_load import card_files, summary

COUNT = early.MIN_FILES + 73


def _repo(root: Path) -> list[tuple[Path, str]]:
    (root / "cards").mkdir(parents=True)
    return card_files(root / "cards", COUNT)


def _run(tmp_path: Path, files: list[tuple[Path, str]], between: str) -> list[LoadResult]:
    """In a fresh process: start the early parse of ``tmp_path``, run ``between``, then
    load ``files``; returns what loading gave."""
    out = tmp_path / "loaded.pickle"
    (tmp_path / "files.pickle").write_bytes(pickle.dumps(files))
    code = (
        "import os, pickle, signal, time\n"
        "from pathlib import Path\n"
        "from reconciler.load import early\n"
        f"early.start(Path({str(tmp_path)!r}))\n"
        "assert early._fork is not None\n"
        f"{between}\n"
        "from reconciler.load import parallel\n"
        f"files = pickle.loads(Path({str(tmp_path / 'files.pickle')!r}).read_bytes())\n"
        "results = parallel.load_files(files)\n"
        "assert early._fork is None\n"
        f"Path({str(out)!r}).write_bytes(pickle.dumps(results))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    loaded: list[LoadResult] = pickle.loads(out.read_bytes())
    return loaded


def test_the_fork_and_this_process_give_what_one_process_gives(tmp_path: Path) -> None:
    files = _repo(tmp_path)
    loaded = _run(tmp_path, files, "time.sleep(0.2)")
    assert summary(loaded) == summary(parallel._load_slice(files))
    assert [r.document is None for r in loaded].count(True) == 3  # the broken files


def test_a_file_changed_after_the_fork_read_it_is_parsed_again(tmp_path: Path) -> None:
    files = _repo(tmp_path)
    last = files[-1][0]
    # The fork parses from the last file backwards, so it has read this one by now.
    change = f"time.sleep(0.5); Path({str(last)!r}).write_text('name: changed\\nstatus: Draft\\n')"
    loaded = _run(tmp_path, files, change)
    assert loaded[-1].document is not None
    assert loaded[-1].document.data == {"name": "changed", "status": "Draft"}
    assert summary(loaded) == summary(parallel._load_slice(files))


def test_other_files_are_parsed_here(tmp_path: Path) -> None:
    files = _repo(tmp_path)
    some = files[:-1]  # not the files the fork found
    loaded = _run(tmp_path, some, "")
    assert summary(loaded) == summary(parallel._load_slice(some))


def test_the_chunks_of_a_fork_that_died_are_parsed_here(tmp_path: Path) -> None:
    files = _repo(tmp_path)
    kill = "time.sleep(0.1); os.kill(early._fork.pid, signal.SIGKILL)"
    loaded = _run(tmp_path, files, kill)
    assert summary(loaded) == summary(parallel._load_slice(files))


@pytest.mark.parametrize(
    ("argv", "repo"),
    [
        (["apply", "--auto-approve", "--repo", "fleet"], "fleet"),
        (["--debug", "plan", "--repo=fleet"], "fleet"),
        (["validate"], "."),
        (["sandbox", "--repo", "fleet"], None),
        (["--help"], None),
    ],
)
def test_only_commands_that_load_a_repository_start_it(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], repo: str | None
) -> None:
    started: list[Path] = []
    monkeypatch.setattr(early, "start", started.append)
    early.start_for(argv)
    assert started == ([Path(repo)] if repo else [])


def test_the_command_reports_what_the_in_process_command_reports(
    tmp_path: Path, copy_repo: Callable[[Path], Path], cli: Callable[..., Any]
) -> None:
    """`python -m reconciler validate` (which parses early) and the same command run
    in-process (which does not) say the same of a large repository with errors."""
    repo = copy_repo(tmp_path / "repo")
    source = (repo / "cards" / "Customer-Churn-Model-Card.yaml").read_text()
    for i in range(COUNT):
        text = source.replace("name: Customer-Churn-Model-Card", f"name: Churn-{i:04d}")
        if i == COUNT - 3:
            text = text.replace("status: Draft", "status: Drafty")  # a schema error
        if i == 7:
            text += "  : {broken\n"  # a YAML error
        (repo / "cards" / f"Churn-{i:04d}.yaml").write_text(text)
    command = [sys.executable, "-m", "reconciler", "validate", "--repo", str(repo)]
    fresh = subprocess.run([*command, "--format", "json"], capture_output=True, text=True)
    here = cli("validate", "--repo", str(repo), "--format", "json")
    assert (fresh.returncode, fresh.stdout) == (here.exit_code, here.stdout)
    assert here.exit_code == 1 and "Drafty" in here.stdout and "Churn-0007.yaml" in here.stdout


def test_a_command_that_stops_before_loading_ends_the_fork(tmp_path: Path) -> None:
    _repo(tmp_path)
    code = (
        "import os\n"
        "from pathlib import Path\n"
        "from reconciler.load import early\n"
        f"early.start(Path({str(tmp_path)!r}))\n"
        "pid = early._fork.pid\n"
        "early.abandon()\n"
        "assert early._fork is None\n"
        "try:\n"
        "    os.kill(pid, 0)\n"
        "except ProcessLookupError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('the fork is still there')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
