"""Validate a loaded document against its schema, as positioned, readable diagnostics.

jsonschema's raw messages name the schema, not the user's problem. This module turns each
error into a sentence that says what is wrong and what would be right ("unknown field
'ownr': did you mean 'owner'?"), placed at the line and column of the offending value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.common.words import count
from reconciler.load.yamlsource import PathKey, SourceDocument
from reconciler.validate.schemas import Kind, fast_validator, validator

if TYPE_CHECKING:  # jsonschema loads only when a document is invalid
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def check(doc: SourceDocument, kind: Kind) -> list[Diagnostic]:
    """Every schema problem of ``doc``, sorted by position."""
    if fast_validator(kind)(doc.data):
        return []
    errors = validator(kind).iter_errors(doc.data)
    found = [d for error in errors for d in _diagnostics(doc, error)]
    return sorted(set(found))


def _diagnostics(doc: SourceDocument, error: ValidationError) -> Iterator[Diagnostic]:
    if error.validator == "additionalProperties":
        yield from _unknown_fields(doc, error)
        return
    path: PathKey = tuple(error.absolute_path)
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        # The error is about a key, not a value: point at the key itself.
        message = f"key {_short(error.instance)}: {explain(error)}"
        yield _at(doc, (*path, error.instance), message, key=True)
        return
    yield _at(doc, path, explain(error))


def _unknown_fields(doc: SourceDocument, error: ValidationError) -> Iterator[Diagnostic]:
    parent: PathKey = tuple(error.absolute_path)
    schema: Any = error.schema
    instance: Any = error.instance
    allowed = sorted(schema.get("properties", {}))
    for key in sorted(set(instance) - set(allowed)):
        message = f"unknown field '{key}'" + _suggest(key, allowed, "field")
        yield _at(doc, (*parent, key), message, key=True)


def _at(doc: SourceDocument, path: PathKey, message: str, *, key: bool = False) -> Diagnostic:
    """A schema problem on the value (or ``key``) at ``path``."""
    return Diagnostic(
        file=doc.file,
        position=doc.locate(path, key=key),
        path=json_path(path),
        message=message,
        code="schema",
    )


def _suggest(value: str, choices: list[str], noun: str) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f": did you mean '{close[0]}'?"
    if not choices:
        return f": no {noun}s are allowed here"
    listed = ", ".join(choices[:15]) + (", ..." if len(choices) > 15 else "")
    return f"; allowed here: {listed}"


def explain(error: ValidationError) -> str:
    """A sentence for one schema error."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        alternatives: Any = error.validator_value
        others = len(alternatives) - 1  # the other alternatives, not all their errors
        tail = f" (and {count(others, 'other way')} it could match)"
        return explain(best) + (tail if others else "")
    render = _EXPLAINERS.get(str(error.validator))
    return render(error) if render else error.message


def _type(error: ValidationError) -> str:
    expected: Any = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
    got = error.instance
    hint = ""
    if "string" in names and isinstance(got, bool):
        hint = ": YAML reads yes/no/on/off/true/false as booleans, so quote the value"
    elif "string" in names and isinstance(got, int | float):
        hint = ": quote the value so YAML keeps it as text"
    return f"expected {wanted}, got {_describe(got)}{hint}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _value(value: Any) -> Any:
    """jsonschema types some error members loosely; they hold the instance here."""
    return value


def _enum(error: ValidationError) -> str:
    allowed: Any = error.validator_value
    choices = [str(c) for c in allowed]
    suggestion = _suggest(str(error.instance), choices, "value")
    if suggestion.startswith(": did you mean"):
        return f"{_short(error.instance)} is not allowed{suggestion} (one of {', '.join(choices)})"
    return f"{_short(error.instance)} is not allowed; use one of: {', '.join(choices)}"


def _size(unit: str, measure: Callable[[Any], int], bound: str) -> Callable[[ValidationError], str]:
    def render(error: ValidationError) -> str:
        count = measure(_value(error.instance))
        limit: Any = error.validator_value
        return f"has {count} {unit}; {bound} {limit} allowed"

    return render


_EXPLAINERS: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "enum": _enum,
    "const": lambda e: f"must be {e.validator_value!r}",
    "required": lambda e: f"missing required field '{e.message.split(chr(39))[1]}'",
    "pattern": lambda e: f"{_short(e.instance)} does not match the pattern {e.validator_value}",
    "maxLength": _size("characters", len, "at most"),
    "minLength": lambda e: (
        "must not be empty"
        if e.validator_value == 1
        else f"has {len(_value(e.instance))} characters; at least {e.validator_value!s} required"
    ),
    "maxItems": _size("items", len, "at most"),
    "minItems": lambda e: (
        "must not be empty"
        if e.validator_value == 1
        else f"has {len(_value(e.instance))} items; at least {e.validator_value} required"
    ),
    "maxProperties": _size("entries", len, "at most"),
    "minProperties": lambda e: "must not be empty",
    "uniqueItems": lambda e: "has duplicate items: list each value once",
    "maximum": lambda e: f"{e.instance} is above the maximum {e.validator_value}",
    "minimum": lambda e: f"{e.instance} is below the minimum {e.validator_value}",
    "exclusiveMinimum": lambda e: f"{e.instance} must be greater than {e.validator_value}",
    "exclusiveMaximum": lambda e: f"{e.instance} must be less than {e.validator_value}",
}
