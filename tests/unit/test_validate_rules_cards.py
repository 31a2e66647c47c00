"""validate.rules.cards: file names, unique names, content size, tags, ignored paths and
cards that reconciler.yaml keeps out of git. Each row is a repository of a few files and
the diagnostics one rule finds in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reconciler.common.diagnostics import Diagnostic
from reconciler.validate.rules import cards
from reconciler.validate.rules.base import Rule, RuleInput
from tests.unit.builders import Found, example_config, found, rule_input


def card(name: str, *lines: str, content: str = "{model_overview: {model_owner: ana}}") -> str:
    """A card file of ``name``, with more top-level ``lines``, then its content."""
    return "\n".join([f"name: {name}", "status: Draft", *lines, f"content: {content}", ""])


def share(name: str) -> str:
    return f"name: {name}\nprincipals: [dev]\ncards: {{status: [Draft]}}\npermission: read-only\n"


def tags(count: int) -> str:
    return "tags: {" + ", ".join(f"t{i}: v" for i in range(count)) + "}"


UNMANAGED = example_config() + "unmanaged:\n  cards: [scratch-*, Legacy]\n"
A = "cards/A.yaml"

CASES = [
    pytest.param(cards.file_names_match, {A: card("A")}, None, [], id="file-named-after-its-card"),
    pytest.param(
        cards.file_names_match,
        {A: card("B"), "shares/s.yaml": share("t")},
        None,
        [
            Found(A, "$.name", "file-name", 1),
            Found("shares/s.yaml", "$.name", "file-name", 1),
        ],
        id="card-and-share-named-otherwise",
    ),
    pytest.param(
        cards.names_unique,
        {"cards/A.yaml": card("A"), "cards/B.yaml": card("A"), "cards/C.yaml": card("A")},
        None,
        [
            Found("cards/B.yaml", "$.name", "duplicate-name", 1),
            Found("cards/C.yaml", "$.name", "duplicate-name", 1),
        ],
        id="a-card-name-in-three-files-the-first-by-path-keeps-it",
    ),
    pytest.param(
        cards.names_unique,
        {"cards/A.yaml": card("A"), "shares/A.yaml": share("A")},
        None,
        [],
        id="a-card-and-a-share-may-share-a-name",
    ),
    pytest.param(
        cards.content_size,
        {A: card("A", content='{x: "' + "y" * 99_980 + '"}')},
        None,
        [],
        id="content-of-under-100000-characters",
    ),
    pytest.param(
        cards.content_size,
        {A: card("A", content='{x: "' + "y" * 100_000 + '"}')},
        None,
        [Found(A, "$.content", "content-size", 3)],
        id="content-of-over-100000-characters",
    ),
    pytest.param(cards.tags_valid, {A: card("A", tags(48))}, None, [], id="48-tags-fit"),
    pytest.param(
        cards.tags_valid,
        {A: card("A", tags(49))},
        None,
        [Found(A, "$.tags", "tags", 3)],
        id="49-tags-leave-no-room-for-the-ownership-tags",
    ),
    pytest.param(
        cards.tags_valid,
        {A: card("A", "tags: {aws:x: v, AWS:y: v}")},
        None,
        [Found(A, "$.tags['aws:x']", "tags", 3), Found(A, "$.tags['AWS:y']", "tags", 3)],
        id="the-aws-prefix-in-any-case",
    ),
    pytest.param(
        cards.tags_valid,
        {A: card("A", "tags: {managed-by: me, reconciler-source: x}")},
        None,
        [
            Found(A, "$.tags.managed-by", "tags", 3),
            Found(A, "$.tags.reconciler-source", "tags", 3),
        ],
        id="the-ownership-tag-keys",
    ),
    pytest.param(
        cards.tags_valid,
        {A: card("A", 'tags: {"a#b": ok, c: "d!", "k v_.:/=+-@": "é 1"}')},
        None,
        [Found(A, "$.tags['a#b']", "tags", 3), Found(A, "$.tags.c", "tags", 3)],
        id="characters-aws-refuses-in-keys-and-values",
    ),
    pytest.param(
        cards.tags_valid,
        {"shares/s.yaml": share("s") + "tags: {aws:x: v}\n"},
        None,
        [Found("shares/s.yaml", "$.tags['aws:x']", "tags", 5)],
        id="share-tags-too",
    ),
    pytest.param(
        cards.ignore_paths_valid,
        {A: card("A", "ignore: [evaluation_details, model_overview.model_owner]")},
        None,
        [],
        id="ignored-paths-that-are-content-fields",
    ),
    pytest.param(
        cards.ignore_paths_valid,
        {A: card("A", "ignore: [model_overview.model_ownr, nothing_like_it, a.b.c]")},
        None,
        [
            Found(A, "$.ignore[0]", "ignore-path", 3),
            Found(A, "$.ignore[1]", "ignore-path", 3),
            Found(A, "$.ignore[2]", "ignore-path", 3),
        ],
        id="paths-that-are-not",
    ),
    pytest.param(
        cards.not_kept_out_of_git,
        {"cards/scratch-1.yaml": card("scratch-1"), "cards/Legacy.yaml": card("Legacy")},
        UNMANAGED,
        [
            Found("cards/scratch-1.yaml", "$.name", "unmanaged-listed", 1),
            Found("cards/Legacy.yaml", "$.name", "unmanaged-listed", 1),
        ],
        id="cards-unmanaged-cards-names",
    ),
    pytest.param(
        cards.not_kept_out_of_git,
        {"cards/scratch.yaml": card("scratch"), "cards/legacy.yaml": card("legacy")},
        UNMANAGED,
        [],
        id="patterns-match-whole-names-with-case",
    ),
]


@pytest.mark.parametrize(("rule", "files", "config", "expected"), CASES)
def test_rule(rule: Rule, files: dict[str, str], config: str | None, expected: list[Found]) -> None:
    assert found(rule(rule_input(files, config))) == expected


def messages(rule: Rule, data: RuleInput) -> list[str]:
    found: Iterator[Diagnostic] = rule(data)
    return [d.message for d in found]


def test_a_misnamed_file_says_both_ways_to_fix_it() -> None:
    (message,) = messages(cards.file_names_match, rule_input({A: card("B")}))
    assert message == (
        "name 'B' does not match the file name 'A': rename the file to B.yaml or change the name"
    )


def test_a_duplicate_name_names_the_file_that_has_it_first() -> None:
    data = rule_input({"cards/B.yaml": card("A"), "cards/A.yaml": card("A")})
    (message,) = messages(cards.names_unique, data)
    assert "also declared in cards/A.yaml" in message


def test_the_tag_limit_counts_the_ownership_tags_reconciler_yaml_names() -> None:
    (message,) = messages(cards.tags_valid, rule_input({A: card("A", tags(49))}))
    assert message.startswith("has 49 tags; at most 48 allowed (2 of AWS's 50")


def test_a_mistyped_ignore_path_gets_the_field_it_is_close_to() -> None:
    data = rule_input({A: card("A", "ignore: [model_overview.model_ownr, nothing_like_it]")})
    close, far = messages(cards.ignore_paths_valid, data)
    assert close.endswith(": did you mean 'model_overview.model_owner'?")
    assert far == "'nothing_like_it' is not a field of model card content"


def test_an_unmanaged_pattern_is_named_in_its_message() -> None:
    data = rule_input({"cards/scratch-1.yaml": card("scratch-1")}, UNMANAGED)
    (message,) = messages(cards.not_kept_out_of_git, data)
    assert "('scratch-*' under unmanaged.cards)" in message


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(cards.tags_valid, [Found(A, "$.tags['aws:x']", "tags", 3)], id="tags"),
        pytest.param(cards.not_kept_out_of_git, [], id="unmanaged"),
    ],
)
def test_without_a_valid_reconciler_yaml_the_card_rules_run_without_it(
    rule: Rule, expected: list[Found]
) -> None:
    """A broken reconciler.yaml is reported on its own; the rules about cards do not fail."""
    data = rule_input({A: card("A", "tags: {aws:x: v}")})
    without = RuleInput(
        config=None,
        config_doc=None,
        cards=data.cards,
        shares=data.shares,
        documents=data.documents,
        all_card_names=data.all_card_names,
    )
    assert found(rule(without)) == expected
