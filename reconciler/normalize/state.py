"""Normalisation: the one stage that makes desired and live state comparable. Pure.

The pipeline calls ``normalise`` once, after reading live state and before the diff; the
diff compares what it returns and never calls back here. What it does, in one place:

- content: parsed (the live reader hands over parsed ``Content``), each card's ``ignore:``
  paths removed on both sides (copied only then: at fleet scale a copy per card is what
  memory is made of);
- tags: AWS system tags (``aws:``) dropped from live resources, since nobody may change
  them, and so are the time apply last changed a share (``ownership.applied_tag_key``) and
  the audit trail's commit tags (``TRACE_TAG_KEYS``, written by apply), which git does not
  declare; ownership tags added to what git declares, and split from the tags people set;
- the content to write, by the rule of Terraform's ``ignore_changes``: a value git sets at
  an ignored path seeds the card when it is created (and when it is replaced, where the card
  it replaces holds no value there); afterwards the live value is kept. An update writes
  git's content with the live values of the ignored paths and never git's own values there
  (UpdateModelCard replaces the whole content); a replacement carries the old card's values.

Server fields (ARN, version, times, who modified) are typed attributes of ``LiveCard``,
shown in reports and never compared. ``Content`` as sent and received (``content_json``,
``parse_content``) is defined here too, so both directions agree on the canonical form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.common.names import AWS_TAG_PREFIX, TRACE_TAG_KEYS
from reconciler.desired.model import CardSpec, DesiredState, Ownership, ShareSpec
from reconciler.live.model import LiveCard, LiveState
from reconciler.normalize.registry import ComparedCard, VersionKey, compared_cards
from reconciler.normalize.values import kept_live, with_live_values, without_paths


def _kept(key: str) -> bool:
    return not key.startswith(AWS_TAG_PREFIX) and key not in TRACE_TAG_KEYS


@dataclass(frozen=True, kw_only=True, slots=True)
class Tags:
    """Tags as compared: ``all`` (ownership tags included, no ``aws:`` tags) and ``user``
    (only the tags people set)."""

    all: Mapping[str, str]
    user: Mapping[str, str]


@dataclass(frozen=True, kw_only=True, slots=True)
class Comparable:
    """A card's compared values on one side: content without its ignored paths, and tags."""

    content: Mapping[str, Any]
    tags: Tags


@dataclass(frozen=True, kw_only=True)
class Normalised:
    """Desired and live state with everything the diff compares made comparable."""

    state: DesiredState
    live: LiveState
    cards: Mapping[str, Comparable]  # git's cards, by name
    live_cards: Mapping[str, Comparable]  # live cards, under the ignore paths of git's card
    write_content: Mapping[str, Mapping[str, Any]]  # updates of git's cards that exist live
    seed_content: Mapping[str, Mapping[str, Any]]  # creating one that replaces a live card
    share_tags: Mapping[str, Tags]  # git's shares, by name
    live_share_tags: Mapping[str, Tags]  # live shares, by their key in ``live.shares``
    # model versions' embedded cards, by (group, version): see ``normalize.registry``
    version_cards: Mapping[VersionKey, ComparedCard] = field(default_factory=dict)
    # the tags of each group whose file declares ``tags`` and exists live: (git, live)
    group_tags: Mapping[str, tuple[Tags, Tags]] = field(default_factory=dict)


def normalise(state: DesiredState, live: LiveState) -> Normalised:
    """Both sides of the diff, comparable."""
    own = state.config.ownership
    return Normalised(
        state=state,
        live=live,
        cards={n: desired_card(c, own) for n, c in state.cards.items()},
        live_cards=_live_cards(state, live),
        write_content=_write_content(state, live),
        seed_content=_seed_content(state, live),
        share_tags={n: _tags(share_tags(s, own), own) for n, s in state.shares.items()},
        live_share_tags={n: _tags(s.tags, own) for n, s in live.shares.items()},
        version_cards=compared_cards(state, live),
        group_tags=_group_tags(state, live),
    )


