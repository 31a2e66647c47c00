"""The consumer guard: a policy for a target account that keeps the card account's model
cards read-only there, whatever the RAM share's permission says, and with registry files
its model versions too (embedded cards, approval, stage, new registrations). Built from
the repository with no AWS call.
"""

from __future__ import annotations

from typing import Any

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState
from reconciler.iam.scope import Scope, Statement

# An account ID, or a CloudFormation reference that resolves to one where it is deployed.
AccountId = str | dict[str, str]

GUARDED_ACTIONS = (
    "sagemaker:CreateModelCardExportJob",
    "sagemaker:DeleteModelCard",
    "sagemaker:UpdateModelCard",
)
# A shared model package group's versions, their embedded cards, approval and stage, and
# registering new versions into it (RAM's AllowRegister permission grants that).
GUARDED_REGISTRY_ACTIONS = (
    "sagemaker:CreateModelPackage",
    "sagemaker:DeleteModelPackage",
    "sagemaker:UpdateModelPackage",
)


def guard_document(state: DesiredState, account: str | None) -> dict[str, Any]:
    """A policy for a target account (``account``, a name in reconciler.yaml) that denies
    changing or exporting the card account's model cards there, whatever the RAM share's
    permission says: read-only production that does not rest on customer-managed RAM
    permissions alone. Its Allow of everything else makes it usable both as a service
    control policy and as a permissions boundary (a boundary without an Allow allows
    nothing)."""
    return guard_for(state, _declared_account(state, account))


def guard_for(state: DesiredState, account_id: AccountId) -> dict[str, Any]:
    """The guard for the account ``account_id`` names: an ID, or a template's reference to
    the account it is deployed in (``{"Ref": "AWS::AccountId"}``, ``reconciler bootstrap``)."""
    scope = Scope.for_state(state)
    return {
        "Version": "2012-10-17",
        "Statement": [
            _read_only(scope, account_id),
            *_registry_read_only(scope, state, account_id),
            {"Sid": "AllowEverythingElse", "Effect": "Allow", "Action": "*", "Resource": "*"},
        ],
    }


def _declared_account(state: DesiredState, account: str | None) -> str:
    """The ID of ``account``, which must be an account of reconciler.yaml."""
    accounts = state.config.accounts
    if account is None or account not in accounts:
        known = ", ".join(sorted(accounts)) or "none declared"
        raise ReconcilerError(
            f"--role consumer-guard needs --account with an account of reconciler.yaml; "
            f"got {account!r}",
            hint=f"use one of: {known}",
        )
    return accounts[account].id


def _read_only(s: Scope, account_id: AccountId) -> Statement:
    """Deny, to principals of ``account_id``, changing or exporting the card account's cards."""
    cards = s.arn("sagemaker", "model-card/*")
    return {
        "Sid": "KeepCardAccountModelCardsReadOnly",
        "Effect": "Deny",
        "Action": list(GUARDED_ACTIONS),
        "Resource": [cards, f"{cards}/*"],
        "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}},
    }


def _registry_read_only(s: Scope, state: DesiredState, account_id: AccountId) -> list[Statement]:
    """With registry files: deny, to principals of ``account_id``, changing the card
    account's model versions (their embedded cards, approval and stage) or registering new
    ones, whatever a share of their group allows."""
    if not state.groups:
        return []
    return [
        {
            "Sid": "KeepCardAccountModelVersionsReadOnly",
            "Effect": "Deny",
            "Action": list(GUARDED_REGISTRY_ACTIONS),
            "Resource": [
                s.arn("sagemaker", "model-package/*"),
                s.arn("sagemaker", "model-package-group/*"),
            ],
            "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}},
        }
    ]
