"""What a service asks IAM before it acts: one ``AccessRequest`` per action it performs.

A service describes a call as the actions it needs, the resource of each (by the
Service Authorization Reference's resource type, e.g. ``model-card`` -> card ARN) and
the facts it knows (condition keys such as ``aws:ResourceTag/team`` or
``ram:Principal``). Which of those resources and keys an action is authorised against is
IAM's business (``reconciler.sandbox.iam``); the services only state facts. ``ALLOW_ALL``
is the authoriser of a sandbox without identity policies (and of unit tests).

A service also says which condition keys it computes (``modelled``: a key it models but
leaves out of ``facts`` is absent, as AWS would leave it out) and which it cannot know
(``unknowable``, with the reason); IAM refuses to evaluate a condition on a key of the
action that is in neither, rather than guess. ``via`` names the service that makes the
request with the caller's credentials (``aws:ViaAWSService``), e.g. SageMaker calling KMS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Protocol

from reconciler.sandbox.caller import Caller

Facts = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class AccessRequest:
    """One action a call performs: its resources by SAR resource type, and its facts."""

    action: str
    resources: Mapping[str, str] = field(default_factory=dict)
    facts: Facts = field(default_factory=dict)
    _: KW_ONLY
    modelled: tuple[str, ...] = ()  # lower-case keys; a trailing "/" or ":" is a prefix
    unknowable: Mapping[str, str] = field(default_factory=dict)  # lower-case key -> why
    via: str | None = None  # e.g. "sagemaker.amazonaws.com" for a forward access session

    def models(self, key: str) -> bool:
        """Whether the service computes ``key`` (lower-case) for this request."""
        return any(key == m or (m[-1] in "/:" and key.startswith(m)) for m in self.modelled)


class IdentityPolicies(Protocol):
    """Raises ``AccessDeniedException`` unless the caller may perform every request."""

    def authorize(self, caller: Caller, requests: Sequence[AccessRequest]) -> None: ...


class _AllowAll:
    def authorize(self, caller: Caller, requests: Sequence[AccessRequest]) -> None:
        return None


ALLOW_ALL: IdentityPolicies = _AllowAll()


def tag_facts(prefix: str, tags: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """``{prefix/key: (value,)}`` for each tag, e.g. ``aws:ResourceTag/team``."""
    return {f"{prefix}/{key}": (value,) for key, value in tags.items()}


def request_tag_facts(tags: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """``aws:RequestTag/<key>`` for each tag in the request, and ``aws:TagKeys``."""
    facts = tag_facts("aws:RequestTag", tags)
    if tags:
        facts["aws:TagKeys"] = tuple(tags)
    return facts
