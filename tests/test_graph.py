"""`reconciler graph` and the sharing picture in Markdown plans and drift reports, through
the real CLI: golden files for the example repository, the live graph after an apply, a
promotion that shows the share it joins, and no picture when only content changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.graph.model import Edge, Graph, GraphChange, Kind, Node, compare
from reconciler.render.plan_common import PLANS, PlanReport
from tests.conftest import PROJECT_ROOT
from tests.test_plan_golden import SCENARIOS

GOLDEN = Path(__file__).parent / "golden" / "graph"
CARD = "Customer-Churn-Model-Card"
CARD_FILE = f"cards/{CARD}.yaml"
OWNER, TEST = "111111111111", "333333333333"
Cli = Callable[..., Any]


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_the_example_repository_graph_matches_its_golden_file(cli: Cli, fmt: str) -> None:
    result = cli("graph", "--repo", str(PROJECT_ROOT), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"example.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_the_graph_of_an_invalid_repository_is_refused(cli: Cli, example_repo: Path) -> None:
    card = example_repo / CARD_FILE
    card.write_text(card.read_text(encoding="utf-8").replace("status: Draft", "status: Done"))
    result = cli("graph", "--repo", str(example_repo))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{CARD_FILE}:3:9: error: $.status: 'Done' is not allowed" in result.stderr


def _set_status(repo: Path, status: str) -> None:
    card = repo / CARD_FILE
    text = card.read_text(encoding="utf-8")
    assert "\nstatus: Draft" in text
    card.write_text(text.replace("\nstatus: Draft", f"\nstatus: {status}"), encoding="utf-8")


@pytest.fixture
def applied(cli: Cli, example_repo: Path, card_account_env: str) -> Path:
    result = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert result.exit_code == 0, result.stdout + result.stderr
    return example_repo


def _shape(text: str) -> dict[str, Any]:
    body = json.loads(text)
    return {k: body[k] for k in ("cards", "shares", "principals")}


def test_the_live_graph_after_apply_is_the_git_graph(cli: Cli, applied: Path) -> None:
    git = cli("graph", "--repo", str(applied), "--format", "json")
    live = cli("graph", "--repo", str(applied), "--format", "json", "--live")
    assert live.exit_code == 0, live.stderr
    assert json.loads(live.stdout)["source"] == "live"
    assert json.loads(live.stdout)["context"]["account"] == OWNER
    assert _shape(live.stdout) == _shape(git.stdout)


def test_a_promotion_plan_pictures_the_share_the_card_joins(cli: Cli, applied: Path) -> None:
    _set_status(applied, "PendingReview")
    result = cli("plan", "--repo", str(applied), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    shown = result.stdout
    picture = shown[shown.index("```mermaid\n") : shown.index("```\n", shown.index("```mermaid"))]
    assert f'c1["{CARD}<br/>Draft → PendingReview"]' in picture
    assert 's2(["churn-test<br/>AWSRAMPermissionSageMakerModelCards"])' in picture
    assert f'a2{{{{"test ({TEST})"}}}}' in picture
    assert "  c1 --> s1\n" in picture  # still in churn-dev
    assert "  c1 -->|added| s2\n" in picture
    assert "  linkStyle 1 stroke:#1a7f37" in picture
    assert "|removed|" not in picture
    assert shown.index("#### Who sees which card") < shown.index("<details>")


def test_a_content_only_plan_has_no_picture(cli: Cli, applied: Path) -> None:
    card = applied / CARD_FILE
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("model_owner: ", "model_owner: new-", 1), encoding="utf-8")
    result = cli("plan", "--repo", str(applied), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "update content" in result.stdout
    assert "```mermaid" not in result.stdout
    assert "Who sees which card" not in result.stdout


def test_a_principal_removed_outside_git_is_pictured_in_the_drift_report(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    ram = aws("ram", OWNER)
    [share] = ram.get_resource_shares(resourceOwner="SELF", name="churn-test")["resourceShares"]
    ram.disassociate_resource_share(resourceShareArn=share["resourceShareArn"], principals=[TEST])
    result = cli("drift", "--repo", str(applied), "--format", "markdown")
    assert result.exit_code == 2, result.stderr
    picture = result.stdout[result.stdout.index("```mermaid") :]
    assert 's1(["churn-test<br/>AWSRAMPermissionSageMakerModelCards"])' in picture
    assert "  s1 -.->|removed| a1\n" in picture
    assert "stroke-dasharray:5 5" in picture


def _many_cards(n: int) -> GraphChange:
    share = Node(kind=Kind.SHARE, name="churn-prod", detail="read-only")
    cards = [Node(kind=Kind.CARD, name=f"Card-{i:05d}", detail="Approved") for i in range(n)]
    before = Graph.of([share, *cards], [])
    after = Graph.of([share, *cards], [Edge(c.key, share.key) for c in cards])
    change = compare(before, after)
    assert change is not None
    return change


@pytest.mark.parametrize(("cards", "pictured"), [(20, True), (5000, False)])
def test_the_picture_counts_within_the_comment_budget(cards: int, pictured: bool) -> None:
    plan = SCENARIOS["promotion"]()
    report = PlanReport(plan=plan, topology=_many_cards(cards))
    shown = PLANS.get("markdown")(report)
    assert len(shown) <= 65_536
    assert ("```mermaid" in shown) is pictured
    assert ("left out to stay under GitHub's 65,536-character limit" in shown) is not pictured


def test_the_readme_shows_the_example_graph_as_the_command_draws_it() -> None:
    drawn = (GOLDEN / "example.mermaid").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{drawn}```\n" in readme


def test_a_share_left_out_of_git_is_pictured_as_removed_only_with_prune(
    cli: Cli, applied: Path
) -> None:
    (applied / "shares" / "churn-dev.yaml").unlink()
    kept = cli("plan", "--repo", str(applied), "--format", "markdown")
    assert kept.exit_code == 0, kept.stderr
    assert "```mermaid" not in kept.stdout
    pruned = cli("plan", "--repo", str(applied), "--format", "markdown", "--prune")
    assert pruned.exit_code == 0, pruned.stderr
    picture = pruned.stdout[pruned.stdout.index("```mermaid") :]
    assert "  c1 -.->|removed| s1\n" in picture
    assert "  s1 -.->|removed| a1\n" in picture
