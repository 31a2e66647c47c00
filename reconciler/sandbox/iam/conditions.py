"""IAM condition operators over a request context.

A context maps lower-cased condition keys to their values (a tuple: several for a
multivalued key such as ``aws:TagKeys`` or ``ram:Principal``). Per IAM's reference:
values listed for one key are ORed, keys within an operator and operators within a
``Condition`` are ANDed. A key absent from the context makes a condition false, except
that it makes a negated operator (``StringNotEquals``, ``ArnNotLike`` ...) true, and
``...IfExists``, ``Null`` and ``ForAllValues:`` (true on an empty set) test presence
themselves. Without a set operator, a multivalued key matches when any of its values
does (and a negated operator when none does). A key the context cannot know raises
``CannotEvaluate`` (``request_context``); policy variables in values are replaced there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from reconciler.sandbox.iam.patterns import arn_matches, string_pattern
from reconciler.sandbox.iam.request_context import require, substitute

Context = Mapping[str, tuple[str, ...]]
Match = Callable[[str, str], bool]  # (request value, policy value)


def _number(value: str) -> float:
    return float(value)


def _date(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.timestamp()


def _compare(parse: Callable[[str], float], test: Callable[[float, float], bool]) -> Match:
    def match(value: str, wanted: str) -> bool:
        try:
            return test(parse(value), parse(wanted))
        except ValueError:
            return False

    return match


def _ip(value: str, wanted: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(wanted, strict=False)
    except ValueError:
        return False


def _family(parse: Callable[[str], float], prefix: str) -> dict[str, tuple[Match, bool]]:
    return {
        f"{prefix}Equals": (_compare(parse, lambda a, b: a == b), False),
        f"{prefix}NotEquals": (_compare(parse, lambda a, b: a == b), True),
        f"{prefix}LessThan": (_compare(parse, lambda a, b: a < b), False),
        f"{prefix}LessThanEquals": (_compare(parse, lambda a, b: a <= b), False),
        f"{prefix}GreaterThan": (_compare(parse, lambda a, b: a > b), False),
        f"{prefix}GreaterThanEquals": (_compare(parse, lambda a, b: a >= b), False),
    }


def _like(value: str, wanted: str) -> bool:
    return string_pattern(wanted).fullmatch(value) is not None


def _equal(value: str, wanted: str) -> bool:
    return value == wanted


def _equal_folded(value: str, wanted: str) -> bool:
    return value.lower() == wanted.lower()


def _arn(value: str, wanted: str) -> bool:
    return arn_matches(wanted, value)


# operator -> (does one request value match one policy value, is the operator negated)
OPERATORS: dict[str, tuple[Match, bool]] = {
    "StringEquals": (_equal, False),
    "StringNotEquals": (_equal, True),
    "StringEqualsIgnoreCase": (_equal_folded, False),
    "StringNotEqualsIgnoreCase": (_equal_folded, True),
    "StringLike": (_like, False),
    "StringNotLike": (_like, True),
    **_family(_number, "Numeric"),
    **_family(_date, "Date"),
    "Bool": (_equal_folded, False),
    "BinaryEquals": (_equal, False),
    "IpAddress": (_ip, False),
    "NotIpAddress": (_ip, True),
    "ArnEquals": (_arn, False),
    "ArnLike": (_arn, False),
    "ArnNotEquals": (_arn, True),
    "ArnNotLike": (_arn, True),
}
QUALIFIERS = ("ForAllValues", "ForAnyValue")


@dataclass(frozen=True)
class Condition:
    """One key under one operator, e.g. ``ForAnyValue:StringLikeIfExists`` / ``aws:TagKeys``."""

    operator: str  # as written in the policy
    key: str  # lower-cased
    values: tuple[str, ...]

    @property
    def parts(self) -> tuple[str | None, str, bool]:
        """(set qualifier, base operator, IfExists)."""
        qualifier, _, base = self.operator.rpartition(":")
        if_exists = base.endswith("IfExists") and base != "IfExists"
        return qualifier or None, base.removesuffix("IfExists") if if_exists else base, if_exists

    def known(self) -> bool:
        qualifier, base, _ = self.parts
        return (qualifier is None or qualifier in QUALIFIERS) and (
            base in OPERATORS or base == "Null"
        )

    def holds(self, context: Context) -> bool:
        qualifier, base, if_exists = self.parts
        present = require(context, self.key)
        if base == "Null":
            return any((v.lower() == "true") == (not present) for v in self.values)
        match, negated = OPERATORS[base]
        if not present:
            return if_exists or qualifier == "ForAllValues" or (negated and qualifier is None)
        wanted = [w for w in (substitute(v, context) for v in self.values) if w is not None]

        def one(value: str) -> bool:
            hit = any(match(value, w) for w in wanted)
            return not hit if negated else hit

        if qualifier == "ForAllValues":
            return all(one(v) for v in present)
        if qualifier == "ForAnyValue" or not negated:
            return any(one(v) for v in present)
        return all(one(v) for v in present)  # negated: no value may match
