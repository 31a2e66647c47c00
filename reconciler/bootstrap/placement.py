"""Where a printed policy goes on its role, within IAM's size quotas (IAM User Guide, "IAM
and AWS STS quotas": "Role policy size cannot exceed 10,240 characters" for the aggregate of
a role's inline policies; "Managed policy size cannot exceed 6,144 characters"; 10 managed
policies per role by default; "IAM does not count white space when calculating the size of
a policy against these limits").

A policy that fits inline stays one inline policy. A larger one is split, statement by
statement and in order, into managed policies attached to the role: IAM allows a request
when any statement of any of the role's policies allows it and no statement denies it, so
the role's statements, and what they allow, are exactly the printed policy's. A statement
too large for one managed policy (the cards adoption may name, one ARN each) is first
divided by its ``Resource`` list into statements that differ only in it (``AdoptModelCards1``,
``AdoptModelCards2``, ...): a statement matches a request when one of its resources does, so
together they match exactly what it matched. A policy that would need more managed
policies than a role takes, or a statement that cannot be divided so, is refused with the
numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reconciler.common.errors import ReconcilerError

INLINE_LIMIT = 10_240  # characters, all inline policies of one role together
MANAGED_LIMIT = 6_144  # characters, one managed policy
MANAGED_PER_ROLE = 10  # managed policies attached to one role (the default quota)
VERSION = "2012-10-17"

Document = dict[str, Any]


def size(document: Document) -> int:
    """The policy's size as IAM counts it: its JSON without white space between tokens (an
    upper bound: IAM counts no white space at all, and the printed policies have none
    inside strings)."""
    return len(json.dumps(document, separators=(",", ":")))


@dataclass(frozen=True)
class Placement:
    """One inline policy, or the managed policies the printed one was split into."""

    inline: Document | None
    managed: tuple[Document, ...] = ()


def place(role: str, document: Document) -> Placement:
    """Where ``document``, the printed policy of ``role``, goes on the role."""
    if size(document) <= INLINE_LIMIT:
        return Placement(inline=document)
    parts = _split(role, document["Statement"])
    if len(parts) > MANAGED_PER_ROLE:
        raise too_large(role, document, f"{len(parts)} managed policies")
    return Placement(inline=None, managed=tuple(_document(p) for p in parts))


def _document(statements: list[Document]) -> Document:
    return {"Version": VERSION, "Statement": statements}


def _split(role: str, statements: list[Document]) -> list[list[Document]]:
    """The statements in order, in as few managed policies as fit one after another."""
    parts: list[list[Document]] = [[]]
    for statement in (s for whole in statements for s in _divided(role, whole, statements)):
        if parts[-1] and size(_document([*parts[-1], statement])) > MANAGED_LIMIT:
            parts.append([])
        parts[-1].append(statement)
    return parts


def _fits(statement: Document) -> bool:
    return size(_document([statement])) <= MANAGED_LIMIT


def _divided(role: str, statement: Document, policy: list[Document]) -> list[Document]:
    """``statement``, or the statements its ``Resource`` list divides into, each of which
    fits a managed policy."""
    if _fits(statement):
        return [statement]
    resources = statement.get("Resource")
    if not isinstance(resources, list) or len(resources) < 2:
        sid = statement.get("Sid", "a statement")
        raise too_large(role, _document(policy), f"{sid} alone exceeds a managed policy")
    pieces: list[list[str]] = [[]]
    for resource in resources:
        if pieces[-1] and not _fits({**statement, "Resource": [*pieces[-1], resource]}):
            pieces.append([])
        pieces[-1].append(resource)
    sid = statement.get("Sid", "")
    return [{**statement, "Sid": f"{sid}{n}", "Resource": r} for n, r in enumerate(pieces, 1)]


def too_large(role: str, document: Document, need: str) -> ReconcilerError:
    return ReconcilerError(
        f"the {role} policy of this repository is {size(document):,} characters, more than a "
        f"role holds: IAM allows {INLINE_LIMIT:,} inline, or {MANAGED_PER_ROLE} managed "
        f"policies of {MANAGED_LIMIT:,} each, and it needs {need}",
        hint="split the cards and shares over several targets (targets: in reconciler.yaml, "
        "one card account each), or attach the policy by hand after raising the quota of "
        "managed policies per role (docs/real-aws.md)",
    )
