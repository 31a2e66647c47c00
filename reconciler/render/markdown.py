"""Markdown that the values it shows cannot restructure.

Every value a Markdown report shows came from git or from AWS, and both are written by
people outside review: a consumer with ``UpdateModelCard``, anyone who can name a RAM
share, the author of a pull request. A value must stay data: it may not close a fenced
block, open an HTML comment that hides the rest of the comment, add a ``<details>`` or a
heading, turn into a link, or ping someone with an @mention. Three positions, three rules:

- ``text``: prose, list items and table cells. One line; HTML is escaped (``<!--`` and
  ``<details>`` show as text), the characters that start code spans, links and table cells
  (`` ` [ ] | \\ ``) are backslash-escaped, and an ``@`` is followed by a zero-width space, so
  GitHub links and notifies no one.
- ``code``: a value in ``<code>`` (table cells), escaped as ``text``; ``code_span`` for
  names outside tables, in a backtick span longer than any run of backticks in them;
  ``html_code`` for a line that starts with an HTML tag (GitHub reads no Markdown there,
  only HTML).
- ``fenced``: lines in a fenced block, whose fence is longer than any run of backticks in
  them (CommonMark closes a fence only with a run at least as long), so no line closes it.

Long values are shortened (``clip``) so that one 64 KB line cannot push the other
changes out of a comment GitHub caps at 65,536 characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MIN_FENCE = 3
_BACKTICKS = re.compile(r"`+")
_MARKDOWN = re.compile(r"([\\`\[\]|])")
ZERO_WIDTH_SPACE = "&#8203;"


def text(value: str, limit: int | None = None) -> str:
    """``value`` as inline Markdown that shows exactly its characters, on one line."""
    return _inline(value, limit, quote=False)


def code(value: str, limit: int | None = None) -> str:
    """``value`` in ``<code>``, escaped as ``text`` (and quotes, as in an attribute)."""
    return f"<code>{_inline(value, limit, quote=True)}</code>"


def _inline(value: str, limit: int | None, *, quote: bool) -> str:
    one_line = " ".join(clip(value, limit).splitlines())
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(one_line, quote=quote))
    return escaped.replace("@", "@" + ZERO_WIDTH_SPACE)


def html_code(value: str) -> str:
    """``value`` in ``<code>`` inside an HTML block: one line, HTML-escaped."""
    one_line = " ".join(value.splitlines())
    return "<code>" + html.escape(one_line).replace("@", "@" + ZERO_WIDTH_SPACE) + "</code>"


def code_span(value: str, *, cell: bool = False) -> str:
    """``value`` as a backtick code span that no backtick inside it can end (for names:
    addresses, files, JSON paths). In a table ``cell``, a value with ``|`` is ``code``."""
    one_line = " ".join(value.splitlines())
    if cell and "|" in one_line:
        return code(one_line)
    ticks = "`" * (_longest_run(one_line) + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{pad}{one_line}{pad}{ticks}"


def fenced(lines: Iterable[str], info: str = "") -> list[str]:
    """A fenced block of ``lines``, fenced with more backticks than any run inside them."""
    body = list(lines)
    fence = "`" * max(MIN_FENCE, max((_longest_run(line) for line in body), default=0) + 1)
    return [fence + info, *body, fence]


def clip(value: str, limit: int | None) -> str:
    """``value``, cut to ``limit`` characters with a note of how many were left out."""
    if limit is None or len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value) - limit:,} more characters)"


def _longest_run(line: str) -> int:
    return max((len(m) for m in _BACKTICKS.findall(line)), default=0)
