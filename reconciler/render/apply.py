"""Renderers for apply and verify reports: text for the terminal, Markdown for a job
summary (what AWS said escaped by ``markdown``), JSON for machines (shape in
docs/formats.md, versioned by format_version). The report they show, and the sentences all
three share, are in ``apply_report``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reconciler.apply.report import ApplyReport, Step, StepStatus
from reconciler.plan.codec import change_to_json
from reconciler.render import Registry
from reconciler.render import markdown as md
from reconciler.render.apply_report import RunReport, blocked_text, outcome, refusal_text
from reconciler.render.labels import labelled_text
from reconciler.render.plan_common import sorted_stats, stats_lines
from reconciler.reports.consumers import AccountCheck

FORMAT_VERSION = "2"
CELL_LIMIT = 500  # characters of one sentence or cell of the Markdown summary
_MARK = {StepStatus.DONE: "✓", StepStatus.FAILED: "✗", StepStatus.NOT_ATTEMPTED: "·"}


REPORTS: Registry[RunReport] = Registry("apply reports")


@REPORTS.register("text")
def text(run: RunReport) -> str:
    lines = [
        f"Model card {run.kind} for account {run.context.get('account', '?')} in "
        f"{run.context.get('region', '?')}"
    ]
    body = _text_body(run)
    sections = [lines, ["", *body] if body else [], ["", outcome(run)]]
    return "\n".join(line for part in sections for line in part) + "\n"


def _text_body(run: RunReport) -> list[str]:
    """Refusals, held-back resources, steps, what still differs, warnings, consumers, stats."""
    report = run.applied
    body = [f"Refused: {labelled_text(refusal_text(r), report.names)}" for r in report.refused]
    body += [f"Held back: {blocked_text(b)}" for b in report.blocked]
    body += [_step_line(s, report.names) for s in report.steps]
    body += [
        f"Still differs: {c.address} ({c.action.value}): {labelled_text(c.detail, report.names)}"
        for c in report.remaining
    ]
    body += [f"Warning: {w}" for w in report.warnings]
    if run.checks:
        body += [*([""] if body else []), "Consumer accounts:", *map(_check_line, run.checks)]
    if run.stats is not None:
        body += [*([""] if body else []), *stats_lines(run.stats)[:-1]]
    return body


def _step_line(step: Step, names: Mapping[str, str]) -> str:
    line = f"  {_MARK[step.status]} {step.status.value:<13} {step.address} ({step.action.value})"
    if step.status is StepStatus.FAILED:
        return f"{line}: {step.error_code}: {step.error_message}"
    return f"{line}: {labelled_text(step.detail, names)}" if step.detail else line


def _check_line(check: AccountCheck) -> str:
    mark = "✓" if check.ok else "✗"
    cards = f"{len(check.visible)}/{len(check.visible) + len(check.missing)} cards visible"
    groups = len(check.groups_visible) + len(check.groups_missing)
    cards += f", {len(check.groups_visible)}/{groups} model package groups" if groups else ""
    tail = f"; problems: {'; '.join(check.problems)}" if check.problems else ""
    return (
        f"  {mark} {check.account} ({check.account_id}) via {check.share}: invitation "
        f"{check.invitation or 'unknown'}; {cards}; permission {check.permission or 'unknown'}"
        f" [{', '.join(a.removeprefix('sagemaker:') for a in check.actions)}]{tail}"
    )


@REPORTS.register("markdown")
def markdown(run: RunReport) -> str:
    report = run.applied
    lines = [f"### Model card {run.kind}", "", _cell(outcome(run)), ""]
    lines += [f"- ⛔ {_cell(labelled_text(refusal_text(r), report.names))}" for r in report.refused]
    lines += [f"- ❌ held back: {_cell(blocked_text(b))}" for b in report.blocked]
    lines += [f"> ⚠️ {_cell(w)}" for w in report.warnings]
    lines += _steps_table(report)
    lines += _checks_table(run.checks)
    return "\n".join(lines) + "\n"


def _steps_table(report: ApplyReport) -> list[str]:
    if not report.steps:
        return []
    return ["| | Resource | Action | Result |", "|---|---|---|---|"] + [
        f"| {_MARK[s.status]} | {md.code_span(str(s.address), cell=True)} | {s.action.value} | "
        f"{_cell(labelled_text(_result(s), report.names))} |"
        for s in report.steps
    ]


def _checks_table(checks: tuple[AccountCheck, ...]) -> list[str]:
    if not checks:
        return []
    return [
        "",
        "| Account | Share | Invitation | Cards visible | Permission | Problems |",
        "|---|---|---|---|---|---|",
    ] + [
        f"| {_cell(c.account)} | {_cell(c.share)} | {_cell(c.invitation or '—')} | "
        f"{len(c.visible)}/{len(c.visible) + len(c.missing)} | {_cell(c.permission or '—')} | "
        f"{_cell('; '.join(c.problems)) or '—'} |"
        for c in checks
    ]


def _result(step: Step) -> str:
    if step.status is StepStatus.FAILED:
        return f"{step.error_code}: {step.error_message}"
    return step.detail or step.status.value


def _cell(text: str) -> str:
    """Text from the run (AWS's messages and values among it), escaped for Markdown."""
    return md.text(text, CELL_LIMIT)


@REPORTS.register("json")
def as_json(run: RunReport) -> str:
    body: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "kind": run.kind,
        "context": dict(run.context),
        "outcome": outcome(run),
        "failed": run.failed,
        **({"stats": sorted_stats(run.stats)} if run.stats else {}),
        **_applied_json(run.applied),
        "consumers": [_check_json(c) for c in run.checks],
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def _applied_json(report: ApplyReport) -> dict[str, Any]:
    return {
        "plan_checksum": report.checksum,
        "refused": [refusal_text(r) for r in report.refused],
        "blocked": [blocked_text(b) for b in report.blocked],
        "warnings": list(report.warnings),
        "steps": [_step_json(s) for s in report.steps],
        "names": dict(report.names),
        "converged": report.converged,
        "remaining": [change_to_json(c) for c in report.remaining],
    }


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "address": str(step.address),
        "action": step.action.value,
        "status": step.status.value,
        "detail": step.detail,
        "error_code": step.error_code,
        "error_message": step.error_message,
    }


def _check_json(check: AccountCheck) -> dict[str, Any]:
    return {
        "account": check.account,
        "account_id": check.account_id,
        "share": check.share,
        "invitation": check.invitation,
        "visible": list(check.visible),
        "missing": list(check.missing),
        "permission": check.permission,
        "actions": list(check.actions),
        "problems": list(check.problems),
        "ok": check.ok,
        "groups_visible": list(check.groups_visible),
        "groups_missing": list(check.groups_missing),
    }
