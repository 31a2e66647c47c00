"""A hub over several spokes: the first apply that replicates every spoke card, and the
SageMaker calls of a no-change plan of the hub.

Each spoke account holds N cards with SDK-shaped content (tests/fixtures/content/valid/
full_card.json), created through the API; the hub reads them through each spoke's
``reconciler`` role. Every call of the sandbox is slowed by the same latency. Measures in
one run, against one sandbox:
- `reconciler apply --target hub --auto-approve --no-verify --stats` in a fresh process:
  Python start-up, the hub's plan (its spokes' cards and its own), the replicas' creation,
  and the re-plan that proves convergence;
- the baseline: a 10-thread boto3 script (timed in-process, without Python start-up) that
  assumes each spoke's role, reads the spoke's cards with Search (100 a call, the
  cheapest read there is) and creates each replica with its provenance tags; it runs in
  a process of its own, as the reconciler does, on a sandbox reset and seeded again;
- a no-change plan of the hub (in-process): its SageMaker calls, the hub's and every
  spoke's, against ceil(S*N/100) spoke reads + ceil(S*N/100) hub reads + 10.
and prints the times, the ratio and the calls.

    .venv/bin/python bench/hub_scale.py [--spokes 4] [--cards 1000] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from fixtures import OWNER, card_content, card_name, role_env

from reconciler.aws.session import pages
from reconciler.common.content import content_json
from reconciler.diff.compose import PlanOptions
from reconciler.run.pipeline import RunSettings, connect, plan_run
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox

EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def spoke_accounts(count: int) -> dict[str, str]:
    """Spoke target names and their accounts: s1 -> 500000000001, ..."""
    return {f"s{i}": f"5000000000{i:02d}" for i in range(1, count + 1)}


def write_repo(root: Path, spokes: dict[str, str]) -> None:
    """A hub (the card account) and its spokes, each read through its reconciler role."""
    lines = ["targets:", f'  hub: {{card_account: {{id: "{OWNER}"}}, region: us-east-1}}']
    for name, account in spokes.items():
        role = f"arn:aws:iam::{account}:role/reconciler"
        lines.append(
            f'  {name}: {{card_account: {{id: "{account}", role_arn: "{role}"}}, '
            "region: us-east-1, hub: hub}"
        )
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text("\n".join(lines) + "\n")


def seed(sandbox: Sandbox, spokes: dict[str, str], cards: int) -> None:
    """In each spoke: the role the hub (and the script's hub) may assume, and N cards."""
    for account in spokes.values():
        trusted = f"arn:aws:iam::{OWNER}:root"
        statement = {"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}
        iam = sandbox.client("iam", account)
        iam.create_role(
            RoleName="reconciler",
            AssumeRolePolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [statement]}
            ),
        )
        iam.put_role_policy(
            RoleName="reconciler", PolicyName="main", PolicyDocument=json.dumps(EVERYTHING)
        )
        sagemaker = sandbox.client("sagemaker", account)

        def create(i: int, client: Any = sagemaker) -> None:
            client.create_model_card(
                ModelCardName=card_name(i),
                ModelCardStatus="Draft",
                Content=content_json(card_content(i)),
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(create, range(cards)))


def plain_client(endpoint: str, service: str, creds: dict[str, str]) -> Any:
    """A plain boto3 client (the sandbox's own test clients also check every answer against
    botocore's shapes, which a script does not pay for); ``creds``: {} for the
    environment's."""
    session = boto3.session.Session(region_name="us-east-1", **creds)
    config = Config(retries={"mode": "standard"}, max_pool_connections=20)
    return session.client(service, endpoint_url=endpoint, config=config)


def keys(creds: dict[str, str]) -> dict[str, str]:
    return {
        "aws_access_key_id": creds["AccessKeyId"],
        "aws_secret_access_key": creds["SecretAccessKey"],
        "aws_session_token": creds["SessionToken"],
    }


