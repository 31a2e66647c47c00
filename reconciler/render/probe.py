"""Renderers for ``reconciler probe``: text for people, JSON for CI (format_version 1, keys
sorted), and the sandbox accounts file ``--sandbox-config`` writes: every setting the probe
checks, as the account showed it, or the sandbox's default where it could not tell.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from reconciler.common.words import count
from reconciler.render import Registry
from reconciler.reports.probe import Finding, Outcome, ProbeReport, SwitchValue

FORMAT_VERSION = "1"
PROBES: Registry[ProbeReport] = Registry("probe reports")
MARKS = {Outcome.MATCHES: "✓", Outcome.DIFFERS: "✗", Outcome.UNCHECKED: "·"}


def plain(value: SwitchValue | None) -> Any:
    """A setting as JSON and YAML write it: lists for tuples, dicts for mappings."""
    if isinstance(value, Mapping):
        return {k: list(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


def _setting(value: SwitchValue | None) -> str:
    return json.dumps(plain(value))


@PROBES.register("text")
def probe_text(report: ProbeReport) -> str:
    how = "with --write" if report.write else "read-only"
    lines = [f"Probe of account {report.account} in {report.region} ({how})", ""]
    for finding in report.findings:
        lines += _finding_lines(finding)
    lines.append(_summary(report))
    lines += [f"Left behind: {item}" for item in report.leftovers]
    return "\n".join(lines) + "\n"


def _finding_lines(f: Finding) -> list[str]:
    a = f.assumption
    mode = {"read-only": "", "write": " (write)"}.get(a.mode.value, " (not checkable here)")
    setting = f" [{a.switch}: {_setting(a.assumed)}]" if a.switch else ""
    return [
        f"{MARKS[f.outcome]} {a.key}{mode}: {f.outcome.value}",
        f"    sandbox assumes: {a.summary}{setting}",
        f"    account showed:  {f.shown}",
        f"    if they differ:  {a.consequence}",
        "",
    ]


def _summary(report: ProbeReport) -> str:
    parts = [
        f"{report.count(Outcome.MATCHES)} match",
        f"{report.count(Outcome.DIFFERS)} differ",
        f"{report.count(Outcome.UNCHECKED)} not checked",
    ]
    return f"{count(len(report.findings), 'assumption')}: {', '.join(parts)}."


@PROBES.register("json")
def probe_json(report: ProbeReport) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "account": report.account,
        "region": report.region,
        "target": report.target,
        "write": report.write,
        "findings": [_finding_json(f) for f in report.findings],
        "counts": {o.value: report.count(o) for o in Outcome},
        "leftovers": list(report.leftovers),
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _finding_json(f: Finding) -> dict[str, Any]:
    a = f.assumption
    return {
        "key": a.key,
        "switch": a.switch,
        "mode": a.mode.value,
        "summary": a.summary,
        "assumed": plain(a.assumed),
        "outcome": f.outcome.value,
        "shown": f.shown,
        "value": plain(f.value),
        "consequence": a.consequence,
    }


def sandbox_settings(report: ProbeReport) -> str:
    """A sandbox accounts file (``reconciler sandbox --accounts``) whose settings are what
    the account showed; each with its finding above it."""
    lines = [
        f"# Sandbox settings as account {report.account} in {report.region} showed them to",
        "# `reconciler probe`. Use: reconciler sandbox --accounts <this file>, or",
        "# RECONCILER_SANDBOX_SWITCHES=<this file> make test. A setting the probe could not",
        "# check keeps the sandbox's default.",
    ]
    for f in report.findings:
        if f.assumption.switch is None:
            continue  # not a setting: no account can show it
        value = f.value if f.value is not None else f.assumption.assumed
        lines.append(f"# {f.assumption.key}: {f.outcome.value}")
        dumped = yaml.safe_dump({f.assumption.switch: plain(value)}, default_flow_style=False)
        lines.append(dumped.rstrip())
    return "\n".join(lines) + "\n"
