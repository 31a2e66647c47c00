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

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.live.model import LiveCard, LiveState
from reconciler.load.desired import CardSpec, DesiredState, Ownership, ShareSpec

AWS_TAG_PREFIX = "aws:"
COMMIT_TAG = "reconciler-commit"  # the commit of the latest apply that wrote the card
VERSIONS_TAG = "reconciler-versions"  # version numbers → short commits
TRACE_TAG_KEYS = frozenset({COMMIT_TAG, VERSIONS_TAG})


def _kept(key: str) -> bool:
    return not key.startswith(AWS_TAG_PREFIX) and key not in TRACE_TAG_KEYS


@dataclass(frozen=True, kw_only=True)
class Tags:
    """Tags as compared: ``all`` (ownership tags included, no ``aws:`` tags) and ``user``
    (only the tags people set)."""

    all: Mapping[str, str]
    user: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
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


def normalise(state: DesiredState, live: LiveState) -> Normalised:
    """Both sides of the diff, comparable."""
    own = state.config.ownership
    ignored = {name: card.ignore for name, card in state.cards.items()}
    return Normalised(
        state=state,
        live=live,
        cards={n: desired_card(c, own) for n, c in state.cards.items()},
        live_cards={
            n: _comparable(c.content, ignored.get(n, ()), c.tags, own)
            for n, c in live.cards.items()
        },
        write_content={
            n: kept_live(c.content, live.cards[n].content, c.ignore)
            for n, c in state.cards.items()
            if n in live.cards
        },
        seed_content={
            n: with_live_values(c.content, source.content, c.ignore) if c.ignore else c.content
            for n, c in state.cards.items()
            if (source := _stands_for(c, live)) is not None
        },
        share_tags={n: _tags(share_tags(s, own), own) for n, s in state.shares.items()},
        live_share_tags={n: _tags(s.tags, own) for n, s in live.shares.items()},
    )


def _stands_for(card: CardSpec, live: LiveState) -> LiveCard | None:
    """The live card git's card is written over: its own, or the one it renames."""
    names = (card.name, *card.previous_names)
    return next((live.cards[n] for n in names if n in live.cards), None)


def desired_card(card: CardSpec, own: Ownership) -> Comparable:
    """A card of git as the diff compares it."""
    return _comparable(card.content, card.ignore, card_tags(card, own), own)


def compared_content(content: Mapping[str, Any], ignore: tuple[str, ...]) -> dict[str, Any]:
    """Content as compared: without the ignored paths. Not copied when nothing is ignored:
    equality does not depend on key order, and every rendering sorts keys itself."""
    return without_paths(content, ignore) if ignore else dict(content)


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


def parse_content(raw: str | None) -> dict[str, Any]:
    """The card's ``Content`` string as data; an empty or missing string is ``{}``."""
    if not raw:
        return {}
    parsed = json.loads(raw)
    if not isinstance(parsed, dict):
        raise ValueError("model card Content is not a JSON object")
    return parsed


def readable_content(raw: str | None) -> dict[str, Any] | None:
    """``parse_content``, or None when the string is not a JSON object (a card edited
    outside git into something no reader can compare)."""
    try:
        return parse_content(raw)
    except ValueError:
        return None


