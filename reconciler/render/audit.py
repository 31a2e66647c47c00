"""Renderers for ``reconciler history`` and ``reconciler export``: text for people,
JSON for machines (shapes in docs/formats.md, versioned by format_version)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from reconciler.common.words import count, printable
from reconciler.render import Registry
from reconciler.reports.audit import (
    FORMAT_VERSION,
    ExportReport,
    HistoryReport,
    VersionEvent,
    VersionHistoryReport,
    origin,
    version_json,
)

HISTORY: Registry[HistoryReport] = Registry("card histories")
EXPORTS: Registry[ExportReport] = Registry("export reports")
VERSION_HISTORY: Registry[VersionHistoryReport] = Registry("model version histories")


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
    return _document(
        context=dict(report.context),
        card=report.card,
        versions=[version_json(v) for v in report.versions],
    )


def _document(**body: Any) -> str:
    """A versioned JSON document of ``body``."""
    return json.dumps({"format_version": FORMAT_VERSION, **body}, indent=2, sort_keys=True) + "\n"


@VERSION_HISTORY.register("text")
def version_history_text(report: VersionHistoryReport) -> str:
    now = report.current
    lines = [
        f"History of model version {report.version} "
        f"({count(len(report.events), 'change')} in CloudTrail's 90 days)",
        f"  now: approval {now.approval}, card {now.card_status or 'none'}, "
        f"stage {now.stage or 'none'}; last modified by {now.modified_by or 'unknown'} "
        f"at {now.modified_at or '-'}",
    ]
    lines += [f"  {printable(_event_line(e))}" for e in report.events]
    lines += [f"  note: {printable(report.note)}"] if report.note else []
    return "\n".join(lines) + "\n"


def _event_line(event: VersionEvent) -> str:
    who = event.identity or "unknown"
    where = f" in {event.account}" if event.account else ""
    return f"{event.time}  {who}{where}  {event.call}: {', '.join(event.parts) or 'nothing'}"


@VERSION_HISTORY.register("json")
def version_history_json(report: VersionHistoryReport) -> str:
    return _document(
        context=dict(report.context),
        version=report.version,
        arn=report.arn,
        current=asdict(report.current),
        events=[asdict(e) for e in report.events],
        note=report.note or None,
    )


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
