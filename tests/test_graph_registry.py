"""`reconciler graph` with registry files, through the real CLI: model package groups and
the versions git manages beside the cards, in every format, from git and with --live from
the sandbox; a version's card that mirrors a card, a card that describes a version; and a
group description written to break out of its label, from a file and from AWS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_output_schemas import conforms

GROUP = "Churn-Models"
CARD = "Customer-Churn-Model-Card"
OWNER = "111111111111"
VERSION_2 = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{GROUP.lower()}/2"
# Quotes, brackets of every shape, line breaks, an arrow, a Mermaid directive, HTML,
# Markdown backticks, text that looks like an escape, and DOT's own escapes.
HOSTILE = (
    'churn "models"]) --> x["pwned"]\nclick g1 call alert(1)\r\n'
    '<img src=x onerror=alert(2)> `md` #quot; a\\"b \\N }} {{ ;'
)
REGISTRY = """name: Churn-Models
{description}versions:
  - version: 2
    approval: PendingManualApproval
    stage: {{name: QA, status: InProgress}}
    card:
      status: Draft
      content:
        model_overview: {{model_creator: pipeline}}
  - version: 3
    approval: PendingManualApproval
    card_from: Customer-Churn-Model-Card
"""
Cli = Callable[..., Any]
Aws = Callable[..., Any]

# Every line Mermaid may see: the header, one node with one quoted label (no quote inside),
# an edge (labelled by the tool only), the outside class.
MERMAID_LINE = re.compile(
    r'flowchart LR|  [a-z]\d+(\["|\(\["|\[\("|\("|\{\{")[^"\n]*("\]|"\]\)|"\)\]|"\)|"\}\})'
    r"|  [a-z]\d+ -->(\|(mirrors|describes)\|)? [a-z]\d+"
    r"|  classDef outside stroke-dasharray:4 3,stroke-width:2px|  class [a-z0-9,]+ outside"
)
DOT_LINE = re.compile(
    r'digraph sharing \{|  rankdir=LR;|  node \[fontname="Helvetica"\];|\}'
    r'|  [a-z]\d+ \[shape=\w+, label="([^"\\\n]|\\.)*"(, style=dashed)?\];'
    r'|  [a-z]\d+ -> [a-z]\d+( \[label="(mirrors|describes)"\])?;'
)


def declare(repo: Path, description: str | None = "churn") -> None:
    """The registry file, and the card naming version 2 as its model package."""
    line = f"description: {json.dumps(description)}\n" if description is not None else ""
    (repo / "registry").mkdir(exist_ok=True)
    (repo / "registry" / f"{GROUP}.yaml").write_text(REGISTRY.format(description=line))
    card = repo / "cards" / f"{CARD}.yaml"
    text = card.read_text(encoding="utf-8")
    assert "\ncontent:\n" in text
    details = f"\ncontent:\n  model_package_details:\n    model_package_arn: {VERSION_2}\n"
    card.write_text(text.replace("\ncontent:\n", details, 1), encoding="utf-8")


def graph(cli: Cli, repo: Path, fmt: str, *more: str) -> str:
    result = cli("graph", "--repo", str(repo), "--format", fmt, *more)
    assert result.exit_code == 0, result.stderr
    text: str = result.stdout
    return text


def test_groups_and_versions_are_drawn_beside_the_cards_in_mermaid(
    cli: Cli, example_repo: Path
) -> None:
    declare(example_repo)
    lines = graph(cli, example_repo, "mermaid").splitlines()
    assert '  g1[("Churn-Models<br/>churn")]' in lines
    assert (
        '  v1("Churn-Models/2<br/>approval: PendingManualApproval<br/>stage: QA (InProgress)'
        '<br/>card: Draft")'
    ) in lines
    mirror = '  v2("Churn-Models/3<br/>approval: PendingManualApproval<br/>card: Draft")'
    assert mirror in lines  # the card it mirrors is a Draft
    edges = [line for line in lines if "-->" in line]
    assert edges == [
        "  c1 --> s1",
        "  c1 -->|describes| v1",
        "  g1 --> v1",
        "  g1 --> v2",
        "  s1 --> a1",
        "  s2 --> a3",
        "  s3 --> a2",
        "  v2 -->|mirrors| c1",
    ]


def test_dot_draws_the_same_groups_and_versions(cli: Cli, example_repo: Path) -> None:
    declare(example_repo)
    lines = graph(cli, example_repo, "dot").splitlines()
    assert '  g1 [shape=cylinder, label="Churn-Models\\nchurn"];' in lines
    assert (
        '  v2 [shape=box3d, label="Churn-Models/3\\napproval: PendingManualApproval\\n'
        'card: Draft"];'
    ) in lines
    assert '  c1 -> v1 [label="describes"];' in lines
    assert '  v2 -> c1 [label="mirrors"];' in lines
    assert "  g1 -> v1;" in lines


def test_json_lists_groups_and_versions_with_their_links(cli: Cli, example_repo: Path) -> None:
    declare(example_repo)
    body = conforms("graph", graph(cli, example_repo, "json"))
    assert body["groups"] == [
        {"name": GROUP, "description": "churn", "versions": [2, 3], "shares": []}
    ]
    assert body["versions"] == [
        {
            "group": GROUP,
            "version": 2,
            "approval": "PendingManualApproval",
            "stage": {"name": "QA", "status": "InProgress"},
            "card_status": "Draft",
            "mirrors": None,
            "described_by": [CARD],
        },
        {
            "group": GROUP,
            "version": 3,
            "approval": "PendingManualApproval",
            "stage": None,
            "card_status": "Draft",
            "mirrors": CARD,
            "described_by": [],
        },
    ]
    assert [s["groups"] for s in body["shares"]] == [[], [], []]


def test_a_card_naming_a_version_elsewhere_describes_nothing_here(
    cli: Cli, example_repo: Path
) -> None:
    """Another account's version of a group of the same name is not this group's."""
    declare(example_repo)
    card = example_repo / "cards" / f"{CARD}.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace(OWNER, "999999999999", 1))
    body = conforms("graph", graph(cli, example_repo, "json"))
    assert [v["described_by"] for v in body["versions"]] == [[], []]


def _hostile_lines_hold(mermaid: str, dot: str) -> None:
    """Each line is one statement the tool wrote; the description is one label's text."""
    assert [x for x in mermaid.splitlines() if not MERMAID_LINE.fullmatch(x)] == []
    assert [x for x in dot.splitlines() if not DOT_LINE.fullmatch(x)] == []
    assert not [x for x in mermaid.splitlines() if x.lstrip().startswith(("click", "x["))]
    group = [x for x in mermaid.splitlines() if x.startswith("  g1[")]
    assert group == [
        '  g1[("Churn-Models<br/>churn #quot;models#quot;]) --> x[#quot;pwned#quot;] click g1 '
        "call alert(1) #lt;img src=x onerror=alert(2)> #96;md#96; #35;quot; a\\#quot;b \\N }} "
        '{{ ;")]'
    ]


