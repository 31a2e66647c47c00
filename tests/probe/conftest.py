"""A card account ready for `reconciler probe --write` in the sandbox, set up as a user's
would be: the example repository with exports and a card encrypted with a customer managed
key, the apply role and each target account's reader role holding exactly what
`iam-policy` prints, and card_account.role_arn naming the apply role. The caller's own
credentials are the card account's SandboxAdmin (``card_account_env``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconciler.iam.policy import policy_document
from reconciler.run.pipeline import load_valid
from reconciler.sandbox.config import SandboxConfig, load_config
from tests.conftest import CliResult, copy_example

OWNER, DEV = "111111111111", "222222222222"
TARGETS = ("222222222222", "333333333333", "444444444444")
APPLY, READER = "ReconcilerApply", "ModelCardReader"
BUCKET = "model-card-exports"


def trust() -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
        "Action": "sts:AssumeRole",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def key_policy() -> str:
    """The card account's IAM policies decide for its key."""
    own = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [own]})


def prepare(sandbox: Any, repo: Path) -> None:
    """Exports, an encrypted card and the printed roles; role_arn names the apply role."""
    admin = sandbox.client("s3", OWNER)
    admin.create_bucket(Bucket=BUCKET)
    kms = sandbox.client("kms", OWNER)
    key = kms.create_key(Policy=key_policy())["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/model-cards", TargetKeyId=key)
    with (repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
        config.write(f"exports: {{bucket: {BUCKET}, prefix: model-cards}}\n")
    (repo / "cards" / "Secret-Model-Card.yaml").write_text(
        "name: Secret-Model-Card\nstatus: Draft\nkms_key_id: alias/model-cards\n"
        "content:\n  model_overview:\n    model_owner: model-owner\n",
        encoding="utf-8",
    )
    state = load_valid(repo)
    roles = [(OWNER, APPLY, "apply"), *((a, READER, "verify") for a in TARGETS)]
    for account, name, role in roles:
        iam = sandbox.client("iam", account)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
        document = json.dumps(policy_document(role, state))
        iam.put_role_policy(RoleName=name, PolicyName="reconciler", PolicyDocument=document)
    text = (repo / "reconciler.yaml").read_text(encoding="utf-8")
    anchor = f'  id: "{OWNER}"'
    role_arn = f'  role_arn: "arn:aws:iam::{OWNER}:role/{APPLY}"'
    (repo / "reconciler.yaml").write_text(text.replace(anchor, f"{anchor}\n{role_arn}", 1))


def expired_invitation(sandbox: Any) -> None:
    """An invitation from the card account to dev that nobody answered, 13 hours ago."""
    ram = sandbox.client("ram", OWNER)
    ram.create_resource_share(name="unanswered", principals=[DEV], allowExternalPrincipals=True)
    sandbox.advance(13 * 3600)


@dataclass
class Probe:
    """`reconciler probe` against the prepared card account."""

    sandbox: Any
    repo: Path
    cli: Callable[..., CliResult]
    settings: Path

    def configure(self, **switches: Any) -> None:
        self.sandbox.configure(replace(self.sandbox.config, **switches))

    def __call__(
        self, *args: str, write: bool = True, leaves: bool = False
    ) -> tuple[int, dict[str, Any]]:
        """The exit code and the findings by key (JSON); the report under "". ``leaves``:
        the run is expected to leave a scratch resource behind (exit code 1)."""
        more = ["--write", "--wait", "4"] if write else []
        result = self.cli(
            "probe",
            "--repo",
            str(self.repo),
            "--format",
            "json",
            "--sandbox-config",
            str(self.settings),
            *more,
            *args,
        )
        assert result.exit_code in ((1,) if leaves else (0, 2)), result.stderr
        document = json.loads(result.stdout)
        return result.exit_code, {f["key"]: f for f in document["findings"]} | {"": document}

    def written(self) -> SandboxConfig:
        """The accounts file --sandbox-config wrote, loaded as the sandbox loads it."""
        assert yaml.safe_load(self.settings.read_text(encoding="utf-8"))
        return load_config(self.settings)


@pytest.fixture
def probe(
    sandbox: Any, card_account_env: str, cli: Callable[..., CliResult], tmp_path: Path
) -> Probe:
    repo = copy_example(tmp_path / "repo")
    prepare(sandbox, repo)
    # Quicker than the sandbox's defaults, still within what they agree with.
    sandbox.configure(
        replace(sandbox.config, association_delay_seconds=0.05, deletion_delay_seconds=0.05)
    )
    return Probe(sandbox, repo, cli, tmp_path / "sandbox-settings.yaml")
