"""Values from git and AWS stay data in every Markdown rendering (issue 22).

Each test renders a report whose values attack the comment's structure, parses the result
as GitHub would (CommonMark plus tables, with markdown-it) and checks the structure the
reconciler wrote is the only structure there is.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reconciler.apply.report import ApplyReport, Step, StepStatus
from reconciler.common.diagnostics import START, Diagnostic
from reconciler.plan.actions import Action, Reason
from reconciler.plan.address import Address
from reconciler.plan.model import Change, FieldChange, Plan
from reconciler.plan.payloads import ChangeMembers, MemberKind, UpdateContent
from reconciler.render.apply import REPORTS
from reconciler.render.apply_report import RunReport
from reconciler.render.drift import DRIFT
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.render.targets import GROUPED, TargetSection
from reconciler.render.worddiff import diff_block
from reconciler.reports.drift import DriftItem, DriftReport

# The reproduction: git's description, and a consumer's edit around its fence line.
GIT = "Scores weekly with\n```\nmodel.predict(frame)\n```\nfor the retention team."
LIVE = "Scores daily with\n```\nmodel.predict(frame)\n```\nfor everyone. <!--"
HOSTILE = "@octocat <!-- <details> [x](https://evil.example) `a` | b \\| # h"
CONTEXT = {"account": "111111111111", "region": "us-east-1"}


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def children(tokens: list[Token]) -> list[Token]:
    return [c for t in tokens for c in t.children or []]


def visible(tokens: list[Token]) -> str:
    return " ".join(c.content for c in children(tokens) if c.type in ("text", "code_inline"))


def content_change(address: str = "A") -> Change:
    return Change(
        address=Address.card(address),
        action=Action.UPDATE_CONTENT,
        reason=Reason.CONTENT_DIFFERS,
        detail=f"content differs from git (last modified by {HOSTILE})",
        fields=(FieldChange("$.content.model_overview.model_description", LIVE, GIT),),
        payload=UpdateContent(name=address, arn=f"arn:{address}", content={}),
    )


def share_change() -> Change:
    return Change(
        address=Address.share("s"),
        action=Action.ASSOCIATE_PRINCIPALS,
        reason=Reason.MEMBERS_MISSING,
        detail="1 principal to add",
        fields=(FieldChange("$.principals", after="222222222222"),),
        payload=ChangeMembers(
            share_arn="arn:s", kind=MemberKind.PRINCIPAL, entities=("222222222222",)
        ),
    )


def test_a_fence_line_in_the_text_cannot_close_the_word_diff() -> None:
    tokens = parse("\n".join(diff_block(LIVE, GIT)) + "\n\nafter\n")
    [fence] = [t for t in tokens if t.type == "fence"]
    assert "<!--" in fence.content and "model.predict(frame)" in fence.content
    assert not [t for t in tokens if t.type == "html_block"]
    assert tokens[-2].content == "after"


def test_one_long_line_is_shortened_in_the_word_diff() -> None:
    block = diff_block("x" * 65_536, "y")
    assert max(len(line) for line in block) < 400
    assert "65,2" in block[1] and "more characters" in block[1]


def test_a_plan_comment_shows_every_change_after_a_hostile_one() -> None:
    plan = Plan(changes=(content_change(), share_change()), context=CONTEXT)
    markdown = PLANS.get("markdown")(PlanReport(plan=plan))
    tokens = parse(markdown)
    blocks = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert blocks[0] == "<!-- modelcard-reconciler:plan -->"
    assert [b for b in blocks[1:] if not b.startswith(("<details><summary>", "</details>"))] == []
    assert "share.s" in visible(tokens) and "card.A" in visible(tokens)
    assert not [c for c in children(tokens) if c.type == "link_open"]
    assert not re.search(r"@\w", visible(tokens))
    assert [t for t in tokens if t.type == "inline"][-1].content.startswith("End of plan")


def test_a_drift_issue_shows_every_difference_after_a_hostile_one() -> None:
    items = (
        DriftItem(
            address="card.A",
            kind="content",
            summary=f"content edited outside git {HOSTILE}",
            fields=(FieldChange("$.content.model_overview.model_description", LIVE, GIT),),
        ),
        DriftItem(address="share.s", kind="share_principals", summary="gone"),
    )
    markdown = DRIFT.get("markdown")(DriftReport(items=items, context=CONTEXT))
    tokens = parse(markdown)
    assert [t.content.strip() for t in tokens if t.type == "html_block"] == [
        "<!-- modelcard-reconciler:drift -->"
    ]
    assert len([t for t in tokens if t.type == "heading_open"]) == 3
    assert "share.s" in visible(tokens)
    assert not re.search(r"@\w", visible(tokens))
    assert [t for t in tokens if t.type == "inline"][-1].content.startswith("End of drift report")


def test_an_apply_summary_escapes_what_aws_said() -> None:
    step = Step(
        address=Address.card("A"),
        action=Action.EXPORT_CARD,
        status=StepStatus.FAILED,
        error_code="ValidationException",
        error_message=f"{HOSTILE}\n# Heading",
    )
    blocked = Diagnostic(file="cards/A.yaml", position=START, path="$", message=HOSTILE, code="x")
    report = ApplyReport(checksum="sha256:x", steps=(step,), blocked=(blocked,), context=CONTEXT)
    tokens = parse(REPORTS.get("markdown")(RunReport(kind="apply", apply=report)))
    assert not [t for t in tokens if t.type in ("html_block", "heading_open", "link_open")][1:]
    assert not [c for c in children(tokens) if c.type in ("html_inline", "link_open")]
    assert not re.search(r"@\w", visible(tokens))
    assert "ValidationException: @" in visible(tokens)


def test_a_failed_target_shows_its_error_as_text() -> None:
    section = TargetSection(name="prod", account="444444444444", region="us-east-1", error=HOSTILE)
    tokens = parse(GROUPED.get("markdown")([section]))
    assert not [c for c in children(tokens) if c.type in ("html_inline", "link_open")]
    assert not re.search(r"@\w", visible(tokens))


def test_the_escapes_show_the_value_exactly() -> None:
    from reconciler.render.markdown import code, code_span, fenced, text

    for render in (text, code):
        [paragraph] = [t for t in parse(render(HOSTILE)) if t.type == "inline"]
        shown = "".join(c.content for c in paragraph.children or [] if c.type == "text")
        assert shown.replace("\u200b", "") == HOSTILE
    assert code_span("a ``` b") == "````a ``` b````"
    assert fenced(["```", "````x"], "diff") == ["`````diff", "```", "````x", "`````"]
