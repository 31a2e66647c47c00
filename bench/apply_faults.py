"""A first apply while the card services throttle and lose answers.

N cards and three shares (every share selects Approved cards) are applied once while
--throttle of SageMaker and RAM calls are throttled and --lost of the calls that took
effect answer 503 (a retry must not act twice). Prints whether the single run converged,
how long it took and how many attempts it needed, and checks that nothing exists twice:
one card per name with one version, one share per name, each card associated once.

    .venv/bin/python bench/apply_faults.py [--cards 200] [--throttle 0.3] [--lost 0.05]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apply_first import fresh
from fixtures import cli_env, write_repo

from reconciler.aws.session import pages
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox

SHARES = ("bench-a", "bench-b")


def add_shares(repo: Path) -> None:
    for name in SHARES:
        (repo / "shares" / f"{name}.yaml").write_text(
            f"name: {name}\nprincipals: [test]\ncards: {{status: [Approved]}}\n"
            "permission: AWSRAMPermissionSageMakerModelCards\n"
        )


def twins(sandbox: Sandbox, cards: int) -> list[str]:
    """Everything that exists more than once, or is missing."""
    sagemaker = sandbox.client("sagemaker", "111111111111")
    ram = sandbox.client("ram", "111111111111")
    problems = []
    names = [
        c["ModelCardName"]
        for c in pages(
            sagemaker.list_model_cards, "ModelCardSummaries", "NextToken", MaxResults=100
        )
    ]
    if len(names) != cards or len(set(names)) != cards:
        problems.append(f"{len(names)} cards listed for {cards} in git")
    for name in names:
        listed = sagemaker.list_model_card_versions(ModelCardName=name)
        if len(listed["ModelCardVersionSummaryList"]) != 1:
            problems.append(f"{name} has {len(listed['ModelCardVersionSummaryList'])} versions")
    shares = [
        s
        for s in ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
        if s["status"] != "DELETED"
    ]
    by_name = [s["name"] for s in shares]
    if sorted(by_name) != sorted([*SHARES, "bench-test"]):
        problems.append(f"shares: {sorted(by_name)}")
    for share in shares:
        members = [
            a["associatedEntity"]
            for a in pages(
                ram.get_resource_share_associations,
                "resourceShareAssociations",
                "nextToken",
                associationType="RESOURCE",
                resourceShareArns=[share["resourceShareArn"]],
            )
            if a["status"] == "ASSOCIATED"
        ]
        if len(members) != cards or len(set(members)) != cards:
            problems.append(f"{share['name']} holds {len(members)} cards")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--throttle", type=float, default=0.3)
    parser.add_argument("--lost", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sandbox:
        repo = Path(tmp) / "repo"
        write_repo(repo, args.cards)
        add_shares(repo)
        fresh(sandbox, 0.0)
        rates = {"sagemaker:*": args.throttle, "ram:*": args.throttle}
        lost = {"sagemaker:*": args.lost, "ram:*": args.lost}
        sandbox.faults.apply(FaultSettings(seed=args.seed, throttle_rate=rates, lose_rate=lost))
        env = cli_env(sandbox.endpoint)
        command = [
            sys.executable,
            "-m",
            "reconciler",
            "apply",
            "--auto-approve",
            "--no-verify",
            "--stats",
            "--format",
            "json",
            "--repo",
            str(repo),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - start
        report = json.loads(done.stdout) if done.stdout else {}
        sandbox.faults.apply(FaultSettings())
        problems = twins(sandbox, args.cards)
    calls = report.get("stats", {}).get("calls", {})
    attempts = report.get("stats", {}).get("attempts", {})
    print(
        f"apply of {args.cards} cards and 3 shares, {args.throttle:.0%} throttled, "
        f"{args.lost:.0%} of answers lost:"
    )
    print(f"  exit {done.returncode}, converged {report.get('converged')}, {elapsed:.1f} s")
    print(f"  calls {sum(calls.values()):,}, HTTP attempts {sum(attempts.values()):,}")
    print("  nothing twice, nothing missing" if not problems else f"  PROBLEMS: {problems[:5]}")
    if done.returncode != 0 or problems:
        print(done.stderr[-2000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
