"""Saved plans (``plan --out``): reading one back and saying how it differs from now.

``apply --plan FILE`` re-plans from live state and refuses when the checksum differs, so
what was reviewed is exactly what is applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.common.errors import ReconcilerError
from reconciler.plan.address import Address
from reconciler.plan.codec import PlanFormatError, changes_from_document, checksum
from reconciler.plan.model import Change, Plan


@dataclass(frozen=True, kw_only=True)
class SavedPlan:
    path: Path
    checksum: str
    changes: tuple[Change, ...]
    prune: bool
    adopt: bool
    basis: Mapping[str, Mapping[str, Any]] | None = None  # None: the plan records none


_HINT = "pass a file written by `reconciler plan --out`"


def read_saved_plan(path: Path) -> SavedPlan:
    body = _document(path)
    try:
        changes = changes_from_document(body)
        recorded = _basis(body.get("basis"))
    except PlanFormatError as e:
        raise ReconcilerError(
            f"{path} cannot be read: {e}", hint="plan again with this version"
        ) from e
    options = body.get("options", {})
    return SavedPlan(
        path=path,
        checksum=str(body.get("checksum")),
        changes=changes,
        prune=bool(options.get("prune")),
        adopt=bool(options.get("adopt")),
        basis=recorded,
    )


def _basis(raw: Any) -> Mapping[str, Mapping[str, Any]] | None:
    """The plan's recorded live facts by address; PlanFormatError when they are not that."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise PlanFormatError("'basis' is not a mapping of addresses to facts")
    try:
        return {str(Address.parse(str(k))): dict(v) for k, v in raw.items()}
    except ValueError as e:
        raise PlanFormatError(f"'basis': {e}") from e


def _document(path: Path) -> dict[str, Any]:
    """The saved plan's JSON document; ReconcilerError when the file is none."""
    try:
        body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ReconcilerError(f"cannot read the saved plan {path}: {e}", hint=_HINT) from e
    if not isinstance(body, dict) or "checksum" not in body:
        raise ReconcilerError(f"{path} is not a saved plan", hint=_HINT)
    return body


def ensure_current(
    saved: SavedPlan, plan: Plan, moved: list[str], summed: str | None = None
) -> None:
    """Refuse with what differs when live state no longer gives the saved plan: a live
    fact it was computed from has ``moved`` (one line each, from ``diff.basis``), or the
    plan made now differs. ``summed``: the plan's checksum, when already worked out."""
    if saved.basis is None:
        raise ReconcilerError(
            f"{saved.path} records no live basis, so it cannot be shown to be current",
            hint="plan again with this version, review it, and apply that",
        )
    same = saved.checksum == (summed if summed is not None else checksum(plan))
    if same and not moved:
        return
    lines = [f"  moved: {line}" for line in moved]
    lines += [] if same else _differences(saved, plan)
    raise ReconcilerError(
        "plan is stale: live state or git changed since "
        f"{saved.path} was written\n" + "\n".join(lines),
        hint="review a new plan and apply that",
    )


def _differences(saved: SavedPlan, plan: Plan) -> list[str]:
    now = {(c.address, c.action.value) for c in plan.changes}
    then = {(c.address, c.action.value) for c in saved.changes}
    lines = [f"  only in the saved plan: {a} ({b})" for a, b in sorted(then - now)]
    lines += [f"  only in a plan made now: {a} ({b})" for a, b in sorted(now - then)]
    return lines or ["  the same resources change, but with different values"]
