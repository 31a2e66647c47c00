"""Acceptance tests of `reconciler validate` through the real entry point.

Each folder under fixtures/repos/invalid/ is laid over a copy of this repository's own
example (reconciler.yaml, cards/, shares/): its files replace or add to the example's,
``remove.txt`` lists example files to delete, and ``expect.txt`` lists every error the
run must report, one per line, as ``file:line:col: message fragment``. Folders under
fixtures/repos/valid/ must validate cleanly.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "repos"
CONTROL_FILES = {"expect.txt", "remove.txt"}
Copier = Callable[[Path], Path]
Cli = Callable[..., Any]


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / kind).iterdir() if p.is_dir())


def build_repo(copy_repo: Copier, target: Path, overlay: Path | None = None) -> Path:
    """Copy the example repository to ``target`` and lay ``overlay`` over it."""
    copy_repo(target)
    if overlay is None:
        return target
    for path in sorted(overlay.rglob("*")):
        if path.is_file() and path.name not in CONTROL_FILES:
            dest = target / path.relative_to(overlay)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest)
    removals = overlay / "remove.txt"
    if removals.exists():
        for name in removals.read_text().split():
            (target / name).unlink()
    return target


def _expectations(case: Path) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in (case / "expect.txt").read_text().splitlines():
        location, fragment = line.split(": ", 1)
        file, row, col = location.rsplit(":", 2)
        rows.append((file, int(row), int(col), fragment))
    return rows


def _validate_json(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("validate", "--repo", str(repo), "--format", "json")
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_repository_reports_each_expected_error(
    case: Path, cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo", case)
    exit_code, report = _validate_json(cli, repo)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert exit_code == 1
    assert report["valid"] is False
    for file, line, col, fragment in _expectations(case):
        matches = [
            p
            for p in errors
            if (p["file"], p["line"], p["column"]) == (file, line, col) and fragment in p["message"]
        ]
        assert matches, f"expected {file}:{line}:{col}: {fragment!r}; got {errors}"
    assert len(errors) == len(_expectations(case)), errors


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_variant_passes(case: Path, cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo", case)
    exit_code, report = _validate_json(cli, repo)
    assert (exit_code, report["problems"]) == (0, [])


def test_example_repository_is_valid(cli: Cli, project_root: Path) -> None:
    result = cli("validate", "--repo", str(project_root))
    assert result.exit_code == 0
    assert result.stdout == "valid: 5 files checked\n"


def test_text_format_names_file_line_column_path_and_summary(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo", FIXTURES / "invalid" / "status-enum")
    result = cli("validate", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "cards/Customer-Churn-Model-Card.yaml:2:9: error: $.status: 'Aproved' is not allowed: "
        "did you mean 'Approved'? (one of Draft, PendingReview, Approved, Archived) [schema]",
        "invalid: 1 error in 1 file, 0 warnings (5 files checked)",
    ]


def test_github_format_prints_escaped_annotations(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo", FIXTURES / "invalid" / "principals")
    result = cli("validate", "--repo", str(repo), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert result.exit_code == 1
    assert first == (
        "::error file=shares/churn-test.yaml,line=3,col=5,title=principal::"
        "$.principals[0]: unknown principal 'tset': did you mean 'test'?"
    )


def test_warning_alone_keeps_repository_valid(cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    (repo / "shares" / "nothing.yaml").write_text(
        "name: nothing\nprincipals: [test]\ncards: {names: []}\n"
        "permission: AWSRAMPermissionSageMakerModelCards\n"
    )
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 0
    assert [(p["severity"], p["code"], p["line"]) for p in report["problems"]] == [
        ("warning", "empty-share", 3)
    ]


def test_content_over_100000_characters_is_refused(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    details = "\n".join(f"      k{i:03d}: {'x' * 1000}" for i in range(110))
    (repo / "cards" / "Big.yaml").write_text(
        "name: Big\nstatus: Draft\ncontent:\n  additional_information:\n"
        f"    custom_details:\n{details}\n"
    )
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 1
    assert [(p["file"], p["line"], p["code"]) for p in report["problems"]] == [
        ("cards/Big.yaml", 4, "content-size")
    ]
    assert "content is 111,147 characters as JSON" in report["problems"][0]["message"]


def test_more_than_48_tags_is_refused(cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    tags = "\n".join(f"  t{i}: v" for i in range(49))
    (repo / "cards" / "Tagged.yaml").write_text(
        f"name: Tagged\nstatus: Draft\ntags:\n{tags}\ncontent: {{}}\n"
    )
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 1
    assert [(p["line"], p["message"]) for p in report["problems"]] == [
        (4, "has 49 tags; at most 48 allowed (2 of AWS's 50 are kept for ownership tags)")
    ]


def test_more_than_50_tags_fails_the_schema(cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    tags = ", ".join(f"t{i}: v" for i in range(51))
    (repo / "shares" / "many.yaml").write_text(
        "name: many\nprincipals: [test]\ncards: {status: [Approved]}\n"
        f"permission: read-only\ntags: {{{tags}}}\n"
    )
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 1
    assert [(p["line"], p["message"]) for p in report["problems"]] == [
        (5, "has 51 entries; at most 50 allowed")
    ]


def test_huge_file_is_refused_before_parsing(cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    (repo / "cards" / "Huge.yaml").write_text("name: Huge\n# " + "x" * 1_000_001 + "\n")
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 1
    assert report["problems"][0]["code"] == "too-large"


def test_deep_nesting_is_an_error_not_a_crash(cli: Cli, copy_repo: Copier, tmp_path: Path) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo")
    (repo / "cards" / "Deep.yaml").write_text("content: " + "[" * 5000 + "]" * 5000 + "\n")
    exit_code, report = _validate_json(cli, repo)
    assert exit_code == 1
    assert [p["code"] for p in report["problems"]] == ["too-deep"]


def test_missing_repository_folder_is_reported(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", "--repo", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "the repository folder" in result.stdout and "does not exist" in result.stdout
    assert "[missing-repo]" in result.stdout


def test_unknown_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("validate", "--format", "yaml")
    assert result.exit_code == 1
    assert "'yaml' is not one of: text, json, github" in result.stderr


def test_an_outside_account_that_would_edit_the_cards_is_a_warning(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = copy_repo(tmp_path / "repo")
    share = repo / "shares" / "churn-dev.yaml"
    share.write_text(share.read_text().replace("allow_external_edits: true", ""))
    result = cli("validate", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0  # a warning does not make the repository invalid
    (warning,) = json.loads(result.stdout)["problems"]
    assert (warning["file"], warning["line"], warning["code"], warning["severity"]) == (
        "shares/churn-dev.yaml",
        6,
        "external-edits",
        "warning",
    )
    assert warning["message"].startswith(
        "dev outside the Organization would get sagemaker:UpdateModelCard through "
        "AWSRAMPermissionSageMakerModelCards: give the share a read-only"
    )


def test_a_spoke_that_trusts_live_status_is_a_warning_naming_who_decides(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = copy_repo(tmp_path / "repo")
    config = (repo / "reconciler.yaml").read_text()
    top = 'region: us-east-1\ncard_account:\n  id: "111111111111"'
    targets = (
        "targets:\n"
        '  hub: {card_account: {id: "111111111111"}, region: us-east-1}\n'
        '  eu: {card_account: {id: "555555555555"}, region: eu-west-1, hub: hub,\n'
        "       trust_live_status: true}"
    )
    assert top in config
    (repo / "reconciler.yaml").write_text(config.replace(top, targets, 1))
    code, report = _validate_json(cli, repo)
    assert code == 0, report["problems"]
    (warning,) = [p for p in report["problems"] if p["code"] == "trust-live-status"]
    assert warning["severity"] == "warning" and "UpdateModelCard" in warning["message"]
    assert "555555555555" in warning["message"]
