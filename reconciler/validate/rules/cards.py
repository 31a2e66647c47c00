"""Rules about card files (and the names and tags of share and registry files): names,
sizes, tags and ignored content paths."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import PurePosixPath

from reconciler.common.diagnostics import Diagnostic
from reconciler.desired.model import CardSpec, Config, ShareSpec
from reconciler.desired.registry import GroupSpec
from reconciler.load.yamlsource import SourceDocument
from reconciler.validate.rules.base import RuleInput, at
from reconciler.validate.schemas import Kind, load_schema, resolve_ref

MAX_CONTENT_CHARS = 100_000
MAX_TAGS = 50
_TAG_PUNCTUATION = set(" _.:/=+-@")
_TAG_TEXT = "may contain only letters, digits, spaces and _ . : / = + - @"


def file_names_match(data: RuleInput) -> Iterator[Diagnostic]:
    """A card, share or registry file must be named after the resource it declares."""
    items: tuple[CardSpec | ShareSpec | GroupSpec, ...] = (*data.cards, *data.shares, *data.groups)
    for item in items:
        stem = PurePosixPath(item.file).stem
        if stem != item.name:
            yield at(
                data.documents[item.file],
                ("name",),
                f"name '{item.name}' does not match the file name '{stem}': rename the "
                f"file to {item.name}.yaml or change the name",
                "file-name",
            )


def names_unique(data: RuleInput) -> Iterator[Diagnostic]:
    """Card, share and model package group names are each unique across the repository."""
    groups: tuple[tuple[str, tuple[CardSpec | ShareSpec | GroupSpec, ...]], ...] = (
        ("card", data.cards),
        ("share", data.shares),
        ("model package group", data.groups),
    )
    for kind, items in groups:
        first: dict[str, str] = {}
        for item in sorted(items, key=lambda i: i.file):
            if item.name in first:
                yield at(
                    data.documents[item.file],
                    ("name",),
                    f"{kind} '{item.name}' is also declared in {first[item.name]}: "
                    "keep one file per name",
                    "duplicate-name",
                )
            first.setdefault(item.name, item.file)


def content_size(data: RuleInput) -> Iterator[Diagnostic]:
    """SageMaker refuses Content longer than 100,000 characters of JSON."""
    for card in data.cards:
        size = len(json.dumps(card.content, separators=(",", ":"), ensure_ascii=False))
        if size > MAX_CONTENT_CHARS:
            yield at(
                data.documents[card.file],
                ("content",),
                f"content is {size:,} characters as JSON; SageMaker accepts at most "
                f"{MAX_CONTENT_CHARS:,}: shorten it or move detail to linked documents",
                "content-size",
            )


def tags_valid(data: RuleInput) -> Iterator[Diagnostic]:
    """Tags fit AWS limits, leaving room for the reconciler's own ownership tags."""
    reserved = _reserved_tag_keys(data.config)
    items: tuple[CardSpec | ShareSpec | GroupSpec, ...] = (*data.cards, *data.shares, *data.groups)
    for item in items:
        doc = data.documents[item.file]
        yield from _tag_problems(doc, item.tags or {}, reserved)


def _reserved_tag_keys(config: Config | None) -> tuple[str, ...]:
    if config is None:
        return ()
    return (config.ownership.tag_key, config.ownership.source_tag_key)


def _tag_problems(
    doc: SourceDocument, tags: Mapping[str, str], reserved: tuple[str, ...]
) -> Iterator[Diagnostic]:
    limit = MAX_TAGS - len(reserved)
    if len(tags) > limit:
        yield at(
            doc,
            ("tags",),
            f"has {len(tags)} tags; at most {limit} allowed "
            f"({len(reserved)} of AWS's {MAX_TAGS} are kept for ownership tags)",
            "tags",
        )
    for key, value in tags.items():
        key_problem = _tag_key_problem(key, reserved)
        if key_problem is not None:
            yield at(doc, ("tags", key), key_problem, "tags", key=True)
        if not _tag_text_ok(value):
            yield at(doc, ("tags", key), f"tag value {value!r} {_TAG_TEXT}", "tags")


