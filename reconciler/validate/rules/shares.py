"""Rules about share files: principals, card and model package group selection, and
permissions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, GROUP_PERMISSIONS
from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.desired.model import Config, ShareSpec, TargetSpec
from reconciler.desired.targets import belongs, bound
from reconciler.validate.rules.base import Rule, RuleInput, at

ORG_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$")
OU_ARN = re.compile(
    r"^arn:aws[a-z-]*:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"
)
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
PUBLIC = {"*", "public", "everyone", "all"}


def principal_kind(config: Config, principal: str) -> str:
    """'name', 'account', 'organization', 'ou' or 'invalid' for a share principal."""
    if principal in config.accounts:
        return "name"
    if ACCOUNT_ID.fullmatch(principal):
        return "account"
    if ORG_ARN.fullmatch(principal):
        return "organization"
    if OU_ARN.fullmatch(principal):
        return "ou"
    return "invalid"


def is_external(config: Config, principal: str) -> bool:
    """True when sharing with ``principal`` crosses the card account's Organization."""
    kind = principal_kind(config, principal)
    if kind == "name":
        return config.accounts[principal].external
    if kind == "account":
        known = config.account_by_id(principal)
        return known.external if known else True
    return False


def principals_valid(data: RuleInput) -> Iterator[Diagnostic]:
    """Principals resolve, are not public, and are external only when the share allows it."""
    if data.config is None:
        return
    for share in data.shares:
        configs = [bound(data.config, t) for t in share_targets(data.config, share)]
        for i, principal in enumerate(share.principals):
            problems = dict.fromkeys(_principal_problem(c, share, principal) for c in configs)
            for problem in filter(None, problems):
                yield at(data.documents[share.file], ("principals", i), problem, "principal")


def _principal_problem(config: Config, share: ShareSpec, principal: str) -> str | None:
    kind = principal_kind(config, principal)
    if principal.lower() in PUBLIC or "*" in principal:
        return f"'{principal}' would share publicly: list accounts, OUs or an organization"
    if kind == "invalid":
        return _unknown_principal(config, principal)
    if kind in ("organization", "ou"):
        return _organization_problem(config, principal)
    return _account_problem(config, share, principal, kind)


def _unknown_principal(config: Config, principal: str) -> str:
    close = difflib.get_close_matches(principal, list(config.accounts), n=1)
    hint = (
        f": did you mean '{close[0]}'?"
        if close
        else (
            ": use an account name from reconciler.yaml, a 12-digit account ID, or an "
            "organization or OU ARN"
        )
    )
    return f"unknown principal {principal!r}{hint}"


def _account_problem(config: Config, share: ShareSpec, principal: str, kind: str) -> str | None:
    """An account (by name or ID) is not the card account itself, and is outside the
    Organization only on a share that allows it."""
    resolved = config.accounts[principal].id if kind == "name" else principal
    if resolved == config.card_account_id:
        where = f" of target '{config.target}'" if config.declares_targets else ""
        return f"'{principal}' is the card account{where} itself, which already owns the cards"
    if is_external(config, principal) and not share.allow_external_principals:
        return _outside_not_allowed(config, principal, kind)
    return None


def _outside_not_allowed(config: Config, principal: str, kind: str) -> str:
    if kind == "name":
        return (
            f"account '{principal}' is marked external in reconciler.yaml, so it is "
            "outside the Organization: set allow_external_principals: true on this "
            "share to send it an invitation"
        )
    return (
        f"account '{principal}' is not declared under accounts: in reconciler.yaml"
        f"{_similar_account(config, principal)}: declare it there, or set "
        "allow_external_principals: true on this share to invite an account outside "
        "the Organization"
    )


def _organization_problem(config: Config, principal: str) -> str | None:
    """An Organization or OU principal must be in the card account's Organization: any
    other organization's ARN would share outside it, while looking like an inside one."""
    org_id = principal.split("/")[1]
    if config.organization_id is None:
        return (
            f"'{principal}' names an Organization: declare the card account's under "
            f"organization: in reconciler.yaml (id: {org_id}) so that only it is used"
        )
    if org_id != config.organization_id:
        return (
            f"'{principal}' belongs to Organization {org_id}, not to the card account's "
            f"{config.organization_id} (organization.id in reconciler.yaml)"
        )
    return None


def _similar_account(config: Config, account_id: str) -> str:
    """A hint for an ID one or two digits away from a declared account's ID."""
    for name, account in sorted(config.accounts.items()):
        if sum(a != b for a, b in zip(account.id, account_id, strict=True)) <= 2:
            return f" (did you mean {account.id}, '{name}'?)"
    return ""


def share_targets(config: Config, share: ShareSpec) -> list[TargetSpec]:
    """The targets a share belongs to (unknown names left out: another rule reports them)."""
    return [t for n, t in sorted(config.targets.items()) if belongs(share, n)]


