"""Display names for the IDs and ARNs a plan shows. Pure.

People read ``dev (222222222222)`` rather than an account ID, a permission by its name
rather than its ARN, and a card of the card account by its name. The names are display
only: a change's payload and the checksum keep the IDs and ARNs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, Arns
from reconciler.desired.model import Config
from reconciler.plan.model import Change


def display_names(config: Config, arns: Arns, changes: Iterable[Change]) -> dict[str, str]:
    """Account IDs as reconciler.yaml names them, permission ARNs by name, and the card
    ARNs that ``changes`` touch or show, by card name. Only the fields of share and
    permission changes are searched for card ARNs: a card's own fields are its content,
    which is shown as git has it (and a first apply lists every value of every card)."""
    names = {a.id: f"{a.name} ({a.id})" for a in config.accounts.values()}
    names.update({arns.permission(p): p for p in (*AWS_MANAGED_PERMISSIONS, *config.permissions)})
    prefix = arns.card("")
    for change in changes:
        if change.address.is_card:
            name = change.address.name
            names[arns.card(name)] = name
            continue
        for item in change.fields:
            for text in _strings((item.before, item.after)):
                if text.startswith(prefix):
                    names[text] = text.removeprefix(prefix)
    return dict(sorted(names.items()))


def _strings(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            yield from _strings(value)
        elif isinstance(value, Mapping):
            yield from _strings(value.values())
