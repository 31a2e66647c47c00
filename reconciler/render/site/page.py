"""The frame of every page: the policy, the style, the navigation, and the script on the
index only. ``root`` is the way back to the site's root from the page (``""`` or ``../../``).
"""

from __future__ import annotations

from reconciler.render.site.assets import POLICY, SCRIPT, STYLE
from reconciler.render.site.markup import el, text, void

INDEX, SHARING = "index.html", "sharing.html"


def page(title: str, body: str, *, root: str = "", script: bool = False) -> str:
    """A whole HTML document: ``title`` is text, ``body`` markup."""
    head = "".join(
        (
            void("meta", charset="utf-8"),
            void("meta", http_equiv="Content-Security-Policy", content=POLICY),
            void("meta", name="viewport", content="width=device-width, initial-scale=1"),
            void("meta", name="referrer", content="no-referrer"),
            el("title", text(title), " · Model cards"),
            el("style", STYLE),
        )
    )
    tail = el("script", SCRIPT) if script else ""
    return "<!DOCTYPE html>\n" + el(
        "html", el("head", head), el("body", _header(root), el("main", body), tail), lang="en"
    )


def _header(root: str) -> str:
    links = [
        el("a", "Model cards", href=f"{root}{INDEX}"),
        el("a", "Who sees which card", href=f"{root}{SHARING}"),
    ]
    return el("header", el("nav", *links))


def badge(status: object | None) -> str:
    """A card status as a badge; a card AWS does not have shows as "not in AWS"."""
    if status is None:
        return el("span", "not in AWS", class_="badge status-missing")
    return el("span", text(status), class_=f"badge status-{status}")


def flag(good: bool | None, yes: str, no: str, unknown: str = "not checked") -> str:
    """A yes/no badge (``good`` None: not known)."""
    if good is None:
        return el("span", text(unknown), class_="muted")
    return el("span", text(yes if good else no), class_=f"badge {'passes' if good else 'fails'}")
