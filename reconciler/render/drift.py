"""Renderers for drift reports: text for terminals, Markdown for a GitHub issue body
(every value escaped or fenced by ``markdown``, and a footer last), JSON for machines
(shape in docs/formats.md, versioned by format_version).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reconciler.common.words import count
from reconciler.plan.model import MISSING, FieldChange
from reconciler.render import Registry
from reconciler.render import markdown as md
from reconciler.render.graph import mermaid_change
from reconciler.render.labels import labelled, labelled_text
from reconciler.render.plan_common import show
from reconciler.render.plan_markdown import word_diffs
from reconciler.render.worddiff import ansi, inline, is_long
from reconciler.reports.audit import origin, version_json
from reconciler.reports.drift import FORMAT_VERSION, DriftItem, DriftReport, Edit, ShareEdit

DRIFT: Registry[DriftReport] = Registry("drift reports")
VALUE_LIMIT = 200
ISSUE_LIMIT = 65_000
TEXT_LIMIT = 500  # characters of a sentence in the issue (a summary, an edit, a warning)


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
        lines += [*_item_lines(item, report), ""]
    lines += [f"warning: {w}" for w in report.warnings]
    lines.append(_headline(report))
    return "\n".join(lines) + "\n"


def _item_lines(item: DriftItem, report: DriftReport) -> list[str]:
    """One difference: what it is, who made it, the fields, the remedy, the versions."""
    lines = [f"! {item.address} [{item.kind}]: {item.summary}"]
    lines += [f"    {e.sentence()}" for e in item.edits]
    lines += [f"    {labelled_text(e.sentence(), report.names)}" for e in item.trail.edits]
    lines += [f"    {labelled_text(item.trail.note, report.names)}"] if item.trail.note else []
    lines += [f"    {_field(f, report)}" for f in item.fields]
    detail = labelled_text(item.detail, report.names)
    lines += [f"    {detail}"] if detail and not item.fields else []
    lines += [f"    remedy: {item.remedy}"] if item.remedy else []
    return lines + _versions(item)


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
        f"Account {md.code_span(report.context.get('account', '?'))}, region "
        f"{md.code_span(report.context.get('region', '?'))}.",
        "",
        *[f"> ⚠️ {md.text(w, TEXT_LIMIT)}" for w in report.warnings],
        *([""] if report.warnings else []),
    ]
    sections = [_section(item, report.names) for item in report.items]
    head += _topology(report)
    footer = f"End of drift report: {count(len(report.items), 'difference')}."
    return "\n".join([*_fitted(head, sections), footer]) + "\n"


def _fitted(head: list[str], sections: list[str]) -> list[str]:
    """``head`` and the sections that fit in a GitHub issue, saying how many did not."""
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
    return body


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
    lines = [f"#### {md.code_span(str(item.address))}: {md.text(item.summary, TEXT_LIMIT)}", ""]
    lines += [f"- {md.text(e.sentence(), TEXT_LIMIT)}" for e in item.edits]
    lines += [f"- {_prose(e.sentence(), names)}" for e in item.trail.edits]
    lines += [f"- {_prose(item.trail.note, names)}"] if item.trail.note else []
    if item.fields:
        lines += ["", "| Field | Live | Git |", "|---|---|---|"]
        lines += [_row(f, names) for f in item.fields]
        lines += word_diffs(list(item.fields), reverse=True)
    elif item.detail:
        lines.append(f"- {_prose(item.detail, names)}")
    if item.remedy:
        lines += ["", f"Remedy: {item.remedy}"]
    return "\n".join([*lines, *_versions_table(item), ""])


def _versions_table(item: DriftItem) -> list[str]:
    if not item.versions:
        return []
    return ["", "| Version | Status | Time | Who | Commit |", "|---|---|---|---|---|"] + [
        f"| {v.number} | {v.status} | {md.text(v.modified_at or '', TEXT_LIMIT)} | "
        f"{md.text(v.modified_by or '', TEXT_LIMIT)} | {md.text(origin(v), TEXT_LIMIT)} |"
        for v in item.versions
    ]


def _prose(sentence: str, names: Mapping[str, str]) -> str:
    return md.text(labelled_text(sentence, names), TEXT_LIMIT)


def _row(item: FieldChange, names: Mapping[str, str]) -> str:
    if is_long(item.after, item.before):
        return f"| {md.code_span(item.path, cell=True)} | *(words changed from git: below)* | |"
    live, git = (labelled(item.path, v, names) for v in (item.before, item.after))
    return f"| {md.code_span(item.path, cell=True)} | {_code(live)} | {_code(git)} |"


def _code(value: Any) -> str:
    if value is MISSING:
        return ""
    return md.code(show(value, VALUE_LIMIT))


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
    return {
        "address": item.address,
        "kind": item.kind,
        "summary": item.summary,
        "detail": item.detail,
        "remedy": item.remedy,
        "fields": [_field_json(f) for f in item.fields],
        "versions": [version_json(v) for v in item.versions],
        "edits": [_edit_json(e) for e in item.edits],
        "trail": [_share_edit_json(e) for e in item.trail.edits],
        "trail_note": item.trail.note or None,
    }


def _field_json(item: FieldChange) -> dict[str, Any]:
    """A field's path, and its live and git values where each has one."""
    entry: dict[str, Any] = {"path": item.path}
    if item.before is not MISSING:
        entry["live"] = item.before
    if item.after is not MISSING:
        entry["git"] = item.after
    return entry


def _edit_json(edit: Edit) -> dict[str, Any]:
    return {
        "identity": edit.identity,
        "account": edit.account,
        "time": edit.time,
        "version_from": edit.version_from,
        "version_to": edit.version_to,
        "sentence": edit.sentence(),
    }


def _share_edit_json(edit: ShareEdit) -> dict[str, Any]:
    return {
        "identity": edit.identity,
        "account": edit.account,
        "time": edit.time,
        "call": edit.call,
        "subject": edit.subject,
        "sentence": edit.sentence(),
    }
