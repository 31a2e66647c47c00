"""The sweep that ends every acceptance run deletes what a run made even when the run
stopped half-way: here right after the first apply, with everything shared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from botocore.exceptions import ClientError

from tests.acceptance.world import Cloud, Names, sweep, write_repository
from tests.conftest import CliResult


def test_a_run_stopped_after_its_first_apply_is_swept(
    cli: Callable[..., CliResult], tmp_path: Path, cloud: Cloud, run_resources: tuple[Names, str]
) -> None:
    names, package = run_resources
    repo = tmp_path / "repo"
    write_repository(repo, cloud, names, package)
    applied = cli("apply", "--auto-approve", "--force", "--no-verify", "--repo", str(repo))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    assert sweep(cloud, names, package) == []
    sagemaker, ram = cloud.card.client("sagemaker"), cloud.card.client("ram")
    try:
        card = sagemaker.describe_model_card(ModelCardName=names.card)
        assert card.get("ModelCardProcessingStatus"), "the card is not being deleted"
    except ClientError as e:
        assert e.response["Error"]["Code"] == "ResourceNotFound"
    owned = [{"tagKey": "managed-by", "tagValues": [cloud.accounts.tag_value]}]
    shares = ram.get_resource_shares(resourceOwner="SELF", tagFilters=owned)["resourceShares"]
    assert {s["status"] for s in shares} <= {"DELETED"}
    permissions = ram.list_permissions(permissionType="CUSTOMER_MANAGED")["permissions"]
    assert names.permission not in [p["name"] for p in permissions]
