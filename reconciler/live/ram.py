"""Read the card account's RAM state: its resource shares, their associations and
permissions (for model cards, and for model package groups), and its customer-managed
permissions for model cards. Read-only.

Only shares that concern model cards are read: those the reconciler manages, those that
hold a model card (one ListResources call finds them) and those git names. Shares of other
resource types (subnets, ...) are none of the reconciler's business and are left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from reconciler.aws.session import aws_errors, chunks, pages
from reconciler.common.arns import GROUP_RESOURCE_TYPE, RESOURCE_TYPE
from reconciler.desired.model import Ownership
from reconciler.live.model import LiveAssociation, LivePermission, LiveShare, is_managed

GONE = frozenset({"DELETING", "DELETED"})
ARNS_PER_CALL = 20


def read_shares(
    client: Any, ownership: Ownership, declared: frozenset[str] = frozenset(), workers: int = 4
) -> dict[str, LiveShare]:
    """The account's model card shares (not deleted), by name, with associations and
    permissions. ``declared``: share names git declares. Calls that do not need each
    other's answers run at once: the members of managed and declared shares are read
    while ListResources finds the other shares that hold a model card."""
    with ThreadPoolExecutor(max_workers=max(4, workers)) as pool:
        holding = pool.submit(_holding_cards, client)
        listed = _listed(client)
        ours = [s for s in listed if is_managed(_tags(s), ownership) or s["name"] in declared]
        reading = [_with_members(pool, client, ours)]
        holders = holding.result() - {s["resourceShareArn"] for s in ours}
        others = [s for s in listed if s["resourceShareArn"] in holders]
        reading.append(_with_members(pool, client, others))
        shares = [share for read in reading for share in read()]
    return by_name(shares, ownership)


def _listed(client: Any) -> list[dict[str, Any]]:
    """The account's own shares that are not deleted, as GetResourceShares has them."""
    with aws_errors("listing resource shares (ram:GetResourceShares)"):
        return [
            s
            for s in pages(
                client.get_resource_shares, "resourceShares", "nextToken", resourceOwner="SELF"
            )
            if s["status"] not in GONE
        ]


def _with_members(
    pool: ThreadPoolExecutor, client: Any, raw: list[dict[str, Any]]
) -> Callable[[], list[LiveShare]]:
    """Start reading the associations and permissions of the shares ``raw``; the function
    returned waits for them and gives the shares."""
    arns = [s["resourceShareArn"] for s in raw]
    resources = pool.submit(_associations, client, arns, "RESOURCE")
    principals = pool.submit(_associations, client, arns, "PRINCIPAL")
    permissions = [pool.submit(_share_permissions, client, arn) for arn in arns]

    def shares() -> list[LiveShare]:
        attached = {arn: p.result() for arn, p in zip(arns, permissions, strict=True)}
        return [_share(s, resources.result(), principals.result(), attached) for s in raw]

    return shares


def _holding_cards(client: Any) -> set[str]:
    """The ARNs of the account's shares that hold a model card."""
    with aws_errors("listing resource shares (ram:ListResources)"):
        return {
            r["resourceShareArn"]
            for r in pages(
                client.list_resources,
                "resources",
                "nextToken",
                resourceOwner="SELF",
                resourceType=RESOURCE_TYPE,
            )
        }


def by_name(shares: list[LiveShare], ownership: Ownership) -> dict[str, LiveShare]:
    """Shares keyed by name. RAM does not keep names unique: where several shares have one
    name, the managed one keeps the name and each other is keyed by ``name (arn)``, so it
    is still seen (as unmanaged, or as not in git) and never hides the managed share."""
    ordered = sorted(shares, key=lambda s: (not is_managed(s.tags, ownership), s.arn))
    keyed: dict[str, LiveShare] = {}
    for share in ordered:
        keyed[share.name if share.name not in keyed else f"{share.name} ({share.arn})"] = share
    return keyed


class Attached(NamedTuple):
    """The permission ARNs a share applies to its model cards and to its model package
    groups, and whether a card permission is attached in a version that is no longer the
    permission's default (RAM keeps a share on the version it attached until the
    permission is attached again)."""

    cards: tuple[str, ...] = ()
    outdated: bool = False
    groups: tuple[str, ...] = ()


