"""load.parallel: many files parsed by forked workers give exactly what one process gives,
in the same order, diagnostics included; a process with other threads never forks."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path

from reconciler.load import parallel
from reconciler.load.parallel import MIN_FILES, load_files
from reconciler.load.yamlsource import LoadResult


def card_files(root: Path, count: int) -> list[tuple[Path, str]]:
    """``count`` card files in ``root``, every 97th with a YAML error, named as a
    repository's ``cards/`` folder names them."""
    files = []
    for i in range(count):
        path = root / f"card-{i:04d}.yaml"
        if i % 97 == 5:
            path.write_text(f"name: card-{i}\ncontent: {{broken\n")  # a YAML error
        else:
            path.write_text(f"name: card-{i}\nstatus: Draft\ncontent:\n  n: {i}\n  x: [1, 2]\n")
        files.append((path, f"cards/{path.name}"))
    return files


def summary(results: list[LoadResult]) -> list[tuple[object, ...]]:
    return [
        (
            r.document.file if r.document else None,
            r.document.data if r.document else None,
            r.diagnostics,
        )
        for r in results
    ]


def test_forked_workers_match_one_process(tmp_path: Path) -> None:
    files = card_files(tmp_path, MIN_FILES + 51)
    out = tmp_path / "parallel.pickle"
    # A fresh process has a single thread, so it forks; this test process does not.
    code = (
        "import pickle, sys\n"
        "from pathlib import Path\n"
        "from reconciler.load import parallel\n"
        f"files = pickle.loads(Path({str(tmp_path / 'files.pickle')!r}).read_bytes())\n"
        "assert parallel._workers(len(files)) >= 2, parallel._workers(len(files))\n"
        "results = parallel.load_files(files)\n"
        f"Path({str(out)!r}).write_bytes(pickle.dumps(results))\n"
    )
    (tmp_path / "files.pickle").write_bytes(pickle.dumps(files))
    subprocess.run([sys.executable, "-c", code], check=True)
    forked = pickle.loads(out.read_bytes())
    assert summary(forked) == summary(parallel._load_slice(files))
    assert [r.document is None for r in forked].count(True) == 3  # the broken files


def test_no_fork_beside_other_threads(tmp_path: Path) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._workers(MIN_FILES * 4) == 1
        assert len(load_files(card_files(tmp_path, 3))) == 3
    finally:
        stop.set()
        other.join()


def test_few_files_are_read_here() -> None:
    assert parallel._workers(MIN_FILES - 1) == 1
