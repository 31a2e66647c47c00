"""`reconciler fill`: evidence into a card's YAML, as a change to review.

For each selected card, the sources named on the command line (or, to refresh it, those
its ``evidence:`` section records) are read (``fill_sources``), merged into its content
and provenance (``evidence.merge``), and the file is rewritten as ``pull`` rewrites it:
only the changed values, comments and key order kept. The new file is checked against the
card schema and the content size limit before it is written, and the change is returned as
a unified diff. Nothing is written to AWS; with ``dry_run`` nothing is written at all.

A card is refused, and its file left as it was, when a path the fill would change was
edited by hand since it was filled, or holds a value no fill wrote (unless ``overwrite``),
when a source fills a path under the card's ``ignore:`` (owned by live state, not git), and
when a source cannot be read or parsed. Other cards go on.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reconciler.common.content import content_json
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import count
from reconciler.desired.gates import segment, split_path
from reconciler.desired.model import CardSpec
from reconciler.evidence.merge import Merged, Reading, merge
from reconciler.load.yamlsource import load_text
from reconciler.run.pipeline import Target
from reconciler.validate.rules.cards import MAX_CONTENT_CHARS
from reconciler.validate.schema_check import check
from reconciler.validate.schemas import Kind
from reconciler.workflows.files import inside, rewrite
from reconciler.workflows.fill_sources import Reader, Wanted, read_all, recorded_wanted
from reconciler.workflows.yamlwrite import dump, load_roundtrip, styled, update


@dataclass(frozen=True, kw_only=True)
class FillRequest:
    """Which cards, from which sources (none: the recorded ones), and how to write."""

    names: tuple[str, ...] = ()
    everything: bool = False  # --all: every card with recorded evidence
    wanted: tuple[Wanted, ...] = ()
    dry_run: bool = False
    overwrite: bool = False


@dataclass(kw_only=True)
class FillResult:
    written: list[str] = field(default_factory=list)  # "cards/X.yaml: 2 sources, 9 paths"
    diffs: list[str] = field(default_factory=list)  # unified diffs, one per changed file
    notes: list[str] = field(default_factory=list)  # what a source left out, for people
    failed: list[str] = field(default_factory=list)  # "name: why"


def fill(target: Target, repo: Path, request: FillRequest) -> FillResult:
    """Fill each selected card of ``target``; a card that fails leaves its file as it was."""
    state, result = target.state, FillResult()
    reader = Reader(
        sagemaker=target.session.client("sagemaker"),
        s3=target.session.client("s3"),
        repo=repo,
        now=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    for name in _selected(state.cards, request):
        try:
            _fill_card(reader, state.cards[name], request, result)
        except ReconcilerError as e:
            result.failed.append(f"{name}: {e}")
    return result


def _selected(cards: Mapping[str, CardSpec], request: FillRequest) -> list[str]:
    if request.everything:
        return sorted(n for n, c in cards.items() if c.evidence)
    missing = [n for n in request.names if n not in cards]
    if missing:
        raise ReconcilerError(
            f"no card {', '.join(missing)} in git for this target",
            hint="name cards by their name: field (and --target when there are several)",
        )
    return list(request.names)


def _fill_card(reader: Reader, card: CardSpec, request: FillRequest, result: FillResult) -> None:
    wanted = list(request.wanted) or recorded_wanted(card.evidence)
    if not wanted:
        raise ReconcilerError(
            "it records no evidence yet",
            hint="name its sources: --model, --training-job, --model-package, --evaluation",
        )
    reading = read_all(reader, wanted)
    _not_ignored(card, reading)
    merged = merge(card.content, card.evidence, reading, request.overwrite)
    _no_conflicts(merged)
    result.notes += [f"{card.name}: {n}" for n in reading.notes]
    before = inside(reader.repo, reader.repo / card.file).read_text(encoding="utf-8")
    after = _rendered(before, merged)
    if after == before:
        return
    _check(card.file, after)
    result.diffs.append(_diff(card.file, before, after))
    paths = sum(len(s.fills) for s in merged.sources)
    result.written.append(
        f"{card.file}: {count(len(merged.sources), 'source')}, {count(paths, 'path')}"
    )
    if not request.dry_run:
        rewrite(reader.repo, reader.repo / card.file, after)


def _not_ignored(card: CardSpec, reading: Reading) -> None:
    """A source never fills what the card leaves to live state (``ignore:``): a path under
    an ignored one, or above it (writing the whole would write the ignored part)."""
    ignored = [tuple(i.split(".")) for i in card.ignore]
    filled = {p for f in reading.filled for p in f.values}
    hit = sorted(p for p in filled if any(_overlap(_keys(p), i) for i in ignored))
    if hit:
        raise ReconcilerError(
            f"{hit[0]} is under ignore: (owned by live state, not git): nothing filled",
            hint="remove it from ignore: to keep it in git, or leave it to the pipeline",
        )


def _keys(path: str) -> tuple[str, ...]:
    """The keys a content path goes through (``a[name=x].b`` → ``a``, ``b``): what an
    ``ignore:`` path, which names fields, not list items, is compared with."""
    found = [segment(part) for part in split_path(path)]
    return tuple(str(s["key"]) if s else "" for s in found)


def _overlap(keys: tuple[str, ...], ignored: tuple[str, ...]) -> bool:
    shorter = min(len(keys), len(ignored))
    return keys[:shorter] == ignored[:shorter]


def _no_conflicts(merged: Merged) -> None:
    if merged.conflicts:
        listed = "".join(f"\n  {c}" for c in merged.conflicts)
        raise ReconcilerError(
            f"{count(len(merged.conflicts), 'path')} would be overwritten:{listed}",
            hint="review them, then fill again with --overwrite; or keep a hand edit by "
            "removing its path from the source's fills under evidence:",
        )


def _rendered(text: str, merged: Merged) -> str:
    """The card file's text with the merged content and evidence, edited in place."""
    doc = load_roundtrip(text)
    doc["content"] = update(doc["content"], merged.content)
    sources = [s.as_yaml() for s in merged.sources]
    if not sources:
        doc.pop("evidence", None)
    elif "evidence" in doc:
        doc["evidence"] = update(doc["evidence"], sources)
    else:
        doc["evidence"] = styled(sources)
    return dump(doc, keep_lines=True)


def _check(file: str, text: str) -> None:
    """The new file must hold to the card schema and SageMaker's content limit."""
    loaded = load_text(text, file)
    problems = list(loaded.diagnostics)
    if loaded.document is not None:
        problems += check(loaded.document, Kind.CARD)
    if problems:
        listed = "".join(f"\n  {p.file}:{p.line}:{p.column}: {p.message}" for p in problems)
        raise ReconcilerError(
            f"the filled card would not be valid:{listed}", hint="nothing was written"
        )
    size = len(content_json(_content(loaded.document.data if loaded.document else {})))
    if size > MAX_CONTENT_CHARS:
        raise ReconcilerError(
            f"the filled content would be {size:,} characters; SageMaker takes at most "
            f"{MAX_CONTENT_CHARS:,}",
            hint="fill fewer or smaller reports; nothing was written",
        )


def _content(data: Any) -> dict[str, Any]:
    content = data.get("content") if isinstance(data, dict) else None
    return content if isinstance(content, dict) else {}


def _diff(file: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{file}",
        tofile=f"b/{file}",
    )
    return "".join(lines)
