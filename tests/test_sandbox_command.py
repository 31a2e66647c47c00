"""`reconciler sandbox` as a user runs it: a foreground server that says how to use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest


def test_sandbox_prints_its_variables_and_serves_them(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text('default_account: "123456789012"\n')
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "--port",
        "0",
        "--accounts",
        str(accounts),
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(7)]
        exports = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in lines
            if line.strip().startswith("export ")
        )
        try:
            client = boto3.client(
                "sts",
                endpoint_url=exports["AWS_ENDPOINT_URL"],
                aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=exports["AWS_SESSION_TOKEN"],
                region_name=exports["AWS_DEFAULT_REGION"],
            )
            who = client.get_caller_identity()
            assert who["Account"] == "123456789012"
            assert who["Arn"] == "arn:aws:sts::123456789012:assumed-role/SandboxAdmin/sandbox"
        finally:
            process.terminate()
    assert set(exports) == {
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
    }
    assert exports["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")


def test_unknown_key_in_the_accounts_file_is_a_clear_error(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text("organisation: {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "sandbox", "--accounts", str(accounts)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
        check=False,
    )
    assert result.returncode == 1
    assert "unknown keys ['organisation']" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--help"])
def test_every_command_has_help(flag: str) -> None:
    from typer.main import get_command

    from reconciler.cli import app

    names = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert names == [
        "apply",
        "bootstrap",
        "demo",
        "drift",
        "export",
        "fill",
        "graph",
        "history",
        "iam-policy",
        "import",
        "plan",
        "probe",
        "pull",
        "sandbox",
        "site",
        "targets",
        "validate",
        "verify",
    ]
