"""The shipped schemas: valid against their metaschemas, compiled once, cross-referenced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import validators

from reconciler.load.yamlsource import load_text
from reconciler.validate.schemas import Kind, fast_validator, load_schema, schema_files, validator


@pytest.mark.parametrize("path", schema_files(), ids=lambda p: p.name)
def test_schema_is_valid_against_its_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text())
    validators.validator_for(schema).check_schema(schema)


def test_every_kind_has_its_schema_file() -> None:
    assert {p.name for p in schema_files()} == {k.value for k in Kind}


def test_validators_are_compiled_once_per_process() -> None:
    assert validator(Kind.CARD) is validator(Kind.CARD)
    assert load_schema(Kind.CONTENT) is load_schema(Kind.CONTENT)


def test_card_schema_applies_the_content_schema_through_its_reference() -> None:
    card = {"name": "a", "status": "Draft", "content": {"intended_uses": {"risk_rating": "x"}}}
    errors = list(validator(Kind.CARD).iter_errors(card))
    assert [list(e.absolute_path) for e in errors] == [["content", "intended_uses", "risk_rating"]]


def test_share_schema_reuses_the_card_tag_rules() -> None:
    share = {
        "name": "s",
        "principals": ["dev"],
        "cards": {"status": ["Draft"]},
        "permission": "p",
        "tags": {"k": "v" * 257},
    }
    errors = list(validator(Kind.SHARE).iter_errors(share))
    assert [e.validator for e in errors] == ["maxLength"]


# -- the compiled validator agrees with jsonschema -------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


def documents() -> list[tuple[str, Kind, object]]:
    """Every fixture document with its kind: content files and repository files."""
    found: list[tuple[str, Kind, object]] = [
        (str(p.relative_to(FIXTURES)), Kind.CONTENT, json.loads(p.read_text()))
        for p in sorted((FIXTURES / "content").rglob("*.json"))
    ]
    for path in sorted((FIXTURES / "repos").rglob("*.yaml")):
        kind = (
            Kind.CONFIG
            if path.name == "reconciler.yaml"
            else {"cards": Kind.CARD, "shares": Kind.SHARE}.get(path.parent.name)
        )
        doc = load_text(path.read_text(encoding="utf-8", errors="replace"), path.name).document
        if kind is not None and doc is not None:
            found.append((str(path.relative_to(FIXTURES)), kind, doc.data))
    return found


@pytest.mark.parametrize(("name", "kind", "data"), documents(), ids=lambda v: str(v)[:60])
def test_compiled_validator_agrees_with_jsonschema(name: str, kind: Kind, data: object) -> None:
    expected = not any(True for _ in validator(kind).iter_errors(data))
    assert fast_validator(kind)(data) == expected, name
