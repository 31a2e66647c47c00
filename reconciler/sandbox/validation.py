"""botocore's service models, and server-side input validation against them.

``service_model`` loads a service's model once, for the services and the wire format
alike. botocore checks only ``required`` and ``min`` before sending; AWS itself also
enforces ``max``, ``pattern`` and ``enum`` and answers ``ValidationException`` with
messages like ``1 validation error detected: Value 'x' at 'modelCardName' failed to
satisfy constraint: ...``. ``check_input`` reproduces that for any operation's input
shape, leaving out values botocore marks ``sensitive`` (``Value at 'content' ...``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from reconciler.sandbox.errors import validation


@cache
def service_model(name: str) -> ServiceModel:
    """botocore's model of a service (loaded once; botocore's loader is slow)."""
    return botocore.session.get_session().get_service_model(name)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    # Java's \p{..} classes have no ``re`` equivalent; services check those fields
    # themselves (tags), so such patterns are skipped here.
    if "\\p" in pattern:
        return None
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:
        return None


def _wire_path(parent: str, member: str) -> str:
    name = member[:1].lower() + member[1:]
    return f"{parent}.{name}" if parent else name


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 100 else text[:100] + "..."


def _where(shape: Shape, value: Any, path: str) -> str:
    """How AWS opens a constraint message; a ``sensitive`` value (model card Content) is
    never echoed, as Smithy's sensitive trait requires: the message names the member only."""
    shown = "" if shape.metadata.get("sensitive") else f" '{_shown(value)}'"
    return f"Value{shown} at '{path}' failed to satisfy constraint: Member must"


def _string_problems(shape: Shape, value: Any, path: str) -> list[str]:
    meta = shape.metadata
    problems = []
    where = _where(shape, value, path)
    problems += _length_problems(meta, len(value), where)
    pattern = _compiled(meta["pattern"]) if "pattern" in meta else None
    if pattern is not None and pattern.fullmatch(value) is None:
        problems.append(f"{where} satisfy regular expression pattern: {meta['pattern']}")
    if shape.enum and value not in shape.enum:
        problems.append(f"{where} satisfy enum value set: [{', '.join(shape.enum)}]")
    return problems


def _length_problems(
    meta: dict[str, Any], length: int, where: str, minimum: bool = True
) -> list[str]:
    """Length limits from the model; lists are checked against their maximum only."""
    problems = []
    if "max" in meta and length > meta["max"]:
        problems.append(f"{where} have length less than or equal to {meta['max']}")
    if minimum and "min" in meta and length < meta["min"]:
        problems.append(f"{where} have length greater than or equal to {meta['min']}")
    return problems


def _number_problems(shape: Shape, value: Any, path: str) -> list[str]:
    meta = shape.metadata
    where = _where(shape, value, path)
    if "max" in meta and value > meta["max"]:
        return [f"{where} have value less than or equal to {meta['max']}"]
    if "min" in meta and value < meta["min"]:
        return [f"{where} have value greater than or equal to {meta['min']}"]
    return []


def _list_problems(shape: Shape, value: Any, path: str) -> list[str]:
    meta = shape.metadata
    problems = []
    where = _where(shape, value, path)
    problems += _length_problems(meta, len(value), where, minimum=False)
    for index, item in enumerate(value, start=1):
        problems += problems_in(shape.member, item, f"{path}.{index}.member")
    return problems


def _structure_problems(shape: Shape, value: Any, path: str) -> list[str]:
    problems = []
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(
                f"Value null at '{_wire_path(path, name)}' failed to satisfy "
                "constraint: Member must not be null"
            )
    for name, member in shape.members.items():
        if value.get(name) is not None:
            problems += problems_in(member, value[name], _wire_path(path, name))
    return problems


def problems_in(shape: Shape, value: Any, path: str = "") -> list[str]:
    """Every constraint ``value`` breaks, as AWS phrases each one."""
    kind = shape.type_name
    if kind == "string" and isinstance(value, str):
        return _string_problems(shape, value, path)
    if kind in ("integer", "long", "float", "double") and isinstance(value, (int, float)):
        return _number_problems(shape, value, path)
    if kind == "list" and isinstance(value, list):
        return _list_problems(shape, value, path)
    if kind == "structure" and isinstance(value, dict):
        return _structure_problems(shape, value, path)
    return []


def check_input(op: OperationModel, params: dict[str, Any]) -> None:
    """Raise ``ValidationException`` listing every broken constraint of the request."""
    if op.input_shape is None:
        return
    problems = problems_in(op.input_shape, params)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise validation(f"{count} validation {noun} detected: " + "; ".join(problems))
