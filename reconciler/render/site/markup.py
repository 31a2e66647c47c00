"""HTML as strings built one way: every value goes through ``text`` (or an attribute,
escaped the same way) before it meets markup, so a card's `<script>` is shown, never run.
Links are made only to the site's own pages, by paths the site chose; a value that looks
like a URL (``javascript:``, ``https:``) stays text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def text(value: object) -> str:
    """``value`` as HTML text: every ``<``, ``>``, ``&`` and quote escaped."""
    return html.escape(str(value), quote=True)


def el(name: str, /, *children: str, **attributes: str | int | float | bool | None) -> str:
    """``<name attributes>children</name>``: ``children`` are markup already; each
    attribute value is escaped (``class_`` is ``class``, ``data_x`` is ``data-x``; True is
    a bare attribute, None or False leaves it out)."""
    return f"<{name}{_attributes(attributes)}>{''.join(children)}</{name}>"


def void(name: str, /, **attributes: str | int | float | bool | None) -> str:
    """An element without content (``<meta>``, ``<rect/>``)."""
    return f"<{name}{_attributes(attributes)}>"


def _attributes(attributes: dict[str, str | int | float | bool | None]) -> str:
    out = []
    for key, value in attributes.items():
        name = key.rstrip("_").replace("_", "-")
        if value is True:
            out.append(f" {name}")
        elif value is not None and value is not False:
            out.append(f' {name}="{text(value)}"')
    return "".join(out)


def cells(tag: str, values: Iterable[str]) -> str:
    """A table row of ``tag`` cells holding ``values`` (markup)."""
    return el("tr", *(el(tag, v) for v in values))


def table(head: Iterable[str], rows: Iterable[Iterable[str]], **attributes: str) -> str:
    """A table: ``head`` as text, ``rows`` as markup."""
    body = "".join(cells("td", row) for row in rows)
    return el(
        "table",
        el("thead", cells("th", (text(h) for h in head))),
        el("tbody", body),
        **attributes,
    )
