"""Safe YAML loading that remembers where every value came from.

The loader composes the YAML node tree and converts it to plain JSON-like data itself, so
that it can record the position of every key and value, refuse duplicate keys, aliases and
non-string keys, keep timestamps as strings, and bound the size and depth of the input.
Problems come back as diagnostics; a malformed file never raises.

Two paths give the same data. The fast one builds the data straight from libyaml's parse
events, without a node tree or positions, typing plain scalars with PyYAML's own
resolver; it gives up at the first thing out of the ordinary (a syntax error, an alias or
anchor, a tag, a duplicate or non-string key, deep nesting, many flow brackets, a tab,
something that looks like a tag).
Then the careful pure-Python path runs, which records every position and says exactly
what is wrong. Positions of a document that took the fast path are computed from its text
the first time something asks where a value is (an error to report), so a valid
repository never pays for them. libyaml is the reference parser; in a few exotic forms
(a block scalar header followed directly by ``#``) it reads what PyYAML's own scanner
refused, and such a file is read as libyaml reads it.
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.common.diagnostics import START, Diagnostic, Position, json_path
from reconciler.common.shared import shared

MAX_BYTES = 1_000_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))


class _Loader(yaml.SafeLoader):
    """SafeLoader whose implicit types leave timestamps as strings (JSON has no dates)."""


class _AliasError(yaml.MarkedYAMLError):
    """An alias was used; aliases are refused so expansion can never blow up."""


def _compose_node(loader: _Loader, parent: Node | None, index: int) -> Node | None:
    if loader.check_event(yaml.AliasEvent):
        event = loader.peek_event()  # type: ignore[no-untyped-call]
        raise _AliasError(
            problem="YAML aliases (*name) are not supported: write the value out in full",
            problem_mark=event.start_mark,
        )
    return _BASE_COMPOSE(loader, parent, index)


_BASE_COMPOSE = yaml.SafeLoader.compose_node
_Loader.compose_node = _compose_node  # type: ignore[assignment,method-assign]

_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, kw_only=True, slots=True)
class FileText:
    """The text of a document read from a file, not held in memory: read again from the file
    when positions are asked for (an error to report), and used only if the file still
    holds the bytes that were parsed (their CRC-32); otherwise none is given (every value
    is placed at the file's start). At fleet scale the texts would be a fifth of the
    memory a repository takes."""

    path: str
    checksum: int

    def read(self) -> str:
        try:
            raw = Path(self.path).read_bytes()
        except OSError:
            return ""
        return raw.decode("utf-8") if zlib.crc32(raw) == self.checksum else ""


@dataclass(frozen=True, kw_only=True, eq=False)
class SourceDocument:
    """A loaded file: its data, its text (or where to read it again), and the positions of
    its values and keys by path (computed from the text on first use)."""

    file: str
    data: Any
    text: str | FileText = ""

    @cached_property
    def _positions(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
        builder = _Builder(self.file)
        text = self.text if isinstance(self.text, str) else self.text.read()
        try:
            for node in yaml.compose_all(text, Loader=_Loader):
                builder.build(node, ())
        except (yaml.YAMLError, RecursionError):
            pass  # a form only libyaml reads: every value is placed at the file's start
        return builder.values, builder.keys

    def locate(self, path: PathKey, *, key: bool = False) -> Position:
        """Position of the value (or its key) at ``path``, else of the nearest ancestor."""
        values, keys = self._positions
        table = keys if key else values
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or values.get(path[:end])
            if found:
                return found
        return START


@dataclass(frozen=True, slots=True)
class LoadResult:
    document: SourceDocument | None
    diagnostics: tuple[Diagnostic, ...]


def load_file(path: Path, display: str) -> LoadResult:
    """Load one YAML file; ``display`` is the name diagnostics use (repo-relative)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        return _fail(display, START, f"cannot read file: {e.strerror}", "io")
    if len(raw) > MAX_BYTES:
        return _fail(
            display, START, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}", "too-large"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return _fail(
            display, START, f"not UTF-8 text (byte {e.start}): save it as UTF-8", "encoding"
        )
    source = FileText(path=os.path.abspath(path), checksum=zlib.crc32(raw))
    return load_text(text, display, source)


def portable(result: LoadResult) -> tuple[Any, str | int] | None:
    """A loaded document as plain values (its data, and its text or its file's checksum)
    that ``marshal`` carries to another process, where ``restored`` turns them back into
    the same result; None for a file that is not a valid document (the other process loads
    it itself, for the diagnostics)."""
    doc = result.document
    if doc is None or result.diagnostics:
        return None
    return doc.data, doc.text if isinstance(doc.text, str) else doc.text.checksum


def restored(path: str, display: str, values: tuple[Any, str | int]) -> LoadResult:
    """The result ``portable`` gave the values of, for the file at ``path``."""
    data, text = values
    held = text if isinstance(text, str) else FileText(path=path, checksum=text)
    return LoadResult(SourceDocument(file=display, data=data, text=held), ())