def names_replica(data: RuleInput, share: ShareSpec, name: str) -> bool:
    """True when ``name`` fits the name of a replica in a hub the share belongs to."""
    if data.config is None:
        return False
    hubs = {t.name for t in share_targets(data.config, share)}
    spokes = [t for t in data.config.targets.values() if t.hub in hubs]
    return any(s.replica_source(name) for s in spokes)


def cards_exist(data: RuleInput) -> Iterator[Diagnostic]:
    """Cards named by a share are declared in cards/."""
    for share in data.shares:
        for i, name in enumerate(share.card_names):
            if name not in data.all_card_names and not names_replica(data, share, name):
                close = difflib.get_close_matches(name, sorted(data.all_card_names), n=1)
                hint = (
                    f": did you mean '{close[0]}'?"
                    if close
                    else (f": add cards/{name}.yaml or remove it from the share")
                )
                yield at(
                    data.documents[share.file],
                    ("cards", "names", i),
                    f"unknown card '{name}'{hint}",
                    "unknown-card",
                )


def groups_exist(data: RuleInput) -> Iterator[Diagnostic]:
    """Model package groups named by a share have a file in registry/."""
    known = sorted(g.name for g in data.groups)
    for share in data.shares:
        for i, name in enumerate(share.groups.names if share.groups else ()):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"add registry/{name}.yaml"
                path = ("model_package_groups", "names", i)
                message = (
                    f"unknown model package group '{name}': {hint} or remove it from the share"
                )
                yield at(data.documents[share.file], path, message, "unknown-group")


def group_permission_known(data: RuleInput) -> Iterator[Diagnostic]:
    """The permission for model package groups is one of AWS's managed ones for them."""
    known = sorted(GROUP_PERMISSIONS)
    for share in data.shares:
        if share.groups and share.groups.permission not in known:
            wrong = share.groups.permission
            close = difflib.get_close_matches(wrong, known, n=1)
            hint = f": did you mean '{close[0]}'?" if close else f"; known: {', '.join(known)}"
            path = ("model_package_groups", "permission")
            message = f"unknown permission for model package groups '{wrong}'{hint}"
            yield at(data.documents[share.file], path, message, "unknown-permission")


def selects_something(data: RuleInput) -> Iterator[Diagnostic]:
    """A share that names no card, no status and no model package group can never hold
    anything."""
    for share in data.shares:
        if not share.card_names and not share.card_statuses and share.groups is None:
            yield at(
                data.documents[share.file],
                ("cards",),
                "selects no card: list card names or statuses under cards:, or groups "
                "under model_package_groups:",
                "empty-share",
                severity=Severity.WARNING,
            )


def permission_resolves(data: RuleInput) -> Iterator[Diagnostic]:
    """The permission is AWS managed, or declared under permissions: in reconciler.yaml."""
    if data.config is None:
        return
    known = sorted({*AWS_MANAGED_PERMISSIONS, *data.config.permissions})
    for share in data.shares:
        if share.permission not in known:
            close = difflib.get_close_matches(share.permission, known, n=1)
            hint = f": did you mean '{close[0]}'?" if close else f"; known: {', '.join(known)}"
            yield at(
                data.documents[share.file],
                ("permission",),
                f"unknown permission '{share.permission}'{hint}",
                "unknown-permission",
            )


WRITE_ACTIONS = frozenset(
    {
        "sagemaker:UpdateModelCard",
        "sagemaker:CreateModelCardExportJob",
        "sagemaker:DescribeModelCardExportJob",
    }
)


def outside_accounts_read_only(data: RuleInput) -> Iterator[Diagnostic]:
    """Accounts outside the Organization that would update or export the cards: a warning
    with the read-only alternative, unless the share says so on purpose."""
    if data.config is None:
        return
    config = data.config
    for share in data.shares:
        writes = sorted(WRITE_ACTIONS & set(config.permission_actions(share.permission)))
        outside = _outside_accounts(config, share)
        if writes and outside and not share.allow_external_edits:
            message = _external_edits(share, outside, writes)
            doc = data.documents[share.file]
            yield at(doc, ("permission",), message, "external-edits", severity=Severity.WARNING)


def _outside_accounts(config: Config, share: ShareSpec) -> list[str]:
    return [
        p
        for p in share.principals
        if principal_kind(config, p) in ("name", "account") and is_external(config, p)
    ]


def _external_edits(share: ShareSpec, outside: list[str], writes: list[str]) -> str:
    return (
        f"{', '.join(outside)} outside the Organization would get "
        f"{', '.join(writes)} through {share.permission}: give the share a read-only "
        "customer-managed permission (under permissions: in reconciler.yaml, "
        "actions [sagemaker:DescribeModelCard, sagemaker:ListModelCardVersions]), or "
        "set allow_external_edits: true on the share to keep it"
    )


RULES: list[Rule] = [
    principals_valid,
    cards_exist,
    groups_exist,
    group_permission_known,
    selects_something,
    permission_resolves,
    outside_accounts_read_only,
]
