"""Files written from live names stay in the repository (issue 22, "Paths from names").

A RAM share may be named anything: `import --shares` wrote `shares/{name}.yaml` from it,
so a share named `../../escape/pwned` wrote beside the repository. A name that is not a
safe file name (the schema's own pattern for card and share names) is refused with a
clear message and nothing is written; and no file is written through a symlink.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.common.errors import ReconcilerError
from tests.test_drift_import_pull import bare_repo

OWNER = "111111111111"
Cli = Callable[..., Any]


def test_a_share_named_like_a_path_is_refused_and_nothing_is_written(
    cli: Cli, tmp_path: Path, aws: Callable[..., Any], card_account_env: str, sandbox: Any
) -> None:
    aws("sagemaker").create_model_card(ModelCardName="Card", ModelCardStatus="Draft", Content="{}")
    ram = aws("ram")
    for name in ("../../escape/pwned", "ok-share"):
        ram.create_resource_share(
            name=name,
            principals=["444444444444"],
            resourceArns=[f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/Card"],
        )
    sandbox.advance(5)
    repo = bare_repo(tmp_path / "work" / "repo")
    result = cli("import", "--all", "--shares", "--repo", str(repo))
    assert result.exit_code == 1
    assert "share ../../escape/pwned: its name is not a safe file name" in result.stderr
    assert not (tmp_path / "work" / "escape").exists() and not (tmp_path / "escape").exists()
    assert sorted(p.name for p in (repo / "shares").iterdir()) == ["ok-share.yaml"]


def test_import_never_writes_through_a_symlink(
    cli: Cli, tmp_path: Path, aws: Callable[..., Any], card_account_env: str
) -> None:
    aws("sagemaker").create_model_card(ModelCardName="Card", ModelCardStatus="Draft", Content="{}")
    repo = bare_repo(tmp_path / "repo")
    outside = tmp_path / "outside.yaml"
    (repo / "cards" / "Card.yaml").symlink_to(outside)  # dangling: Path.exists() is False
    result = cli("import", "Card", "--repo", str(repo))
    assert not outside.exists()
    assert "cards/Card.yaml" in result.stderr


@pytest.mark.parametrize(
    "name", ["../x", "a/b", ".hidden", "-dash", "x" * 64, "", "a\nb", "Card\\x", "Card "]
)
def test_unsafe_card_names_are_refused_before_any_file_is_touched(
    tmp_path: Path, name: str
) -> None:
    from reconciler.workflows.files import new_file

    with pytest.raises(ReconcilerError, match="not a safe file name") as refused:
        new_file(tmp_path, "cards", name)
    assert "schema/card.schema.json" in (refused.value.hint or "")
    assert list(tmp_path.iterdir()) == []


def test_safe_names_map_to_a_file_in_their_folder(tmp_path: Path) -> None:
    from reconciler.workflows.files import new_file

    assert new_file(tmp_path, "cards", "Customer-Churn-Model-Card") == (
        tmp_path / "cards" / "Customer-Churn-Model-Card.yaml"
    )
    assert new_file(tmp_path, "shares", "churn.dev_1") == tmp_path / "shares" / "churn.dev_1.yaml"
