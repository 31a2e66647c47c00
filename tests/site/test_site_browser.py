"""The catalogue as a person sees it, in headless Chromium: every card on the index with
its status badge, the account filter, a card's sections and metric charts, the sharing
picture, a hostile card that runs nothing; and on every page no console error and no
request outside the site. Screenshots of the index and a card page are kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.site.cards import CREDIT, EXAMPLE, FRAUD, HOSTILE, IMAGE, LINK, PAYLOAD
from tests.site.chromium import keep_screenshot

STATUSES = {EXAMPLE: "Draft", FRAUD: "Approved", CREDIT: "PendingReview", HOSTILE: "Draft"}
SECTIONS = [
    "model-overview",
    "intended-uses",
    "business-details",
    "training-details",
    "evaluation-details",
    "additional-information",
    "model-package-details",
    "gates",
    "versions",
    "export",
    "access",
    "drift",
]


@dataclass
class Visit:
    """A page and what the browser reported while showing it."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Any, built_site: Path) -> Iterator[Callable[[str], Visit]]:
    """``visit(path)``: the page at ``path`` of the site, in a fresh context that refuses
    (and records) every request outside the site's folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    root = built_site.resolve().as_uri() + "/"
    visits: list[Visit] = []

    def route(found: Any) -> None:
        inside = found.request.url.startswith(root)
        if not inside:
            visits[-1].outside.append(found.request.url)
        found.continue_() if inside else found.abort()

    context.route("**/*", route)

    def open_page(path: str) -> Visit:
        page = context.new_page()
        seen = Visit(page=page)
        visits.append(seen)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(root + path)
        page.wait_for_load_state("load")
        return seen

    yield open_page
    context.close()
    for seen in visits:
        assert seen.errors == [], seen.errors
        assert seen.outside == [], f"requests outside the site: {seen.outside}"
        assert seen.dialogs == []


def _visible_cards(visit: Visit) -> list[str]:
    rows = visit.page.locator("#cards tbody tr:visible td:first-child")
    return sorted(rows.all_inner_texts())


def test_the_index_lists_every_card_with_its_status_badge(visit: Callable[[str], Visit]) -> None:
    index = visit("index.html")
    rows = index.page.locator("#cards tbody tr")
    assert rows.count() == len(STATUSES)
    for name, status in STATUSES.items():
        row = rows.filter(has=index.page.get_by_role("link", name=name, exact=True))
        assert row.locator(".badge").first.inner_text() == status
        assert f"status-{status}" in (row.locator(".badge").first.get_attribute("class") or "")
    assert index.page.locator("#shown").inner_text() == "4 of 4 cards shown"
    keep_screenshot(index.page, "catalogue-index.png")


def test_filtering_by_account_shows_the_cards_it_sees(visit: Callable[[str], Visit]) -> None:
    index = visit("index.html")
    assert index.page.locator("#filters").is_visible()
    index.page.select_option("select[name=accounts]", "444444444444")  # prod: Approved only
    assert _visible_cards(index) == [FRAUD]
    index.page.select_option("select[name=accounts]", "333333333333")  # test: in review too
    assert _visible_cards(index) == [CREDIT, FRAUD]
    index.page.select_option("select[name=status]", "PendingReview")
    assert _visible_cards(index) == [CREDIT]
    assert index.page.locator("#shown").inner_text() == "1 of 4 cards shown"
    index.page.select_option("select[name=accounts]", "")
    index.page.select_option("select[name=status]", "")
    index.page.locator("#cards th", has_text="Card").click()
    assert index.page.locator("#cards tbody tr td:first-child").all_inner_texts() == sorted(
        STATUSES
    )


def test_the_index_without_script_shows_every_card(browser: Any, built_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((built_site / "index.html").resolve().as_uri())
    assert page.locator("#cards tbody tr").count() == len(STATUSES)
    assert not page.locator("#filters").is_visible()  # the choices need the script
    prod = page.locator("#by-account h3", has_text="444444444444")
    assert prod.count() == 1
    assert page.locator("#by-account ul").nth(2).inner_text().strip() == f"{FRAUD} (default)"
    context.close()


def test_a_card_page_shows_each_section_and_its_metric_charts(
    visit: Callable[[str], Visit],
) -> None:
    card = visit(f"cards/default/{FRAUD}.html")
    ids = card.page.locator("main > section").evaluate_all("all => all.map(s => s.id)")
    assert ids == SECTIONS
    for section in SECTIONS:
        assert card.page.locator(f"#{section} h2").is_visible()
    assert card.page.locator("svg.chart-matrix rect.cell").count() == 4
    assert card.page.locator("svg.chart-bar_chart rect.bar").count() == 3
    assert card.page.locator("svg.chart-linear_graph polyline").count() == 1
    assert card.page.locator("svg.chart-matrix").is_visible()
    assert card.page.locator("#gates").inner_text().count("held") == 2
    assert "prod" in card.page.locator("#access").inner_text()
    keep_screenshot(card.page, "catalogue-card.png")


def test_the_sharing_page_draws_every_account(visit: Callable[[str], Visit]) -> None:
    graph = visit("sharing.html")
    accounts = graph.page.locator("svg.sharing g.node-account")
    assert accounts.count() == 3
    names = accounts.evaluate_all("all => all.map(g => g.getAttribute('data-name'))")
    assert names == ["222222222222", "333333333333", "444444444444"]
    assert graph.page.locator("svg.sharing g.node-account text.name").first.text_content() == (
        "dev (222222222222)"
    )
    assert graph.page.locator("svg.sharing .node.outside").count() == 1  # dev
    assert graph.page.locator("svg.sharing path.edge").count() > 0


def test_a_hostile_card_runs_no_script_and_shows_as_text(visit: Callable[[str], Visit]) -> None:
    for path in ("index.html", f"cards/default/{HOSTILE}.html"):
        seen = visit(path)
        assert seen.page.evaluate("window.__pwned") is None
        assert seen.page.locator("main img, main script, main a[href^='javascript']").count() == 0
        text = seen.page.locator("main").inner_text()
        assert PAYLOAD in text
        if path != "index.html":
            assert IMAGE in text and LINK in text
            assert seen.page.evaluate("document.body.innerText.includes('A'.repeat(99000))")
