"""Diff RAM resource shares and customer-managed permissions: git against live. Pure.

Shares select cards by name and by *desired* status, so promoting a card in git plans the
associations of its new shares in the same run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reconciler.arns import RESOURCE_TYPE, Arns
from reconciler.diagnostics import Diagnostic, json_path
from reconciler.diff.cards import adoption, tag_change, user_tags
from reconciler.live.model import LivePermission, LiveShare, active_entities, is_managed
from reconciler.load.desired import DesiredState, ShareSpec
from reconciler.load.rules.shares import is_external
from reconciler.plan.model import MISSING, Action, Change, FieldChange, PlanPart
from reconciler.words import count

OPENING = "it opens the share to principals outside the Organization"


def share_address(name: str) -> str:
    return f"share.{name}"


def selected_cards(state: DesiredState, share: ShareSpec) -> list[str]:
    """Cards in the share: named ones, and those whose desired status is selected."""
    by_status = {c.name for c in state.cards.values() if c.status in share.card_statuses}
    return sorted(set(share.card_names) | by_status)


def resolved_principals(state: DesiredState, share: ShareSpec) -> list[str]:
    """Principals as RAM knows them: account names become their 12-digit IDs."""
    accounts = state.config.accounts
    return sorted({accounts[p].id if p in accounts else p for p in share.principals})


def share_tags(state: DesiredState, share: ShareSpec) -> dict[str, str]:
    own = state.config.ownership
    return {**share.tags, own.tag_key: own.tag_value, own.source_tag_key: share.file}


def diff_shares(
    state: DesiredState,
    live: Mapping[str, LiveShare],
    arns: Arns,
    prune: bool,
    updating: frozenset[str] = frozenset(),
) -> PlanPart:
    """``updating``: names of permissions the plan gives a new version, which RAM does not
    apply to existing shares until the permission is attached again."""
    out = PlanPart()
    renamed = {old for s in state.shares.values() for old in s.previous_names}
    for share in sorted(state.shares.values(), key=lambda s: s.name):
        _diff_one(state, share, live, arns, out, updating)
    for name in sorted(set(live) - set(state.shares) - renamed):
        _removed(state, live[name], prune, out)
    return out


def _diff_one(
    state: DesiredState,
    share: ShareSpec,
    live: Mapping[str, LiveShare],
    arns: Arns,
    out: PlanPart,
    updating: frozenset[str],
) -> None:
    current = live.get(share.name) or next(
        (live[n] for n in share.previous_names if n in live), None
    )
    own = state.config.ownership
    if current is None:
        out.changes.append(_create(state, share, arns))
    elif not is_managed(current.tags, own) and _share_in_sync(state, share, current, arns):
        out.adoptions.append(
            adoption(
                share_address(share.name),
                current.arn,
                "ram",
                share_tags(state, share),
                current.tags,
            )
        )
    elif not is_managed(current.tags, own):
        doc = state.documents[share.file]
        out.errors.append(
            Diagnostic(
                share.file,
                doc.locate(("name",)),
                json_path(("name",)),
                f"resource share '{current.name}' exists in the account but"
                " is not managed by the reconciler and differs from git: run"
                " `reconciler import --shares` to write it to git",
                "unmanaged-share",
            )
        )
    else:
        out.changes.extend(_updates(state, share, current, arns, updating))


def _share_in_sync(state: DesiredState, share: ShareSpec, live: LiveShare, arns: Arns) -> bool:
    """True when git declares exactly this live share (as after `reconciler import`)."""
    wanted = [arns.card(n) for n in selected_cards(state, share)]
    return (
        live.name == share.name
        and live.allow_external_principals == share.allow_external_principals
        and live.permission_arns == (arns.permission(share.permission),)
        and active_entities(live.resources) == frozenset(wanted)
        and active_entities(live.principals) == frozenset(resolved_principals(state, share))
        and user_tags(live.tags, state.config.ownership) == dict(share.tags)
    )


def _create(state: DesiredState, share: ShareSpec, arns: Arns) -> Change:
    resources = [arns.card(n) for n in selected_cards(state, share)]
    principals = resolved_principals(state, share)
    permission = arns.permission(share.permission)
    fields = (
        FieldChange("$.principals", after=principals),
        FieldChange("$.resources", after=resources),
        FieldChange("$.permission", after=permission),
        FieldChange("$.allow_external_principals", after=share.allow_external_principals),
    )
    params = {
        "name": share.name,
        "principals": principals,
        "resource_arns": resources,
        "permission_arn": permission,
        "tags": share_tags(state, share),
        "allow_external_principals": share.allow_external_principals,
    }
    needs = ("force",) if share.allow_external_principals else ()
    return Change(
        share_address(share.name),
        Action.CREATE_SHARE,
        "declared in git, not in the account",
        fields,
        params,
        needs,
        OPENING if needs else "",
    )


def _updates(
    state: DesiredState, share: ShareSpec, live: LiveShare, arns: Arns, updating: frozenset[str]
) -> Iterator[Change]:
    address = share_address(share.name)
    yield from _share_settings(share, live, address)
    permission = arns.permission(share.permission)
    renewed = share.permission in updating
    if live.permission_arns != (permission,) or live.permission_outdated or renewed:
        reason = (
            f"permission is {_names(live.permission_arns)}, git says {share.permission}"
            if live.permission_arns != (permission,)
            else f"{share.permission} gets a new version: attach it to the share"
            if renewed
            else f"the share uses an older version of {share.permission}: attach the default"
        )
        yield Change(
            address,
            Action.SET_PERMISSION,
            reason,
            (FieldChange("$.permission", _names(live.permission_arns), permission),),
            {"share_arn": live.arn, "permission_arn": permission, "replace": True},
        )
    yield from _associations(
        address, live, "resources", [arns.card(n) for n in selected_cards(state, share)]
    )
    principals = resolved_principals(state, share)
    outside = frozenset(p for p in principals if is_external(state.config, p))
    yield from _associations(address, live, "principals", principals, outside)
    tags = tag_change(address, live.arn, share_tags(state, share), live.tags)
    if tags:
        yield Change(
            address,
            Action.UPDATE_SHARE,
            tags.reason,
            tags.fields,
            {
                "share_arn": live.arn,
                "tags_add": tags.params["add"],
                "tags_remove": tags.params["remove"],
            },
        )


def _share_settings(share: ShareSpec, live: LiveShare, address: str) -> Iterator[Change]:
    fields: list[FieldChange] = []
    params: dict[str, object] = {"share_arn": live.arn}
    if live.name != share.name:
        fields.append(FieldChange("$.name", live.name, share.name))
        params["name"] = share.name
    if live.allow_external_principals != share.allow_external_principals:
        fields.append(
            FieldChange(
                "$.allow_external_principals",
                live.allow_external_principals,
                share.allow_external_principals,
            )
        )
        params["allow_external_principals"] = share.allow_external_principals
    if fields:
        opening = share.allow_external_principals and not live.allow_external_principals
        yield Change(
            address,
            Action.UPDATE_SHARE,
            "share settings differ from git",
            tuple(fields),
            params,
            ("force",) if opening else (),
            OPENING if opening else "",
        )


def _associations(
    address: str,
    live: LiveShare,
    kind: str,
    desired: list[str],
    outside: frozenset[str] = frozenset(),
) -> Iterator[Change]:
    """Associations to add and remove. Adding a principal from ``outside`` the Organization
    that was never associated before opens the share further, so it needs --force."""
    current = list(getattr(live, kind))
    active = active_entities(tuple(current))
    failed = {a.entity: a for a in current if a.status not in ("ASSOCIATING", "ASSOCIATED")}
    add = sorted(set(desired) - active)
    remove = sorted(active - set(desired))
    associate = Action.ASSOCIATE_RESOURCES if kind == "resources" else Action.ASSOCIATE_PRINCIPALS
    dissociate = (
        Action.DISASSOCIATE_RESOURCES if kind == "resources" else Action.DISASSOCIATE_PRINCIPALS
    )
    if add:
        why = [
            f"{e} is {failed[e].status}"
            + (f" ({failed[e].status_message})" if failed[e].status_message else "")
            for e in add
            if e in failed
        ]
        reason = _count(len(add), kind, "to add") + (f"; {'; '.join(why)}" if why else "")
        opening = [e for e in add if e in outside and e not in failed]
        yield Change(
            address,
            associate,
            reason,
            tuple(FieldChange(f"$.{kind}", after=e) for e in add),
            {"share_arn": live.arn, kind: add},
            ("force",) if opening else (),
            f"{OPENING} ({', '.join(opening)})" if opening else "",
        )
    if remove:
        yield Change(
            address,
            dissociate,
            _count(len(remove), kind, "no longer selected in git"),
            tuple(FieldChange(f"$.{kind}", before=e) for e in remove),
            {"share_arn": live.arn, kind: remove},
        )


def _count(n: int, kind: str, what: str) -> str:
    noun = "card" if kind == "resources" else "principal"
    return f"{count(n, noun)} {what}"


def _names(permission_arns: tuple[str, ...]) -> str:
    return ", ".join(a.rsplit("/", 1)[-1] for a in permission_arns) or "none"


def _removed(state: DesiredState, live: LiveShare, prune: bool, out: PlanPart) -> None:
    if not is_managed(live.tags, state.config.ownership):
        return
    if not prune:
        out.warnings.append(
            f"share '{live.name}' is managed but no longer in git: plan with --prune to delete it"
        )
        return
    out.changes.append(
        Change(
            share_address(live.name),
            Action.DELETE_SHARE,
            "no longer in git",
            (FieldChange("$.name", live.name, MISSING),),
            {"share_arn": live.arn, "name": live.name},
            ("prune",),
        )
    )


def diff_permissions(
    state: DesiredState, live: Mapping[str, LivePermission], arns: Arns
) -> PlanPart:
    """Customer-managed permissions: create missing ones, version changed ones."""
    out = PlanPart()
    own = state.config.ownership
    for name, wanted in sorted(state.config.permissions.items()):
        current = live.get(name)
        actions = sorted(wanted.actions)
        if current is None:
            out.changes.append(_create_permission(state, name, actions, arns))
        elif not is_managed(current.tags, own):
            out.warnings.append(
                f"permission '{name}' exists but is not managed by the "
                "reconciler; shares use it as it is"
            )
        elif sorted(current.actions) != actions:
            out.changes.append(
                Change(
                    f"permission.{name}",
                    Action.UPDATE_PERMISSION,
                    f"actions differ from git (live version {current.version})",
                    (FieldChange("$.actions", sorted(current.actions), actions),),
                    {"name": name, "arn": current.arn, "actions": actions},
                )
            )
    return out


def _create_permission(state: DesiredState, name: str, actions: list[str], arns: Arns) -> Change:
    own = state.config.ownership
    tags = {own.tag_key: own.tag_value, own.source_tag_key: "reconciler.yaml"}
    params = {
        "name": name,
        "actions": actions,
        "arn": arns.permission(name),
        "resource_type": RESOURCE_TYPE,
        "tags": tags,
    }
    return Change(
        f"permission.{name}",
        Action.CREATE_PERMISSION,
        "declared in reconciler.yaml, not in the account",
        (FieldChange("$.actions", after=actions),),
        params,
    )
