"""Renderers for drift reports: text for terminals, Markdown for a GitHub issue body,
JSON for machines (shape in docs/formats.md, versioned by format_version).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from reconciler.common.words import count
from reconciler.plan.model import MISSING, FieldChange
from reconciler.render import Registry
from reconciler.render.graph import mermaid_change
from reconciler.render.labels import labelled, labelled_text
from reconciler.render.plan_common import show
from reconciler.render.plan_markdown import word_diffs
from reconciler.render.worddiff import ansi, inline, is_long
from reconciler.reports.audit import origin, version_json
from reconciler.reports.drift import FORMAT_VERSION, DriftItem, DriftReport

DRIFT: Registry[DriftReport] = Registry("drift reports")
VALUE_LIMIT = 200
ISSUE_LIMIT = 65_000


def _headline(report: DriftReport) -> str:
    checked = (
        f"{count(report.cards_checked, 'card')} and {count(report.shares_checked, 'share')} checked"
    )
    if not report.has_drift:
        return f"No drift: live state matches git ({checked})."
    n = len(report.items)
    return f"{count(n, 'difference')} from git ({checked})."


def _field(item: FieldChange, report: DriftReport) -> str:
    names, paint = report.names, ansi if report.color else None
    if is_long(item.after, item.before):
        return f"{item.path}: from git to live: {inline(item.after, item.before, paint)}"
    before, after = (labelled(item.path, v, names) for v in (item.before, item.after))
    live = "(absent)" if item.before is MISSING else show(before, VALUE_LIMIT)
    git = "(absent)" if item.after is MISSING else show(after, VALUE_LIMIT)
    return f"{item.path}: live {live}, git {git}"


@DRIFT.register("text")
def text(report: DriftReport) -> str:
    lines = [
        f"Model card drift for account {report.context.get('account', '?')} in "
        f"{report.context.get('region', '?')}",
        "",
    ]
    for item in report.items:
        lines.append(f"! {item.address} [{item.kind}]: {item.summary}")
        lines += [f"    {e.sentence()}" for e in item.edits]
        lines += [f"    {labelled_text(e.sentence(), report.names)}" for e in item.trail.edits]
        lines += [f"    {labelled_text(item.trail.note, report.names)}"] if item.trail.note else []
        lines += [f"    {_field(f, report)}" for f in item.fields]
        detail = labelled_text(item.detail, report.names)
        lines += [f"    {detail}"] if detail and not item.fields else []
        lines += [f"    remedy: {item.remedy}"] if item.remedy else []
        lines += _versions(item)
        lines.append("")
    lines += [f"warning: {w}" for w in report.warnings]
    lines.append(_headline(report))
    return "\n".join(lines) + "\n"


def _versions(item: DriftItem) -> list[str]:
    if not item.versions:
        return []
    return ["    live versions:"] + [
        f"      v{v.number} {v.status} at {v.modified_at or '?'} by "
        f"{v.modified_by or 'an unknown identity'}: {origin(v)}"
        for v in item.versions
    ]


@DRIFT.register("markdown")
def markdown(report: DriftReport) -> str:
    head = [
        "<!-- modelcard-reconciler:drift -->",
        f"### Model card drift: {_headline(report)}",
        "",
        f"Account `{report.context.get('account', '?')}`, region "
        f"`{report.context.get('region', '?')}`.",
        "",
        *[f"> ⚠️ {html.escape(w, quote=False)}" for w in report.warnings],
        *([""] if report.warnings else []),
    ]
    sections = [_section(item, report.names) for item in report.items]
    head += _topology(report)
    body, used, left = list(head), sum(len(x) + 1 for x in head), 0
    for section in sections:
        if used + len(section) > ISSUE_LIMIT:
            left += 1
            continue
        body.append(section)
        used += len(section) + 1
    if left:
        body.append(
            f"> ✂️ {left} more differences left out to fit a GitHub issue; run "
            "`reconciler drift --format json` for all of them."
        )
    return "\n".join(body) + "\n"


def _topology(report: DriftReport) -> list[str]:
    """The sharing that changed outside git, when it fits in a quarter of the issue."""
    if report.topology is None:
        return []
    legend = (
        "Green and *added*: access live has that git does not declare; red, dashed and "
        "*removed*: access git declares that live lacks; a changed status or permission "
        "reads git → live."
    )
    block = mermaid_change(report.topology, "#### Who sees which card", legend)
    return [block] if len(block) <= ISSUE_LIMIT // 4 else []


def _section(item: DriftItem, names: Mapping[str, str]) -> str:
    lines = [f"#### `{item.address}`: {html.escape(item.summary, quote=False)}", ""]
    lines += [f"- {html.escape(e.sentence(), quote=False)}" for e in item.edits]
    lines += [f"- {_prose(e.sentence(), names)}" for e in item.trail.edits]
    lines += [f"- {_prose(item.trail.note, names)}"] if item.trail.note else []
    if item.fields:
        lines += ["", "| Field | Live | Git |", "|---|---|---|"]
        lines += [_row(f, names) for f in item.fields]
        lines += word_diffs(list(item.fields), reverse=True)
    elif item.detail:
        lines.append(f"- {html.escape(labelled_text(item.detail, names), quote=False)}")
    if item.remedy:
        lines += ["", f"Remedy: {item.remedy}"]
    if item.versions:
        lines += ["", "| Version | Status | Time | Who | Commit |", "|---|---|---|---|---|"]
        lines += [
            f"| {v.number} | {v.status} | {v.modified_at or ''} | "
            f"{html.escape(v.modified_by or '', quote=False)} | {origin(v)} |"
            for v in item.versions
        ]
    return "\n".join([*lines, ""])


def _prose(text: str, names: Mapping[str, str]) -> str:
    return html.escape(labelled_text(text, names), quote=False)


def _row(item: FieldChange, names: Mapping[str, str]) -> str:
    if is_long(item.after, item.before):
        return f"| `{item.path}` | *(words changed from git: below)* | |"
    live, git = (labelled(item.path, v, names) for v in (item.before, item.after))
    return f"| `{item.path}` | {_code(live)} | {_code(git)} |"


def _code(value: Any) -> str:
    if value is MISSING:
        return ""
    return "<code>" + html.escape(show(value, VALUE_LIMIT)).replace("|", "&#124;") + "</code>"


@DRIFT.register("json")
def as_json(report: DriftReport) -> str:
    body = {
        "format_version": FORMAT_VERSION,
        "context": dict(report.context),
        "drift": report.has_drift,
        "cards_checked": report.cards_checked,
        "shares_checked": report.shares_checked,
        "items": [_item(i) for i in report.items],
        "names": dict(report.names),
        "warnings": list(report.warnings),
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def _item(item: DriftItem) -> dict[str, Any]:
    fields = []
    for f in item.fields:
        entry: dict[str, Any] = {"path": f.path}
        if f.before is not MISSING:
            entry["live"] = f.before
        if f.after is not MISSING:
            entry["git"] = f.after
        fields.append(entry)
    return {
        "address": item.address,
        "kind": item.kind,
        "summary": item.summary,
        "detail": item.detail,
        "remedy": item.remedy,
        "fields": fields,
        "versions": [version_json(v) for v in item.versions],
        "edits": [
            {
                "identity": e.identity,
                "account": e.account,
                "time": e.time,
                "version_from": e.version_from,
                "version_to": e.version_to,
                "sentence": e.sentence(),
            }
            for e in item.edits
        ],
        "trail": [
            {
                "identity": e.identity,
                "account": e.account,
                "time": e.time,
                "call": e.call,
                "subject": e.subject,
                "sentence": e.sentence(),
            }
            for e in item.trail.edits
        ],
        "trail_note": item.trail.note or None,
    }
