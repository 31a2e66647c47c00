"""Reading RAM request members off the wire: types, enums, maxResults and page tokens.

Botocore validates only ``required`` and ``min`` client-side, so the server side checks
the rest (enums, ``maxResults`` up to 500) and answers with the error AWS names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from reconciler.sandbox import paging
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.ram.errors import invalid_parameter, ram_error

T = TypeVar("T")
MAX_RESULTS_LIMIT = 500


def opt_str(params: Mapping[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_parameter(f"{key} must be a string.")
    return value


def req_str(params: Mapping[str, Any], key: str) -> str:
    value = opt_str(params, key)
    if not value:
        raise ram_error(
            "MissingRequiredParameterException", f"The request is missing {key}; pass it."
        )
    return value


def str_list(params: Mapping[str, Any], key: str) -> list[str]:
    value = params.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid_parameter(f"{key} must be a list of strings.")
    return list(value)


def opt_bool(params: Mapping[str, Any], key: str) -> bool | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise invalid_parameter(f"{key} must be true or false.")
    return value


def opt_int(params: Mapping[str, Any], key: str) -> int | None:
    value = params.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise invalid_parameter(f"{key} must be an integer.") from exc


def enum(params: Mapping[str, Any], key: str, allowed: Sequence[str], default: str) -> str:
    """An enum member; an unknown value names the allowed ones."""
    value = opt_str(params, key) or default
    if value not in allowed:
        raise invalid_parameter(
            f"{value} is not a valid value for {key}. Specify one of {', '.join(allowed)}."
        )
    return value


def max_results(params: Mapping[str, Any], code: str = "InvalidParameterException") -> int:
    """``maxResults`` (1-500, default 500); GetResourceShareInvitations uses its own code."""
    value = opt_int(params, "maxResults")
    if value is None:
        return MAX_RESULTS_LIMIT
    if not 1 <= value <= MAX_RESULTS_LIMIT:
        raise ram_error(code, f"maxResults must be between 1 and {MAX_RESULTS_LIMIT}; got {value}.")
    return value


def bad_token() -> AwsError:
    return ram_error(
        "InvalidNextTokenException",
        "The specified value for nextToken is not valid. Pass the nextToken of the previous "
        "response unchanged, with the same filters.",
    )


def page(
    items: Sequence[T], params: Mapping[str, Any], key: str, code: str = "InvalidParameterException"
) -> dict[str, Any]:
    """The response body of one page: ``{key: [...], "nextToken": ...}`` (token only if more)."""
    limit = max_results(params, code)
    chunk, extra = paging.page(items, params, limit, token_key="nextToken", error=bad_token())
    return {key: chunk, **extra}
