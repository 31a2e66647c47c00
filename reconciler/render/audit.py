"""Renderers for ``reconciler history`` and ``reconciler export``: text for people,
JSON for machines (shapes in docs/formats.md, versioned by format_version)."""

from __future__ import annotations

import json

from reconciler.common.words import count
from reconciler.render import Registry
from reconciler.reports.audit import (
    FORMAT_VERSION,
    ExportReport,
    HistoryReport,
    origin,
    version_json,
)

HISTORY: Registry[HistoryReport] = Registry("card histories")
EXPORTS: Registry[ExportReport] = Registry("export reports")


@HISTORY.register("text")
def history_text(report: HistoryReport) -> str:
    lines = [f"History of model card {report.card} ({count(len(report.versions), 'version')})"]
    for v in report.versions:
        lines.append(
            f"  v{v.number}  {v.status:<13} {v.modified_at or '-'}  "
            f"{v.modified_by or 'unknown'}  {origin(v)}"
        )
    return "\n".join(lines) + "\n"


@HISTORY.register("json")
def history_json(report: HistoryReport) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "context": dict(report.context),
        "card": report.card,
        "versions": [version_json(v) for v in report.versions],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


@EXPORTS.register("text")
def export_text(report: ExportReport) -> str:
    how = "exported and downloaded" if report.exported else "downloaded"
    return f"{report.card} version {report.version}: {how} {report.uri} to {report.file}\n"


@EXPORTS.register("json")
def export_json(report: ExportReport) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "card": report.card,
        "version": report.version,
        "uri": report.uri,
        "file": report.file,
        "exported": report.exported,
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
