"""How fast `reconciler validate` checks a large repository, against the parse floor.

Writes N cards (SDK-shaped content from tests/fixtures/content/valid/full_card.json, about
3.7 KB of YAML each) and one share, then measures in the same run:
- `reconciler validate` in a fresh process (Python start-up, imports, parse, schemas,
  cross-file rules), and
- the floor: a fresh process that only parses the same files with libyaml
  (`yaml.CSafeLoader`), the fastest a YAML-reading tool can go,
and prints both times (median of --repeat) and their ratio.

    .venv/bin/python bench/validate_speed.py [--cards 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fixtures import FLOOR, write_repo


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        average = write_repo(repo, args.cards)
        python = sys.executable
        reconciler = [python, "-m", "reconciler", "validate", "--repo", str(repo)]
        floor = [python, "-c", FLOOR, str(repo)]
        timed(floor)  # warm the file cache
        ours = statistics.median(timed(reconciler) for _ in range(args.repeat))
        base = statistics.median(timed(floor) for _ in range(args.repeat))
    print(
        f"validate of {args.cards:,} cards ({average:,} bytes of YAML each), "
        f"median of {args.repeat}:"
    )
    print(f"  reconciler validate:        {ours:6.2f} s")
    print(f"  libyaml parse floor:        {base:6.2f} s")
    print(f"  ratio:                      {ours / base:6.2f}x")


if __name__ == "__main__":
    main()
