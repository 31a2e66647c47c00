"""A hostile card through `plan --format markdown` and `drift --format markdown`.

Git's description holds a fenced code line; a consumer in dev rewrites the words around
the fence and appends ``<!--`` (the reproduction of issue 22), adds ``<details>``, a
heading, a link and @mentions, and writes 64 KB of one line; the card account's console
adds a tag and takes dev out of a share. Both comments must still show every change and
end with their footer: parsed with markdown-it (CommonMark plus GitHub's tables), the only
HTML comment is the reconciler's marker, the only HTML blocks are the reconciler's own
``<details>``, there is no link and no live @mention, and each long text sits whole in
one fenced block. Golden files pin the bytes (times and session names masked); run with
UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

CARD = "Customer-Churn-Model-Card"
OWNER, DEV = "111111111111", "222222222222"
CARD_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"
GOLDEN = Path(__file__).parent / "golden" / "hostile"
Cli = Callable[..., Any]

GIT_DESCRIPTION = (
    "Scores weekly with\n```\nmodel.predict(frame)\n```\nfor the retention team, @retention-leads."
)
LIVE_DESCRIPTION = (
    "Scores daily with\n```\nmodel.predict(frame)\n```\nfor everyone. <!--\n"
    "<details><summary>@octocat approved</summary>\n# Looks good\n"
    "[Approve here](https://evil.example/approve)\n"
)
LIVE_OWNER = "@octocat <!-- [owner](https://evil.example) `x` | y"
ONE_LINE = "x" * 65_536


@pytest.fixture
def hostile(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any], sandbox: Any
) -> Path:
    card = example_repo / "cards" / f"{CARD}.yaml"
    described = "    model_description: |-\n" + "".join(
        f"      {line}\n" for line in GIT_DESCRIPTION.splitlines()
    )
    text = re.sub(r"    model_description: .*\n", lambda _: described, card.read_text())
    card.write_text(text)
    applied = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    sandbox.advance(2)  # CloudTrail times are to the second: later than the apply's
    _consumer_edit(aws)
    _console_edit(aws)
    sandbox.advance(5)  # dev's disassociation settles: the golden files show DISASSOCIATED
    return example_repo


def _consumer_edit(aws: Callable[..., Any]) -> None:
    sagemaker = aws("sagemaker", DEV, role="DataScientist")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD_ARN)["Content"])
    overview = content["model_overview"]
    overview["model_description"], overview["model_owner"] = LIVE_DESCRIPTION, LIVE_OWNER
    content["additional_information"]["caveats_and_recommendations"] = ONE_LINE
    sagemaker.update_model_card(ModelCardName=CARD_ARN, Content=json.dumps(content))


def _console_edit(aws: Callable[..., Any]) -> None:
    sagemaker, ram = aws("sagemaker"), aws("ram")
    sagemaker.add_tags(ResourceArn=CARD_ARN, Tags=[{"Key": "note", "Value": "@octocat"}])
    share = ram.get_resource_shares(resourceOwner="SELF", name="churn-dev")["resourceShares"][0]
    ram.disassociate_resource_share(resourceShareArn=share["resourceShareArn"], principals=[DEV])


def _parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def _inline_text(tokens: list[Token]) -> str:
    """The text a reader sees outside fenced blocks (code spans included)."""
    return "\n".join(
        child.content
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type in ("text", "code_inline")
    )


def _check_structure(markdown: str, marker: str, addresses: list[str], footer: str) -> None:
    tokens = _parse(markdown)
    blocks = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert blocks[0] == marker
    assert all(b.startswith(("<details><summary>", "</details>")) for b in blocks[1:]), blocks
    inline_html = [c.content for t in tokens for c in t.children or [] if c.type == "html_inline"]
    assert set(inline_html) <= {"<code>", "</code>", "<sub>", "</sub>"}, inline_html
    assert not [c for t in tokens for c in t.children or [] if c.type == "link_open"]
    seen = _inline_text(tokens)
    assert not re.search(r"@[\w-]", seen), "an @mention from live or git text"
    fences = [t.content for t in tokens if t.type == "fence"]
    assert [f for f in fences if "model.predict(frame)" in f and "<!--" in f]
    assert all(a in seen for a in addresses), addresses
    assert [t for t in tokens if t.type == "inline"][-1].content.startswith(footer)


def _golden(name: str, rendered: str) -> None:
    masked = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(?:\+00:00|Z)?", "<time>", rendered)
    masked = re.sub(r"(assumed-role/\w+/)[\w.@-]+", r"\1<session>", masked)
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(masked, encoding="utf-8")
    assert masked == golden.read_text(encoding="utf-8")


def test_hostile_card_cannot_restructure_the_plan_comment(cli: Cli, hostile: Path) -> None:
    result = cli("plan", "--repo", str(hostile), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    addresses = [f"card.{CARD}", "share.churn-dev"]
    _check_structure(result.stdout, "<!-- modelcard-reconciler:plan -->", addresses, "End of plan")
    assert len(result.stdout) < 65_536
    _golden("plan.md", result.stdout)


def test_hostile_card_cannot_restructure_the_drift_issue(cli: Cli, hostile: Path) -> None:
    result = cli("drift", "--repo", str(hostile), "--format", "markdown")
    assert result.exit_code == 2, result.stderr
    addresses = [f"card.{CARD}", "share.churn-dev"]
    marker = "<!-- modelcard-reconciler:drift -->"
    _check_structure(result.stdout, marker, addresses, "End of drift report")
    assert result.stdout.count("\n#### `") == 3  # content, tags, the share: every difference
    _golden("drift.md", result.stdout)