def load_text(text: str, display: str, source: FileText | None = None) -> LoadResult:
    """Parse YAML text into a SourceDocument, or diagnostics saying why it cannot be.
    ``source``: the file the text was read from, which the document then reads again
    instead of holding the text (positions are only asked for to report a problem)."""
    data = _fast_data(text)
    if data is not _UNUSUAL:
        return LoadResult(SourceDocument(file=display, data=data, text=source or text), ())
    return _careful_load(text, display)


def _careful_load(text: str, display: str) -> LoadResult:
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError) as e:
        return _unparsed(display, e)
    if len(nodes) > 1:
        return _fail(
            display,
            _mark(nodes[1].start_mark),
            "more than one YAML document: keep one document per file",
            "yaml-syntax",
        )
    return _built(text, display, nodes[0] if nodes else None)


def _unparsed(display: str, e: yaml.YAMLError | RecursionError) -> LoadResult:
    """Why the text is not YAML the loader takes: an alias, a syntax error, too deep."""
    if isinstance(e, _AliasError):
        return _fail(display, _mark(e.problem_mark), str(e.problem), "yaml-alias")
    if isinstance(e, yaml.MarkedYAMLError):
        return _fail(display, _mark(e.problem_mark), _syntax_message(e), "yaml-syntax")
    if isinstance(e, RecursionError):
        return _fail(display, START, f"nesting is deeper than {MAX_DEPTH} levels", "too-deep")
    return _fail(display, START, f"invalid YAML: {e}", "yaml-syntax")


def _built(text: str, display: str, node: Node | None) -> LoadResult:
    """The document's data and positions from its node tree; its problems, if any."""
    builder = _Builder(display)
    data = builder.build(node, ()) if node is not None else None
    if builder.diagnostics:
        return LoadResult(None, tuple(builder.diagnostics))
    doc = SourceDocument(file=display, data=data, text=text)
    doc.__dict__["_positions"] = (builder.values, builder.keys)  # already known
    return LoadResult(doc, ())


def _fail(file: str, pos: Position, message: str, code: str) -> LoadResult:
    return LoadResult(
        None, (Diagnostic(file=file, position=pos, path="$", message=message, code=code),)
    )


