"""workflows.yamlwrite: YAML written for people. New files in block style, with
multi-line text as literal blocks and long text folded; every write reads back, with the
loader, as the data intended (YAML 1.1 words such as ``no`` stay strings); edits of an
existing file change only what differs and keep its comments."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from reconciler.common.errors import ReconcilerError
from reconciler.load.yamlsource import load_text
from reconciler.workflows.yamlwrite import (
    check_reads_back,
    dump,
    load_roundtrip,
    plain,
    styled,
    update,
)

LONG = "word " * 20 + "end"


def read(text: str) -> Any:
    loaded = load_text(text, "written.yaml")
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document.data


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(["no", "on", "yes", "off", "y", "n", "null", "~"], id="yaml-1.1-words"),
        pytest.param(["0123", "1e3", "0x1F", "12:30", "2026-01-01", ".inf"], id="number-like-text"),
        pytest.param([1, 2.5, True, None, ""], id="scalars"),
        pytest.param({"n": 1, "no": {"on": "off"}}, id="keys-that-are-yaml-words"),
        pytest.param(["  leading", "trailing  ", "a  b", "#hash", "- dash", "x: y"], id="awkward"),
        pytest.param(["line one\nline two\n", "no newline\nat end", "tab\there"], id="lines"),
        pytest.param([LONG, "é ünïcode “quotes”"], id="long-and-unicode"),
    ],
)
def test_every_write_reads_back_as_the_data(value: Any) -> None:
    data = {"name": "A", "value": value}
    assert read(dump(styled(data))) == data


def test_a_new_file_is_in_block_style_with_its_header_and_no_directive() -> None:
    text = dump(styled({"name": "A", "tags": {"team": "ml"}, "list": ["x"]}), "# header\n")
    assert text == "# header\nname: A\ntags:\n  team: ml\nlist:\n  - x\n"


def test_multi_line_text_is_a_literal_block_and_long_text_is_folded() -> None:
    text = dump(styled({"a": "one\ntwo\n", "b": LONG}))
    assert text.startswith("a: |\n  one\n  two\nb: >-\n  word word")
    folded = text.split("b: >-\n")[1].splitlines()
    assert len(folded) == 2, "folded near 100 characters (ruamel's soft width)"


STYLES = [
    pytest.param("one\ntwo", LiteralScalarString, id="lines"),
    pytest.param("one\n", str, id="one-line-with-its-newline"),
    pytest.param(LONG, FoldedScalarString, id="long"),
    pytest.param("x" * 80, str, id="80-characters-stay-plain"),
    pytest.param(LONG.replace(" ", "  ", 1), str, id="long-with-double-spaces"),
    pytest.param("one \ntwo", str, id="lines-with-trailing-spaces"),
    pytest.param(" one\ntwo", str, id="a-leading-space"),
]


@pytest.mark.parametrize(("text", "kind"), STYLES)
def test_styled_text(text: str, kind: type) -> None:
    found = styled(text)
    assert type(found) is kind
    assert found == text


def test_styled_containers_are_ruamels_commented_ones() -> None:
    found = styled({"a": [{"b": 1}]})
    assert isinstance(found, CommentedMap)
    assert isinstance(found["a"], CommentedSeq)
    assert plain(found) == {"a": [{"b": 1}]}
    assert type(plain(found)) is dict and type(plain(found)["a"]) is list


def test_text_that_would_not_read_back_is_refused() -> None:
    with pytest.raises(ReconcilerError, match="does not read back as intended"):
        check_reads_back("a: 1\n", {"a": "1"})
    with pytest.raises(ReconcilerError):
        check_reads_back("a: [\n", {"a": []})


CARD = """\
# The churn card.
name: Churn
content:
  model_overview:
    model_owner: ana      # who answers questions
    model_creator: 'team'
  intended_uses:
    risk_rating: Low
  metrics: [1, 2]
"""


def edited(new_content: dict[str, Any]) -> str:
    doc = load_roundtrip(CARD)
    doc["content"] = update(doc["content"], new_content)
    return dump(doc, keep_lines=True)


CONTENT = read(CARD)["content"]


def test_an_edit_changes_only_what_differs_and_keeps_comments_and_quotes() -> None:
    new = {**CONTENT, "model_overview": {"model_owner": "bob", "model_creator": "team"}}
    assert edited(new) == CARD.replace("model_owner: ana ", "model_owner: bob ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"metrics": [1, 3]}, CARD.replace("[1, 2]", "[1, 3]"), id="a-list-item-in-place"
        ),
        pytest.param(
            {"metrics": [1, 2, 3]},
            CARD.replace("  metrics: [1, 2]\n", "  metrics:\n    - 1\n    - 2\n    - 3\n"),
            id="a-list-of-another-length-is-written-anew",
        ),
        pytest.param(
            {"intended_uses": {"risk_rating": "Low", "purpose": "retention"}},
            CARD.replace("risk_rating: Low\n", "risk_rating: Low\n    purpose: retention\n"),
            id="a-new-key-goes-last",
        ),
        pytest.param(
            {"metrics": "1, 2"}, CARD.replace("[1, 2]", "1, 2"), id="another-type-is-written-anew"
        ),
    ],
)
def test_an_edit(change: dict[str, Any], expected: str) -> None:
    assert edited({**CONTENT, **change}) == expected


def test_a_key_gone_from_the_data_goes_from_the_file() -> None:
    new = {k: v for k, v in CONTENT.items() if k != "intended_uses"}
    assert edited(new) == CARD.replace("  intended_uses:\n    risk_rating: Low\n", "")


def test_an_unchanged_file_is_written_back_byte_for_byte() -> None:
    assert edited(CONTENT) == CARD


def test_edits_keep_long_lines_as_they_are() -> None:
    line = "x" * 150
    doc = load_roundtrip(f"a: {line}\nb: 1\n")
    doc["b"] = 2
    assert dump(doc, keep_lines=True) == f"a: {line}\nb: 2\n"
