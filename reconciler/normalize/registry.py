"""Model versions' embedded cards made comparable: each side's content without the card's
``ignore`` paths, and the content an update writes (git's, with the live values of the
ignored paths, as for standalone cards). Pure; called by ``normalise`` only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.desired.model import DesiredState
from reconciler.live.model import LiveState
from reconciler.normalize.values import kept_live, without_paths

VersionKey = tuple[str, int]  # (group name, version number)


@dataclass(frozen=True, kw_only=True)
class ComparedCard:
    """A version's card on both sides, as compared, and what an update writes."""

    desired: Mapping[str, Any]
    live: Mapping[str, Any] | None  # None: the live version has no card
    write: Mapping[str, Any]


def compared_cards(state: DesiredState, live: LiveState) -> dict[VersionKey, ComparedCard]:
    """Every version git gives a card that exists live, by (group, version)."""
    found: dict[VersionKey, ComparedCard] = {}
    for name, group in state.groups.items():
        held = live.groups.get(name)
        for version in group.versions:
            current = held.versions.get(version.number) if held else None
            if version.card is None or current is None:
                continue
            ignore = version.card.ignore
            live_content = current.content
            found[(name, version.number)] = ComparedCard(
                desired=without_paths(version.card.content, ignore),
                live=without_paths(live_content, ignore) if live_content is not None else None,
                write=kept_live(version.card.content, live_content or {}, ignore),
            )
    return found
