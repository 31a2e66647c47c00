"""Writing YAML for people: new files in block style, and edits that keep comments.

Uses ruamel.yaml's round-trip mode, which keeps comments, key order and quoting of the
parts of a file it does not change. Output is represented as YAML 1.1, the dialect the
loader reads, so words such as ``no`` or ``on`` stay quoted strings; every write is read
back with the loader and must give the intended data.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, MutableMapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from reconciler.common.errors import ReconcilerError
from reconciler.load.yamlsource import load_text

WIDTH = 100
KEEP_WIDTH = 100_000
FOLD_AT = 80


def _yaml(width: int = WIDTH) -> YAML:
    yaml = YAML()
    yaml.version = (1, 1)
    yaml.width = width
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def dump(data: Any, header: str = "", *, keep_lines: bool = False) -> str:
    """YAML text for ``data``; raises when it would not read back as ``data``.

    ``keep_lines`` is for edits of existing files: long lines are not re-wrapped.
    """
    buffer = io.StringIO()
    _yaml(KEEP_WIDTH if keep_lines else WIDTH).dump(data, buffer)
    text = header + _without_directive(buffer.getvalue())
    check_reads_back(text, data)
    return text


def _without_directive(text: str) -> str:
    prefix = "%YAML 1.1\n---\n"
    return text[len(prefix) :] if text.startswith(prefix) else text


def check_reads_back(text: str, data: Any) -> None:
    loaded = load_text(text, "<written>")
    if loaded.document is None or loaded.document.data != plain(data):
        raise ReconcilerError(
            "internal error: written YAML does not read back as intended",
            hint="report this with --debug output",
        )


def load_roundtrip(text: str) -> Any:
    """A file's data with its comments and layout, for in-place edits."""
    return _yaml().load(text)


def plain(value: Any) -> Any:
    """Plain dicts, lists and str from ruamel's commented types."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def styled(value: Any) -> Any:
    """Block style throughout; multi-line text as literal blocks, long text folded."""
    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = styled(item)
        return out
    if isinstance(value, list):
        return CommentedSeq([styled(v) for v in value])
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    styled_text: str = value
    if "\n" in value.rstrip("\n") and _block_safe(value):
        styled_text = LiteralScalarString(value)
    elif len(value) > FOLD_AT and "\n" not in value and _block_safe(value) and "  " not in value:
        styled_text = FoldedScalarString(value)
    return styled_text


def _block_safe(value: str) -> bool:
    """Block scalars cannot carry leading spaces on the first line or trailing spaces."""
    lines = value.split("\n")
    return value == value.strip(" \t") and not any(line.endswith((" ", "\t")) for line in lines)


def update(target: Any, new: Any) -> Any:
    """Make ``target`` (round-trip data) equal ``new`` with the fewest edits, so comments
    and order of everything unchanged stay as they were. Returns the value to store."""
    if isinstance(target, MutableMapping) and isinstance(new, Mapping):
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, value in new.items():
            target[key] = update(target[key], value) if key in target else styled(value)
        return target
    if isinstance(target, list) and isinstance(new, list) and len(target) == len(new):
        for i, value in enumerate(new):
            target[i] = update(target[i], value)
        return target
    if plain(target) == plain(new) and type(plain(target)) is type(plain(new)):
        return target
    return styled(new)
