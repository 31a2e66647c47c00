"""``Search(Resource="ModelCard")``: an eventually consistent index and expression filters
(``search`` also answers ``Resource="TrainingJob"`` over ``training``'s records).

Every card write records a snapshot; Search reads, per card, the newest snapshot older
than ``search_index_delay_seconds`` (AWS indexes asynchronously). Filters address
record members by name (``ModelCardName``, ``ModelCardStatus``, ``CreatedBy.IamIdentity.Arn``,
...) or tags (``Tags.<key>``), with the operators of botocore's ``Operator`` enum;
``And``/``Or`` combine filters and sub-expressions. Results are the caller's own
account and Region only (``CrossAccountFilterOption`` is not honoured for cards: aws-facts
§1.3 leaves it unknown).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from reconciler.sandbox.errors import validation
from reconciler.sandbox.paging import page
from reconciler.sandbox.sagemaker.model import Card, search_record

_NEEDS_VALUE = {
    "Equals",
    "NotEquals",
    "GreaterThan",
    "GreaterThanOrEqualTo",
    "LessThan",
    "LessThanOrEqualTo",
    "Contains",
    "In",
}
_MISSING = object()


class SearchIndex:
    """Snapshots of every card over time, keyed by (account, region, name)."""

    def __init__(self) -> None:
        self._history: dict[tuple[str, str, str], list[tuple[float, dict[str, Any] | None]]] = {}

    def record(self, card: Card, now: float, gone: bool = False) -> None:
        key = (card.account, card.region, card.name)
        snapshot = None if gone else copy.deepcopy(search_record(card))
        self._history.setdefault(key, []).append((now, snapshot))

    def visible(self, account: str, region: str, as_of: float) -> list[dict[str, Any]]:
        """Records as the index saw them at ``as_of``."""
        out = []
        for (acct, reg, _), history in self._history.items():
            if acct != account or reg != region:
                continue
            seen = [snap for when, snap in history if when <= as_of]
            if seen and seen[-1] is not None:
                out.append(seen[-1])
        return out

    def reset(self) -> None:
        self._history.clear()


def _lookup(record: dict[str, Any], name: str) -> Any:
    if name.startswith("Tags."):
        key = name[len("Tags.") :]
        return next((t["Value"] for t in record.get("Tags", []) if t["Key"] == key), _MISSING)
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _as_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise validation(f"Filter value '{text}' is not a number or an ISO 8601 time.") from exc


def _compare(actual: Any, op: str, value: str) -> bool:
    if op == "In":
        return str(actual) in [v.strip() for v in value.split(",")]
    if op == "Contains":
        return value in str(actual)
    if isinstance(actual, (int, float)):
        return _ordered(float(actual), _as_number(value), op)
    return _ordered(str(actual), value, op)


def _ordered(left: Any, right: Any, op: str) -> bool:
    result: bool = {
        "Equals": left == right,
        "NotEquals": left != right,
        "GreaterThan": left > right,
        "GreaterThanOrEqualTo": left >= right,
        "LessThan": left < right,
        "LessThanOrEqualTo": left <= right,
    }[op]
    return result


def _filter_matches(record: dict[str, Any], flt: dict[str, Any]) -> bool:
    op = str(flt.get("Operator", "Equals"))
    actual = _lookup(record, flt["Name"])
    if op in _NEEDS_VALUE and flt.get("Value") is None:
        raise validation(f"Filter on '{flt['Name']}' with operator {op} needs a Value.")
    if op == "Exists":
        return actual is not _MISSING
    if op == "NotExists":
        return actual is _MISSING
    if actual is _MISSING:
        return op == "NotEquals"
    return bool(_compare(actual, op, flt["Value"]))


def matches(record: dict[str, Any], expression: dict[str, Any] | None) -> bool:
    """Whether a record satisfies a SearchExpression (None matches everything)."""
    if not expression:
        return True
    if expression.get("NestedFilters"):
        raise validation(
            "NestedFilters are not supported for Resource ModelCard; use "
            "Filters and SubExpressions."
        )
    results = [_filter_matches(record, f) for f in expression.get("Filters", [])]
    results += [matches(record, sub) for sub in expression.get("SubExpressions", [])]
    if expression.get("Operator", "And") == "Or":
        return any(results)
    return all(results)


def search(
    records: list[dict[str, Any]],
    params: dict[str, Any],
    *,
    resource: str = "ModelCard",
    name_key: str = "ModelCardName",
) -> dict[str, Any]:
    """The Search response for ``resource`` records already scoped to the caller."""
    expression = params.get("SearchExpression")
    hits = [r for r in records if matches(r, expression)]
    sort_by = params.get("SortBy", "LastModifiedTime")
    present = [r for r in hits if _lookup(r, sort_by) is not _MISSING]
    absent = [r for r in hits if _lookup(r, sort_by) is _MISSING]
    present.sort(
        key=lambda r: _lookup(r, sort_by),
        reverse=params.get("SortOrder", "Descending") == "Descending",
    )
    ordered = present + sorted(absent, key=lambda r: r[name_key])
    items, extra = page(ordered, params, params.get("MaxResults", 10))
    return {
        "Results": [{resource: r} for r in items],
        "TotalHits": {"Value": len(hits), "Relation": "EqualTo"},
        **extra,
    }
