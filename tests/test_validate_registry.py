"""`reconciler validate` on registry files: each registry rule reports its code at the
line and column of the value it is about, and a card written in a registry file may only
ignore fields of the model package card schema."""

from __future__ import annotations

from pathlib import Path

from tests.test_validate import FIXTURES, Cli, Copier, _validate_json, build_repo

RULES = "registry/Churn.yaml"
IGNORED = "registry/Customer-Churn.yaml"


def _errors(cli: Cli, repo: Path) -> list[tuple[str, str, int, int, str]]:
    code, report = _validate_json(cli, repo)
    assert (code, report["valid"]) == (1, False)
    return [
        (p["code"], p["file"], p["line"], p["column"], p["path"])
        for p in report["problems"]
        if p["severity"] == "error"
    ]


def test_each_registry_rule_names_its_code_file_line_and_column(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    repo = build_repo(copy_repo, tmp_path / "repo", FIXTURES / "invalid" / "registry-rules")
    registry = [e for e in _errors(cli, repo) if e[0] not in ("file-name", "tags")]
    assert registry == [
        ("approval-needs-approved-card", RULES, 5, 15, "$.versions[0].approval"),
        ("duplicate-version", RULES, 9, 14, "$.versions[1].version"),
        ("approval-needs-approved-card", RULES, 10, 15, "$.versions[1].approval"),
        ("card-source", RULES, 13, 16, "$.versions[2].card_from"),
        ("card-from", RULES, 15, 16, "$.versions[3].card_from"),  # no such card
        ("card-from", RULES, 17, 16, "$.versions[4].card_from"),  # does not fit
    ]


def test_a_version_card_ignores_only_fields_of_the_model_package_card_schema(
    cli: Cli, copy_repo: Copier, tmp_path: Path
) -> None:
    """``model_overview.model_owner`` is a field of a standalone card, not of a version's:
    ignoring it there would hide nothing, so it is a typo-class error like any other."""
    case = FIXTURES / "invalid" / "registry-ignore-paths"
    repo = build_repo(copy_repo, tmp_path / "repo", case)
    assert _errors(cli, repo) == [
        ("ignore-path", IGNORED, 8, 11, "$.versions[0].card.ignore[1]"),
        ("ignore-path", IGNORED, 9, 11, "$.versions[0].card.ignore[2]"),
    ]
    text = cli("validate", "--repo", str(repo)).stdout
    assert (
        f"{IGNORED}:9:11: error: $.versions[0].card.ignore[2]: 'intended_uses.risk_ratin' is "
        "not a field of a model version's card content (the model package card schema): "
        "did you mean 'intended_uses.risk_rating'?"
    ) in text
    (repo / IGNORED).write_text(
        (repo / IGNORED)
        .read_text()
        .replace("        - model_overview.model_owner\n", "")
        .replace("risk_ratin\n", "risk_rating\n")
    )
    code, report = _validate_json(cli, repo)
    assert (code, report["problems"]) == (0, [])
