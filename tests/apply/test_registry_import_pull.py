"""import and pull of registry files through the real CLI: a live group becomes
registry/<group>.yaml that validates and plans empty; a change made in Studio comes back
into the file as a reviewable edit that keeps its comments. Values read from AWS are
untrusted: YAML-hostile text, long strings and names that are not file names neither
change what the file says nor where it is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reconciler.load.yamlsource import load_text
from tests.apply.helpers import Aws, Cli, apply
from tests.apply.registry_helpers import (
    GROUP,
    REVIEWED,
    declare,
    described,
    group_arn,
    plan,
    register,
)


def load_data(text: str) -> Any:
    """The data the reconciler's own loader reads from ``text``."""
    loaded = load_text(text, "<test>")
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document.data


def imported(cli: Cli, repo: Path, *names: str) -> Any:
    args = [a for n in names for a in ("--group", n)]
    return cli("import", "--repo", str(repo), *args)


def registry_file(repo: Path, name: str = GROUP) -> Path:
    return repo / "registry" / f"{name}.yaml"


def version_changes(found: dict[str, Any]) -> list[str]:
    return [
        c["address"] for c in found["changes"] if c["address"].split(".")[0] in ("version", "group")
    ]


def test_import_writes_a_group_that_validates_and_plans_empty(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = register(aws)
    studio = aws("sagemaker", role="ConsoleAdmin")
    studio.update_model_package(
        ModelPackageArn=arns[0], ModelLifeCycle={"Stage": "QA", "StageStatus": "InProgress"}
    )
    studio.update_model_package(ModelPackageArn=arns[2], ModelApprovalStatus="Rejected")
    studio.add_tags(ResourceArn=group_arn(), Tags=[{"Key": "team", "Value": "churn"}])
    result = imported(cli, repo, GROUP)
    assert result.exit_code == 0, result.stderr
    assert f"imported: registry/{GROUP}.yaml" in result.stdout
    text = registry_file(repo).read_text()
    assert text.startswith(
        f"# Imported from model package group {GROUP} of account 111111111111 (3 versions)"
    )
    data = load_data(text)
    assert data["tags"] == {"team": "churn"} and data["description"] == "churn"
    assert [v["version"] for v in data["versions"]] == [1, 2, 3]
    assert data["versions"][0]["stage"] == {"name": "QA", "status": "InProgress"}
    assert data["versions"][2]["approval"] == "Rejected"
    assert data["versions"][1]["card"]["status"] == "Draft"
    code, found = plan(cli, repo)
    assert code == 0 and not found["errors"], found["errors"]
    assert version_changes(found) == []
    assert not [u for u in found["unmanaged"] if u["kind"] == "model_version"]
    again = imported(cli, repo, GROUP)
    assert f"skipped: {GROUP}: already declared in registry/{GROUP}.yaml" in again.stderr


COMMENTED = REVIEWED.replace("versions:\n", "# Reviewed by the risk team.\nversions:\n").replace(
    "      content:\n", "      content:  # the card the risk team signs\n"
)


def test_pull_brings_studio_changes_back_keeping_comments(cli: Cli, repo: Path, aws: Aws) -> None:
    arns = register(aws)
    declare(repo, COMMENTED)
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    studio = aws("sagemaker", role="ConsoleAdmin")
    content = json.loads(described(aws, arns[1])["ModelCard"]["ModelCardContent"])
    content["intended_uses"]["intended_uses"] = "Daily scoring"
    studio.update_model_package(
        ModelPackageArn=arns[1], ModelCard={"ModelCardContent": json.dumps(content)}
    )
    studio.update_model_package(
        ModelPackageArn=arns[1], ModelLifeCycle={"Stage": "QA", "StageStatus": "Approved"}
    )
    studio.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Rejected")
    studio.add_tags(ResourceArn=group_arn(), Tags=[{"Key": "owner", "Value": "risk"}])
    result = cli("pull", "--repo", str(repo), "--group", GROUP)
    assert result.exit_code == 0, result.stderr
    assert (
        f"updated: registry/{GROUP}.yaml: tags; version 2 (card content, approval, stage)"
        in result.stdout
    )
    text = registry_file(repo).read_text()
    assert "# Reviewed by the risk team.\n" in text
    assert "content:  # the card the risk team signs\n" in text
    assert "intended_uses: Daily scoring" in text and "approval: Rejected" in text
    assert "owner: risk" in text
    code, found = plan(cli, repo)
    assert code == 0 and version_changes(found) == [], found["changes"]
    again = cli("pull", "--repo", str(repo), "--group", GROUP)
    assert f"skipped: {GROUP}: live content already matches git" in again.stderr


HOSTILE = [
    "--- !!python/object/apply:os.system ['touch /tmp/pwned']",
    "key: value # not a comment",
    "&anchor *alias ? [ ] { } | > ' \" % @ `",
    "line one\n  indented\n\ttabbed\nlast  ",
    "\x1b[31mred\x1b[0m and a bell\x07",
    "ends with a backslash \\",
    "x" * 1024,
]


def hostile_card() -> dict[str, Any]:
    details = {f"k{i}": text for i, text in enumerate(HOSTILE)}
    details.update({"<<": "merge key", "true": "yes", "~": "null", "../../escape": "path"})
    details.update({f"long{i:03}": "y" * 1024 for i in range(80)})  # about 90,000 characters
    return {
        "model_overview": {"model_creator": "--- |\n- a\n? b"},
        "intended_uses": {"intended_uses": "no\n...\n---\n", "risk_rating": "Low"},
        "additional_information": {"custom_details": details},
    }


def test_import_of_hostile_live_values_writes_exactly_what_aws_holds(
    cli: Cli, repo: Path, aws: Aws, tmp_path: Path
) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(
        ModelPackageGroupName=GROUP,
        ModelPackageGroupDescription="name: Other-Group\nversions: []  # {{ x }}",
        Tags=[{"Key": "owner: x", "Value": "a/b=c+d@e"}],
    )
    card = {"ModelCardContent": json.dumps(hostile_card()), "ModelCardStatus": "Draft"}
    arn = sm.create_model_package(ModelPackageGroupName=GROUP, ModelCard=card)["ModelPackageArn"]
    sm.update_model_package(
        ModelPackageArn=arn,
        ModelApprovalStatus="Rejected",
        ApprovalDescription="\x00 ... \u2028 --- # end",
    )
    sm.update_model_package(
        ModelPackageArn=arn,
        ModelLifeCycle={"Stage": "QA", "StageStatus": "Done", "StageDescription": "a: b\t#c"},
    )
    result = imported(cli, repo, GROUP)
    assert result.exit_code == 0, result.stderr
    written = registry_file(repo)
    assert written.exists(), result.stderr
    data = load_data(written.read_text())
    assert set(data) == {"name", "description", "tags", "versions"}
    assert data["name"] == GROUP
    assert data["description"] == "name: Other-Group\nversions: []  # {{ x }}"
    assert data["tags"] == {"owner: x": "a/b=c+d@e"}
    [version] = data["versions"]
    assert version["card"]["content"] == hostile_card()
    assert version["approval_description"] == "\x00 ... \u2028 --- # end"
    assert version["stage"]["description"] == "a: b\t#c"
    assert sorted(p.name for p in (repo / "registry").iterdir()) == [f"{GROUP}.yaml"]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("name", ["../../escape", "a/b", ".hidden", "x" * 64])
def test_a_group_name_that_is_no_file_name_is_refused_before_anything_is_read(
    cli: Cli, repo: Path, name: str
) -> None:
    result = imported(cli, repo, name)
    assert result.exit_code == 1
    assert "its name is not a safe file name; nothing written" in result.stderr
    assert not (repo / "registry").exists()
    assert not (repo.parent / "escape.yaml").exists()
