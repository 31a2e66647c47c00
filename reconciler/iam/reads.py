"""What the reconciler reads in the card account: model cards and their tags (and, for
drift, their version history), RAM shares and permissions, and the Organization when
reconciler.yaml names one. ``policy`` explains each scoping decision.
"""

from __future__ import annotations

from reconciler.desired.model import DesiredState
from reconciler.iam.scope import Scope, Statement, statement

# SAR: these have no resource-level permissions, so only "*" matches.
CARD_LISTS = ("sagemaker:ListModelCards", "sagemaker:Search")
SHARE_LISTS = (
    "ram:GetResourceShares",
    "ram:GetResourceShareAssociations",
    "ram:ListPermissions",
    "ram:ListResources",
)


def read_statements(s: Scope, *, history: bool) -> list[Statement]:
    """What plan reads in the card account; ``history``: also the version history that
    drift reads to say who changed a card."""
    card_reads = ["sagemaker:DescribeModelCard", "sagemaker:ListTags"]
    card_reads += ["sagemaker:ListModelCardVersions"] if history else []
    return [
        statement("SearchAndListModelCards", CARD_LISTS, "*"),
        statement("ReadModelCards", card_reads, s.cards),
        statement("ListSharesAndPermissions", SHARE_LISTS, "*"),
        statement("ReadSharePermissions", ["ram:ListResourceSharePermissions"], s.shares),
        statement("ReadCustomerManagedPermissions", ["ram:GetPermission"], s.permissions),
    ]


def organization_statements(state: DesiredState) -> list[Statement]:
    """Checking organization.id against Organizations, when reconciler.yaml names one."""
    if state.config.organization_id is None:
        return []
    return [statement("ReadOrganization", ["organizations:DescribeOrganization"], "*")]