def _mark(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark else START


def _syntax_message(e: yaml.MarkedYAMLError) -> str:
    problem = e.problem or "invalid YAML"
    started = f" at line {e.context_mark.line + 1}" if e.context_mark else ""
    context = f" ({e.context}{started})" if e.context else ""
    if "'\\t'" in problem:
        hint = "indent with spaces; YAML does not allow tabs"
    else:
        hint = "check the indentation, quotes and brackets on this line and the one before"
    return f"YAML syntax error: {problem}{context}: {hint}"


class _Builder:
    """Turns a node tree into plain data, recording positions and structural problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.diagnostics: list[Diagnostic] = []
        self._constructor = _Loader("")

    def build(self, node: Node, path: PathKey) -> Any:
        self.values[path] = _mark(node.start_mark)
        if len(path) > MAX_DEPTH:
            return self._problem(
                node, path, f"nesting is deeper than {MAX_DEPTH} levels", "too-deep"
            )
        handler = _HANDLERS.get(type(node))
        return handler(self, node, path) if handler else None

    def _scalar(self, node: Node, path: PathKey) -> Any:
        if node.tag not in _SCALAR_TAGS:
            message = f"YAML tag {_tag_name(node.tag)} is not allowed"
            return self._problem(node, path, message, "yaml-tag")
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as e:
            return self._problem(node, path, f"invalid value: {e}", "yaml-syntax")
        except ValueError:  # Python refuses integers of more than 4,300 digits
            message = (
                f"a number of {len(str(node.value)):,} characters is too long: quote it if "
                "it is text"
            )
            return self._problem(node, path, message, "yaml-syntax")

    def _sequence(self, node: Node, path: PathKey) -> list[Any]:
        assert isinstance(node, SequenceNode)
        self._check_collection_tag(node, path, "tag:yaml.org,2002:seq")
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def _mapping(self, node: Node, path: PathKey) -> dict[str, Any]:
        assert isinstance(node, MappingNode)
        self._check_collection_tag(node, path, "tag:yaml.org,2002:map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            child = (*path, key)
            if key in result:
                self._duplicate(key_node, child, key)
                continue
            self.keys[child] = _mark(key_node.start_mark)
            result[key] = self.build(value_node, child)
        return result

    def _duplicate(self, node: Node, path: PathKey, key: str) -> None:
        first = self.keys[path]
        message = f"duplicate key '{key}' (first defined at line {first.line}): remove one"
        self._problem(node, path, message, "duplicate-key")

    def _key(self, node: Node, path: PathKey) -> str | None:
        if not isinstance(node, ScalarNode):
            self._problem(node, path, "a mapping key must be a plain string", "key-type")
            return None
        value = self._scalar(node, path)
        if not isinstance(value, str):
            self._problem(
                node,
                path,
                f"key {node.value!r} is read as {type(value).__name__}: "
                "quote it to make it a string",
                "key-type",
            )
            return None
        return value

    def _check_collection_tag(self, node: Node, path: PathKey, expected: str) -> None:
        if node.tag != expected:
            self._problem(node, path, f"YAML tag {_tag_name(node.tag)} is not allowed", "yaml-tag")

    def _problem(self, node: Node, path: PathKey, message: str, code: str) -> None:
        pos = _mark(node.start_mark)
        self.diagnostics.append(
            Diagnostic(
                file=self.file, position=pos, path=json_path(path), message=message, code=code
            )
        )


_HANDLERS: dict[type[Node], Callable[[_Builder, Node, PathKey], Any]] = {
    ScalarNode: _Builder._scalar,
    SequenceNode: _Builder._sequence,
    MappingNode: _Builder._mapping,
}


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


# -- the fast path ---------------------------------------------------------------------


class _CLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with the same implicit types as ``_Loader``."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


class _Unusual(Exception):
    """Something the careful path should look at and explain."""


_UNUSUAL: Any = object()
_MAX_FLOW_BRACKETS = 128  # beyond, the careful path reads it (and says when it is too deep)
_TAG_LIKE = re.compile(r"(?:^|[\s,\[{])!")


def _fast_data(text: str) -> Any:
    """The document's data through libyaml, or ``_UNUSUAL``."""
    if (
        text.count("[") + text.count("{") > _MAX_FLOW_BRACKETS
        or "\t" in text  # libyaml accepts some tabs PyYAML refuses
        or ("!" in text and _TAG_LIKE.search(text))  # libyaml and PyYAML read tags differently
    ):
        return _UNUSUAL
    parser = _CLoader(text)
    try:
        return _Lean(parser.get_event).document()
    except (yaml.YAMLError, _Unusual, ValueError):
        return _UNUSUAL
    finally:
        parser.dispose()


_STR = "tag:yaml.org,2002:str"
_PLAIN_TYPED = frozenset(first for first in _CLoader.yaml_implicit_resolvers if first)
_RESOLVER = _Loader("")
_CONVERT: dict[str, Callable[[ScalarNode], Any]] = {
    "tag:yaml.org,2002:int": _RESOLVER.construct_yaml_int,
    "tag:yaml.org,2002:float": _RESOLVER.construct_yaml_float,
    "tag:yaml.org,2002:bool": _RESOLVER.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
}


class _Lean:
    """libyaml's events to data with the careful path's rules, but no positions and no node
    tree: gives up (``_Unusual``) wherever the careful path would report a problem, and at
    anything it does not need to read (an anchor, an explicit tag).

    Each open collection is a frame on a stack: a list, or a mapping with the key that waits
    for its value (None while a key is expected). A value that completes goes into the frame
    below it, or is the document when none is left."""

    def __init__(self, next_event: Callable[[], Any]) -> None:
        self._next = next_event
        self._frames: list[list[Any]] = []

    def document(self) -> Any:
        data, documents = None, 0
        while (event := self._next()) is not None:
            kind = type(event)
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
            elif kind in _OPENS:
                self._open(event, [] if kind is SequenceStartEvent else {})
            elif kind in _VALUES:
                value = self._value(event)
                if self._frames:
                    self._place(value, key=kind is ScalarEvent)
                else:
                    data = value
        return data

    def _open(self, event: Any, container: Any) -> None:
        if event.anchor is not None or event.tag not in (None, "!"):
            raise _Unusual
        if len(self._frames) > MAX_DEPTH:
            raise _Unusual
        self._frames.append([container, None])

    def _value(self, event: Any) -> Any:
        if type(event) is ScalarEvent:
            if event.anchor is not None or len(self._frames) > MAX_DEPTH:
                raise _Unusual
            return _scalar(event)
        if type(event) is AliasEvent:
            raise _Unusual
        return self._frames.pop()[0]  # the end of a collection

    def _place(self, value: Any, *, key: bool) -> None:
        frame = self._frames[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
        elif frame[1] is not None:
            container[frame[1]] = value
            frame[1] = None
        elif key and type(value) is str and value not in container:
            frame[1] = sys.intern(value)  # the same few keys in every card: one copy
        else:  # a key that is a collection, not a string, or given twice
            raise _Unusual


_OPENS = (MappingStartEvent, SequenceStartEvent)
_VALUES = (ScalarEvent, AliasEvent, MappingEndEvent, SequenceEndEvent)


def _scalar(event: ScalarEvent) -> Any:
    """A scalar's value, typed as the careful path types it (PyYAML's own resolver; only
    plain scalars whose first character starts some implicit type need it)."""
    value, tag = event.value, event.tag
    if tag is None or tag == "!":
        if not event.implicit[0] or (value and value[0] not in _PLAIN_TYPED):
            return shared(value)
        tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return shared(value)
    convert = _CONVERT.get(tag)
    if convert is None:
        raise _Unusual
    return convert(ScalarNode(tag, value))
