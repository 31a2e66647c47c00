"""The request context one evaluation reads: the condition keys present, and the keys whose
value the sandbox cannot know, with the reason.

A key absent from the context is absent as AWS would leave it out (operators then follow
IAM's absent-key rules). A key the context calls unknowable stops the evaluation with
``CannotEvaluate`` as soon as a condition or policy variable needs it; the enforcer turns
that into a loud error naming the key and the policy, never a silent match or miss.

Policy variables (``${aws:username}``, ``${aws:PrincipalTag/team, 'none'}``, and the
escapes ``${*}``, ``${?}``, ``${$}``) are replaced from the context; a variable whose key is
absent and has no default makes the value it appears in match nothing, as in IAM.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

Values = Mapping[str, tuple[str, ...]]
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class CannotEvaluate(Exception):
    """A condition needs a key whose value the sandbox cannot know."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key, self.reason = key, reason


class RequestContext(Mapping[str, tuple[str, ...]]):
    """Lower-case condition keys and their values, plus ``unknown(key)``: why a key cannot
    be known (None when the key is known, present or absent)."""

    def __init__(self, values: Values, unknown: Callable[[str], str | None] | None = None):
        self._values = dict(values)
        self._unknown = unknown

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def why_unknown(self, key: str) -> str | None:
        return self._unknown(key) if self._unknown is not None else None


def require(context: Values, key: str) -> tuple[str, ...]:
    """The values of ``key`` (empty when absent); CannotEvaluate when it is unknowable."""
    reason = context.why_unknown(key) if isinstance(context, RequestContext) else None
    if reason is not None:
        raise CannotEvaluate(key, reason)
    return context.get(key) or ()


def substitute(text: str, context: Values) -> str | None:
    """``text`` with its policy variables replaced; None when one has no value."""
    if "${" not in text:
        return text
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner in ("*", "?", "$"):
            return inner
        key, _, default = (part.strip() for part in inner.partition(","))
        found = require(context, key.lower())
        if found:
            return found[0]
        if len(default) >= 2 and default[0] == default[-1] == "'":
            return default[1:-1]
        missing.append(key)
        return ""

    replaced = _VARIABLE.sub(one, text)
    return None if missing else replaced
