"""validate.schema_check: each schema error of a document as a sentence saying what is
wrong and what would be right, placed on the value (or key) at fault. Each row is one
document and the problems it has, in position order."""

from __future__ import annotations

import pytest

from reconciler.common.diagnostics import Position
from reconciler.validate.schema_check import check
from reconciler.validate.schemas import Kind
from tests.unit.builders import ROOT, document

STATUSES = "Draft, PendingReview, Approved, Archived"
CARD_FIELDS = (
    "content, gate_exceptions, ignore, kms_key_id, name, previous_names, status, tags, targets"
)
CONFIG_HEAD = "region: us-east-1\ncard_account: {id: '111111111111'}\n"


def card(*lines: str, name: str = "A", status: str = "Draft") -> str:
    return "\n".join([f"name: {name}", f"status: {status}", "content: {}", *lines]) + "\n"


Problem = tuple[Position, str, str]  # where, JSON path, message
CASES: list[object] = [
    pytest.param(Kind.CARD, card(), [], id="a-valid-card"),
    pytest.param(
        Kind.CARD,
        "name: A\n",
        [
            (Position(1, 1), "$", "missing required field 'content'"),
            (Position(1, 1), "$", "missing required field 'status'"),
        ],
        id="every-missing-field-at-the-top",
    ),
    pytest.param(
        Kind.CARD,
        card("stauts: Draft"),
        [(Position(4, 1), "$.stauts", "unknown field 'stauts': did you mean 'status'?")],
        id="a-mistyped-field-on-its-key",
    ),
    pytest.param(
        Kind.CARD,
        card("zzzzz: 1"),
        [(Position(4, 1), "$.zzzzz", f"unknown field 'zzzzz'; allowed here: {CARD_FIELDS}")],
        id="an-unknown-field-lists-the-allowed-ones",
    ),
    pytest.param(
        Kind.CARD,
        card(status="approved"),
        [
            (
                Position(2, 9),
                "$.status",
                f"'approved' is not allowed: did you mean 'Approved'? (one of {STATUSES})",
            )
        ],
        id="a-value-close-to-an-allowed-one",
    ),
    pytest.param(
        Kind.CARD,
        card(status="Zzz"),
        [(Position(2, 9), "$.status", f"'Zzz' is not allowed; use one of: {STATUSES}")],
        id="a-value-far-from-every-allowed-one",
    ),
    pytest.param(
        Kind.CARD,
        card(name="12"),
        [
            (
                Position(1, 7),
                "$.name",
                "expected a string, got int 12: quote the value so YAML keeps it as text",
            )
        ],
        id="a-number-where-text-is-expected",
    ),
    pytest.param(
        Kind.CARD,
        card("kms_key_id: yes"),
        [
            (
                Position(4, 13),
                "$.kms_key_id",
                "expected a string, got boolean true: "
                "YAML reads yes/no/on/off/true/false as booleans, so quote the value",
            )
        ],
        id="a-yaml-boolean-where-text-is-expected",
    ),
    pytest.param(
        Kind.CARD,
        card("tags:"),
        [(Position(4, 6), "$.tags", "expected a mapping, got nothing (empty value)")],
        id="an-empty-value",
    ),
    pytest.param(
        Kind.CARD,
        card(name="-A"),
        [
            (
                Position(1, 7),
                "$.name",
                "'-A' does not match the pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
            )
        ],
        id="a-pattern",
    ),
    pytest.param(
        Kind.CARD,
        card("tags: {" + ", ".join(f"t{i}: v" for i in range(51)) + "}"),
        [(Position(4, 7), "$.tags", "has 51 entries; at most 50 allowed")],
        id="too-many-entries",
    ),
    pytest.param(
        Kind.CARD,
        card("tags: {" + "k" * 129 + ": v}"),
        [
            (
                Position(4, 8),
                "$.tags." + "k" * 129,
                "key '" + "k" * 56 + "...: has 129 characters; at most 128 allowed",
            )
        ],
        id="a-key-too-long-on-the-key-shortened",
    ),
    pytest.param(
        Kind.SHARE,
        "name: s\nprincipals: [a, a]\ncards: {}\npermission: p\n",
        [
            (Position(2, 13), "$.principals", "has duplicate items: list each value once"),
            (Position(3, 8), "$.cards", "must not be empty"),
        ],
        id="duplicates-and-an-empty-mapping",
    ),
    pytest.param(
        Kind.SHARE,
        "name: s\nprincipals: []\ncards: {status: [Draft]}\npermission: ''\n",
        [
            (Position(2, 13), "$.principals", "must not be empty"),
            (Position(4, 13), "$.permission", "must not be empty"),
        ],
        id="an-empty-list-and-empty-text",
    ),
    pytest.param(
        Kind.CONFIG,
        CONFIG_HEAD + "safety: {max_update_percent: 150}\napply: {parallelism: 0}\n",
        [
            (Position(3, 30), "$.safety.max_update_percent", "150 is above the maximum 100"),
            (Position(4, 22), "$.apply.parallelism", "0 is below the minimum 1"),
        ],
        id="numbers-out-of-range",
    ),
    pytest.param(
        Kind.CONFIG,
        CONFIG_HEAD + "accounts: {9dev: {id: '222222222222'}}\n",
        [
            (
                Position(3, 12),
                "$.accounts.9dev",
                "key '9dev': '9dev' does not match the pattern ^[A-Za-z][A-Za-z0-9_-]{0,63}$",
            )
        ],
        id="a-key-that-is-not-a-name",
    ),
]


@pytest.mark.parametrize(("kind", "text", "expected"), CASES)
def test_check(kind: Kind, text: str, expected: list[Problem]) -> None:
    found = check(document("f.yaml", text), kind)
    assert [(d.position, d.path, d.message) for d in found] == expected
    assert {(d.file, d.code) for d in found} <= {("f.yaml", "schema")}


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (Kind.CONFIG, "reconciler.yaml"),
        (Kind.CARD, "cards/Customer-Churn-Model-Card.yaml"),
        (Kind.SHARE, "shares/churn-dev.yaml"),
    ],
    ids=["config", "card", "share"],
)
def test_the_example_files_are_valid(kind: Kind, path: str) -> None:
    assert check(document(path, (ROOT / path).read_text(encoding="utf-8")), kind) == []


def test_content_that_matches_no_alternative_counts_the_other_alternatives() -> None:
    """A metric must be one of four kinds; this one has neither type nor value. The best
    match is explained, and the other three kinds are counted: not the seven other
    errors, which are the same two missing fields of each kind."""
    text = card().replace(
        "content: {}",
        "content: {evaluation_details: [{name: e, metric_groups: "
        "[{name: g, metric_data: [{name: m}]}]}]}",
    )
    (found,) = check(document("f.yaml", text), Kind.CARD)
    assert found.path == "$.content.evaluation_details[0].metric_groups[0].metric_data[0]"
    assert found.message == "missing required field 'type' (and 3 other ways it could match)"
