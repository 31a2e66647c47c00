"""The index: one row per card of every target, with filters by status, target, owner
and account. The rows are in the HTML; the script only hides rows and sorts them, so a
browser without script shows every card, and the cards each account sees are listed
after the table."""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.common.words import count
from reconciler.render.site.markup import el, text
from reconciler.render.site.page import badge, flag, page
from reconciler.reports.catalogue import FROM_LIVE, Access, CardEntry, Catalogue

HEAD = (
    "Card",
    "Target",
    "Status",
    "Owner",
    "Risk",
    "Seen by",
    "Last change",
    "Gates",
    "Drift",
)


def index_page(catalogue: Catalogue) -> str:
    source = "git and AWS" if catalogue.source == FROM_LIVE else "git"
    intro = el(
        "p",
        text(f"{count(len(catalogue.cards), 'card')} in {count(len(catalogue.targets), 'target')}"),
        text(f", from {source}"),
        text(f" at commit {catalogue.commit[:12]}" if catalogue.commit else ""),
        ". ",
        el("span", "", id="shown", class_="muted"),
    )
    body = [el("h1", "Model cards"), intro, _filters(catalogue), _table(catalogue)]
    return page("Model cards", "".join([*body, _by_account(catalogue)]), script=True)


def _table(catalogue: Catalogue) -> str:
    head = el("thead", el("tr", *(el("th", text(h), scope="col") for h in HEAD)))
    rows = "".join(_row(c) for c in catalogue.cards)
    return el("table", head, el("tbody", rows), id="cards")


def _row(card: CardEntry) -> str:
    status = card.shown_status
    data = {
        "data_status": str(status) if status else "missing",
        "data_target": card.target,
        "data_owner": card.owner,
        "data_accounts": " ".join(sorted({a.principal for a in card.access})),
    }
    values = (
        el("a", text(card.name), href=card.page),
        text(card.target),
        badge(status),
        text(card.owner),
        text(card.risk_rating),
        _seen_by(card.access),
        _last_change(card),
        flag(card.passes_gates, "passes", "fails") if card.gates else text("none required"),
        flag(None if card.drifted is None else not card.drifted, "none", "drifted"),
    )
    return el("tr", *(el("td", v) for v in values), **data)


def _seen_by(access: Iterable[Access]) -> str:
    items = [el("li", text(f"{_who(a)}: {a.permission}")) for a in access]
    return el("ul", *items) if items else el("span", "nobody", class_="muted")


def _who(access: Access) -> str:
    name = f"{access.account} ({access.principal})" if access.account else access.principal
    return f"{name}, outside the Organization" if access.outside else name


def _last_change(card: CardEntry) -> str:
    change = card.last_change
    if change is None:
        return el("span", "not in git history", class_="muted")
    return text(f"{change.date[:10]} {change.commit[:12]} {change.subject}")


def _filters(catalogue: Catalogue) -> str:
    """Choices for the script; hidden until it runs, since without it they do nothing."""
    cards = catalogue.cards
    statuses = sorted({str(c.shown_status) if c.shown_status else "missing" for c in cards})
    choices = (
        ("status", "Status", [(s, s) for s in statuses]),
        ("target", "Target", [(t.name, t.name) for t in catalogue.targets]),
        ("owner", "Owner", [(o, o) for o in sorted({c.owner for c in cards})]),
        ("accounts", "Account", [(p, f"{n} ({p})" if n else p) for p, n in catalogue.accounts]),
    )
    fields = [_select(name, label, options) for name, label, options in choices]
    return el("form", *fields, id="filters", hidden=True)


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    every = el("option", "any", value="")
    shown = [el("option", text(label_), value=value) for value, label_ in options]
    return el("label", text(label), " ", el("select", every, *shown, name=name))


def _by_account(catalogue: Catalogue) -> str:
    """For each principal, the cards it sees: the account filter without script."""
    sections = [el("h2", "Cards each account sees")]
    for principal, name in catalogue.accounts:
        seen = [
            el("li", el("a", text(f"{c.name} ({c.target})"), href=c.page))
            for c in catalogue.cards
            if any(a.principal == principal for a in c.access)
        ]
        title = f"{name} ({principal})" if name else principal
        sections.append(el("h3", text(title)) + el("ul", *seen))
    return el("section", *sections, id="by-account")
