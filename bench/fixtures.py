"""What the benchmarks share: a repository of N cards, and the libyaml parse floor."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OWNER = "111111111111"
CONTENT = json.loads((ROOT / "tests/fixtures/content/valid/full_card.json").read_text())
# The cards document a model package of the card account, which ``add_package`` creates:
# plan describes it, and reports a card whose package is missing as an error.
PACKAGE_GROUP = "churn-models"
CONTENT["model_package_details"] = {
    **CONTENT["model_package_details"],
    "model_package_arn": f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{PACKAGE_GROUP}/1",
    "model_package_version": 1,
}
CONFIG = f"""region: us-east-1
card_account: {{id: "{OWNER}"}}
accounts:
  test: {{id: "333333333333"}}
"""
SHARE = """name: bench-test
principals: [test]
cards: {status: [Approved]}
permission: AWSRAMPermissionSageMakerModelCards
"""
# A process that only parses every YAML file of a repository with libyaml: the floor.
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("**/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def card_name(i: int) -> str:
    return f"Bench-Card-{i:05d}"


# Sections left out of a "small" card (about 2.9 KB of YAML instead of 5 KB).
SMALL_DROPS = ("evaluation_details", "additional_information")


def card_content(i: int, small: bool = False) -> dict[str, object]:
    """SDK-shaped content (tests/fixtures/content/valid/full_card.json), unique per card."""
    overview = {**CONTENT.get("model_overview", {}), "model_description": f"card number {i}"}
    sections = {k: v for k, v in CONTENT.items() if not (small and k in SMALL_DROPS)}
    return {**sections, "model_overview": overview}


def write_repo(root: Path, cards: int, small: bool = False) -> int:
    """reconciler.yaml, one share selecting Approved cards, and N full cards; returns the
    average size of a card file in bytes."""
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(CONFIG)
    (root / "shares" / "bench-test.yaml").write_text(SHARE)
    size = 0
    for i in range(cards):
        body = {"name": card_name(i), "status": "Approved", "content": card_content(i, small)}
        text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
        (root / "cards" / f"{card_name(i)}.yaml").write_text(text)
        size += len(text)
    return size // max(cards, 1)


def add_package(sandbox: Any) -> None:
    """The model package group and the package (version 1) that the cards document."""
    sagemaker = sandbox.client("sagemaker", OWNER)
    sagemaker.create_model_package_group(ModelPackageGroupName=PACKAGE_GROUP)
    sagemaker.create_model_package(ModelPackageGroupName=PACKAGE_GROUP)


def cli_env(endpoint: str) -> dict[str, str]:
    """The environment of a `reconciler` process that talks to the sandbox at ``endpoint``."""
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }


def role_env(sandbox: Any) -> dict[str, str]:
    """The environment of a process acting as the card account's SandboxAdmin role (a role
    session, as CI's would be: an account's root may not assume roles)."""
    creds = sandbox.credentials(OWNER)
    return {
        **cli_env(sandbox.endpoint),
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


def create_card(sagemaker: Any, name: str, content: Mapping[str, Any]) -> str:
    """Create an Approved card with the tags an apply gives it, as a script would; its ARN."""
    from reconciler.common.content import content_json

    tags = [
        {"Key": "managed-by", "Value": "reconciler"},
        {"Key": "reconciler-source", "Value": f"cards/{name}.yaml"},
    ]
    response = sagemaker.create_model_card(
        ModelCardName=name, ModelCardStatus="Approved", Content=content_json(content), Tags=tags
    )
    return str(response["ModelCardArn"])


def seed(sandbox: Any, cards: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    """Create the model package, ``cards`` (name, content), all Approved, and the
    bench-test share holding them, with plain boto3, as an apply of the repository would
    leave them."""
    add_package(sandbox)
    sagemaker, ram = sandbox.client("sagemaker", OWNER), sandbox.client("ram", OWNER)

    def create(card: tuple[str, Mapping[str, Any]]) -> str:
        return create_card(sagemaker, *card)

    with ThreadPoolExecutor(max_workers=8) as pool:
        arns = list(pool.map(create, cards))
    share = ram.create_resource_share(
        name="bench-test",
        principals=["333333333333"],
        resourceArns=arns[:100],
        allowExternalPrincipals=False,
        tags=[
            {"key": "managed-by", "value": "reconciler"},
            {"key": "reconciler-source", "value": "shares/bench-test.yaml"},
        ],
    )["resourceShare"]["resourceShareArn"]
    for start in range(100, len(arns), 100):
        ram.associate_resource_share(resourceShareArn=share, resourceArns=arns[start : start + 100])
    sandbox.advance(60)
