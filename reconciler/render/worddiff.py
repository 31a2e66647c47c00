"""What changed inside a long text value, word by word (difflib, standard library).

A text field change is *long* when either side is longer than ``LONG`` characters or holds
a line break: two full strings side by side would hide a one-word edit. Shorter values,
and values that are not both text, are shown before → after as usual.

Three renderings: a ```` ```diff ```` block for Markdown (one line per run of words:
``-`` removed, ``+`` added, unchanged context shortened to ``CONTEXT`` words each side, each
line to ``LINE_LIMIT`` characters; fenced by ``markdown.fenced``, so no line of the text
closes the block), and
one line for a terminal, coloured (removed red, added green) or, without colour, marked as
``git diff --word-diff=plain`` marks it: ``[-removed-]{+added+}``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from reconciler.render.markdown import clip, fenced

LONG = 80  # characters
LINE_LIMIT = 300  # characters of one line of the Markdown block
CONTEXT = 6  # unchanged words kept on each side of a change in the Markdown block
_TOKENS = re.compile(r"^\s+|\S+\s*")  # a word with the spaces after it


def is_long(before: Any, after: Any) -> bool:
    """True when both values are text and one is long (see the module docstring)."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return False
    return any(len(v) > LONG or "\n" in v for v in (before, after))


def runs(before: str, after: str) -> list[tuple[str, str]]:
    """The change as runs of words: ('=', kept), ('-', removed), ('+', added). Changes
    separated only by spaces are one change ("30 days." → "60 days, weekly")."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    opcodes = matcher.get_opcodes()
    out: list[tuple[str, str]] = []
    removed, added = "", ""
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        kept = "".join(old[i1:i2])
        between = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between and not kept.strip()):
            out += [*_flush(removed, added), ("=", kept)]
            removed, added = "", ""
            continue
        removed += "".join(old[i1:i2])
        added += "".join(new[j1:j2])
    return out + _flush(removed, added)


def _flush(removed: str, added: str) -> list[tuple[str, str]]:
    """The runs of one change; spaces that end every side of it are kept text after it."""
    sides = [s for s in (removed, added) if s]
    if not sides:
        return []
    spaces = min((s[len(s.rstrip()) :] for s in sides), key=len)
    cut = len(spaces) if all(s.endswith(spaces) for s in sides) else 0
    runs = [(t, s[: len(s) - cut]) for t, s in (("-", removed), ("+", added)) if s]
    return runs + ([("=", spaces)] if cut else [])


def diff_block(before: str, after: str) -> list[str]:
    """A Markdown ```diff block of the change, one line per run of words."""
    lines = []
    items = runs(before, after)
    for index, (tag, text) in enumerate(items):
        if tag == "=":
            text = _context(text, first=index == 0, last=index == len(items) - 1)
        for line in text.strip().splitlines() or [""]:
            if line.strip() or tag != "=":
                lines.append(f"{' ' if tag == '=' else tag} {clip(line.strip(), LINE_LIMIT)}")
    return fenced(lines, "diff")


def inline(before: str, after: str, paint: Callable[[str, str], str] | None) -> str:
    """One line: removed and added words coloured by ``paint`` (key '-' or '+'), or
    marked ``[-…-]`` and ``{+…+}`` without it. Line breaks are shown as ⏎."""
    parts = []
    for tag, text in runs(before, after):
        if tag == "=":
            parts.append(text)
        elif paint is not None:
            parts.append(paint(text, tag))
        else:
            parts.append(f"[-{text}-]" if tag == "-" else f"{{+{text}+}}")
    return "".join(parts).replace("\n", "⏎ ")


def ansi(text: str, tag: str) -> str:
    """``text`` in red (``-``, removed) or green (``+``, added) for a terminal."""
    return f"\033[{'31' if tag == '-' else '32'}m{text}\033[0m"


def _context(text: str, *, first: bool, last: bool) -> str:
    """Unchanged words around a change, shortened to ``CONTEXT`` words on each side."""
    words = text.split()
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(words) <= keep_head + keep_tail + 1:
        return text
    head = " ".join(words[:keep_head])
    tail = " ".join(words[len(words) - keep_tail :] if keep_tail else [])
    return " ".join(p for p in (head, "…", tail) if p)
