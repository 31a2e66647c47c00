"""Drift that explains what it finds, at fleet scale: N applied cards of which some were
edited through the API, and shares changed in the console.

The repository (N SDK-shaped cards, three shares) is committed to git and applied by
`reconciler apply`, so every card carries the commit tags an apply gives it. Then an
``Editor`` role updates --edited cards' content through the API, and a ``ConsoleAdmin``
role changes each of the three shares (a principal disassociated, a card disassociated,
a principal added). Every call of the sandbox is then slowed by the same latency.
Measures in-process, against one sandbox, in the same run:
- a plan of the same state (what drift is built on), and a no-change plan before the edits;
- `drift`: its SageMaker calls against ceil(N/100) + edited + 10, its CloudTrail lookups
  (the most in any one second, against the documented 2; and the pages the events in its
  window need, 50 a page), and its time against the plan's plus the pauses CloudTrail's
  rate imposes on its lookups after the first.
and prints the figures.

    .venv/bin/python bench/drift_scale.py [--cards 1000] [--edited 50] [--latency-ms 20]
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
from pathlib import Path
from typing import Any

from fixtures import OWNER, add_package, card_name, role_env, write_repo

from reconciler.aws.session import CallStats
from reconciler.common.content import content_json
from reconciler.diff.compose import PlanOptions
from reconciler.live.cloudtrail import SPACING
from reconciler.run.drift_run import drift_run
from reconciler.run.pipeline import RunSettings, Target, connect, plan_run
from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox

TEST, PROD = "333333333333", "444444444444"
APPLIED = "reconciler-applied-at"  # ownership.applied_tag_key's default
SHARES = {"bench-a": "test", "bench-b": "test"}  # besides fixtures' bench-test
EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def repository(root: Path, cards: int) -> None:
    """N cards and three shares of every Approved card, committed to git."""
    write_repo(root, cards)
    (root / "reconciler.yaml").write_text(
        (root / "reconciler.yaml").read_text() + '  prod: {id: "444444444444"}\n'
    )
    for name, principal in SHARES.items():
        (root / "shares" / f"{name}.yaml").write_text(
            f"name: {name}\nprincipals: [{principal}]\ncards: {{status: [Approved]}}\n"
            "permission: AWSRAMPermissionSageMakerModelCards\n"
        )
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "cards"]):
        subprocess.run([*git, *step], cwd=root, check=True)


def role(sandbox: Sandbox, name: str) -> None:
    """A role of the card account that its own principals may assume, allowed everything."""
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
        "Action": "sts:AssumeRole",
    }
    iam = sandbox.client("iam", OWNER)
    iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )
    iam.put_role_policy(RoleName=name, PolicyName="main", PolicyDocument=json.dumps(EVERYTHING))


def apply(root: Path, sandbox: Sandbox) -> None:
    env = role_env(sandbox)
    command = [sys.executable, "-m", "reconciler", "apply", "--auto-approve", "--no-verify"]
    done = subprocess.run(
        [*command, "--repo", str(root)], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"apply failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def edit(sandbox: Sandbox, edited: int, cards: int) -> None:
    """Content edits through the API, spread over the fleet, by the Editor role."""
    sagemaker = sandbox.client("sagemaker", OWNER, role="Editor")
    step = max(1, cards // max(edited, 1))
    for i in range(0, step * edited, step):
        card = sagemaker.describe_model_card(ModelCardName=card_name(i))
        content = json.loads(card["Content"])
        content["model_overview"]["model_description"] = f"edited by hand {i}"
        sagemaker.update_model_card(ModelCardName=card_name(i), Content=content_json(content))


def console(sandbox: Sandbox) -> None:
    """Each share changed by the ConsoleAdmin role."""
    ram = sandbox.client("ram", OWNER, role="ConsoleAdmin")
    arns = {
        s["name"]: s["resourceShareArn"]
        for s in ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    }
    ram.disassociate_resource_share(resourceShareArn=arns["bench-test"], principals=[TEST])
    card = sandbox.client("sagemaker", OWNER).describe_model_card(ModelCardName=card_name(1))
    ram.disassociate_resource_share(
        resourceShareArn=arns["bench-a"], resourceArns=[card["ModelCardArn"]]
    )
    ram.associate_resource_share(resourceShareArn=arns["bench-b"], principals=[PROD])


def lookups(target: Target) -> list[float]:
    """The times at which the run calls LookupEvents (appended as it does)."""
    times: list[float] = []
    client = target.session.client("cloudtrail")
    client.meta.events.register(
        "before-call.cloudtrail.LookupEvents", lambda **_: times.append(time.monotonic())
    )
    return times


def timed_plan(root: Path, endpoint: str) -> tuple[float, CallStats, int]:
    start = time.perf_counter()
    target = connect(RunSettings(repo=root, endpoint_url=endpoint))
    run = plan_run(target, PlanOptions())
    return time.perf_counter() - start, target.session.stats, len(run.plan.changes)


def timed_drift(root: Path, endpoint: str) -> tuple[float, CallStats, Any, list[float]]:
    start = time.perf_counter()
    target = connect(RunSettings(repo=root, endpoint_url=endpoint))
    calls = lookups(target)
    report, _ = drift_run(target)
    return time.perf_counter() - start, target.session.stats, report, calls


def applied_since(sandbox: Sandbox) -> str:
    """The earliest time an apply changed one of the shares (their applied-at tags): the
    start of drift's CloudTrail window, as ``reports.trail.share_scope`` takes it."""
    ram = sandbox.client("ram", OWNER)
    shares = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    stamps = [t["value"] for s in shares for t in s.get("tags", []) if t["key"] == APPLIED]
    return min(stamps)


