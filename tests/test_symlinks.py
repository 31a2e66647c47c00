"""Symlinks under cards/ and shares/ (issue 22, "Symlinks").

A card or share file that is a symlink was followed, wherever it led, and a dangling one
was skipped without a word. Now a symlink there is a validation error naming it, unless
reconciler.yaml says the repository needs them (``files: {symlinks: allow}``); then only
targets inside the repository are read. The early parse of a command's cards (a forked
process, ``load.early``) follows the same rule: it reads no symlink at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.load import early

CARD = "Customer-Churn-Model-Card"
Cli = Callable[..., Any]
ALLOW = "files:\n  symlinks: allow\n"


def _problems(cli: Cli, repo: Path) -> tuple[int, list[tuple[str, int, int, str, str]]]:
    result = cli("validate", "--repo", str(repo), "--format", "json")
    report = json.loads(result.stdout)
    found = [
        (p["file"], p["line"], p["column"], p["code"], p["message"]) for p in report["problems"]
    ]
    return result.exit_code, found


def _moved_out(repo: Path, relative: str) -> Path:
    """The file moved next to the repository, and a symlink to it in its place."""
    outside = repo.parent / "elsewhere" / Path(relative).name
    outside.parent.mkdir(exist_ok=True)
    shutil.move(repo / relative, outside)
    (repo / relative).symlink_to(outside)
    return outside


def test_a_card_symlinked_from_outside_is_a_validation_error(cli: Cli, example_repo: Path) -> None:
    _moved_out(example_repo, f"cards/{CARD}.yaml")
    code, problems = _problems(cli, example_repo)
    assert code == 1
    [(file, line, column, kind, message)] = problems
    assert (file, line, column, kind) == (f"cards/{CARD}.yaml", 1, 1, "symlink")
    assert "is a symlink" in message and "files: {symlinks: allow}" in message


def test_a_dangling_share_symlink_is_reported_not_skipped(cli: Cli, example_repo: Path) -> None:
    (example_repo / "shares" / "churn-extra.yaml").symlink_to("../nowhere/churn-extra.yaml")
    code, problems = _problems(cli, example_repo)
    assert code == 1
    assert [(p[0], p[1], p[2], p[3]) for p in problems] == [
        ("shares/churn-extra.yaml", 1, 1, "symlink")
    ]


def test_a_symlinked_cards_folder_is_a_validation_error(cli: Cli, example_repo: Path) -> None:
    outside = example_repo.parent / "cards-elsewhere"
    shutil.move(example_repo / "cards", outside)
    (example_repo / "cards").symlink_to(outside)
    code, problems = _problems(cli, example_repo)
    assert code == 1
    assert ("cards", 1, 1, "symlink") in [(p[0], p[1], p[2], p[3]) for p in problems]


def test_allowed_symlinks_read_only_targets_inside_the_repository(
    cli: Cli, example_repo: Path
) -> None:
    config = example_repo / "reconciler.yaml"
    config.write_text(config.read_text() + ALLOW)
    library = example_repo / "library"
    library.mkdir()
    shutil.move(example_repo / "shares" / "churn-dev.yaml", library / "churn-dev.yaml")
    (example_repo / "shares" / "churn-dev.yaml").symlink_to("../library/churn-dev.yaml")
    assert _problems(cli, example_repo) == (0, [])
    _moved_out(example_repo, f"cards/{CARD}.yaml")
    (example_repo / "shares" / "gone.yaml").symlink_to("../library/gone.yaml")
    code, problems = _problems(cli, example_repo)
    assert code == 1
    assert sorted((p[0], p[1], p[2], p[3]) for p in problems) == [
        (f"cards/{CARD}.yaml", 1, 1, "symlink"),
        ("shares/gone.yaml", 1, 1, "symlink"),
    ]
    messages = " ".join(p[4] for p in problems)
    assert "outside the repository" in messages and "does not exist" in messages


def test_the_early_parse_reads_no_symlink(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    for i in range(early.MIN_FILES + 1):
        (cards / f"Card-{i:04d}.yaml").write_text(f"name: Card-{i:04d}\n")
    assert len(early._card_files(tmp_path)) == early.MIN_FILES + 1
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: outside\n")
    (cards / "Zz.yaml").symlink_to(secret)
    assert early._card_files(tmp_path) == []  # no fork: loading applies reconciler.yaml's rule


@pytest.mark.parametrize("value", ["allow", "refuse"])
def test_the_setting_is_in_the_schema(cli: Cli, example_repo: Path, value: str) -> None:
    config = example_repo / "reconciler.yaml"
    config.write_text(config.read_text() + f"files:\n  symlinks: {value}\n")
    assert _problems(cli, example_repo) == (0, [])