def _group_tags(state: DesiredState, live: LiveState) -> dict[str, tuple[Tags, Tags]]:
    """Each group's tags on both sides, where git declares them and the group exists. The
    reconciler does not create groups, so no ownership tags are added to git's."""
    own = state.config.ownership
    return {
        name: (_tags(group.tags, own), _tags(held.tags, own))
        for name, group in sorted(state.groups.items())
        if group.tags is not None and (held := live.groups.get(name)) is not None
    }


def _live_cards(state: DesiredState, live: LiveState) -> dict[str, Comparable]:
    """Live cards as compared: under the ignore paths of git's card of the same name."""
    own = state.config.ownership
    ignored = {name: card.ignore for name, card in state.cards.items()}
    return {
        n: _comparable(c.content, ignored.get(n, ()), c.tags, own) for n, c in live.cards.items()
    }


def _write_content(state: DesiredState, live: LiveState) -> dict[str, Mapping[str, Any]]:
    """What an update of each live card writes: git's content, live values at ignored paths."""
    return {
        n: kept_live(c.content, live.cards[n].content, c.ignore)
        for n, c in state.cards.items()
        if n in live.cards
    }


def _seed_content(state: DesiredState, live: LiveState) -> dict[str, Mapping[str, Any]]:
    """What creating a card that replaces a live one writes: the live values it carries."""
    return {
        n: with_live_values(c.content, source.content, c.ignore) if c.ignore else c.content
        for n, c in state.cards.items()
        if (source := _stands_for(c, live)) is not None
    }


def _stands_for(card: CardSpec, live: LiveState) -> LiveCard | None:
    """The live card git's card is written over: its own, or the one it renames."""
    names = (card.name, *card.previous_names)
    return next((live.cards[n] for n in names if n in live.cards), None)


def desired_card(card: CardSpec, own: Ownership) -> Comparable:
    """A card of git as the diff compares it."""
    return _comparable(card.content, card.ignore, card_tags(card, own), own)


def compared_content(content: Mapping[str, Any], ignore: tuple[str, ...]) -> Mapping[str, Any]:
    """Content as compared: without the ignored paths. Not copied when nothing is ignored:
    equality does not depend on key order, and every rendering sorts keys itself."""
    return without_paths(content, ignore) if ignore else content


def matches_git(card: CardSpec, content: Mapping[str, Any]) -> bool:
    """True when ``content`` (any version of the card) equals git's, ignored paths aside."""
    return compared_content(content, card.ignore) == compared_content(card.content, card.ignore)


def card_tags(card: CardSpec, own: Ownership) -> dict[str, str]:
    """The card's tags plus the ownership tags the reconciler keeps on what it manages."""
    return {**card.tags, own.tag_key: own.tag_value, own.source_tag_key: card.file}


def share_tags(share: ShareSpec, own: Ownership) -> dict[str, str]:
    """The share's tags plus the ownership tags."""
    return {**share.tags, own.tag_key: own.tag_value, own.source_tag_key: share.file}


def user_tags(tags: Mapping[str, str], own: Ownership) -> dict[str, str]:
    """Tags a person set: without the ownership tags and AWS system tags."""
    return {
        k: v
        for k, v in tags.items()
        if k not in (own.tag_key, own.source_tag_key, own.applied_tag_key) and _kept(k)
    }


def _comparable(
    content: Mapping[str, Any], ignore: tuple[str, ...], tags: Mapping[str, str], own: Ownership
) -> Comparable:
    return Comparable(content=compared_content(content, ignore), tags=_tags(tags, own))


def _tags(tags: Mapping[str, str], own: Ownership) -> Tags:
    kept = {k: v for k, v in sorted(tags.items()) if _kept(k) and k != own.applied_tag_key}
    return Tags(all=kept, user=user_tags(kept, own))