def events_in_window(sandbox: Sandbox, since: str) -> int:
    """The RAM events CloudTrail holds from ``since`` on (read without latency)."""
    trail = sandbox.client("cloudtrail", OWNER)
    found, token = 0, None
    while True:
        page = trail.lookup_events(
            LookupAttributes=[
                {"AttributeKey": "EventSource", "AttributeValue": "ram.amazonaws.com"}
            ],
            StartTime=since,
            MaxResults=50,
            **({"NextToken": token} if token else {}),
        )
        found += len(page["Events"])
        token = page.get("NextToken")
        if not token:
            return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--edited", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    config = SandboxConfig(
        default_account=OWNER,
        organization=Organization(management_account=OWNER, members=frozenset({TEST, PROD})),
        association_delay_seconds=0.05,
    )
    with tempfile.TemporaryDirectory() as tmp, Sandbox(config) as sandbox:
        root = Path(tmp) / "repo"
        repository(root, args.cards)
        add_package(sandbox)
        start = time.perf_counter()
        apply(root, sandbox)
        print(
            f"applied {args.cards:,} cards in {time.perf_counter() - start:.1f} s", file=sys.stderr
        )
        for name in ("Editor", "ConsoleAdmin"):
            role(sandbox, name)
        os.environ.update(role_env(sandbox))
        sandbox.advance(2)  # CloudTrail's times are to the second: after the apply's
        sandbox.faults.apply(FaultSettings(latency={"*": args.latency_ms / 1000}))
        quiet = timed_plan(root, sandbox.endpoint)
        sandbox.faults.apply(FaultSettings())
        edit(sandbox, args.edited, args.cards)
        console(sandbox)
        sandbox.faults.apply(FaultSettings(latency={"*": args.latency_ms / 1000}))
        plan = timed_plan(root, sandbox.endpoint)
        drift = timed_drift(root, sandbox.endpoint)
        sandbox.faults.apply(FaultSettings())
        window = events_in_window(sandbox, applied_since(sandbox))
    _report(args, quiet, plan, drift, window)


def _report(
    args: argparse.Namespace,
    quiet: tuple[float, CallStats, int],
    plan: tuple[float, CallStats, int],
    drift: tuple[float, CallStats, Any, list[float]],
    window: int,
) -> None:
    elapsed, stats, report, calls = drift
    sagemaker = stats.total("sagemaker")
    budget = math.ceil(args.cards / 100) + args.edited + 10
    busiest = max((sum(1 for u in calls if t <= u < t + 1) for t in calls), default=0)
    pauses = max(0, len(calls) - 1) * SPACING
    print(
        f"drift of {args.cards:,} cards, {args.edited} edited through the API and 3 shares "
        f"changed, {args.latency_ms:g} ms per call:"
    )
    print(f"  drift items: {len(report.items)}")
    print(
        f"  SageMaker calls: {sagemaker} (budget ceil(N/100) + {args.edited} + 10 = {budget}); "
        + ", ".join(f"{k}={v}" for k, v in sorted(stats.calls.items()) if k.startswith("sagemaker"))
    )
    print(
        f"  CloudTrail lookups: {len(calls)}, at most {busiest} in any second (limit 2); "
        f"{window} RAM events in the window need {max(1, math.ceil(window / 50))} pages"
    )
    before = quiet[1].total("sagemaker")
    print(f"  no-change plan before the edits: {quiet[0]:.2f} s, {before} SageMaker calls")
    print(f"  plan of the drifted state: {plan[0]:.2f} s ({plan[2]} changes)")
    print(
        f"  drift: {elapsed:.2f} s = {elapsed / quiet[0]:.2f}x the no-change plan, "
        f"{elapsed / plan[0]:.2f}x the plan of the same state; goal 2x the no-change plan + "
        f"CloudTrail's pauses ({pauses:.2f} s) = {2 * quiet[0] + pauses:.2f} s"
    )


if __name__ == "__main__":
    main()
