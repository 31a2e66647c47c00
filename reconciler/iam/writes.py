"""What apply writes in the card account, one function per statement family: model cards
(``card_writes``), customer-managed RAM permissions (``permission_writes``) and resource
shares (``share_writes``). Each write is scoped to what the reconciler owns or creates
with its ownership tag; ``policy`` explains each scoping decision.
"""

from __future__ import annotations

from reconciler.common.arns import RESOURCE_TYPE
from reconciler.iam.scope import Condition, Scope, Statement, statement

CARD_CHANGES = (
    "sagemaker:AddTags",
    "sagemaker:DeleteModelCard",
    "sagemaker:DeleteTags",
    "sagemaker:UpdateModelCard",
)
SHARE_CHANGES = (
    "ram:AssociateResourceSharePermission",
    "ram:DeleteResourceShare",
    "ram:TagResource",
    "ram:UntagResource",
    "ram:UpdateResourceShare",
)
# SAR: "[permission only] Grants AWS Resource Access Manager permission to create /
# retrieve / delete a resource policy on a SageMaker resource that supports cross-account
# sharing"; no resource type, so only "*" matches.
RAM_CARD_POLICIES = (
    "sagemaker:DeleteResourcePolicy",
    "sagemaker:GetResourcePolicy",
    "sagemaker:PutResourcePolicy",
)


def card_writes(s: Scope) -> list[Statement]:
    """Model cards: created or adopted with the ownership tag, changed only with it."""
    on_create = s.tagged_request(**{"sagemaker:TaggingAction": "CreateModelCard"})
    adopt = [statement("AdoptModelCards", ["sagemaker:AddTags"], s.declared_cards, s.adoption())]
    return [
        statement(
            "CreateManagedModelCards", ["sagemaker:CreateModelCard"], s.cards, s.tagged_request()
        ),
        statement("TagModelCardsOnCreate", ["sagemaker:AddTags"], s.cards, on_create),
        *(adopt if s.card_names else []),
        statement("ChangeManagedModelCards", CARD_CHANGES, s.cards, s.owned()),
    ]


def permission_writes(s: Scope) -> list[Statement]:
    """Customer-managed RAM permissions for model cards, and attaching permissions."""
    for_cards = s.tagged_request(**{"ram:PermissionResourceType": RESOURCE_TYPE})
    versions = ["ram:CreatePermissionVersion", "ram:DeletePermissionVersion"]
    attachable = [s.permissions, *s.aws_permissions]
    return [
        statement("CreateManagedPermissions", ["ram:CreatePermission"], "*", for_cards),
        statement("TagPermissionsOnCreate", ["ram:TagResource"], s.permissions, s.adoption()),
        statement("VersionManagedPermissions", versions, s.permissions, s.owned()),
        # SAR: ListPermissionVersions has no resource type and no condition key.
        statement("ListPermissionVersions", ["ram:ListPermissionVersions"], "*"),
        statement(
            "AttachModelCardPermissions", ["ram:AssociateResourceSharePermission"], attachable
        ),
    ]


def share_writes(s: Scope) -> list[Statement]:
    """Resource shares: created with the ownership tag, changed only while they carry it, and
    shared only with principals git names (outside the Organization only if git allows)."""
    return [
        *share_creation(s),
        *share_membership(s),
        statement("LetRamManageModelCardPolicies", RAM_CARD_POLICIES, "*"),
    ]


def share_creation(s: Scope) -> list[Statement]:
    """Creating a share (or adopting one) with the ownership tag, and changing it after."""
    created = {
        **s.tagged_request(),
        **_model_cards(),
        **s.declared_principals(),
        **s.external_sharing(),
    }
    changed = {**s.owned(), **s.external_sharing(if_exists=True)}
    adoption = s.adoption()
    adopted = {
        **adoption,
        "StringEquals": {**adoption["StringEquals"], **s.declared_share()["StringEquals"]},
    }
    adopt = [statement("AdoptShares", ["ram:TagResource"], s.shares, adopted)]
    return [
        statement("CreateManagedShares", ["ram:CreateResourceShare"], "*", created),
        *(adopt if s.share_names else []),
        statement("ChangeManagedShares", SHARE_CHANGES, s.shares, changed),
    ]


def share_membership(s: Scope) -> list[Statement]:
    """Sharing model cards with the principals git names, and unsharing them."""
    shared = {**s.owned(), **_model_cards(), **s.declared_principals()}
    return [
        statement(
            "ShareModelCardsWithDeclaredPrincipals",
            ["ram:AssociateResourceShare"],
            s.shares,
            shared,
        ),
        statement(
            "UnshareFromManagedShares",
            ["ram:DisassociateResourceShare"],
            s.shares,
            {**s.owned(), **_model_cards()},
        ),
    ]


def _model_cards() -> Condition:
    """The share holds model cards (``IfExists``: a change of principals names no type)."""
    return {"StringEqualsIfExists": {"ram:RequestedResourceType": RESOURCE_TYPE}}
