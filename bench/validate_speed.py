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
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = json.loads((ROOT / "tests/fixtures/content/valid/full_card.json").read_text())
CONFIG = """region: us-east-1
card_account: {id: "111111111111"}
accounts:
  test: {id: "333333333333"}
"""
SHARE = """name: bench-test
principals: [test]
cards: {status: [Approved]}
permission: AWSRAMPermissionSageMakerModelCards
"""
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("**/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def write_repo(root: Path, cards: int) -> int:
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(CONFIG)
    (root / "shares" / "bench-test.yaml").write_text(SHARE)
    size = 0
    for i in range(cards):
        name = f"Bench-Card-{i:04d}"
        content = {
            **CONTENT,
            "model_overview": {
                **CONTENT.get("model_overview", {}),
                "model_description": f"card number {i}",
            },
        }
        text = yaml.safe_dump(
            {"name": name, "status": "Approved", "content": content},
            sort_keys=False,
            allow_unicode=True,
        )
        (root / "cards" / f"{name}.yaml").write_text(text)
        size += len(text)
    return size // max(cards, 1)


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
    print(f"  ratio:                      {ours / base:6.1f}x")


if __name__ == "__main__":
    main()
