"""The plan as JSON, both ways, and its checksum.

One converter (cattrs) turns payloads into JSON and back; each payload is read as the class
its action carries, so a plan that was written can be read back into the same changes.
Format version 2 carries a typed ``payload`` per change, a ``reason`` code and a display
``detail``; version 1 plans (untyped ``params``) are refused with a clear message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn

from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Action, Change, FieldChange, Guard, Plan, Reason
from reconciler.plan.payloads import CreateShare, payload_type

FORMAT_VERSION = "2"

_CONVERTER = cattrs.Converter()
# Card content in a payload is already JSON data (dicts, lists and scalars from YAML or from
# SageMaker's JSON), so it is written as it is rather than walked value by value: for a
# first apply of many cards that walk was most of the cost of the checksum.
_CONVERTER.register_unstructure_hook_func(
    lambda kind: kind == Mapping[str, Any], lambda content: content
)

# A share without model package groups is written as before they existed, so its plans and
# checksums do not change.
_CONVERTER.register_unstructure_hook(
    CreateShare,
    make_dict_unstructure_fn(CreateShare, _CONVERTER, _cattrs_omit_if_default=True),
)


class PlanFormatError(ValueError):
    """A JSON document that is not a plan this version can read."""


def change_to_json(change: Change) -> dict[str, Any]:
    """The JSON form of one change, as in the versioned plan format: what it does
    (``_identity``, which the checksum covers) and what it says to people."""
    return {
        **_identity(change),
        "detail": change.detail,
        "needs": [f.value for f in change.needs],
        "guard_note": change.guard_note,
        "fields": [_field_to_json(f) for f in change.fields],
    }


def change_from_json(body: Mapping[str, Any]) -> Change:
    """The change a ``change_to_json`` document describes."""
    try:
        action = Action(body["action"])
        return Change(
            address=Address.parse(str(body["address"])),
            action=action,
            reason=Reason(body["reason"]),
            detail=str(body.get("detail", "")),
            guards=tuple(Guard(g) for g in body.get("guards", ())),
            guard_note=str(body.get("guard_note", "")),
            fields=tuple(_field_from_json(f) for f in body.get("fields", ())),
            payload=_CONVERTER.structure(body["payload"], payload_type(action)),
        )
    except (KeyError, ValueError, TypeError, cattrs.BaseValidationError) as e:
        where = body.get("address", "?") if isinstance(body, Mapping) else "?"
        raise PlanFormatError(f"change {where}: {_cause(e)}") from e


def _cause(error: Exception) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error)) or str(error)
    if isinstance(error, KeyError):
        return f"missing {error.args[0]!r}"
    return str(error)


def _field_to_json(item: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": item.path}
    if item.before is not MISSING:
        out["before"] = item.before
    if item.after is not MISSING:
        out["after"] = item.after
    return out


def _field_from_json(body: Mapping[str, Any]) -> FieldChange:
    return FieldChange(str(body["path"]), body.get("before", MISSING), body.get("after", MISSING))


def checksum(plan: Plan) -> str:
    """sha256 over what each change does (address, action, reason code, guards, payload);
    display text is left out, so equal plans have equal checksums whatever they say."""
    body = [_identity(c) for c in (*plan.adoptions, *plan.changes)]
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _identity(change: Change) -> dict[str, Any]:
    """What a change does, without what it says: the part the checksum covers."""
    return {
        "address": str(change.address),
        "action": change.action.value,
        "reason": change.reason.value,
        "guards": [g.value for g in change.guards],
        "payload": _CONVERTER.unstructure(change.payload),
    }


def changes_from_document(body: Mapping[str, Any], key: str = "changes") -> tuple[Change, ...]:
    """The changes (or ``adoptions``) of a plan document of this format version."""
    version = body.get("format_version")
    if version != FORMAT_VERSION:
        raise PlanFormatError(
            f"it has plan format {version!r}; this reconciler reads format {FORMAT_VERSION!r}"
            + (" (format 1 plans carry untyped params)" if version == "1" else "")
        )
    items = body.get(key, [])
    if not isinstance(items, list):
        raise PlanFormatError(f"{key!r} is not a list")
    return tuple(change_from_json(item) for item in items)
