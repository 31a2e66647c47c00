"""Diff RAM resource shares: git against live. Pure.

Shares select cards by name and by *desired* status, so promoting a card in git plans the
associations of its new shares in the same run; they select model package groups by name
and by the *desired* approval of their versions (registry files) the same way. A share's
cards and groups are its resources, each kind under its own permission.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.common.arns import Arns, group_name
from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.common.words import count
from reconciler.desired.model import DesiredState, ShareSpec
from reconciler.diff.ownership import adoption, tag_delta
from reconciler.live.model import LiveAssociation, LiveShare, active_entities, is_managed
from reconciler.load.yamlsource import SourceDocument
from reconciler.normalize.state import Normalised
from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Action, Change, FieldChange, Guard, PlanPart, Reason
from reconciler.plan.payloads import (
    ChangeMembers,
    CreateShare,
    DeleteShare,
    MemberKind,
    Service,
    SetPermission,
    UpdateShare,
)
from reconciler.validate.rules.shares import is_external, principal_kind


def selected_cards(state: DesiredState, share: ShareSpec) -> list[str]:
    """Cards in the share: those it selects by name and desired status (``selects``); in
    a hub, replicas too (a named replica whose spoke card does not exist is left out)."""
    statuses = {c.name: c.status for c in state.cards.values()}
    statuses |= {r.name: r.status for r in state.replicas.values()}
    return sorted(n for n, status in statuses.items() if share.selects(n, status))


def selected_groups(state: DesiredState, share: ShareSpec) -> list[str]:
    """Model package groups in the share: those of registry/ it selects by name and by the
    approval git gives their versions (``GroupSelection.selects``)."""
    chosen = share.groups
    if chosen is None:
        return []
    return sorted(g.name for g in state.groups.values() if chosen.selects(g))


def desired_resources(state: DesiredState, share: ShareSpec, arns: Arns) -> list[str]:
    """The ARNs of everything the share holds: its cards, then its groups."""
    cards = [arns.card(c) for c in selected_cards(state, share)]
    return cards + [arns.group(g) for g in selected_groups(state, share)]


def group_permission(share: ShareSpec, arns: Arns) -> str | None:
    """The ARN of the permission for the share's groups; None when it lists none."""
    return arns.permission(share.groups.permission) if share.groups else None


def resolved_principals(state: DesiredState, share: ShareSpec) -> list[str]:
    """Principals as RAM knows them: account names become their 12-digit IDs."""
    accounts = state.config.accounts
    return sorted({accounts[p].id if p in accounts else p for p in share.principals})


def diff_shares(
    n: Normalised, arns: Arns, prune: bool, updating: frozenset[str] = frozenset()
) -> PlanPart:
    """``updating``: names of permissions the plan gives a new version, which RAM does not
    apply to existing shares until the permission is attached again."""
    out = PlanPart()
    state, live = n.state, n.live.shares
    renamed = {old for s in state.shares.values() for old in s.previous_names}
    for share in sorted(state.shares.values(), key=lambda s: s.name):
        wrong_organization = list(organization_mismatches(n, share))
        out.errors.extend(wrong_organization)
        if not wrong_organization:
            _diff_one(n, share, arns, out, updating)
    out.warnings.extend(_organization_unchecked(n))
    for name in sorted(set(live) - set(state.shares) - renamed):
        _removed(n, live[name], prune, out)
    return out


def _organization_unchecked(n: Normalised) -> Iterator[str]:
    fact, organization_id = n.live.organization, n.state.config.organization_id
    if organization_id and fact is not None and not fact.readable:
        yield (
            f"organization.id {organization_id} was not checked: the identity "
            "may not call organizations:DescribeOrganization"
        )


def _live_key(n: Normalised, share: ShareSpec) -> str | None:
    """The key of the live share git's share stands for: its name, or a previous one."""
    return next((k for k in (share.name, *share.previous_names) if k in n.live.shares), None)


def _diff_one(
    n: Normalised, share: ShareSpec, arns: Arns, out: PlanPart, updating: frozenset[str]
) -> None:
    key = _live_key(n, share)
    if key is None:
        out.changes.append(_create(n, share, arns))
        return
    current = n.live.shares[key]
    if is_managed(current.tags, n.state.config.ownership):
        mismatches = list(external_mismatches(n, share, key))
        out.errors.extend(mismatches)
        if not mismatches:
            out.changes.extend(_updates(n, share, key, arns, updating))
    elif _share_in_sync(n, share, key, arns):
        desired, live = n.share_tags[share.name], n.live_share_tags[key]
        address = Address.share(share.name)
        out.adoptions.append(adoption(address, current.arn, Service.RAM, desired, live))
    else:
        out.errors.append(_unmanaged(n, share, current))