def _tag_key_problem(key: str, reserved: tuple[str, ...]) -> str | None:
    if key.lower().startswith("aws:"):
        return f"tag key '{key}' uses the reserved prefix 'aws:'"
    if key in reserved:
        return (
            f"tag key '{key}' is set by the reconciler to mark what it manages: choose another key"
        )
    if not _tag_text_ok(key):
        return f"tag key '{key}' {_TAG_TEXT}"
    return None


def _tag_text_ok(text: str) -> bool:
    return all(ch.isalnum() or ch.isspace() or ch in _TAG_PUNCTUATION for ch in text)


def not_kept_out_of_git(data: RuleInput) -> Iterator[Diagnostic]:
    """A card in git is managed: no ``unmanaged.cards`` pattern of reconciler.yaml may
    name it."""
    if data.config is None:
        return
    for card in data.cards:
        pattern = data.config.kept_out_of_git(card.name)
        if pattern is not None:
            yield at(
                data.documents[card.file],
                ("name",),
                f"card '{card.name}' is in git but reconciler.yaml lists it as unmanaged "
                f"('{pattern}' under unmanaged.cards): remove the file or narrow the pattern",
                "unmanaged-listed",
            )


def ignore_paths_valid(data: RuleInput) -> Iterator[Diagnostic]:
    """Each ``ignore`` path names a content field: of model card content for a card of
    cards/, of the model package card schema for a card written in a registry file (a
    ``card_from`` version takes its card's paths, which that card's file answers for).
    Git may also set an ignored field: that value seeds the card's creation, and the live
    value is kept afterwards (``normalize``)."""
    for card in data.cards:
        doc = data.documents[card.file]
        yield from _ignore_problems(doc, ("ignore",), card.ignore, Kind.CONTENT)
    for group in data.groups:
        for version in group.versions:
            if version.card is None or version.card.mirrors is not None:
                continue
            where = (*version.path, "card", "ignore")
            doc = data.documents[group.file]
            yield from _ignore_problems(doc, where, version.card.ignore, Kind.PACKAGE_CONTENT)


_IGNORED_CONTENT = {
    Kind.CONTENT: "model card content",
    Kind.PACKAGE_CONTENT: "a model version's card content (the model package card schema)",
}


def _ignore_problems(
    doc: SourceDocument, where: tuple[str | int, ...], ignore: tuple[str, ...], kind: Kind
) -> Iterator[Diagnostic]:
    for i, dotted in enumerate(ignore):
        parts = dotted.split(".")
        if not _content_schema_has(kind, tuple(parts)):
            yield at(
                doc,
                (*where, i),
                f"'{dotted}' is not a field of {_IGNORED_CONTENT[kind]}"
                + _content_suggestion(kind, parts),
                "ignore-path",
            )


def _content_schema_has(kind: Kind, parts: tuple[str, ...]) -> bool:
    known = _schema_properties(kind, parts[:-1])
    return known is not None and parts[-1] in known


@cache
def _schema_properties(kind: Kind, parts: tuple[str, ...]) -> dict[str, object] | None:
    """The ``properties`` of the ``kind`` schema's object at ``parts`` (following $refs)."""
    root = load_schema(kind)
    node: dict[str, object] = root
    for part in parts:
        props = resolve_ref(root, node).get("properties")
        if not isinstance(props, dict) or part not in props:
            return None
        node = props[part]
    props = resolve_ref(root, node).get("properties")
    return props if isinstance(props, dict) else None


def _content_suggestion(kind: Kind, parts: list[str]) -> str:
    known = list(_schema_properties(kind, tuple(parts[:-1])) or {})
    close = difflib.get_close_matches(parts[-1], known, n=1)
    return f": did you mean '{'.'.join([*parts[:-1], close[0]])}'?" if close else ""
