"""Word-level diffs of long text values, and IDs shown by name, in the renderers."""

from __future__ import annotations

import pytest

from reconciler.render.labels import labelled, labelled_text
from reconciler.render.worddiff import LONG, diff_block, inline, is_long, runs

BEFORE = "Not validated for business customers. " * 4 + "Use with care."
AFTER = "Not validated for business customers. " * 4 + "Use with great care."


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param("a" * LONG, "b" * LONG, False, id="short"),
        pytest.param("a" * (LONG + 1), "b", True, id="one-side-long"),
        pytest.param("line one\nline two", "line one", True, id="line-break"),
        pytest.param(["a" * 200], "b" * 200, False, id="not-text"),
    ],
)
def test_long_means_over_the_limit_or_multiline(
    before: object, after: object, expected: bool
) -> None:
    assert is_long(before, after) is expected


def test_runs_name_only_the_words_that_changed() -> None:
    assert [r for r in runs(BEFORE, AFTER) if r[0] != "="] == [("+", "great")]


def test_inline_marks_words_without_colour_and_colours_them_with_it() -> None:
    assert inline("keep old words", "keep new words", None) == "keep [-old-]{+new+} words"
    painted = inline("keep old words", "keep new words", lambda t, k: f"<{k}{t}>")
    assert painted == "keep <-old><+new> words"


def test_markdown_block_shortens_unchanged_context() -> None:
    block = diff_block(BEFORE, AFTER)
    assert block[0] == "```diff" and block[-1] == "```"
    assert block[1] == "  … validated for business customers. Use with"
    assert block[2:4] == ["+ great", "  care."]


def test_labels_name_ids_but_never_touch_content() -> None:
    names = {"222222222222": "dev (222222222222)"}
    assert labelled("$.principals", ["222222222222"], names) == ["dev (222222222222)"]
    assert labelled("$.content.x", "222222222222", names) == "222222222222"
    assert labelled_text("invitation sent to 222222222222", names) == (
        "invitation sent to dev (222222222222)"
    )
    assert labelled_text("'dev' (222222222222)", names) == "'dev' (222222222222)"


def test_an_id_in_parentheses_is_named_once() -> None:
    names = {"222222222222": "dev (222222222222)"}
    assert labelled_text("outside the Organization (222222222222)", names) == (
        "outside the Organization (dev (222222222222))"
    )
    assert labelled_text("to dev (222222222222)", names) == "to dev (222222222222)"


def test_a_full_stop_after_an_arn_stays() -> None:
    arn = "arn:aws:sagemaker:us-east-1:111111111111:model-card/A"
    assert labelled_text(f"created {arn}.", {arn: "A"}) == "created A."
    assert labelled_text("unknown arn:aws:x.", {arn: "A"}) == "unknown arn:aws:x."