def _unmanaged(n: Normalised, share: ShareSpec, current: LiveShare) -> Diagnostic:
    doc = n.state.documents[share.file]
    return Diagnostic(
        file=share.file,
        position=doc.locate(("name",)),
        path=json_path(("name",)),
        message=f"resource share '{current.name}' exists in the account but"
        " is not managed by the reconciler and differs from git: run"
        " `reconciler import --shares` to write it to git",
        code="unmanaged-share",
    )


def _share_in_sync(n: Normalised, share: ShareSpec, key: str, arns: Arns) -> bool:
    """True when git declares exactly this live share (as after `reconciler import`)."""
    live, state = n.live.shares[key], n.state
    wanted = desired_resources(state, share, arns)
    groups = group_permission(share, arns)
    return (
        live.name == share.name
        and live.allow_external_principals == share.allow_external_principals
        and live.permission_arns == (arns.permission(share.permission),)
        and live.group_permission_arns == ((groups,) if groups else ())
        and active_entities(live.resources) == frozenset(wanted)
        and active_entities(live.principals) == frozenset(resolved_principals(state, share))
        and n.live_share_tags[key].user == n.share_tags[share.name].user
    )


def _create(n: Normalised, share: ShareSpec, arns: Arns) -> Change:
    payload = _creation(n, share, arns)
    return Change(
        address=Address.share(share.name),
        action=Action.CREATE_SHARE,
        reason=Reason.NOT_IN_ACCOUNT,
        detail="declared in git, not in the account",
        fields=_new_share_fields(payload),
        payload=payload,
        guards=(Guard.OPENS_SHARE,) if share.allow_external_principals else (),
    )


def _creation(n: Normalised, share: ShareSpec, arns: Arns) -> CreateShare:
    """The share with every card, group and principal it selects, its permissions and
    tags."""
    state = n.state
    return CreateShare(
        name=share.name,
        principals=tuple(resolved_principals(state, share)),
        resource_arns=tuple(desired_resources(state, share, arns)),
        permission_arn=arns.permission(share.permission),
        tags=n.share_tags[share.name].all,
        allow_external_principals=share.allow_external_principals,
        group_permission_arn=group_permission(share, arns),
    )


def _new_share_fields(share: CreateShare) -> tuple[FieldChange, ...]:
    groups = share.group_permission_arn
    return (
        FieldChange("$.principals", after=list(share.principals)),
        FieldChange("$.resources", after=list(share.resource_arns)),
        FieldChange("$.permission", after=share.permission_arn),
        *((FieldChange("$.group_permission", after=groups),) if groups else ()),
        FieldChange("$.allow_external_principals", after=share.allow_external_principals),
    )


def _updates(
    n: Normalised, share: ShareSpec, key: str, arns: Arns, updating: frozenset[str]
) -> Iterator[Change]:
    live, state = n.live.shares[key], n.state
    address = Address.share(share.name)
    yield from _share_settings(share, live, address)
    yield from _permission(share, live, address, arns, updating)
    resources = desired_resources(state, share, arns)
    yield from _associations(address, live, MemberKind.RESOURCE, resources)
    if selected_groups(state, share):
        yield from _group_permission(share, live, address, arns)
    principals = resolved_principals(state, share)
    outside = _not_known_inside(n, share, principals)
    yield from _associations(address, live, MemberKind.PRINCIPAL, principals, outside)
    yield from _tags(n, share, key, address)


def _tags(n: Normalised, share: ShareSpec, key: str, address: Address) -> Iterator[Change]:
    delta = tag_delta(n.share_tags[share.name], n.live_share_tags[key])
    if delta:
        yield Change(
            address=address,
            action=Action.UPDATE_SHARE,
            reason=Reason.TAGS_DIFFER,
            detail="tags differ from git",
            fields=delta.fields,
            payload=UpdateShare(
                share_arn=n.live.shares[key].arn, tags_add=delta.add, tags_remove=delta.remove
            ),
        )


def _not_known_inside(n: Normalised, share: ShareSpec, principals: list[str]) -> frozenset[str]:
    """Principals that would open the share further: on a share that allows outside
    principals, every account not shown to be inside the Organization by AWS itself (what
    reconciler.yaml says of an account is not enough: the same pull request can change it)."""
    if not share.allow_external_principals:
        return frozenset()  # RAM refuses outside accounts on such a share
    inside = n.live.accounts_inside_organization
    return frozenset(
        p for p in principals if is_external(n.state.config, p) or (p.isdigit() and p not in inside)
    )


