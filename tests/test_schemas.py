"""The shipped schemas: valid against their metaschemas, compiled once, cross-referenced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import validators

from reconciler.load.schemas import Kind, load_schema, schema_files, validator


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
