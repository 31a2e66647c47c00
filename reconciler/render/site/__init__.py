"""The catalogue as a static site (`reconciler site`): an index of every card, a page per
card, and who sees which card, as HTML files with no server, no build tool and nothing
loaded from elsewhere. Pure: ``render_site`` returns each page's text by its path in the
site; the workflow that gathered the catalogue writes them.

Every value is escaped (``markup``) and each page carries a Content Security Policy that
allows only the site's own style and script, by hash (``assets``).
"""

from __future__ import annotations

from reconciler.render.site.card import card_page
from reconciler.render.site.index import index_page
from reconciler.render.site.page import INDEX, SHARING
from reconciler.render.site.sharing import sharing_page
from reconciler.reports.catalogue import Catalogue


def render_site(catalogue: Catalogue) -> dict[str, str]:
    """Every page of the site, by its path relative to the site's root."""
    pages = {INDEX: index_page(catalogue), SHARING: sharing_page(catalogue)}
    pages.update({card.page: card_page(card) for card in catalogue.cards})
    return pages