def organization_mismatches(n: Normalised, share: ShareSpec) -> Iterator[Diagnostic]:
    """Organization and OU principals of a share when Organizations says the card account
    is not in the Organization reconciler.yaml names: errors on those principals."""
    config, fact = n.state.config, n.live.organization
    if config.organization_id is None or fact is None or not fact.readable:
        return
    if fact.id == config.organization_id:
        return
    actual = f"in {fact.id}" if fact.id else "in no Organization"
    doc = n.state.documents[share.file]
    message = (
        f"reconciler.yaml names Organization {config.organization_id}, but "
        f"Organizations says the card account is {actual}: correct organization.id "
        "before sharing with an Organization or OU"
    )
    for i, principal in enumerate(share.principals):
        if principal_kind(config, principal) in ("organization", "ou"):
            yield _on_principal(share, doc, i, message, "organization-mismatch")


def external_mismatches(n: Normalised, share: ShareSpec, key: str) -> Iterator[Diagnostic]:
    """An account RAM calls external that reconciler.yaml does not mark external: an error on
    the principal, naming the account."""
    config, doc = n.state.config, n.state.documents[share.file]
    by_id = {a.entity: a for a in n.live.shares[key].principals}
    for i, principal in enumerate(share.principals):
        account = config.accounts.get(principal) or config.account_by_id(principal)
        live = by_id.get(account.id) if account else None
        if account and live and live.external and not account.external:
            message = (
                f"RAM says account '{account.name}' ({account.id}) is outside the "
                "card account's Organization, but reconciler.yaml does not mark it "
                f"external: set external: true under accounts.{account.name} if that is "
                "right, or find out why RAM sees it outside"
            )
            yield _on_principal(share, doc, i, message, "external-mismatch")


def _on_principal(
    share: ShareSpec, doc: SourceDocument, index: int, message: str, code: str
) -> Diagnostic:
    path = ("principals", index)
    return Diagnostic(
        file=share.file,
        position=doc.locate(path),
        path=json_path(path),
        message=message,
        code=code,
    )


def _permission(
    share: ShareSpec, live: LiveShare, address: Address, arns: Arns, updating: frozenset[str]
) -> Iterator[Change]:
    permission = arns.permission(share.permission)
    why = _why_attach(share, live, permission, updating)
    if why is None:
        return
    reason, detail = why
    yield Change(
        address=address,
        action=Action.SET_PERMISSION,
        reason=reason,
        detail=detail,
        fields=(FieldChange("$.permission", _names(live.permission_arns), permission),),
        payload=SetPermission(share_arn=live.arn, permission_arn=permission),
    )


def _group_permission(
    share: ShareSpec, live: LiveShare, address: Address, arns: Arns
) -> Iterator[Change]:
    """Attach the permission git names for the share's groups, where RAM applies another
    (or none) to them; only while git puts groups in the share (whether RAM takes a
    permission for a type a share never holds is not documented).
    AWS undocumented: group-permission-first"""
    wanted = group_permission(share, arns)
    if wanted is None or live.group_permission_arns == (wanted,):
        return
    current = _names(live.group_permission_arns)
    yield Change(
        address=address,
        action=Action.SET_PERMISSION,
        reason=Reason.PERMISSION_DIFFERS,
        detail=f"permission for model package groups is {current}, git says "
        f"{wanted.rsplit('/', 1)[-1]}",
        fields=(FieldChange("$.group_permission", current, wanted),),
        payload=SetPermission(share_arn=live.arn, permission_arn=wanted),
    )


def _why_attach(
    share: ShareSpec, live: LiveShare, permission: str, updating: frozenset[str]
) -> tuple[Reason, str] | None:
    """Why the permission is to be attached to the share again, if it is."""
    if live.permission_arns != (permission,):
        detail = f"permission is {_names(live.permission_arns)}, git says {share.permission}"
        return Reason.PERMISSION_DIFFERS, detail
    if share.permission in updating:
        detail = f"{share.permission} gets a new version: attach it to the share"
        return Reason.PERMISSION_RENEWED, detail
    if live.permission_outdated:
        detail = f"the share uses an older version of {share.permission}: attach the default"
        return Reason.PERMISSION_OUTDATED, detail
    return None


def _share_settings(share: ShareSpec, live: LiveShare, address: Address) -> Iterator[Change]:
    fields = tuple(_setting_fields(share, live))
    if not fields:
        return
    name = share.name if live.name != share.name else None
    wanted, was = share.allow_external_principals, live.allow_external_principals
    external = wanted if was != wanted else None
    yield Change(
        address=address,
        action=Action.UPDATE_SHARE,
        reason=Reason.SETTINGS_DIFFER,
        detail="share settings differ from git",
        fields=fields,
        payload=UpdateShare(share_arn=live.arn, name=name, allow_external_principals=external),
        guards=(Guard.OPENS_SHARE,) if wanted and not was else (),
    )


