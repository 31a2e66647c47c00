"""Opaque NextToken pagination shared by every list operation of the sandbox.

A token encodes the offset into the sorted result and a fingerprint of the request's
filters, so a token reused with different filters is rejected as AWS does.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from reconciler.sandbox.errors import AwsError, validation

T = TypeVar("T")

# Members that steer paging itself and therefore are not part of the fingerprint.
_PAGING_KEYS = frozenset({"NextToken", "MaxResults", "nextToken", "maxResults"})


def fingerprint(params: Mapping[str, Any]) -> str:
    """A short digest of the request members that define the result set."""
    rest = {k: v for k, v in params.items() if k not in _PAGING_KEYS}
    raw = json.dumps(rest, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def encode_token(offset: int, params: Mapping[str, Any]) -> str:
    payload = json.dumps({"o": offset, "f": fingerprint(params)}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_token(
    token: str | None, params: Mapping[str, Any], error: AwsError | None = None
) -> int:
    """The offset a token stands for; a foreign, damaged or mismatched token is an error."""
    if not token:
        return 0
    bad = error or validation("Invalid pagination token: the NextToken is not valid.")
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = int(payload["o"])
        ok = payload["f"] == fingerprint(params) and offset >= 0
    except (ValueError, KeyError, TypeError) as exc:
        raise bad from exc
    if not ok:
        raise bad
    return offset


def page(
    items: Sequence[T],
    params: Mapping[str, Any],
    max_results: int,
    *,
    token_key: str = "NextToken",
    error: AwsError | None = None,
) -> tuple[list[T], dict[str, str]]:
    """One page of ``items`` and the extra response members (the next token, if any)."""
    start = decode_token(params.get(token_key), params, error)
    end = start + max_results
    extra = {token_key: encode_token(end, params)} if end < len(items) else {}
    return list(items[start:end]), extra