def script(endpoint: str, spokes: dict[str, str]) -> int:
    """What a hand-written boto3 script does to replicate every spoke card, 10 threads,
    with the card account's credentials from the environment."""
    sts = plain_client(endpoint, "sts", {})
    hub = plain_client(endpoint, "sagemaker", {})

    def read(item: tuple[str, str]) -> list[tuple[str, dict[str, Any]]]:
        name, account = item
        role = f"arn:aws:iam::{account}:role/reconciler"
        creds = sts.assume_role(RoleArn=role, RoleSessionName="script")["Credentials"]
        spoke = plain_client(endpoint, "sagemaker", keys(creds))
        found = pages(spoke.search, "Results", "NextToken", Resource="ModelCard", MaxResults=100)
        return [(name, r["ModelCard"]) for r in found]

    def create(item: tuple[str, dict[str, Any]]) -> None:
        spoke, card = item
        tags = [
            {"Key": "managed-by", "Value": "reconciler"},
            {"Key": "reconciler-source", "Value": "reconciler.yaml"},
            {"Key": "reconciler-replica-of", "Value": card["ModelCardArn"]},
            {"Key": "reconciler-replica-version", "Value": str(card["ModelCardVersion"])},
        ]
        hub.create_model_card(
            ModelCardName=f"{spoke}-{card['ModelCardName']}",
            ModelCardStatus=card["ModelCardStatus"],
            Content=card["Content"],
            Tags=tags,
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        cards = [c for found in pool.map(read, spokes.items()) for c in found]
        list(pool.map(create, cards))
    return len(cards)


def script_process(env: dict[str, str], spokes: int) -> tuple[float, int]:
    """The script in a process of its own, as the reconciler runs (the sandbox's threads
    do not share its interpreter), timed from inside: without Python start-up."""
    command = [sys.executable, __file__, "--spokes", str(spokes), "--as-script"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the script failed:\n{done.stderr[-3000:]}")
    elapsed, copied = done.stdout.split()
    return float(elapsed), int(copied)


def reconciler_apply(repo: Path, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    command = [sys.executable, "-m", "reconciler", "apply", "--target", "hub"]
    command += ["--auto-approve", "--no-verify", "--stats", "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--repo", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"apply failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)["targets"][0]["report"]
    return elapsed, report


def no_change_plan(repo: Path, endpoint: str) -> tuple[float, Counter[str]]:
    """A plan of the hub, which must find nothing to do; its time and SageMaker calls, the
    hub's session's and every spoke's."""
    start = time.perf_counter()
    target = connect(RunSettings(repo=repo, endpoint_url=endpoint, target="hub"))
    run = plan_run(target, PlanOptions())
    elapsed = time.perf_counter() - start
    if run.plan.changes or run.plan.errors:
        details = [(str(c.address), c.action.value, c.detail) for c in run.plan.changes[:3]]
        raise SystemExit(f"expected a no-change plan, got {len(run.plan.changes)}: {details}")
    calls: Counter[str] = Counter()
    for session in (target.session, *target.spokes.values()):
        calls.update({k: v for k, v in session.stats.calls.items() if k.startswith("sagemaker.")})
    return elapsed, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spokes", type=int, default=4)
    parser.add_argument("--cards", type=int, default=1000, help="cards in each spoke")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--as-script", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    spokes = spoke_accounts(args.spokes)
    if args.as_script:
        start = time.perf_counter()
        copied = script(os.environ["AWS_ENDPOINT_URL"], spokes)
        print(f"{time.perf_counter() - start} {copied}")
        return
    with tempfile.TemporaryDirectory() as tmp, Sandbox(SandboxConfig()) as sandbox:
        repo = Path(tmp) / "repo"
        write_repo(repo, spokes)
        fresh(sandbox, spokes, args)
        env = role_env(sandbox)
        ours = reconciler_apply(repo, env)
        os.environ.update(env)
        plan = no_change_plan(repo, sandbox.endpoint)
        fresh(sandbox, spokes, args)
        base = script_process(role_env(sandbox), args.spokes)
    _report(args, ours, base, plan)


def fresh(sandbox: Sandbox, spokes: dict[str, str], args: argparse.Namespace) -> None:
    """A sandbox holding only the spokes' roles and cards, every call then slowed."""
    sandbox.reset()
    start = time.perf_counter()
    seed(sandbox, spokes, args.cards)
    took = time.perf_counter() - start
    print(f"seeded {len(spokes) * args.cards:,} spoke cards in {took:.1f} s", file=sys.stderr)
    sandbox.faults.apply(FaultSettings(latency={"*": args.latency_ms / 1000}))


def _report(
    args: argparse.Namespace,
    apply: tuple[float, dict[str, Any]],
    script_run: tuple[float, int],
    plan: tuple[float, Counter[str]],
) -> None:
    (ours, report), (base, copied), (plan_time, calls) = apply, script_run, plan
    total = args.spokes * args.cards
    applied = report["stats"]["calls"]
    sagemaker = sum(v for k, v in applied.items() if k.startswith("sagemaker."))
    budget = 2 * math.ceil(total / 100) + 10
    print(
        f"hub over {args.spokes} spokes of {args.cards:,} cards ({total:,} replicas), "
        f"{args.latency_ms:g} ms per call:"
    )
    print(
        f"  first apply (reconciler apply --target hub): {ours:7.2f} s "
        f"({len(report['steps']):,} steps, converged {report['converged']}, "
        f"{sagemaker:,} SageMaker calls of the hub's session)"
    )
    print(f"  10-thread boto3 script (Search + create): {base:7.2f} s ({copied:,} replicas)")
    print(f"  ratio:                                     {ours / base:7.2f}x")
    print(
        f"  no-change plan of the hub: {plan_time:.2f} s, {sum(calls.values()):,} SageMaker "
        f"calls, spokes' and hub's (budget 2 x ceil({total:,}/100) + 10 = {budget:,})"
    )
    print("  plan calls: " + ", ".join(f"{k}={v}" for k, v in sorted(calls.items())))


if __name__ == "__main__":
    main()
