"""How a no-change plan scales: 1,000 managed cards in the sandbox.

Measures, in one run against one sandbox:
- the reconciler's plan (Search-first reads, RAM reads, diff), and
- a baseline that does what a hand-written boto3 script does: list the cards, then
  DescribeModelCard and ListTags for each one,
and prints the SageMaker and RAM call counts, wall times and their ratios. Optional
``--latency-ms`` adds the same per-call latency to every sandbox operation, which is
closer to real AWS than loopback.

    .venv/bin/python bench/plan_scale.py [--cards 1000] [--latency-ms 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from fixtures import CONFIG, OWNER, SHARE, seed

from reconciler.aws.session import CallStats, pages
from reconciler.diff.compose import PlanOptions
from reconciler.run.pipeline import RunSettings, connect, plan_run
from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox


def small_card(i: int) -> tuple[str, dict[str, Any]]:
    """A card with a two-field model overview: name and content."""
    overview = {"model_owner": f"team-{i % 7}", "model_description": f"card number {i}"}
    return f"Bench-Card-{i:04d}", {"model_overview": overview}


def write_repo(root: Path, cards: int) -> None:
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(CONFIG)
    (root / "shares" / "bench-test.yaml").write_text(SHARE)
    for i in range(cards):
        name, content = small_card(i)
        body = {"name": name, "status": "Approved", "content": content}
        (root / "cards" / f"{name}.yaml").write_text(yaml.safe_dump(body, sort_keys=False))


def timed(run: Callable[[], CallStats]) -> tuple[float, CallStats]:
    start = time.perf_counter()
    stats = run()
    return time.perf_counter() - start, stats


def reconciler_plan(root: Path, endpoint: str) -> CallStats:
    target = connect(RunSettings(repo=root, endpoint_url=endpoint))
    run = plan_run(target, PlanOptions())
    if run.plan.changes or run.plan.errors:
        details = [(c.address, c.action.value, c.detail) for c in run.plan.changes[:3]]
        raise SystemExit(
            f"expected a no-change plan, got {len(run.plan.changes)} changes: "
            f"{details} {[e.message for e in run.plan.errors]}"
        )
    return target.session.stats


def baseline(sandbox: Sandbox) -> CallStats:
    """List every card, then describe it and read its tags, one by one."""
    stats = CallStats()
    client = sandbox.client("sagemaker", OWNER, retries=True)
    stats.hook(client)
    for summary in pages(
        client.list_model_cards, "ModelCardSummaries", "NextToken", MaxResults=100
    ):
        client.describe_model_card(ModelCardName=summary["ModelCardName"])
        client.list_tags(ResourceArn=summary["ModelCardArn"])
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    faults = FaultSettings(latency={"*": args.latency_ms / 1000}) if args.latency_ms else None
    config = SandboxConfig(
        default_account=OWNER,
        organization=Organization(management_account=OWNER, members=frozenset({"333333333333"})),
    )
    with tempfile.TemporaryDirectory() as tmp, Sandbox(config, faults=faults) as sandbox:
        root = Path(tmp)
        write_repo(root, args.cards)
        t0 = time.perf_counter()
        seed(sandbox, [small_card(i) for i in range(args.cards)])
        print(f"seeded {args.cards} cards in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        _report(args, *_measure(args.repeat, root, sandbox))
    return 0


def _measure(repeat: int, root: Path, sandbox: Sandbox) -> tuple[Any, ...]:
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    import os

    os.environ.update(env)
    ours = [timed(lambda: reconciler_plan(root, sandbox.endpoint)) for _ in range(repeat)]
    base = [timed(lambda: baseline(sandbox)) for _ in range(repeat)]
    return ours, base


def _report(
    args: argparse.Namespace,
    ours: list[tuple[float, CallStats]],
    base: list[tuple[float, CallStats]],
) -> None:
    our_time = statistics.median(t for t, _ in ours)
    base_time = statistics.median(t for t, _ in base)
    our_stats, base_stats = ours[0][1], base[0][1]
    rows = [
        ("SageMaker calls", our_stats.total("sagemaker"), base_stats.total("sagemaker")),
        ("RAM calls", our_stats.total("ram"), base_stats.total("ram")),
        ("STS calls", our_stats.total("sts"), base_stats.total("sts")),
    ]
    print(
        f"no-change plan of {args.cards} cards, latency {args.latency_ms:g} ms per call, "
        f"median of {args.repeat} runs"
    )
    print(f"{'':18}{'reconciler':>12}{'baseline':>12}{'baseline/reconciler':>22}")
    for label, mine, theirs in rows:
        ratio = f"{theirs / mine:.1f}x" if mine and theirs else "-"
        print(f"{label:18}{mine:>12}{theirs:>12}{ratio:>22}")
    print(f"{'wall time (s)':18}{our_time:>12.2f}{base_time:>12.2f}{base_time / our_time:>21.1f}x")
    print(
        "calls by operation (reconciler): "
        + ", ".join(f"{k}={v}" for k, v in sorted(our_stats.calls.items()))
    )


if __name__ == "__main__":
    sys.exit(main())
