"""Contract checks: does a raw response body match botocore's model of the operation?

``check_response`` takes what was on the wire (status, headers, body bytes) and
reports every problem: a required member missing at any depth, a member of the wrong
type, an enum value the model does not list, a member the model does not know, or an
error code that is neither modeled for the operation nor one of the documented
unmodeled codes. ``attach`` runs it on every response a boto3 client receives.
Used by the SageMaker and RAM tests alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.model import OperationModel, Shape

# Codes AWS JSON services return without modelling them (aws-facts §1.2, §5).
UNMODELED_ERRORS = frozenset(
    {
        "ValidationException",
        "ThrottlingException",
        "AccessDeniedException",
        "InternalFailure",
        "ServiceUnavailable",
        "SerializationException",
        "UnknownOperationException",
        "UnrecognizedClientException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)
# The sandbox's own loud refusal to evaluate a condition it cannot know (``iam.enforcer``):
# never an AWS answer, so never a contract violation of one.
SANDBOX_ERRORS = frozenset({"SandboxCannotEvaluateCondition"})

_NUMBER = (int, float)


class ContractViolation(AssertionError):
    """A response that botocore's model says AWS would never send."""


@dataclass(frozen=True)
class RawResponse:
    operation: str
    status: int
    headers: Mapping[str, str]
    body: bytes


def _type_ok(kind: str, value: Any) -> bool:
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("float", "double", "timestamp"):
        return isinstance(value, _NUMBER) and not isinstance(value, bool)
    expected = {
        "string": str,
        "blob": str,
        "boolean": bool,
        "structure": dict,
        "map": dict,
        "list": list,
    }.get(kind)
    return expected is None or isinstance(value, expected)


def shape_problems(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``shape``, with a JSON path to each."""
    if not _type_ok(shape.type_name, value):
        return [f"{path}: expected {shape.type_name}, got {type(value).__name__} {value!r:.60}"]
    if shape.type_name == "string" and shape.enum and value not in shape.enum:
        return [f"{path}: {value!r} is not one of {shape.name} {list(shape.enum)}"]
    if shape.type_name == "structure":
        return _structure_problems(shape, value, path)
    if shape.type_name == "list":
        member = shape.member
        return [
            p for i, item in enumerate(value) for p in shape_problems(member, item, f"{path}[{i}]")
        ]
    if shape.type_name == "map":
        val_shape = shape.value
        return [p for k, v in value.items() for p in shape_problems(val_shape, v, f"{path}.{k}")]
    return []


def _structure_problems(shape: Shape, value: dict[str, Any], path: str) -> list[str]:
    members = shape.members
    problems = [
        f"{path}.{name}: required member missing"
        for name in shape.required_members
        if value.get(name) is None
    ]
    for name, item in value.items():
        if name not in members:
            problems.append(f"{path}.{name}: not a member of {shape.name}")
        elif item is not None:
            problems += shape_problems(members[name], item, f"{path}.{name}")
    return problems


def error_code(headers: Mapping[str, str], body: bytes) -> str:
    """The error code as botocore reads it: x-amzn-ErrorType, else the body's __type."""
    lowered = {k.lower(): v for k, v in headers.items()}
    code = lowered.get("x-amzn-errortype", "")
    if not code:
        try:
            code = str(json.loads(body).get("__type", ""))
        except ValueError:
            code = ""
    return code.split(":")[0].rpartition("#")[2]


def allowed_error_codes(op: OperationModel) -> set[str]:
    codes = set(UNMODELED_ERRORS | SANDBOX_ERRORS)
    for shape in op.error_shapes:
        codes.add(shape.metadata.get("error", {}).get("code", shape.name))
    return codes


def check_response(op: OperationModel, raw: RawResponse) -> list[str]:
    """Problems of one raw response against the operation's model (empty list: conforms)."""
    if raw.status >= 300:
        code = error_code(raw.headers, raw.body)
        if code not in allowed_error_codes(op):
            return [
                f"{op.name}: error code {code!r} (HTTP {raw.status}) is neither modeled "
                f"for the operation nor a documented unmodeled code"
            ]
        return []
    try:
        body = json.loads(raw.body) if raw.body.strip() else {}
    except ValueError as exc:
        return [f"{op.name}: body is not JSON ({exc})"]
    if op.output_shape is None:
        return [] if body == {} else [f"{op.name}: expected an empty body, got {body!r:.80}"]
    return [f"{op.name} {p}" for p in shape_problems(op.output_shape, body)]


def attach(client: Any, strict: bool = True) -> list[RawResponse]:
    """Check every response ``client`` receives; raise ContractViolation when ``strict``.

    Returns the list the raw responses are appended to, for tests that inspect them.
    """
    seen: list[RawResponse] = []

    def on_response(
        operation_model: OperationModel, response_dict: dict[str, Any], **_: Any
    ) -> None:
        raw = RawResponse(
            operation_model.name,
            response_dict["status_code"],
            dict(response_dict["headers"]),
            response_dict["body"] or b"",
        )
        seen.append(raw)
        problems = check_response(operation_model, raw)
        if problems and strict:
            raise ContractViolation("\n".join(problems))

    client.meta.events.register("before-parse", on_response)
    return seen
