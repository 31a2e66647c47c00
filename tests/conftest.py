"""Shared test configuration.

The sandbox fixtures come from the sandbox's pytest plugin. ``cli`` runs the real console
entry point in-process and returns its exit code and output.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.cli import main
from reconciler.cli.demo import copy_example as copy_repository

pytest_plugins = ["reconciler.sandbox.pytest_plugin"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``reconciler <args>`` through the real entry point."""

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["reconciler", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        out = capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 1, out.out, out.err)

    return run


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


def copy_example(target: Path) -> Path:
    """A copy of this repository's example (reconciler.yaml, cards/, shares/) at ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    return copy_repository(PROJECT_ROOT, target)


@pytest.fixture
def copy_repo() -> Callable[[Path], Path]:
    """The function that copies the example repository to a folder."""
    return copy_example


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A writable copy of the example repository."""
    return copy_example(tmp_path / "repo")


@pytest.fixture(scope="session")
def sandbox_config() -> Any:
    """The session sandbox's configuration: the roles the example's accounts file declares
    (SandboxAdmin everywhere, ModelCardReader in the target accounts, DataScientist in dev),
    and ConsoleAdmin, a person with administrator access to the card account's console. No
    Organization: tests that need one configure it."""
    from reconciler.sandbox.config import SandboxConfig, load_config
    from reconciler.sandbox.declared import DeclaredRole

    declared = load_config(PROJECT_ROOT / "sandbox" / "accounts.yaml").roles
    console = DeclaredRole(name="ConsoleAdmin", accounts=("111111111111",), admin=True)
    return SandboxConfig(roles=(*declared, console))


@pytest.fixture
def trusted_role(sandbox: Any) -> Callable[..., str]:
    """``trusted_role(account, name, trusted="111111111111", policy=None)``: create a role
    the way users do, trusted by ``trusted``'s principals (with their own permission to
    assume it) and allowed ``policy`` (by default everything: for tests about something
    other than least privilege); returns its ARN."""
    import json

    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }

    def make(account: str, name: str, trusted: str = "111111111111", policy: Any = None) -> str:
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{trusted}:root"},
            "Action": "sts:AssumeRole",
        }
        iam = sandbox.client("iam", account)
        document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]
        iam.put_role_policy(
            RoleName=name, PolicyName="main", PolicyDocument=json.dumps(policy or everything)
        )
        return arn

    return make


@pytest.fixture
def card_account_env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """Ambient credentials for the sandbox's default (card) account: a session of its
    SandboxAdmin role, as CI's would be a role session; returns the endpoint.

    The sandbox gets the Organization the example repository describes: the card account
    manages it, test and prod are members with RAM sharing enabled, dev is outside.
    """
    from reconciler.sandbox.config import Organization

    org = Organization(
        management_account="111111111111", members=frozenset({"333333333333", "444444444444"})
    )
    sandbox.configure(replace(sandbox.config, organization=org))
    creds = sandbox.credentials("111111111111")
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds["SessionToken"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return str(sandbox.endpoint)
