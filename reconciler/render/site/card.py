"""A card's page: what it is (status, owner, risk, gates), its content section by section,
then its versions, its PDF export, who sees it and its drift."""

from __future__ import annotations

from reconciler.render.site.content import sections
from reconciler.render.site.markup import el, table, text
from reconciler.render.site.page import badge, flag, page
from reconciler.reports.audit import origin
from reconciler.reports.catalogue import CardEntry

ROOT = "../../"  # a card's page is cards/<target>/<name>.html


def card_page(card: CardEntry) -> str:
    body = [
        el("h1", text(card.name), " ", badge(card.shown_status)),
        _facts(card),
        *sections(card.content),
        _gates(card),
        _versions(card),
        _export(card),
        _access(card),
        _drift(card),
    ]
    return page(card.name, "".join(body), root=ROOT)


def _facts(card: CardEntry) -> str:
    live = card.live
    rows = [
        ("Target", text(card.target)),
        ("Status in git", badge(card.status)),
        ("Status in AWS", badge(live.status) if live else text("not read (built from git)")),
        ("Version in AWS", text(live.version or "") if live else text("")),
        ("Owner", text(card.owner)),
        ("Risk rating", text(card.risk_rating)),
        ("File", text(card.file)),
    ]
    return el("dl", *(el("dt", text(k)) + el("dd", v) for k, v in rows), id="facts")


def _gates(card: CardEntry) -> str:
    title = el("h2", "Promotion gates")
    if not card.gates:
        return el(
            "section",
            title,
            el("p", text(f"{card.status} requires nothing."), class_="muted"),
            id="gates",
        )
    rows = [
        (
            text(o.requirement.id),
            text(o.requirement.describe()),
            text(o.found),
            flag(o.held, "held" if not o.excepted else f"excepted: {o.excepted}", "not held"),
        )
        for o in card.gates
    ]
    return el(
        "section", title, table(("Requirement", "Needs", "Found", "Result"), rows), id="gates"
    )


def _versions(card: CardEntry) -> str:
    """The commit that last changed the card's file, then each version AWS holds."""
    title, last = el("h2", "Version history"), _last_change(card)
    if card.live is None:
        note = "Versions in AWS are listed when the site is built with --live."
        return el("section", title, last, el("p", note, class_="muted"), id="versions")
    rows = [
        (
            text(v.number),
            badge(v.status),
            text(v.modified_by or ""),
            text(v.modified_at or ""),
            text(origin(v)),
        )
        for v in card.live.versions
    ]
    listed = table(("Version", "Status", "Who", "When", "Commit"), rows) if rows else ""
    return el("section", title, last, listed, id="versions")


def _last_change(card: CardEntry) -> str:
    change = card.last_change
    if change is None:
        return el("p", "The card's file is not in git history.", class_="muted")
    said = f"Last changed in git by {change.author} on {change.date}, commit {change.commit}"
    return el("p", text(f"{said}: {change.subject}"))


def _export(card: CardEntry) -> str:
    title = el("h2", "PDF export")
    live = card.live
    if live is None:
        body = el("p", "Exports are linked when the site is built with --live.", class_="muted")
    elif live.pdf:
        body = el(
            "p",
            el("a", text(f"PDF of version {live.version}"), href=ROOT + live.pdf),
            " ",
            text(f"(from {live.export_uri})"),
        )
    else:
        body = el(
            "p",
            text(f"No PDF of version {live.version or '-'} yet: reconciler export {card.name}"),
            class_="muted",
        )
    return el("section", title, body, id="export")


def _access(card: CardEntry) -> str:
    rows = [
        (
            text(a.account or ""),
            text(a.principal),
            text(a.share),
            text(a.permission),
            text("yes" if a.outside else "no"),
        )
        for a in card.access
    ]
    title = el("h2", "Who sees this card")
    if not rows:
        return el(
            "section",
            title,
            el("p", "No share gives this card to anyone.", class_="muted"),
            id="access",
        )
    head = ("Account", "Principal", "Share", "Permission", "Outside the Organization")
    return el("section", title, table(head, rows), id="access")


def _drift(card: CardEntry) -> str:
    title = el("h2", "Drift")
    if card.live is None:
        return el(
            "section",
            title,
            el("p", "Drift is checked when the site is built with --live.", class_="muted"),
            id="drift",
        )
    if not card.live.drift:
        return el("section", title, el("p", "None: AWS matches git.", class_="clean"), id="drift")
    rows = [
        (
            text(i.address),
            text(i.kind),
            text(i.summary),
            text(i.detail),
            text("; ".join(e.sentence() for e in i.edits)),
            text(i.remedy),
        )
        for i in card.live.drift
    ]
    head = ("Resource", "Kind", "What", "Detail", "Who", "Remedy")
    return el("section", title, table(head, rows), id="drift")
