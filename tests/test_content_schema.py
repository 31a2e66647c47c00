"""Tests for schema/model-card-content.schema.json, the model card content schema.

Valid examples live in tests/fixtures/content/valid/*.json. Invalid examples live in
tests/fixtures/content/invalid/*.json, each with a sibling ``<name>.expect`` file:

    path: $.evaluation_details[0].name
    message: is too long

The invalid example must fail with an error at exactly that JSON path whose message contains
that fragment, and every other error must be at that path or at one of its ancestors (so the
example fails for the stated reason only).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT7

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = REPO_ROOT / "schema" / "model-card-content.schema.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content"
VALID_DIR = FIXTURES / "valid"
INVALID_DIR = FIXTURES / "invalid"

UPSTREAM_COMMIT = "3203e4996219799e7fcad214c7925ffd8594da1f"

# Every keyword of the draft-07 core, validation and annotation vocabularies.
DRAFT7_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$ref", "$comment",
        "title", "description", "default", "readOnly", "writeOnly", "examples",
        "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern",
        "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains",
        "maxProperties", "minProperties", "required", "additionalProperties", "definitions",
        "properties", "patternProperties", "dependencies", "propertyNames",
        "const", "enum", "type", "format", "contentMediaType", "contentEncoding",
        "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
    }
)  # fmt: skip
# Non-standard annotation kept from the upstream schema, allowed at the root only.
ROOT_EXTRA_KEYWORDS = frozenset({"version"})
# Keywords that may sit next to "$ref": draft-07 ignores every sibling of "$ref", so only
# annotations that carry no validation meaning are acceptable there.
REF_SIBLINGS_ALLOWED = frozenset({"$ref", "description", "title", "$comment"})


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded = _load(SCHEMA_PATH)
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator(schema)


def _subschemas(node: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (JSON pointer, subschema) for every schema object reachable from ``node``."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key in ("properties", "patternProperties", "definitions"):
        for name, sub in node.get(key, {}).items():
            yield from _subschemas(sub, f"{pointer}/{key}/{name}")
    for key in ("additionalProperties", "additionalItems", "contains", "propertyNames", "not",
                "if", "then", "else"):  # fmt: skip
        if key in node:
            yield from _subschemas(node[key], f"{pointer}/{key}")
    items = node.get("items")
    if isinstance(items, list):
        for index, sub in enumerate(items):
            yield from _subschemas(sub, f"{pointer}/items/{index}")
    elif items is not None:
        yield from _subschemas(items, f"{pointer}/items")
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(node.get(key, [])):
            yield from _subschemas(sub, f"{pointer}/{key}/{index}")
    for name, sub in node.get("dependencies", {}).items():
        if isinstance(sub, dict):
            yield from _subschemas(sub, f"{pointer}/dependencies/{name}")


def _all_errors(errors: Any) -> Iterator[ValidationError]:
    """Flatten errors, descending into the per-branch errors of anyOf/oneOf."""
    for error in errors:
        yield error
        yield from _all_errors(error.context or [])


def _fixtures(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json"))


def _read_expect(path: Path) -> tuple[str, str]:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        assert sep, f"{path.name}: line without 'key: value': {line!r}"
        fields[key.strip()] = value.strip()
    assert set(fields) == {"path", "message"}, f"{path.name}: needs exactly 'path' and 'message'"
    return fields["path"], fields["message"]


def _is_same_or_ancestor(candidate: str, path: str) -> bool:
    return path == candidate or path.startswith((candidate + ".", candidate + "["))


# --------------------------------------------------------------------------- schema itself


def test_schema_is_valid_draft07(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert validators.validator_for(schema) is Draft7Validator
    Draft7Validator.check_schema(schema)


def test_schema_id_is_not_the_metaschema_id(schema: dict[str, Any]) -> None:
    assert not schema["$id"].startswith("http://json-schema.org/")


def test_schema_keeps_attribution(schema: dict[str, Any]) -> None:
    comment = schema["$comment"]
    assert "aws/sagemaker-python-sdk" in comment
    assert "sagemaker-core/src/sagemaker/core/tools/model_card/model_card_schema.json" in comment
    assert UPSTREAM_COMMIT in comment
    assert "Apache License 2.0" in comment
    assert "Modified" in comment
    assert "docs/content-schema.md" in comment
    notice = (SCHEMA_PATH.parent / "NOTICE").read_text(encoding="utf-8")
    assert UPSTREAM_COMMIT in notice
    assert "Apache License" in notice


def test_every_ref_resolves(schema: dict[str, Any]) -> None:
    resource = DRAFT7.create_resource(schema)
    resolver = Registry().with_resource(schema["$id"], resource).resolver(base_uri=schema["$id"])
    refs = [(pointer, sub["$ref"]) for pointer, sub in _subschemas(schema) if "$ref" in sub]
    assert refs, "expected the schema to use $ref"
    for pointer, ref in refs:
        resolved = resolver.lookup(ref).contents
        assert isinstance(resolved, dict), f"{pointer}: {ref} does not resolve to a schema"


def test_every_definition_is_used(schema: dict[str, Any]) -> None:
    refs = {sub["$ref"] for _, sub in _subschemas(schema) if "$ref" in sub}
    unused = {f"#/definitions/{name}" for name in schema["definitions"]} - refs
    assert not unused


def test_only_draft07_keywords(schema: dict[str, Any]) -> None:
    unknown = []
    for pointer, sub in _subschemas(schema):
        allowed = DRAFT7_KEYWORDS | (ROOT_EXTRA_KEYWORDS if pointer == "#" else frozenset())
        unknown += [f"{pointer}/{key}" for key in sub if key not in allowed]
    # e.g. maxContains/minContains: not draft-07 keywords, so a draft-07 validator ignores them.
    assert not unknown


def test_ref_has_no_ignored_siblings(schema: dict[str, Any]) -> None:
    offending = [
        f"{pointer}: {sorted(set(sub) - REF_SIBLINGS_ALLOWED)}"
        for pointer, sub in _subschemas(schema)
        if "$ref" in sub and set(sub) - REF_SIBLINGS_ALLOWED
    ]
    assert not offending


def test_patterns_are_anchored(schema: dict[str, Any]) -> None:
    unanchored = [
        f"{pointer}: {sub['pattern']}"
        for pointer, sub in _subschemas(schema)
        if "pattern" in sub
        and not (sub["pattern"].startswith("^") and sub["pattern"].endswith("$"))
    ]
    assert not unanchored


def test_objects_with_properties_are_typed(schema: dict[str, Any]) -> None:
    # "properties"/"additionalProperties" only apply to objects: without "type": "object" a
    # string or number would pass the subschema.
    untyped = [
        pointer
        for pointer, sub in _subschemas(schema)
        if ("properties" in sub or "additionalProperties" in sub) and sub.get("type") != "object"
    ]
    assert not untyped


def test_array_limits_sit_on_arrays(schema: dict[str, Any]) -> None:
    misplaced = [
        pointer
        for pointer, sub in _subschemas(schema)
        if ("maxItems" in sub or "minItems" in sub) and sub.get("type") not in ("array", None)
    ]
    assert not misplaced


# --------------------------------------------------------------------------- fixtures


def test_fixture_directories_are_populated() -> None:
    assert _fixtures(VALID_DIR)
    assert _fixtures(INVALID_DIR)
    expects = {p.stem for p in INVALID_DIR.glob("*.expect")}
    examples = {p.stem for p in _fixtures(INVALID_DIR)}
    assert expects == examples, "every invalid example needs exactly one .expect file"


@pytest.mark.parametrize("path", _fixtures(VALID_DIR), ids=lambda p: p.stem)
def test_valid_content(path: Path, validator: Draft7Validator) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(_load(path))]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", _fixtures(INVALID_DIR), ids=lambda p: p.stem)
def test_invalid_content(path: Path, validator: Draft7Validator) -> None:
    expected_path, expected_fragment = _read_expect(path.with_suffix(".expect"))
    top_level = list(validator.iter_errors(_load(path)))
    assert top_level, f"{path.name} unexpectedly validates"
    assert best_match(top_level) is not None

    stray = [
        f"{e.json_path}: {e.message}"
        for e in top_level
        if not _is_same_or_ancestor(e.json_path, expected_path)
    ]
    assert not stray, f"{path.name} also fails elsewhere:\n" + "\n".join(stray)

    found = [e for e in _all_errors(top_level) if e.json_path == expected_path]
    assert any(expected_fragment in e.message for e in found), (
        f"{path.name}: no error at {expected_path} containing {expected_fragment!r}; got:\n"
        + "\n".join(f"{e.json_path}: {e.message}" for e in _all_errors(top_level))
    )
