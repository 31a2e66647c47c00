"""render.targets: one report of several targets, byte for byte."""

from __future__ import annotations

import json

from reconciler.render.targets import GROUPED, TargetSection

SECTIONS = [
    TargetSection(name="eu", account="111111111111", region="eu-west-1", body="No changes.\n"),
    TargetSection(name="us", account="555555555555", region="us-east-1", error="wrong account"),
]


def test_text() -> None:
    assert GROUPED.get("text")(SECTIONS) == (
        "=== target eu (account 111111111111, eu-west-1) ===\nNo changes.\n\n"
        "=== target us (account 555555555555, us-east-1) ===\nerror: wrong account\n\n"
        "2 targets; failed: us\n"
    )


def test_markdown() -> None:
    assert GROUPED.get("markdown")(SECTIONS) == (
        "## Target `eu` (account 111111111111, eu-west-1)\n\nNo changes.\n\n"
        "## Target `us` (account 555555555555, us-east-1)\n\n**Failed:** wrong account\n\n"
        "_2 targets; failed: us_\n"
    )


def test_json_nests_each_report() -> None:
    ok = TargetSection(name="eu", account="1", region="r", body='{"drift": false}')
    document = json.loads(GROUPED.get("json")([ok, SECTIONS[1]]))
    assert document["format_version"] == "1"
    assert [(t["name"], t["report"], t["error"]) for t in document["targets"]] == [
        ("eu", {"drift": False}, None),
        ("us", None, "wrong account"),
    ]
