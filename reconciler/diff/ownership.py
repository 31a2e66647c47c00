"""What ownership means for the diff: adopting a live resource that already matches git,
and the tag changes that keep ownership tags on what the reconciler manages. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.diff.fields import tag_fields
from reconciler.normalize.state import Tags
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Reason
from reconciler.plan.payloads import Adopt, Service


@dataclass(frozen=True, kw_only=True)
class TagDelta:
    """Tags to set or overwrite, and keys to remove."""

    add: Mapping[str, str]
    remove: tuple[str, ...]
    live: Mapping[str, str]

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)

    @property
    def fields(self) -> tuple[FieldChange, ...]:
        return tag_fields(self.add, self.remove, self.live)


def tag_delta(desired: Tags, live: Tags) -> TagDelta:
    """What makes ``live`` tags equal git's (AWS system tags are not in either)."""
    add = {k: v for k, v in sorted(desired.all.items()) if live.all.get(k) != v}
    remove = tuple(sorted(k for k in live.all if k not in desired.all))
    return TagDelta(add=add, remove=remove, live=live.all)


def ownership_tags(desired: Tags, live: Tags) -> dict[str, str]:
    """The ownership tags ``live`` lacks (never a tag people set)."""
    return {k: v for k, v in tag_delta(desired, live).add.items() if k not in desired.user}


def adoption(address: Address, arn: str, service: Service, desired: Tags, live: Tags) -> Change:
    """Take over a live resource: only the ownership tags are added, before anything else
    changes, so every later change is made to a resource that is already managed."""
    add = ownership_tags(desired, live)
    return Change(
        address=address,
        action=Action.ADOPT,
        reason=Reason.IMPORTED,
        detail="matches git but is not managed yet (imported): the next apply adds the "
        "ownership tags and changes nothing else",
        fields=tag_fields(add, (), live.all),
        payload=Adopt(arn=arn, service=service, tags=add),
    )
