"""The roles people use before the first merge, made only when asked: the probe role
(``--operator``), which holds exactly the apply role's printed policy and is assumed by the
named operators, so `reconciler probe --role-arn` can check with session policies what apply
needs (docs/probe.md); and the acceptance suite's roles (``--acceptance``): in the card
account, assumed by ``acceptance.yml`` on the default branch and by the operators, and in
each target account its reader, assumed only by that role (docs/acceptance.md). Each holds
the policy packaged beside this module, which the suite's sandbox run proves enough.

An operator is a role or user of the card account, named by ARN; a role session (``sts``
``assumed-role``) or another account's principal is refused, since IAM needs the role or
user itself in a trust policy.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from reconciler.bootstrap.model import (
    ACCEPTANCE_READER,
    ACCEPTANCE_ROLE,
    PROBE_ROLE,
    BootstrapSettings,
    named_role_arn,
)
from reconciler.bootstrap.roles import RoleSpec
from reconciler.common.errors import ReconcilerError
from reconciler.common.regions import partition_for
from reconciler.desired.model import Config, DesiredState
from reconciler.iam.policy import policy_document
from reconciler.iam.trust import (
    WorkflowRole,
    principals_statement,
    reader_trust_policy,
    trust_policy,
)

PROBE, ACCEPTANCE, ACCEPTANCE_READER_ID = "ProbeRole", "AcceptanceRole", "AcceptanceReaderRole"
OPERATOR = re.compile(r"^arn:(?P<partition>aws[\w-]*):iam::(?P<account>\d{12}):(role|user)/.+$")


def check_operators(config: Config, operators: tuple[str, ...]) -> None:
    """Refuse an operator that is not a role or user ARN of the card account."""
    for arn in operators:
        found = OPERATOR.match(arn)
        if found is None or found["account"] != config.card_account_id:
            raise ReconcilerError(
                f"--operator {arn!r} is not a role or user of card account "
                f"{config.card_account_id}",
                hint="name your role as arn:aws:iam::<card account>:role/<path/name> (for a "
                "session, `aws sts get-caller-identity` prints assumed-role/<name>/<session>: "
                "use role/<name>, with its path)",
            )
        if found["partition"] != partition_for(config.region):
            raise ReconcilerError(f"--operator {arn!r} is not in {config.region}'s partition")


def probe_role(state: DesiredState, settings: BootstrapSettings) -> RoleSpec:
    """The probe role: apply's printed policy, assumed only by the operators."""
    return RoleSpec(
        logical_id=PROBE,
        name=PROBE_ROLE,
        trust=_trust([principals_statement("OperatorsProbe", list(settings.operators))]),
        printed_as="apply",
        policy=policy_document("apply", state),
        description="reconciler probe: `reconciler iam-policy --role apply`, assumed only by "
        "the operators named to bootstrap --operator; deploy again without them to remove it",
    )


def acceptance_role(state: DesiredState, settings: BootstrapSettings) -> RoleSpec:
    """The acceptance suite's role in the card account."""
    config = state.config
    workflow = trust_policy(
        WorkflowRole.ACCEPTANCE,
        settings.github,
        partition=partition_for(config.region),
        account_id=config.card_account_id,
    )["Statement"]
    operators = list(settings.operators)
    people = [principals_statement("OperatorsRunAcceptance", operators)] if operators else []
    return RoleSpec(
        logical_id=ACCEPTANCE,
        name=ACCEPTANCE_ROLE,
        trust=_trust([*workflow, *people]),
        printed_as="acceptance",
        policy=acceptance_policy("card-account"),
        description="reconciler acceptance suite (docs/acceptance.md): assumed by "
        f"acceptance.yml on {settings.github.default_branch} of {settings.github.name}"
        + (" and the operators" if operators else ""),
    )


def acceptance_reader(config: Config) -> RoleSpec:
    """The acceptance suite's reader in a target account: assumed only by its role."""
    return RoleSpec(
        logical_id=ACCEPTANCE_READER_ID,
        name=ACCEPTANCE_READER,
        trust=reader_trust_policy(named_role_arn(config, ACCEPTANCE_ROLE)),
        printed_as="acceptance-reader",
        policy=acceptance_policy("target-account"),
        description=f"reconciler acceptance suite: assumed only by {ACCEPTANCE_ROLE} of card "
        f"account {config.card_account_id}",
    )


@cache
def _packaged(name: str) -> str:
    return files("reconciler.bootstrap").joinpath("policies").joinpath(name).read_text("utf-8")


def acceptance_policy(account: str) -> dict[str, Any]:
    """The acceptance suite's policy for the ``card-account`` or a ``target-account``."""
    document: dict[str, Any] = json.loads(_packaged(f"acceptance-{account}.json"))
    return document


def _trust(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}
