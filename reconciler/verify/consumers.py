"""Consumer-side verification: what each share target account really sees.

For every share principal with a ``role_arn`` in reconciler.yaml, assume that role, accept
a pending invitation to a share the reconciler manages (and no other), describe each
shared card by ARN, check the shared model package groups (``verify.groups``), and read
the card permission in force. Permissions are checked by reading their actions, never by
trying a write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import AwsSession, aws_errors, error_code, pages
from reconciler.aws.waits import WaitFailed, WaitSettings, poll
from reconciler.common.arns import RESOURCE_TYPE, Arns
from reconciler.desired.model import Account, DesiredState, ShareSpec
from reconciler.diff.shares import selected_cards
from reconciler.live.model import LiveShare, LiveState, active_entities, is_managed
from reconciler.live.ram import policy_actions
from reconciler.reports.consumers import AccountCheck
from reconciler.verify.groups import groups_seen

SESSION_NAME = "modelcard-reconciler-verify"


def verify_consumers(
    session: AwsSession,
    state: DesiredState,
    live: LiveState,
    waits: WaitSettings,
    accept: bool = True,
) -> tuple[AccountCheck, ...]:
    """One check per (share, principal with a role) pair, sorted by share and account."""
    checks = []
    for share, account in _targets(state):
        live_share = live.shares.get(share.name)
        if live_share is None or not is_managed(live_share.tags, state.config.ownership):
            checks.append(_missing_share(account, share))
            continue
        consumer = session.assume(str(account.role_arn), SESSION_NAME)
        checks.append(_check(consumer, state, account, share, live_share, waits, accept))
    return tuple(checks)


def _targets(state: DesiredState) -> Iterator[tuple[ShareSpec, Account]]:
    for share in sorted(state.shares.values(), key=lambda s: s.name):
        for principal in share.principals:
            account = state.config.accounts.get(principal) or state.config.account_by_id(principal)
            if account is not None and account.role_arn:
                yield share, account


def _missing_share(account: Account, share: ShareSpec) -> AccountCheck:
    return AccountCheck(
        account=account.name,
        account_id=account.id,
        share=share.name,
        invitation=None,
        problems=(f"share {share.name} does not exist yet: run apply first",),
    )


def _check(
    consumer: AwsSession,
    state: DesiredState,
    account: Account,
    share: ShareSpec,
    live: LiveShare,
    waits: WaitSettings,
    accept: bool,
) -> AccountCheck:
    ram, sagemaker = consumer.client("ram"), consumer.client("sagemaker")
    problems: list[str] = []
    invitation = _invitation(ram, account, live, accept, problems)
    _check_external(account, live, problems)
    # Right after an invitation is accepted the association may still be settling.
    settling = waits if invitation == "accepted now" else replace(waits, timeout=0)
    visible, missing = _cards_seen(sagemaker, state, share, live, settling, problems)
    groups = groups_seen(sagemaker, state, share, live, settling)
    problems += groups.problems
    permission, actions = _permission_in_force(ram, state, share, live, problems)
    return AccountCheck(
        account=account.name,
        account_id=account.id,
        share=share.name,
        invitation=invitation,
        visible=visible,
        missing=missing,
        permission=permission,
        actions=actions,
        problems=tuple(problems),
        groups_visible=groups.visible,
        groups_missing=groups.missing,
    )


def _check_external(account: Account, live: LiveShare, problems: list[str]) -> None:
    """RAM and reconciler.yaml must agree on whether the account is outside the
    Organization."""
    association = next((a for a in live.principals if a.entity == account.id), None)
    if association is not None and association.external and not account.external:
        problems.append(
            f"RAM says {account.id} is outside the Organization, but reconciler.yaml does "
            "not mark it external"
        )


def _cards_seen(
    sagemaker: Any,
    state: DesiredState,
    share: ShareSpec,
    live: LiveShare,
    settling: WaitSettings,
    problems: list[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(visible, missing): the cards git selects for the share that the consumer can and
    cannot describe. Only cards the share holds are worth waiting for (``settling``): git
    may be ahead of the last apply."""
    names = selected_cards(state, share)
    arns = Arns.for_config(state.config)
    held, once = active_entities(live.resources), replace(settling, timeout=0)
    cards = [(n, arns.card(n)) for n in names]
    visible = _visible(sagemaker, [(n, a, settling if a in held else once) for n, a in cards])
    missing = tuple(n for n in names if n not in visible)
    problems += [
        f"cannot describe {n}"
        + ("" if arns.card(n) in held else ": the share does not hold it; run apply")
        for n in missing
    ]
    return visible, missing


