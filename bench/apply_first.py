"""A first apply of N new cards and one status-selected share, every call of the card
services slowed by the same latency, against a 10-thread boto3 script doing the same.

Measures in one run, each on a fresh sandbox:
- `reconciler apply --auto-approve --no-verify --stats` in a fresh process: Python start-up,
  plan, the parallel apply, and the re-plan that proves convergence; its SageMaker calls;
- the baseline: a 10-thread boto3 script (timed in-process, so without Python start-up)
  that creates the cards with their tags, creates the share, associates the cards 100 a
  call and waits until every association has settled, as a careful script would.
and prints both times, the ratio, and the SageMaker calls against N + ceil(N/100) + 5.

    .venv/bin/python bench/apply_first.py [--cards 1000] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from fixtures import (
    OWNER,
    add_package,
    card_content,
    card_name,
    cli_env,
    create_card,
    write_repo,
)

from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox

TEST = "333333333333"


def plain_client(sandbox: Sandbox, service: str) -> Any:
    """A plain boto3 client of the card account (the sandbox's own test clients also check
    every answer against botocore's shapes, which a script does not pay for)."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    config = Config(retries={"mode": "standard"}, max_pool_connections=20)
    return session.client(service, endpoint_url=sandbox.endpoint, config=config)


def script(sandbox: Sandbox, cards: int) -> None:
    """What a hand-written boto3 script does for the same result, with 10 threads."""
    sagemaker, ram = plain_client(sandbox, "sagemaker"), plain_client(sandbox, "ram")

    def create(i: int) -> str:
        return create_card(sagemaker, card_name(i), card_content(i))

    with ThreadPoolExecutor(max_workers=10) as pool:
        arns = list(pool.map(create, range(cards)))
        share = ram.create_resource_share(
            name="bench-test", principals=[TEST], allowExternalPrincipals=False
        )["resourceShare"]["resourceShareArn"]
        chunks = [arns[i : i + 100] for i in range(0, len(arns), 100)]
        list(
            pool.map(
                lambda chunk: ram.associate_resource_share(
                    resourceShareArn=share, resourceArns=chunk
                ),
                chunks,
            )
        )
    while True:
        listed = ram.get_resource_share_associations(
            associationType="RESOURCE", resourceShareArns=[share], maxResults=500
        )["resourceShareAssociations"]
        if sum(a["status"] == "ASSOCIATED" for a in listed) >= min(cards, 500):
            return
        time.sleep(0.1)


def reconciler(repo: Path, endpoint: str) -> tuple[float, dict[str, Any]]:
    env = cli_env(endpoint)
    command = [sys.executable, "-m", "reconciler", "apply", "--auto-approve", "--no-verify"]
    command += ["--stats", "--format", "json", "--repo", str(repo)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"apply failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return elapsed, report


def fresh(sandbox: Sandbox, latency: float) -> None:
    sandbox.reset()
    sandbox.configure(
        SandboxConfig(
            default_account=OWNER,
            organization=Organization(management_account=OWNER, members=frozenset({TEST})),
            association_delay_seconds=0.05,
        )
    )
    add_package(sandbox)
    sandbox.faults.apply(FaultSettings(latency={"*": latency}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sandbox:
        repo = Path(tmp) / "repo"
        write_repo(repo, args.cards)
        fresh(sandbox, latency)
        ours, report = reconciler(repo, sandbox.endpoint)
        fresh(sandbox, latency)
        start = time.perf_counter()
        script(sandbox, args.cards)
        base = time.perf_counter() - start
    calls = report["stats"]["calls"]
    sagemaker = sum(v for k, v in calls.items() if k.startswith("sagemaker."))
    budget = args.cards + math.ceil(args.cards / 100) + 5
    print(f"first apply of {args.cards:,} cards and 1 share, {args.latency_ms:g} ms per call:")
    print(
        f"  reconciler apply:       {ours:7.2f} s ({len(report['steps']):,} steps, converged "
        f"{report['converged']})"
    )
    print(f"  10-thread boto3 script: {base:7.2f} s")
    print(f"  ratio:                  {ours / base:7.2f}x")
    print(f"  SageMaker calls:        {sagemaker:,} (budget N + ceil(N/100) + 5 = {budget:,})")
    print("  calls: " + ", ".join(f"{k}={v}" for k, v in sorted(calls.items())))


if __name__ == "__main__":
    main()
