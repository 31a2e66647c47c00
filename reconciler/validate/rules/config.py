"""Rules about reconciler.yaml: region, account IDs, roles and permission names."""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS
from reconciler.common.diagnostics import Diagnostic
from reconciler.common.regions import service_regions
from reconciler.common.status import CardStatus
from reconciler.desired.model import Config
from reconciler.validate.rules.base import Rule, RuleInput, at


def known_regions() -> frozenset[str]:
    """Regions where botocore knows SageMaker, from its bundled endpoint data (no network)."""
    # SageMaker's endpoint prefix in botocore's service model is "api.sagemaker".
    return service_regions("api.sagemaker")


def region_known(data: RuleInput) -> Iterator[Diagnostic]:
    """Each target's region must be one where SageMaker exists."""
    if data.config is None or data.config_doc is None:
        return
    for target in data.config.targets.values():
        if target.region not in known_regions():
            yield at(
                data.config_doc,
                (*target.path, "region"),
                f"'{target.region}' is not a region where "
                "SageMaker is available (per the installed botocore): check the spelling, "
                "or upgrade boto3 if the region is new",
                "region",
            )


def roles_match_accounts(data: RuleInput) -> Iterator[Diagnostic]:
    """A role_arn must belong to the account it is declared for."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    for path, account_id, role in _roles(config):
        if role and role.split(":")[4] != account_id:
            yield at(
                doc,
                path,
                f"role {role} is in account {role.split(':')[4]}, "
                f"not {account_id}: use a role of account {account_id}",
                "role-account",
            )


def _roles(config: Config) -> list[tuple[tuple[str, ...], str, str | None]]:
    """Each role_arn of reconciler.yaml: where it is, the account it is for, the role."""
    owners: list[tuple[tuple[str, ...], str, str | None]] = [
        ((*t.path, "card_account", key), t.card_account_id, role)
        for t in config.targets.values()
        for key, role in (("role_arn", t.card_role_arn), ("plan_role_arn", t.plan_role_arn))
    ]
    owners += [
        (("accounts", a.name, "role_arn"), a.id, a.role_arn) for a in config.accounts.values()
    ]
    return owners


def account_ids_unique(data: RuleInput) -> Iterator[Diagnostic]:
    """Each account ID is named once, and the card account is not a share target (with
    targets:, a share target may be another target's card account)."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    seen = {} if config.declares_targets else {config.card_account_id: "card_account"}
    for account in config.accounts.values():
        if account.id in seen:
            yield at(
                doc,
                ("accounts", account.name, "id"),
                f"account {account.id} is already "
                f"declared as '{seen[account.id]}': give each account one name",
                "account-id",
            )
        seen.setdefault(account.id, account.name)


def permission_names_free(data: RuleInput) -> Iterator[Diagnostic]:
    """Customer-managed permission names must not shadow AWS managed ones."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    for name in config.permissions:
        if name in AWS_MANAGED_PERMISSIONS:
            yield at(
                doc,
                ("permissions", name),
                f"'{name}' is the name of an AWS managed permission: choose another name",
                "permission-name",
                key=True,
            )


def only_approved_cards_approve(data: RuleInput) -> Iterator[Diagnostic]:
    """registry.mapping may make a model package Approved only for an Approved card: the
    mapping sits in the same pull request as the cards, so `Draft: Approved` would approve
    a model whose card no reviewer approved."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    for status, approval in config.registry.mapping.items():
        if approval == "Approved" and status is not CardStatus.APPROVED:
            yield at(
                doc,
                ("registry", "mapping", status.value),
                f"cards in {status.value} cannot approve their model package: only Approved "
                "may map to Approved (use PendingManualApproval, Rejected or null)",
                "registry-approval",
            )


RULES: list[Rule] = [
    region_known,
    roles_match_accounts,
    account_ids_unique,
    permission_names_free,
    only_approved_cards_approve,
]