def test_a_hostile_group_description_in_git_stays_one_label(cli: Cli, example_repo: Path) -> None:
    declare(example_repo, HOSTILE)
    mermaid, dot = graph(cli, example_repo, "mermaid"), graph(cli, example_repo, "dot")
    _hostile_lines_hold(mermaid, dot)
    assert conforms("graph", graph(cli, example_repo, "json"))["groups"][0]["description"] == (
        HOSTILE
    )


@pytest.fixture
def registered(aws: Aws, card_account_env: str) -> list[str]:
    """A training pipeline's group, described by someone hostile, and three versions."""
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP, ModelPackageGroupDescription=HOSTILE)
    content = {"model_overview": {"model_creator": "pipeline"}}
    card = {"ModelCardContent": json.dumps(content), "ModelCardStatus": "Draft"}
    return [
        sm.create_model_package(ModelPackageGroupName=GROUP, ModelCard=card)["ModelPackageArn"]
        for _ in range(3)
    ]


def test_the_live_graph_after_apply_has_the_groups_and_versions_git_has(
    cli: Cli, example_repo: Path, registered: list[str]
) -> None:
    declare(example_repo, None)
    applied = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    git = conforms("graph", graph(cli, example_repo, "json"))
    live = conforms("graph", graph(cli, example_repo, "json", "--live"))
    assert live["source"] == "live"
    assert live["versions"] == git["versions"]
    assert [{**g, "description": None} for g in live["groups"]] == git["groups"]
    assert live["groups"][0]["description"] == HOSTILE  # AWS's, as AWS has it
    assert (live["cards"], live["shares"]) == (git["cards"], git["shares"])


