"""What reading the Model Registry costs (docs/architecture.md): a group of N live versions
of which git lists M costs 2 + ceil(N/100) + M calls, counted by `plan --stats`, and versions
git does not list are never described."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Aws, Cli
from tests.apply.registry_helpers import declare, register

REGISTRY_READS = (
    "DescribeModelPackageGroup",
    "ListTags",
    "ListModelPackages",
    "DescribeModelPackage",
)


@pytest.mark.parametrize(("live", "pages"), [(3, 1), (101, 2)])
def test_a_group_costs_two_calls_a_page_of_versions_and_one_per_version_in_git(
    cli: Cli, repo: Path, aws: Aws, live: int, pages: int
) -> None:
    register(aws, versions=live)
    declare(repo, "versions:\n  - version: 1\n  - version: 3\n")  # M = 2
    result = cli("plan", "--repo", str(repo), "--format", "json", "--stats")
    assert result.exit_code in (0, 2), result.stderr
    calls = json.loads(result.stdout)["stats"]["calls"]
    registry = {k: v for k, v in calls.items() if k.split(".")[1] in REGISTRY_READS}
    assert registry == {
        "sagemaker.DescribeModelPackageGroup": 1,
        "sagemaker.ListTags": 1,
        "sagemaker.ListModelPackages": pages,
        "sagemaker.DescribeModelPackage": 2,
    }
    assert sum(registry.values()) == 2 + pages + 2
