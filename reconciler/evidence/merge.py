"""What a fill does to one card: the sources just read merged into the content and the
``evidence:`` section the card already has. Pure.

- A source replaces the recorded source of its slot (``Source.slot``: one model, one
  training job, one model package; a report replaces itself); a training job found from
  a model loses its place when the model no longer leads to one (its slot ``cleared``).
  The paths a replaced source filled that the new one does not are removed from the
  content.
- A path is owned by one source: a new source that fills a path another recorded source
  filled takes it over.
- Before anything is written or removed, each path is checked: a value that no longer has
  the digest recorded when it was filled was edited by hand, and a value there that no
  fill wrote differs from what would be written; either is a ``conflict``, and nothing
  is merged unless ``overwrite``.
- A source read again at the same version with the same values is kept as recorded (its
  ``read_at`` too), so refreshing an unchanged card changes nothing in its file.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reconciler.desired.evidence import Source, digest
from reconciler.desired.gates import located
from reconciler.evidence.paths import remove_at, set_at
from reconciler.evidence.values import EvidenceProblem, shown

Slot = tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Filled:
    """What one source fills as read now: its evidence entry and the values by path."""

    source: Source
    values: Mapping[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Reading:
    """What reading the requested sources gave: what they fill, the slots left with no
    source, and notes for people."""

    filled: tuple[Filled, ...] = ()
    cleared: frozenset[Slot] = frozenset()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Merged:
    """The card's new content and evidence, and the paths a fill may not change."""

    content: dict[str, Any]
    sources: tuple[Source, ...]
    conflicts: tuple[str, ...] = ()


def filled(source: Source, values: Mapping[str, Any], notes: Sequence[str] = ()) -> Filled:
    """``source`` recording the digest of each value it fills."""
    fills = {path: digest(value) for path, value in values.items()}
    return Filled(source=replace(source, fills=fills), values=dict(values), notes=tuple(notes))


def merge(
    content: Mapping[str, Any], recorded: Sequence[Source], reading: Reading, overwrite: bool
) -> Merged:
    """The content and evidence after ``reading``; conflicts unless ``overwrite``."""
    _one_writer(reading.filled)
    new = {f.source.slot: f for f in reading.filled}
    gone = [s for s in recorded if s.slot in new or _cleared(s, reading.cleared)]
    writes = {p: v for f in reading.filled for p, v in f.values.items()}
    removals = sorted({p for s in gone for p in s.fills} - set(writes))
    owners = {p: d for s in recorded for p, d in s.fills.items()}
    conflicts = [
        c for p in [*writes, *removals] if (c := _conflict(content, p, owners.get(p), writes))
    ]
    if conflicts and not overwrite:
        return Merged(content=dict(content), sources=tuple(recorded), conflicts=tuple(conflicts))
    result = copy.deepcopy(dict(content))
    for path in removals:
        remove_at(result, path)
    for path, value in writes.items():
        set_at(result, path, value)
    return Merged(content=result, sources=_sources(recorded, new, reading.cleared))


def _cleared(source: Source, cleared: frozenset[Slot]) -> bool:
    """A source found from another (a model's training job) whose finding found none."""
    return source.slot in cleared and source.found_from is not None


def _one_writer(readings: Sequence[Filled]) -> None:
    """Two sources read now never fill one path (two reports naming one metric group)."""
    seen: dict[str, Source] = {}
    for reading in readings:
        for path in reading.values:
            if path in seen:
                raise EvidenceProblem(
                    f"'{path}' would be filled by {_named(seen[path])} and by "
                    f"{_named(reading.source)}: give the reports different evaluation names"
                )
            seen[path] = reading.source


def _named(source: Source) -> str:
    return f"{source.kind.value} {shown(source.location, 200)}"


def _conflict(
    content: Mapping[str, Any], path: str, owned: str | None, writes: Mapping[str, Any]
) -> str | None:
    """Why ``path`` may not be changed, if it may not."""
    found = located(content, path)
    if not found:
        return None
    current = found[0][1]
    if path in writes and current == writes[path]:
        return None
    if owned is not None and digest(current) != owned:
        return f"{path}: edited by hand since it was filled"
    if owned is None:
        return f"{path}: written by hand, not filled; fill would replace it"
    return None


def _sources(
    recorded: Sequence[Source], new: Mapping[Slot, Filled], cleared: frozenset[Slot]
) -> tuple[Source, ...]:
    """Recorded sources in their order, each replaced by its slot's new source (kept as
    recorded when nothing about it changed), then sources of new slots; every path owned
    by the latest source that fills it."""
    taken = {p for f in new.values() for p in f.values}
    out: list[Source] = []
    for source in recorded:
        if source.slot in new:
            out.append(_unless_same(source, new[source.slot].source))
        elif not _cleared(source, cleared):
            kept = {p: d for p, d in source.fills.items() if p not in taken}
            out += [replace(source, fills=kept)] if kept else []
    present = {s.slot for s in recorded}
    out += [f.source for slot, f in new.items() if slot not in present]
    return tuple(out)


def _unless_same(old: Source, new: Source) -> Source:
    """``old`` when ``new`` read the same version to the same values."""
    same = replace(new, read_at=old.read_at) == old
    return old if same else new
