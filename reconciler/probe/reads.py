"""The checks a read settles: how Search sorts, what two IAM condition keys hold, RAM's names
for SageMaker's types and its managed permissions, customer managed permissions already in
the account, and when the card account's invitations expire (seen from the target
accounts). None writes anything; each returns an ``Observation``, or None when the account
holds no evidence yet (a ``--write`` step may then supply it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import pages
from reconciler.common.arns import GROUP_RESOURCE_TYPE, RESOURCE_TYPE
from reconciler.probe import registry
from reconciler.probe.assumptions import BY_KEY
from reconciler.probe.context import (
    NO_ROLE,
    SESSION,
    ProbeContext,
    denied,
    restricted,
    said,
    server_time,
)
from reconciler.reports.probe import Observation, Outcome

SEVEN_DAYS = 7 * 24 * 3600.0  # RAM's other invitation window (its user guide's list)


def search_sorts_by_name(ctx: ProbeContext) -> Observation:
    sagemaker = ctx.session.client("sagemaker")
    try:
        found = sagemaker.search(
            Resource="ModelCard", SortBy="ModelCardName", SortOrder="Ascending", MaxResults=20
        )
    except ClientError as e:
        if e.response["Error"]["Code"] != "ValidationException":
            raise
        return Observation(shown=f"Search refused SortBy=ModelCardName ({said(e)})", value=False)
    names = [r["ModelCard"]["ModelCardName"] for r in found.get("Results", [])]
    order = "in name order" if names == sorted(names) else "not in name order"
    return Observation(shown=f"Search sorted {len(names)} card(s) by name, {order}", value=True)


def _allowed_with(ctx: ProbeContext, condition: dict[str, Any]) -> bool | None:
    """Whether ListModelCards succeeds under a session policy allowing it only with
    ``condition`` (None without a role to assume)."""
    statement = {
        "Effect": "Allow",
        "Action": "sagemaker:ListModelCards",
        "Resource": "*",
        "Condition": condition,
    }
    session = restricted(ctx, [statement])
    if session is None:
        return None
    try:
        session.client("sagemaker").list_model_cards(MaxResults=1)
    except ClientError as e:
        if not denied(e):
            raise
        return False
    return True


def _condition(ctx: ProbeContext, condition: dict[str, Any], where: str) -> Observation:
    """Whether ListModelCards is allowed only ``where`` ``condition`` holds."""
    allowed = _allowed_with(ctx, condition)
    if allowed is None:
        return Observation(shown=NO_ROLE)
    verb = "allowed" if allowed else "denied"
    return Observation(shown=f"ListModelCards, allowed only where {where}: {verb}", value=allowed)


def star_resource_account(ctx: ProbeContext) -> Observation:
    condition = {"StringEquals": {"aws:ResourceAccount": ctx.account}}
    return _condition(ctx, condition, f"aws:ResourceAccount is {ctx.account}")


def secure_transport(ctx: ProbeContext) -> Observation:
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    return _condition(ctx, condition, "aws:SecureTransport is true")


def ram_resource_types(ctx: ProbeContext) -> Observation:
    ram = ctx.ambient.client("ram")
    listed = {
        t["resourceType"] for t in pages(ram.list_resource_types, "resourceTypes", "nextToken")
    }
    assumed = BY_KEY["ram-resource-types"].assumed
    assert isinstance(assumed, tuple)
    named = tuple(t for t in assumed if t in listed)
    missing = [t for t in assumed if t not in listed]
    others = sorted(t for t in listed - set(assumed) if t.startswith("sagemaker:"))
    shown = f"ListResourceTypes names {len(named)} of the {len(assumed)}"
    shown += f"; not {', '.join(missing)}" if missing else ""
    shown += f"; also {', '.join(others)}" if others else ""
    return Observation(shown=shown, value=named)


def ram_managed_permissions(ctx: ProbeContext) -> Observation:
    return _managed_permissions(ctx, RESOURCE_TYPE)


def ram_group_permissions(ctx: ProbeContext) -> Observation:
    return _managed_permissions(ctx, GROUP_RESOURCE_TYPE)


def _managed_permissions(ctx: ProbeContext, resource_type: str) -> Observation:
    """RAM's AWS managed permissions for ``resource_type``, with the actions of each."""
    ram = ctx.ambient.client("ram")
    found = {
        p["name"]: p["arn"]
        for p in pages(
            ram.list_permissions,
            "permissions",
            "nextToken",
            resourceType=resource_type,
            permissionType="AWS_MANAGED",
        )
    }
    value = {name: _actions(ram, arn) for name, arn in sorted(found.items())}
    listed = "; ".join(f"{n}: {', '.join(a)}" for n, a in value.items()) or "none"
    return Observation(shown=f"AWS managed permissions for {resource_type}: {listed}", value=value)