def _permission_in_force(
    ram: Any, state: DesiredState, share: ShareSpec, live: LiveShare, problems: list[str]
) -> tuple[str | None, tuple[str, ...]]:
    """The permission the share has attached and its actions, compared with git's."""
    permission, actions = _permission(ram, live.arn, problems)
    expected = state.config.permission_actions(share.permission)
    if permission is not None and (permission != share.permission or actions != expected):
        problems.append(
            f"permission in force is {permission} ({', '.join(actions)}), "
            f"git declares {share.permission} ({', '.join(expected)})"
        )
    return permission, actions


def _invitation(
    ram: Any, account: Account, share: LiveShare, accept: bool, problems: list[str]
) -> str:
    """The state of the account's latest invitation to the share, accepted now if it was
    pending and ``accept``."""
    latest = max(
        _received(ram, account, share),
        key=lambda i: i.get("invitationTimestamp", 0),
        default=None,
    )
    if latest is not None:
        return _answered(ram, account, share, latest, accept, problems)
    if account.external:
        problems.append("no invitation found for an account outside the Organization")
        return "none"
    return "not needed (same Organization)"


def _received(ram: Any, account: Account, share: LiveShare) -> list[dict[str, Any]]:
    """The invitations to the share that the account received."""
    with aws_errors(f"reading invitations as {account.name}"):
        return [
            i
            for i in pages(
                ram.get_resource_share_invitations,
                "resourceShareInvitations",
                "nextToken",
                resourceShareArns=[share.arn],
            )
            if i.get("receiverAccountId") == account.id
        ]


def _answered(
    ram: Any,
    account: Account,
    share: LiveShare,
    latest: dict[str, Any],
    accept: bool,
    problems: list[str],
) -> str:
    status = str(latest["status"])
    if status == "PENDING" and accept:
        with aws_errors(f"accepting the invitation to {share.name} as {account.name}"):
            ram.accept_resource_share_invitation(
                resourceShareInvitationArn=latest["resourceShareInvitationArn"]
            )
        return "accepted now"
    if status != "ACCEPTED":
        problems.append(
            f"invitation is {status}: the next apply invites the account again"
            if status in ("EXPIRED", "REJECTED")
            else f"invitation is {status}"
        )
    return {"ACCEPTED": "already accepted"}.get(status, status.lower())


def _visible(sagemaker: Any, cards: list[tuple[str, str, WaitSettings]]) -> tuple[str, ...]:
    """Names of the cards the consumer can describe by ARN, each waited for as long as its
    settings allow."""
    seen = []
    for name, arn, waits in cards:
        try:
            poll(waits, partial(_describe, sagemaker, arn), f"describing {arn}")
            seen.append(name)
        except WaitFailed:
            continue
    return tuple(seen)


def _describe(sagemaker: Any, arn: str) -> str | None:
    try:
        sagemaker.describe_model_card(ModelCardName=arn)
    except ClientError as e:
        if error_code(e) in ("AccessDeniedException", "ResourceNotFound"):
            return None
        raise
    return "visible"


def _permission(
    ram: Any, share_arn: str, problems: list[str]
) -> tuple[str | None, tuple[str, ...]]:
    try:
        listed = _attached(ram, share_arn)
        if not listed:
            problems.append("no permission is attached to the share")
            return None, ()
        # The version the share attached, which is not always the permission's default.
        detail = ram.get_permission(
            permissionArn=listed[0]["arn"], permissionVersion=int(listed[0]["version"])
        )["permission"]
    except ClientError as e:
        problems.append(f"cannot read the share's permission: {error_code(e)}")
        return None, ()
    return detail["name"], tuple(sorted(policy_actions(detail.get("permission", ""))))


def _attached(ram: Any, share_arn: str) -> list[dict[str, Any]]:
    """The permissions attached to the share for model cards, as RAM lists them (the
    one for its model package groups is checked through what the account can read)."""
    return [
        p
        for p in pages(
            ram.list_resource_share_permissions,
            "permissions",
            "nextToken",
            resourceShareArn=share_arn,
        )
        if str(p.get("resourceType", RESOURCE_TYPE)).lower() == RESOURCE_TYPE.lower()
    ]
