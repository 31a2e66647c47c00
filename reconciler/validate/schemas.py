"""The JSON Schemas of the repository files, loaded and compiled once per process.

Schemas live in the repository's ``schema/`` folder (shipped inside the package as
``reconciler/_schema``). They reference each other by relative URI, so all of them are
registered in one registry.

Two validators per kind: ``fast_validator`` (jsonschema-rs, compiled Rust) answers "is this
document valid?" for every file; ``validator`` (jsonschema) runs only on a document the
fast one rejects, because its error model is what ``schema_check`` turns into sentences.
Formats are not asserted by either (jsonschema's default).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from referencing import Registry

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "_schema"
BASE_URI = "https://modelcard-reconciler.local/schema/"


class Kind(str, Enum):
    """The kinds of repository file, each with its schema file."""

    CONFIG = "reconciler.schema.json"
    CARD = "card.schema.json"
    SHARE = "share.schema.json"
    CONTENT = "model-card-content.schema.json"
    REGISTRY = "registry.schema.json"
    PACKAGE_CONTENT = "model-package-card-content.schema.json"


def schema_files() -> list[Path]:
    """Every schema file shipped with the reconciler."""
    return sorted(SCHEMA_DIR.glob("*.schema.json"))


@cache
def load_schema(kind: Kind) -> dict[str, Any]:
    """The parsed schema document of one kind."""
    document: dict[str, Any] = json.loads((SCHEMA_DIR / kind.value).read_text("utf-8"))
    return document


@cache
def registry() -> Registry[Any]:
    """All schemas, addressable by their file name relative to BASE_URI."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = [
        (BASE_URI + kind.value, Resource.from_contents(load_schema(kind), DRAFT7)) for kind in Kind
    ]
    return Registry().with_resources(resources)


@cache
def validator(kind: Kind) -> Validator:
    """A compiled validator for one kind, built once and reused for every file (imported
    only when a document is invalid, or by the tests)."""
    from jsonschema import validators

    schema = load_schema(kind)
    base = validators.validator_for(schema)
    cls = validators.extend(base, {"pattern": _whole_pattern})  # type: ignore[no-untyped-call]
    cls.check_schema(schema)
    instance: Validator = cls(schema, registry=registry())
    return instance


def _whole_pattern(
    validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[Any]:
    """``pattern`` as ECMA-262 reads it: ``$`` is the end of the text. Python's ``$`` also
    matches before a final newline, which would let ``"222222222222\n"`` pass as an
    account ID."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not re.search(_ecma_end(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _ecma_end(pattern: str) -> str:
    r"""A trailing ``$`` anchor (not an escaped dollar sign) becomes ``\Z``."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def is_safe_name(kind: Kind, name: str) -> bool:
    """Whether ``name`` is a valid ``name`` of a ``kind`` file (a card or a share) by the
    schema's own rule, its pattern and length. Such a name is a safe file name: letters,
    digits and ``-`` (shares also ``.`` and ``_``), never first, never ``/``."""
    rule = load_schema(kind)["properties"]["name"]
    if not rule.get("minLength", 1) <= len(name) <= rule.get("maxLength", len(name)):
        return False
    return re.search(_ecma_end(rule["pattern"]), name) is not None


def name_rule(kind: Kind) -> str:
    """The pattern of a ``kind`` file's name, as its schema states it."""
    return str(load_schema(kind)["properties"]["name"]["pattern"])


def resolve_ref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s (``#/definitions/...``) from ``node`` within ``root``."""
    while isinstance(node.get("$ref"), str) and str(node["$ref"]).startswith("#/"):
        target: Any = root
        for key in str(node["$ref"])[2:].split("/"):
            target = target.get(key, {}) if isinstance(target, dict) else {}
        node = target if isinstance(target, dict) else {}
    return node


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(BASE_URI + kind.value, load_schema(kind)) for kind in Kind])


@cache
def fast_validator(kind: Kind) -> Callable[[Any], bool]:
    """``is_valid`` of a compiled validator for one kind, built once per process."""
    compiled = jsonschema_rs.validator_for(
        load_schema(kind),
        registry=_fast_registry(),
        base_uri=BASE_URI + kind.value,
        validate_formats=False,
    )
    is_valid: Callable[[Any], bool] = compiled.is_valid
    return is_valid
