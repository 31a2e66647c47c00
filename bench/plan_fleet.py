"""A no-change plan at fleet scale, against the parse floor of the same repository.

Writes N cards with SDK-shaped content (tests/fixtures/content/valid/full_card.json, each
card's description made unique) and one status-selected share, creates them in the
sandbox as the reconciler would have, then measures in the same run:
- `reconciler plan --stats --format json` in a fresh process: wall time, peak memory
  (the child's maximum resident set), and its SageMaker calls;
- the baseline: a fresh process that only parses the same files with libyaml, plus a
  fresh process that reads every card with a bare boto3 Search loop (100 a page, one page
  after the other); a plan that parses and reads one after the other takes their sum,
  one that overlaps them takes less;
and prints them, the ratio to the baseline (and to the parse alone), and the SageMaker
calls against ceil(N/100) + 2.

    .venv/bin/python bench/plan_fleet.py [--cards 10000] [--repeat 1] [--small]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fixtures import FLOOR, OWNER, card_content, card_name, cli_env, seed, write_repo

from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.instance import Sandbox


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:4])} … failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed, done.stdout


# A process that reads every card of the account with a bare boto3 Search loop.
SEARCH = """
import boto3
pages = boto3.client("sagemaker").get_paginator("search").paginate(
    Resource="ModelCard", SortBy="ModelCardName", SortOrder="Ascending",
    PaginationConfig={"PageSize": 100},
)
print(sum(len(page["Results"]) for page in pages))
"""


def peak_mb(command: list[str], env: dict[str, str]) -> float:
    """The maximum resident set of ``command``, measured in a child of its own."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    _, out = run([sys.executable, "-c", probe, *command], env)
    return int(out.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--small", action="store_true", help="cards of about 2.9 KB of YAML instead of 5 KB"
    )
    args = parser.parse_args()
    config = SandboxConfig(
        default_account=OWNER,
        organization=Organization(management_account=OWNER, members=frozenset({"333333333333"})),
    )
    with tempfile.TemporaryDirectory() as tmp, Sandbox(config) as sandbox:
        repo = Path(tmp) / "repo"
        average = write_repo(repo, args.cards, args.small)
        began = time.perf_counter()
        seed(sandbox, [(card_name(i), card_content(i, args.small)) for i in range(args.cards)])
        print(
            f"seeded {args.cards:,} cards in {time.perf_counter() - began:.0f} s", file=sys.stderr
        )
        env = cli_env(sandbox.endpoint)
        plan = [
            sys.executable,
            "-m",
            "reconciler",
            "plan",
            "--stats",
            "--format",
            "json",
            "--detailed-exitcode",
            "--repo",
            str(repo),
        ]
        floor = [sys.executable, "-c", FLOOR, str(repo)]
        search = [sys.executable, "-c", SEARCH]
        run(floor, env)  # warm the file cache
        read = run(search, env)[1].strip()
        if read != str(args.cards):
            raise SystemExit(f"the Search loop read {read} cards, not {args.cards}")
        timings, output = [], ""
        for _ in range(args.repeat):
            elapsed, output = run(plan, env)
            timings.append(elapsed)
        ours = statistics.median(timings)
        parse = statistics.median(run(floor, env)[0] for _ in range(args.repeat))
        bare = statistics.median(run(search, env)[0] for _ in range(args.repeat))
        memory = peak_mb(plan, env)
    stats = json.loads(output)["stats"]["calls"]
    sagemaker = sum(v for k, v in stats.items() if k.startswith("sagemaker."))
    budget = math.ceil(args.cards / 100) + 2
    print(
        f"no-change plan of {args.cards:,} cards ({average:,} bytes of YAML each), "
        f"median of {args.repeat}:"
    )
    print(f"  reconciler plan:       {ours:7.2f} s, peak {memory:,.0f} MB")
    print(f"  libyaml parse:         {parse:7.2f} s")
    print(f"  boto3 Search read:     {bare:7.2f} s")
    print(
        f"  ratio to their sum:    {ours / (parse + bare):7.2f}x (to the parse alone: "
        f"{ours / parse:.2f}x)"
    )
    print(f"  SageMaker calls:       {sagemaker} (budget ceil(N/100) + 2 = {budget})")


if __name__ == "__main__":
    main()