def test_a_hostile_group_description_from_aws_stays_one_label(
    cli: Cli, example_repo: Path, registered: list[str]
) -> None:
    declare(example_repo, None)
    mermaid = graph(cli, example_repo, "mermaid", "--live")
    dot = graph(cli, example_repo, "dot", "--live")
    _hostile_lines_hold(mermaid, dot)
    # Before apply the live versions are as the pipeline registered them.
    assert '  v1("Churn-Models/2<br/>approval: PendingManualApproval<br/>card: Draft")' in (
        mermaid.splitlines()
    )


def test_a_plan_that_moves_a_version_has_no_sharing_picture(
    cli: Cli, example_repo: Path, registered: list[str]
) -> None:
    """The plan's picture is of who sees which card: a version's stage is in its change
    list only."""
    declare(example_repo, None)
    applied = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    registry = example_repo / "registry" / f"{GROUP}.yaml"
    registry.write_text(registry.read_text().replace("name: QA,", "name: Production,"))
    result = cli("plan", "--repo", str(example_repo), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert f"{GROUP}/2" in result.stdout
    assert "```mermaid" not in result.stdout


GROUP_PERMISSION = "AWSRAMPermissionSageMakerModelPackageGroup"
BOTH = f"AWSRAMPermissionSageMakerModelCards, {GROUP_PERMISSION}"


def select(repo: Path, share: str, approval: str) -> None:
    """Let the example share ``share`` take the group once a version has ``approval``."""
    path = repo / "shares" / f"{share}.yaml"
    path.write_text(
        path.read_text()
        + f"model_package_groups:\n  names: [{GROUP}]\n  approval: [{approval}]\n"
        + f"  permission: {GROUP_PERMISSION}\n"
    )


def test_a_group_is_drawn_into_the_shares_that_select_it(cli: Cli, example_repo: Path) -> None:
    """The test share selects the group by a PendingManualApproval version, prod's by an
    Approved one, which git does not declare yet."""
    declare(example_repo)
    select(example_repo, "churn-test", "PendingManualApproval")
    select(example_repo, "churn-prod", "Approved")
    lines = graph(cli, example_repo, "mermaid").splitlines()
    assert f'  s3(["churn-test<br/>{BOTH}"])' in lines
    assert "  g1 --> s3" in lines
    assert "  g1 --> s2" not in lines
    assert "  g1 -> s3;" in graph(cli, example_repo, "dot").splitlines()
    body = conforms("graph", graph(cli, example_repo, "json"))
    assert body["groups"][0]["shares"] == ["churn-test"]
    assert {s["name"]: s["groups"] for s in body["shares"]} == {
        "churn-dev": [],
        "churn-prod": [],
        "churn-test": [GROUP],
    }


def test_the_live_graph_after_apply_has_the_groups_shares_as_git_has_them(
    cli: Cli, example_repo: Path, registered: list[str]
) -> None:
    declare(example_repo, None)
    select(example_repo, "churn-test", "PendingManualApproval")
    # What the consumers see of shared groups is verify's (tests/apply/test_registry_shares).
    applied = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force", "--no-verify")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    git = conforms("graph", graph(cli, example_repo, "json"))
    live = conforms("graph", graph(cli, example_repo, "json", "--live"))
    assert live["groups"][0]["shares"] == ["churn-test"]  # by git's name, not the ARN's
    assert live["shares"] == git["shares"]
    assert f'  s3(["churn-test<br/>{BOTH}"])' in graph(cli, example_repo, "mermaid", "--live")
    planned = cli("plan", "--repo", str(example_repo), "--format", "markdown")
    assert planned.exit_code == 0, planned.stderr
    assert "```mermaid" not in planned.stdout  # git and live draw the same sharing