def canonical(value: Any) -> Any:
    """A deep copy with mapping keys in sorted order, for stable output and hashing."""
    if isinstance(value, Mapping):
        return {k: canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def without_paths(content: Mapping[str, Any], dotted: tuple[str, ...]) -> dict[str, Any]:
    """``content`` with each dotted path removed (paths owned outside git), and with any
    section the removal leaves empty removed too: a parent that held only ignored values
    is not a difference from git leaving it out."""
    result = copy.deepcopy(dict(content))
    for path in dotted:
        *parents, leaf = path.split(".")
        chain: list[dict[str, Any]] = [result]
        for part in parents:
            child = chain[-1].get(part)
            if not isinstance(child, dict):
                break
            chain.append(child)
        else:
            if leaf in chain[-1]:
                chain[-1].pop(leaf)
                for parent, key in zip(reversed(chain[:-1]), reversed(parents), strict=True):
                    if parent[key]:
                        break
                    parent.pop(key)
    return result


def kept_live(
    desired: Mapping[str, Any], live: Mapping[str, Any], dotted: tuple[str, ...]
) -> Mapping[str, Any]:
    """The content an update writes: git's, where each ignored path holds the live value
    (or nothing, when the live card has none), never git's seed value."""
    if not dotted:
        return desired
    return with_live_values(without_paths(desired, dotted), live, dotted)


def with_live_values(
    desired: Mapping[str, Any], live: Mapping[str, Any], dotted: tuple[str, ...]
) -> dict[str, Any]:
    """``desired`` with the values ``live`` holds at the dotted paths (those it lacks stay
    as in ``desired``). UpdateModelCard replaces the whole content, so ignored values must
    be carried over; ``pull`` uses it the other way round, to keep git's ignored values.
    """
    result = copy.deepcopy(dict(desired))
    for path in dotted:
        *parents, leaf = path.split(".")
        source: Any = live
        for part in parents:
            source = source.get(part) if isinstance(source, Mapping) else None
        if not isinstance(source, Mapping) or leaf not in source:
            continue
        target = result
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = copy.deepcopy(source[leaf])
    return canonical(result)  # type: ignore[no-any-return]


def content_json(content: Mapping[str, Any]) -> str:
    """The ``Content`` string to send: canonical key order, compact separators."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def package_arn_of(content: Mapping[str, Any]) -> str | None:
    """The model package a card's content names (as the SageMaker SDK writes it)."""
    details = content.get("model_package_details")
    arn = details.get("model_package_arn") if isinstance(details, Mapping) else None
    return arn if isinstance(arn, str) and arn else None


def export_job_name(card: str, version: int, status: str, attempt: int = 1) -> str:
    """The name of the job that exports ``card`` at ``version`` in ``status``: the same
    inputs always give the same name (so a retry finds its job), a re-export of the same
    version and status counts up ``attempt``. Long card names are shortened with a digest
    to fit the 63 characters SageMaker allows."""
    base = f"-v{version}-{status.lower()}"
    room = 63 - len(base) - 4  # the card's part is the same for attempts up to 999
    if len(card) > room:
        digest = hashlib.sha256(card.encode()).hexdigest()[:8]
        card = f"{card[: room - 9].rstrip('-')}-{digest}"
    return card + base + (f"-{attempt}" if attempt > 1 else "")


def is_export_of(job: str, card: str, version: int, status: str) -> bool:
    """Whether ``job`` is one of the names ``export_job_name`` gives these inputs."""
    first = export_job_name(card, version, status)
    return job == first or (job.startswith(f"{first}-") and job[len(first) + 1 :].isdigit())


TAG_VALUE_LIMIT = 256  # characters AWS allows in a tag value


def parse_versions(value: str) -> dict[int, str]:
    """The version → short commit mapping of a ``reconciler-versions`` tag value."""
    out: dict[int, str] = {}
    for entry in value.split():
        numbers, _, commit = entry.partition("=")
        first, _, last = numbers.partition("-")
        if not (first.isdigit() and (last or first).isdigit() and commit):
            continue  # not ours: a hand edit of the tag is ignored, not fatal
        for number in range(int(first), int(last or first) + 1):
            out[number] = commit
    return out


def format_versions(mapping: dict[int, str]) -> str:
    """Runs of consecutive versions with one commit as ``a-b=commit``; the oldest entries
    are dropped until the value fits in a tag."""
    entries: list[str] = []
    runs: list[tuple[int, int, str]] = []
    for number in sorted(mapping):
        if runs and runs[-1][1] == number - 1 and runs[-1][2] == mapping[number]:
            runs[-1] = (runs[-1][0], number, mapping[number])
        else:
            runs.append((number, number, mapping[number]))
    entries = [f"{a}={c}" if a == b else f"{a}-{b}={c}" for a, b, c in runs]
    while len(" ".join(entries)) > TAG_VALUE_LIMIT:
        entries.pop(0)
    return " ".join(entries)
