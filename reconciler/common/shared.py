"""One copy of each short string, however many cards hold it. Pure.

A fleet repeats its short values: metric and parameter names, risk ratings, owners,
container images, tag keys, the identities that edit cards. A Python string costs about 50
bytes before its first character, so at 10,000 cards those copies are tens of megabytes.
Strings up to ``UP_TO`` characters are interned (``sys.intern``: freed again when nothing
holds them); longer text, such as descriptions, is mostly one card's own and kept as it is.
"""

from __future__ import annotations

import sys

UP_TO = 64  # characters


def shared(text: str) -> str:
    """The one copy of ``text`` when it is short; ``text`` itself otherwise."""
    return sys.intern(text) if len(text) <= UP_TO else text