def _actions(ram: Any, arn: str) -> tuple[str, ...]:
    """The actions a managed permission's policy template grants, sorted."""
    template = json.loads(ram.get_permission(permissionArn=arn)["permission"]["permission"])
    statements = template.get("Statement", [template]) if isinstance(template, dict) else []
    actions: set[str] = set()
    for statement in statements:
        named = statement.get("Action", [])
        actions.update([named] if isinstance(named, str) else named)
    return tuple(sorted(actions))


def customer_permissions(ctx: ProbeContext) -> Observation | None:
    ram = ctx.ambient.client("ram")
    own = list(
        pages(
            ram.list_permissions,
            "permissions",
            "nextToken",
            resourceType=RESOURCE_TYPE,
            permissionType="CUSTOMER_MANAGED",
        )
    )
    if not own:
        return None
    names = ", ".join(sorted(p["name"] for p in own)[:3])
    shown = f"the account holds {len(own)} customer managed permission(s) for cards ({names})"
    return Observation(shown=shown, value=True)


def invitation_ttl(ctx: ProbeContext) -> Observation:
    """Bounds on the window from the card account's invitations, as the target accounts'
    roles see them: one still pending at age t means longer than t; one expired at age t,
    at most t."""
    seen = [i for account in ctx.consumers() for i in _invitations(ctx, account.role_arn)]
    assumed = BY_KEY["invitation-ttl"].assumed
    assert isinstance(assumed, float)
    longer = max((age for status, age in seen if status == "PENDING"), default=None)
    within = min((age for status, age in seen if status == "EXPIRED"), default=None)
    if longer is not None and longer >= assumed:
        value = SEVEN_DAYS if longer < SEVEN_DAYS else float(int(longer) + 1)
        return Observation(
            shown=f"an invitation is still pending after {_hours(longer)}", value=value
        )
    if within is not None and within < assumed:
        return Observation(shown=f"an invitation expired within {_hours(within)}", value=within)
    if within is not None:
        shown = f"an invitation expired within {_hours(within)}, none outlived {_hours(assumed)}"
        return Observation(shown=shown, value=assumed, outcome=Outcome.MATCHES)
    return Observation(
        shown=f"not checked: none of the card account's {len(seen)} invitation(s) the target "
        "accounts hold has expired or outlived the assumed window yet"
    )


def _invitations(ctx: ProbeContext, role_arn: str | None) -> list[tuple[str, float]]:
    """(status, age in seconds) of each invitation from the card account to that role's
    account, aged by the time RAM answered."""
    ram = ctx.session.assume(str(role_arn), SESSION).client("ram")
    found: list[tuple[str, float]] = []
    token: str | None = None
    while True:
        page = ram.get_resource_share_invitations(**({"nextToken": token} if token else {}))
        now = server_time(page)
        for i in page.get("resourceShareInvitations", []):
            if i.get("senderAccountId") == ctx.account:
                found.append((i["status"], now - _seconds(i["invitationTimestamp"])))
        token = page.get("nextToken")
        if not token:
            return found


def _seconds(when: datetime | float) -> float:
    return when.timestamp() if isinstance(when, datetime) else float(when)


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds:.0f} s"


READS: dict[str, Callable[[ProbeContext], Observation | None]] = {
    "search-sorts-by-name": search_sorts_by_name,
    "star-resource-account": star_resource_account,
    "secure-transport": secure_transport,
    "ram-resource-types": ram_resource_types,
    "ram-managed-permissions": ram_managed_permissions,
    "ram-group-permissions": ram_group_permissions,
    "group-default-permission": registry.group_default_permission,
    "customer-permissions": customer_permissions,
    "group-customer-permissions": registry.group_customer_permissions,
    "invitation-ttl": invitation_ttl,
}