def _share(
    raw: Mapping[str, Any],
    resources: Mapping[str, list[LiveAssociation]],
    principals: Mapping[str, list[LiveAssociation]],
    permissions: Mapping[str, Attached],
) -> LiveShare:
    arn = raw["resourceShareArn"]
    attached = permissions.get(arn, Attached())
    return LiveShare(
        name=raw["name"],
        arn=arn,
        status=raw["status"],
        allow_external_principals=bool(raw.get("allowExternalPrincipals", True)),
        tags=_tags(raw),
        resources=tuple(sorted(resources.get(arn, []), key=lambda a: a.entity)),
        principals=tuple(sorted(principals.get(arn, []), key=lambda a: a.entity)),
        permission_arns=attached.cards,
        permission_outdated=attached.outdated,
        group_permission_arns=attached.groups,
    )


def _tags(raw: Mapping[str, Any]) -> dict[str, str]:
    return {t["key"]: t.get("value", "") for t in raw.get("tags", [])}


def _associations(
    client: Any, share_arns: list[str], kind: str
) -> dict[str, list[LiveAssociation]]:
    """Associations of one type for many shares, a few shares per call."""
    found: dict[str, list[LiveAssociation]] = defaultdict(list)
    for chunk in chunks(share_arns, ARNS_PER_CALL):
        with aws_errors(f"reading {kind.lower()} associations of resource shares"):
            for item in pages(
                client.get_resource_share_associations,
                "resourceShareAssociations",
                "nextToken",
                associationType=kind,
                resourceShareArns=chunk,
            ):
                found[item["resourceShareArn"]].append(_association(item))
    return found


def _association(item: Mapping[str, Any]) -> LiveAssociation:
    return LiveAssociation(
        entity=item["associatedEntity"],
        status=item["status"],
        external=bool(item.get("external", False)),
        status_message=item.get("statusMessage"),
    )


def _share_permissions(client: Any, share_arn: str) -> Attached:
    """The permissions a share applies to model cards and to model package groups."""
    with aws_errors("listing permissions of a resource share"):
        items = list(
            pages(
                client.list_resource_share_permissions,
                "permissions",
                "nextToken",
                resourceShareArn=share_arn,
            )
        )
    cards = [p for p in items if _of_type(p, RESOURCE_TYPE, default=True)]
    groups = [p for p in items if _of_type(p, GROUP_RESOURCE_TYPE)]
    return Attached(
        cards=tuple(sorted(p["arn"] for p in cards)),
        outdated=any(p.get("defaultVersion") is False for p in cards),
        groups=tuple(sorted(p["arn"] for p in groups)),
    )


def _of_type(item: Mapping[str, Any], resource_type: str, *, default: bool = False) -> bool:
    """Whether a listed permission is for ``resource_type`` (RAM spells types in any case);
    ``default``: what a permission without a type counts as."""
    found = item.get("resourceType")
    return default if found is None else str(found).lower() == resource_type.lower()


def read_permissions(client: Any) -> dict[str, LivePermission]:
    """Customer-managed permissions for model cards, with their actions, by name."""
    with aws_errors("listing customer-managed RAM permissions"):
        listed = list(
            pages(
                client.list_permissions,
                "permissions",
                "nextToken",
                resourceType=RESOURCE_TYPE,
                permissionType="CUSTOMER_MANAGED",
            )
        )
        return {p["name"]: _permission(client, p) for p in listed}


def _permission(client: Any, summary: Mapping[str, Any]) -> LivePermission:
    detail = client.get_permission(permissionArn=summary["arn"])["permission"]
    return LivePermission(
        name=summary["name"],
        arn=summary["arn"],
        version=str(detail.get("version", summary.get("version", ""))),
        actions=tuple(sorted(policy_actions(detail.get("permission", "")))),
        tags=_tags(summary),
    )


def policy_actions(template: str) -> Iterator[str]:
    """The actions a RAM permission's policy template allows."""
    try:
        policy = json.loads(template) if template else {}
    except json.JSONDecodeError:
        return
    statements = policy.get("Statement", [policy]) if isinstance(policy, dict) else []
    for statement in statements if isinstance(statements, list) else [statements]:
        if isinstance(statement, dict) and statement.get("Effect", "Allow") == "Allow":
            actions = statement.get("Action", [])
            yield from [actions] if isinstance(actions, str) else actions
