"""An evaluation report, as bytes read from S3 or a file, parsed by its format into the
metric groups of one ``evaluation_details`` entry. Pure.

The bytes are untrusted: at most ``MAX_REPORT_BYTES``, UTF-8 JSON (no ``NaN`` or
``Infinity``, which JSON does not have), then the format's parser (``clarify``,
``explainability``, ``monitor``, ``card_metrics``). What a parser leaves out is noted;
what makes the report unusable is an ``EvidenceProblem``, and nothing is filled from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reconciler.desired.evidence import MAX_REPORT_BYTES, SourceKind
from reconciler.evidence.card_metrics import metric_groups
from reconciler.evidence.clarify import bias_groups
from reconciler.evidence.explainability import explanation_groups
from reconciler.evidence.monitor import quality_group
from reconciler.evidence.values import EvidenceProblem, Notes

_SECTIONS = {
    SourceKind.MODEL_MONITOR_REGRESSION: "regression_metrics",
    SourceKind.MODEL_MONITOR_BINARY: "binary_classification_metrics",
    SourceKind.MODEL_MONITOR_MULTICLASS: "multiclass_classification_metrics",
}


@dataclass(frozen=True, kw_only=True)
class ParsedReport:
    """The metric groups a report holds, and what was left out of it."""

    groups: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = ()


def parse_report(kind: SourceKind, raw: bytes) -> ParsedReport:
    """The metric groups of a report of format ``kind``; EvidenceProblem when unusable."""
    document = decode(raw)
    notes = Notes()
    groups = _groups(kind, document, notes)
    _distinct(groups)
    return ParsedReport(groups=tuple(groups), notes=tuple(notes.lines))


def decode(raw: bytes) -> Any:
    """A JSON document from untrusted bytes."""
    if not raw.strip():
        raise EvidenceProblem("the report is empty")
    if len(raw) > MAX_REPORT_BYTES:
        raise EvidenceProblem(f"the report is {len(raw):,} bytes; at most {MAX_REPORT_BYTES:,}")
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as e:
        raise EvidenceProblem(f"the report is not UTF-8 text (byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise EvidenceProblem(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    except RecursionError as e:
        raise EvidenceProblem("the report nests too deeply to be a report") from e


def _no_constant(name: str) -> Any:
    raise EvidenceProblem(f"{name} is not a JSON value")


def _groups(kind: SourceKind, document: Any, notes: Notes) -> list[dict[str, Any]]:
    if kind in _SECTIONS:
        return quality_group(document, _SECTIONS[kind], notes)
    if kind is SourceKind.CLARIFY_BIAS:
        return bias_groups(document, notes)
    if kind is SourceKind.CLARIFY_EXPLAINABILITY:
        return explanation_groups(document, notes)
    if kind is SourceKind.CARD_METRICS:
        return metric_groups(document)
    raise EvidenceProblem(f"{kind.value} is not a report format")


def _distinct(groups: list[dict[str, Any]]) -> None:
    """Group names name paths: two groups of one name would be one path."""
    seen: set[str] = set()
    for group in groups:
        if group["name"] in seen:
            raise EvidenceProblem(f"two metric groups are named {group['name']!r}")
        seen.add(group["name"])
