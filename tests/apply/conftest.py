"""Fixtures of the apply scenarios: the example repository against the sandbox (fresh,
applied once, or exporting PDFs), retries recorded, and one botocore data loader for the
whole package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.loaders import Loader, create_loader
from botocore.retries.standard import ExponentialBackoff

from tests.apply.helpers import BUCKET, PREFIX, Aws, Cli, Retry, apply


class _PathsOnce(list[str]):
    """Search paths that each boto3 session may append to without growing the list."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


@pytest.fixture(scope="package")
def shared_loader() -> Loader:
    loader = create_loader()
    loader._search_paths = _PathsOnce(loader.search_paths)
    return loader


@pytest.fixture(autouse=True)
def _models_loaded_once(shared_loader: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    """One botocore data loader for every session the CLI opens (one per run, one per
    assumed consumer role), so service models are parsed once per package, not per
    session; this only saves time and changes no behaviour."""
    monkeypatch.setattr(botocore.session, "create_loader", lambda *_: shared_loader)


@pytest.fixture
def repo(example_repo: Path, card_account_env: str, sandbox: Any) -> Path:
    """The example repository against a sandbox with short asynchronous delays."""
    sandbox.configure(
        replace(sandbox.config, association_delay_seconds=0.02, deletion_delay_seconds=0.02)
    )
    return example_repo


@pytest.fixture
def applied(cli: Cli, repo: Path) -> Path:
    """The example repository, applied once (with --force for the external dev share)."""
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    return repo


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Retry]]:
    """Every retry botocore decides on, recorded; the backoff sleep itself is skipped so
    that tests with many injected faults stay fast."""
    seen: list[Retry] = []
    original = ExponentialBackoff.delay_amount

    def record(self: ExponentialBackoff, context: Any) -> float:
        model = context.operation_model
        seen.append(
            Retry(
                model.service_model.service_name,
                model.name,
                context.get_error_code(),
                context.attempt_number,
                original(self, context),
            )
        )
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    yield seen


@pytest.fixture
def exporting(repo: Path, sandbox: Any, aws: Aws) -> Path:
    """The example repository with exports to an existing bucket, jobs finishing fast."""
    sandbox.configure(replace(sandbox.config, export_delay_seconds=0.02))
    aws("s3").create_bucket(Bucket=BUCKET)
    with (repo / "reconciler.yaml").open("a") as f:
        f.write(f"exports:\n  bucket: {BUCKET}\n  prefix: {PREFIX}\n")
    return repo
