"""Diff customer-managed RAM permissions: create missing ones, version changed ones. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.common.arns import RESOURCE_TYPE, Arns
from reconciler.desired.model import DesiredState
from reconciler.live.model import LivePermission, is_managed
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, PlanPart, Reason
from reconciler.plan.payloads import CreatePermission, UpdatePermission


def diff_permissions(
    state: DesiredState, live: Mapping[str, LivePermission], arns: Arns
) -> PlanPart:
    out = PlanPart()
    own = state.config.ownership
    for name, wanted in sorted(state.config.permissions.items()):
        current = live.get(name)
        actions = tuple(sorted(wanted.actions))
        if current is None:
            out.changes.append(_create(state, name, actions, arns))
        elif not is_managed(current.tags, own):
            out.warnings.append(
                f"permission '{name}' exists but is not managed by the "
                "reconciler; shares use it as it is"
            )
        elif tuple(sorted(current.actions)) != actions:
            out.changes.append(_update(name, current, actions))
    return out


def _update(name: str, current: LivePermission, actions: tuple[str, ...]) -> Change:
    return Change(
        address=Address.permission(name),
        action=Action.UPDATE_PERMISSION,
        reason=Reason.ACTIONS_DIFFER,
        detail=f"actions differ from git (live version {current.version})",
        fields=(FieldChange("$.actions", sorted(current.actions), list(actions)),),
        payload=UpdatePermission(name=name, arn=current.arn, actions=actions),
    )


def _create(state: DesiredState, name: str, actions: tuple[str, ...], arns: Arns) -> Change:
    own = state.config.ownership
    payload = CreatePermission(
        name=name,
        arn=arns.permission(name),
        actions=actions,
        resource_type=RESOURCE_TYPE,
        tags={own.tag_key: own.tag_value, own.source_tag_key: "reconciler.yaml"},
    )
    return Change(
        address=Address.permission(name),
        action=Action.CREATE_PERMISSION,
        reason=Reason.NOT_IN_ACCOUNT,
        detail="declared in reconciler.yaml, not in the account",
        fields=(FieldChange("$.actions", after=list(actions)),),
        payload=payload,
    )
