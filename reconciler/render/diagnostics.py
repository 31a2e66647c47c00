"""Renderers for validation reports: text for people, JSON for machines, GitHub annotations.

The JSON shape is documented in docs/formats.md ("validate --format json") and versioned by
``format_version``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.common.words import count
from reconciler.render import Registry

FORMAT_VERSION = "1"


@dataclass(frozen=True)
class ValidationReport:
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


DIAGNOSTICS: Registry[ValidationReport] = Registry("validation reports")


@DIAGNOSTICS.register("text")
def text(report: ValidationReport) -> str:
    lines = [
        f"{d.file}:{d.line}:{d.column}: {d.severity.value}: {d.path}: {d.message} [{d.code}]"
        for d in report.diagnostics
    ]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: ValidationReport) -> str:
    counts = Counter(d.severity for d in report.diagnostics)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    files = len({d.file for d in report.diagnostics if d.severity is Severity.ERROR})
    checked = f"{count(len(report.files), 'file')} checked"
    if not errors:
        tail = f", {count(warnings, 'warning')}" if warnings else ""
        return f"valid: {checked}{tail}"
    return (
        f"invalid: {count(errors, 'error')} in {count(files, 'file')}, "
        f"{count(warnings, 'warning')} ({checked})"
    )


@DIAGNOSTICS.register("json")
def as_json(report: ValidationReport) -> str:
    body = {
        "format_version": FORMAT_VERSION,
        "valid": report.valid,
        "files": list(report.files),
        "problems": [
            {**diagnostic_json(d), "severity": d.severity.value} for d in report.diagnostics
        ],
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    """Where a problem is and what it is, as the JSON reports show it."""
    return {
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "path": d.path,
        "code": d.code,
        "message": d.message,
    }


@DIAGNOSTICS.register("github")
def github(report: ValidationReport) -> str:
    """Workflow commands that GitHub shows as annotations on the changed lines."""
    lines = [
        f"::{d.severity.value} file={_prop(d.file)},line={d.line},col={d.column},"
        f"title={_prop(d.code)}::{_data(d.path + ': ' + d.message)}"
        for d in report.diagnostics
    ]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