def _setting_fields(share: ShareSpec, live: LiveShare) -> Iterator[FieldChange]:
    if live.name != share.name:
        yield FieldChange("$.name", live.name, share.name)
    if live.allow_external_principals != share.allow_external_principals:
        yield FieldChange(
            "$.allow_external_principals",
            live.allow_external_principals,
            share.allow_external_principals,
        )


_ACTIONS = {
    (MemberKind.RESOURCE, True): Action.ASSOCIATE_RESOURCES,
    (MemberKind.RESOURCE, False): Action.DISASSOCIATE_RESOURCES,
    (MemberKind.PRINCIPAL, True): Action.ASSOCIATE_PRINCIPALS,
    (MemberKind.PRINCIPAL, False): Action.DISASSOCIATE_PRINCIPALS,
}


def _associations(
    address: Address,
    live: LiveShare,
    kind: MemberKind,
    desired: list[str],
    outside: frozenset[str] = frozenset(),
) -> Iterator[Change]:
    """Associations to add and remove. Adding a principal from ``outside`` the Organization
    that was never associated before opens the share further, so it needs --force."""
    active = active_entities(_members(live, kind))
    add = sorted(set(desired) - active)
    remove = sorted(active - set(desired))
    if add:
        yield _associate(address, live, kind, add, outside)
    if remove:
        yield Change(
            address=address,
            action=_ACTIONS[kind, False],
            reason=Reason.MEMBERS_NOT_SELECTED,
            detail=f"{count(len(remove), _noun(kind, remove))} no longer selected in git",
            fields=tuple(FieldChange(f"$.{kind.plural}", before=e) for e in remove),
            payload=ChangeMembers(share_arn=live.arn, kind=kind, entities=tuple(remove)),
        )


def _members(live: LiveShare, kind: MemberKind) -> tuple[LiveAssociation, ...]:
    return live.resources if kind is MemberKind.RESOURCE else live.principals


def _associate(
    address: Address, live: LiveShare, kind: MemberKind, add: list[str], outside: frozenset[str]
) -> Change:
    """Entities to add; the detail says why any of them failed before."""
    current = _members(live, kind)
    failed = {a.entity: a for a in current if a.status not in ("ASSOCIATING", "ASSOCIATED")}
    why = [_failed(failed[e]) for e in add if e in failed]
    opening = [e for e in add if e in outside and e not in failed]
    return Change(
        address=address,
        action=_ACTIONS[kind, True],
        reason=Reason.MEMBERS_MISSING,
        detail=f"{count(len(add), _noun(kind, add))} to add"
        + (f"; {'; '.join(why)}" if why else ""),
        fields=tuple(FieldChange(f"$.{kind.plural}", after=e) for e in add),
        payload=ChangeMembers(share_arn=live.arn, kind=kind, entities=tuple(add)),
        guards=(Guard.OPENS_SHARE,) if opening else (),
        guard_note=", ".join(opening),
    )


def _noun(kind: MemberKind, entities: list[str]) -> str:
    """What the entities are: cards or principals, model package groups, or resources."""
    groups = sum(group_name(e) is not None for e in entities)
    if kind is MemberKind.PRINCIPAL or not groups:
        return kind.noun
    return "model package group" if groups == len(entities) else "resource"


def _failed(association: LiveAssociation) -> str:
    message = association.status_message
    return f"{association.entity} is {association.status}" + (f" ({message})" if message else "")


def _names(permission_arns: tuple[str, ...]) -> str:
    return ", ".join(a.rsplit("/", 1)[-1] for a in permission_arns) or "none"


def _removed(n: Normalised, live: LiveShare, prune: bool, out: PlanPart) -> None:
    if not is_managed(live.tags, n.state.config.ownership):
        return
    if not prune:
        out.warnings.append(
            f"share '{live.name}' is managed but no longer in git: plan with --prune to delete it"
        )
        return
    out.changes.append(_deletion(live))


def _deletion(live: LiveShare) -> Change:
    return Change(
        address=Address.share(live.name),
        action=Action.DELETE_SHARE,
        reason=Reason.NOT_IN_GIT,
        detail="no longer in git",
        fields=(FieldChange("$.name", live.name, MISSING),),
        payload=DeleteShare(share_arn=live.arn, name=live.name),
        guards=(Guard.DELETES,),
    )
