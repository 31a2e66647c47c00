"""A first apply while the card services throttle and lose answers.

N Approved cards, each naming its own model package version, three shares (every share
selects Approved cards), PDF exports of Approved cards, the registry's approval following
the cards (``registry: {sync_approval: true}``), and a spoke of --spoke-cards cards that
the card account, its hub, replicates: applied once, every target, while --throttle of
SageMaker and RAM calls are throttled and --lost of the calls that took effect answer 503
(a retry must not act twice). Prints whether the single run converged, how long it took
and how many attempts it needed, and checks that nothing exists twice: one card or replica
per name with one version, one share per name, each card associated once, one export job
per card, and one approval per package (CloudTrail's successful UpdateModelPackage
events).

    .venv/bin/python bench/apply_faults.py [--cards 200] [--spoke-cards 200]
        [--throttle 0.3] [--lost 0.05]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from apply_first import fresh
from fixtures import OWNER, PACKAGE_GROUP, card_content, card_name, role_env
from hub_scale import seed as seed_spokes

from reconciler.aws.session import pages
from reconciler.live.cloudtrail import paced
from reconciler.sandbox.faults import FaultSettings
from reconciler.sandbox.instance import Sandbox

SHARES = ("bench-a", "bench-b", "bench-test")
SPOKE, SPOKE_ACCOUNT = "s1", "500000000001"
BUCKET = "audit-exports"
CONFIG = f"""targets:
  hub: {{card_account: {{id: "{OWNER}"}}, region: us-east-1}}
  {SPOKE}:
    card_account:
      id: "{SPOKE_ACCOUNT}"
      role_arn: "arn:aws:iam::{SPOKE_ACCOUNT}:role/reconciler"
    region: us-east-1
    hub: hub
accounts:
  test: {{id: "333333333333"}}
exports: {{bucket: {BUCKET}, prefix: model-cards}}
registry: {{sync_approval: true}}
"""


def package_arn(i: int) -> str:
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{PACKAGE_GROUP}/{i + 1}"


def write_repo(repo: Path, cards: int) -> None:
    """The hub's N Approved cards, card i naming model package version i + 1, and the
    three shares, all of target hub."""
    (repo / "cards").mkdir(parents=True)
    (repo / "shares").mkdir()
    (repo / "reconciler.yaml").write_text(CONFIG)
    for name in SHARES:
        (repo / "shares" / f"{name}.yaml").write_text(
            f"name: {name}\ntargets: [hub]\nprincipals: [test]\n"
            "cards: {status: [Approved]}\npermission: AWSRAMPermissionSageMakerModelCards\n"
        )
    for i in range(cards):
        content = card_content(i)
        details = {"model_package_arn": package_arn(i), "model_package_version": i + 1}
        content["model_package_details"] = {**content["model_package_details"], **details}
        body = {"name": card_name(i), "targets": ["hub"], "status": "Approved", "content": content}
        text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
        (repo / "cards" / f"{card_name(i)}.yaml").write_text(text)


def prepare(sandbox: Sandbox, cards: int, spoke_cards: int) -> None:
    """The packages the cards name (version 1 exists already), the exports bucket, fast
    export jobs, and the spoke's role and cards."""
    sagemaker = sandbox.client("sagemaker", OWNER)
    for _ in range(1, cards):
        sagemaker.create_model_package(ModelPackageGroupName=PACKAGE_GROUP)
    sandbox.client("s3", OWNER).create_bucket(Bucket=BUCKET)
    sandbox.configure(replace(sandbox.config, export_delay_seconds=0.05))
    seed_spokes(sandbox, {SPOKE: SPOKE_ACCOUNT}, spoke_cards)


def twins(sandbox: Sandbox, cards: int, replicas: int) -> list[str]:
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
    expected = cards + replicas
    if len(names) != expected or len(set(names)) != expected:
        problems.append(f"{len(names)} cards listed for {cards} in git and {replicas} replicas")
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
    if sorted(by_name) != sorted(SHARES):
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
    return problems + exported_twice(sagemaker, cards) + approved_twice(sandbox, cards)


def exported_twice(sagemaker: Any, cards: int) -> list[str]:
    """Cards without exactly one export job (each has one version to export)."""
    problems = []
    for i in range(cards):
        jobs = list(
            pages(
                sagemaker.list_model_card_export_jobs,
                "ModelCardExportJobSummaries",
                "NextToken",
                ModelCardName=card_name(i),
            )
        )
        if len(jobs) != 1:
            problems.append(f"{card_name(i)} has {len(jobs)} export jobs")
    return problems


def approved_twice(sandbox: Sandbox, cards: int) -> list[str]:
    """Packages not approved exactly once: CloudTrail's UpdateModelPackage events that
    took effect (a lost answer's call did), per package."""
    trail = sandbox.client("cloudtrail", OWNER)
    events = pages(
        paced(trail),  # CloudTrail answers two lookups a second
        "Events",
        "NextToken",
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "UpdateModelPackage"}],
        MaxResults=50,
    )
    records = [json.loads(e["CloudTrailEvent"]) for e in events]
    approvals = Counter(
        r["requestParameters"].get("modelPackageArn")
        for r in records
        if not r.get("errorCode") and r["requestParameters"].get("modelApprovalStatus")
    )
    return [
        f"{package_arn(i)} approved {approvals[package_arn(i)]} times"
        for i in range(cards)
        if approvals[package_arn(i)] != 1
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--spoke-cards", type=int, default=200)
    parser.add_argument("--throttle", type=float, default=0.3)
    parser.add_argument("--lost", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sandbox:
        repo = Path(tmp) / "repo"
        write_repo(repo, args.cards)
        fresh(sandbox, 0.0)
        prepare(sandbox, args.cards, args.spoke_cards)
        rates = {"sagemaker:*": args.throttle, "ram:*": args.throttle}
        lost = {"sagemaker:*": args.lost, "ram:*": args.lost}
        sandbox.faults.apply(FaultSettings(seed=args.seed, throttle_rate=rates, lose_rate=lost))
        env = role_env(sandbox)
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
        targets = json.loads(done.stdout)["targets"] if done.stdout else []
        sandbox.faults.apply(FaultSettings())
        problems = twins(sandbox, args.cards, args.spoke_cards)
    reports = {t["name"]: t.get("report") or {} for t in targets}
    calls, attempts = Counter[str](), Counter[str]()
    for report in reports.values():
        calls.update(report.get("stats", {}).get("calls", {}))
        attempts.update(report.get("stats", {}).get("attempts", {}))
    converged = {name: report.get("converged") for name, report in reports.items()}
    print(
        f"apply of {args.cards} cards, 3 shares, their exports and package approvals, and "
        f"{args.spoke_cards} replicas, {args.throttle:.0%} throttled, "
        f"{args.lost:.0%} of answers lost:"
    )
    print(f"  exit {done.returncode}, converged {converged}, {elapsed:.1f} s")
    print(f"  calls {sum(calls.values()):,}, HTTP attempts {sum(attempts.values()):,}")
    retried = Counter({k: attempts[k] - calls.get(k, 0) for k in attempts}).most_common(5)
    print("  most retried: " + ", ".join(f"{k} +{n}" for k, n in retried))
    print("  nothing twice, nothing missing" if not problems else f"  PROBLEMS: {problems[:5]}")
    if done.returncode != 0 or problems:
        print(done.stderr[-2000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
