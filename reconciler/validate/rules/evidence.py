"""Rules about a card's provenance (``evidence:``, written by ``reconciler fill``;
``desired.evidence``): each source is of a shape its kind allows, each filled path parses
and is filled by one source only, and each filled value still has the digest recorded
when it was filled. A value edited by hand is a warning on the value itself: the next
``fill`` refuses to overwrite it without ``--overwrite``.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.desired.evidence import Source, digest
from reconciler.desired.gates import located, path_problem
from reconciler.desired.model import CardSpec
from reconciler.load.yamlsource import SourceDocument
from reconciler.validate.rules.base import Rule, RuleInput, at


def sources_well_formed(data: RuleInput) -> Iterator[Diagnostic]:
    """A report names its evaluation and lives in S3 or the repository; a resource is an
    ARN and names no evaluation."""
    for card in data.cards:
        doc = data.documents[card.file]
        for i, source in enumerate(card.evidence):
            problem = _source_problem(source)
            if problem:
                yield at(doc, ("evidence", i), problem, "evidence-source")


def _source_problem(source: Source) -> str | None:
    kind = source.kind.value
    if source.kind.is_report:
        if source.evaluation is None:
            return f"a {kind} report fills an evaluation: name it with 'evaluation'"
        if source.location.startswith("arn:") or source.found_from is not None:
            return f"a {kind} report is an s3:// URI or a file of the repository"
        return None
    if not source.location.startswith("arn:") or source.evaluation is not None:
        return f"a {kind} source is its ARN and names no evaluation"
    if source.found_from is not None and kind != "training-job":
        return "only a training job is found from a model"
    return None


def paths_well_formed(data: RuleInput) -> Iterator[Diagnostic]:
    """Every filled path parses, and no path is filled by two sources."""
    for card in data.cards:
        doc = data.documents[card.file]
        owner: dict[str, int] = {}
        for i, source in enumerate(card.evidence):
            for path in source.fills:
                where = ("evidence", i, "fills", path)
                problem = path_problem(path)
                if problem:
                    yield at(doc, where, problem, "evidence-path", key=True)
                elif path in owner:
                    message = f"'{path}' is also filled by evidence entry {owner[path] + 1}"
                    yield at(doc, where, message, "evidence-path", key=True)
                owner.setdefault(path, i)


def filled_values_unedited(data: RuleInput) -> Iterator[Diagnostic]:
    """Each filled value still holds what ``fill`` wrote there (by its digest)."""
    for card in data.cards:
        doc = data.documents[card.file]
        for i, source in enumerate(card.evidence):
            for path, recorded in source.fills.items():
                if path_problem(path) is None:
                    yield from _edited(doc, card, (i, source), path, recorded)


def _edited(
    doc: SourceDocument, card: CardSpec, entry: tuple[int, Source], path: str, recorded: str
) -> Iterator[Diagnostic]:
    i, source = entry
    found = located(card.content, path)
    origin = f"{source.kind.value} {_shown(source)}"
    if len(found) != 1:
        what = "is no longer in the content" if not found else "names more than one value"
        yield at(
            doc,
            ("evidence", i, "fills", path),
            f"'{path}', filled from {origin}, {what}: run `reconciler fill {card.name}` "
            "to fill it again, or remove it from this source's fills to let it go",
            "evidence-edited",
            key=True,
            severity=Severity.WARNING,
        )
    elif digest(found[0][1]) != recorded:
        yield at(
            doc,
            ("content", *found[0][0]),
            f"edited by hand after `reconciler fill` filled it from {origin} ('{path}'): "
            "the next fill refuses to overwrite it without --overwrite; to keep the edit, "
            "remove the path from that source's fills under evidence:",
            "evidence-edited",
            severity=Severity.WARNING,
        )


def _shown(source: Source) -> str:
    """An ARN or S3 URI as it is; a file of the repository (never holds ':') named so."""
    return source.location if ":" in source.location else f"file {source.location}"


RULES: list[Rule] = [sources_well_formed, paths_well_formed, filled_values_unedited]
