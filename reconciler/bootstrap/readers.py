"""The target accounts' StackSet template: the reader role of each account that reconciler.yaml
names one for (``accounts.<name>.role_arn``), holding exactly `reconciler iam-policy --role
verify` and trusted only by the card account's apply role, which checks after each apply
what the account sees; with ``--consumer-guard``, the consumer guard (`iam-policy --role
consumer-guard`) as a managed policy and the reader role's permissions boundary; with
``--acceptance``, the acceptance suite's reader (``operators``) in every account of
reconciler.yaml. One template serves every account: the guard's account condition is the
account the instance is deployed in (``AWS::AccountId``), and every reader role must have
the same name and path.
"""

from __future__ import annotations

from reconciler.bootstrap.model import (
    GUARD_POLICY,
    ROLE_NAMES,
    BootstrapSettings,
    Template,
    role_arn,
)
from reconciler.bootstrap.operators import ACCEPTANCE_READER_ID, acceptance_reader
from reconciler.bootstrap.roles import Resource, RoleSpec, arn_output, role_resources
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState
from reconciler.iam.guard import guard_for
from reconciler.iam.policy import policy_document
from reconciler.iam.trust import WorkflowRole, reader_trust_policy

READER, GUARD = "ReaderRole", "ConsumerGuard"


def reader_accounts(state: DesiredState) -> dict[str, str]:
    """Account ID → reader role ARN, for every account of reconciler.yaml that names one."""
    return {a.id: a.role_arn for a in state.config.accounts.values() if a.role_arn}


def stack_set_accounts(state: DesiredState, settings: BootstrapSettings) -> list[str]:
    """The accounts the StackSet reaches: those that name a reader role, or with
    ``--acceptance`` every account of reconciler.yaml."""
    if settings.acceptance:
        return sorted({a.id for a in state.config.accounts.values()})
    return sorted(reader_accounts(state))


def readers_template(state: DesiredState, settings: BootstrapSettings) -> Template | None:
    """The StackSet template, or None when it would hold no role."""
    roles = set(reader_accounts(state).values())
    if not roles and not settings.acceptance:
        return None
    resources: dict[str, Resource] = {}
    if roles and settings.consumer_guard:
        resources[GUARD] = guard_policy(state)
    if roles:
        resources.update(role_resources(_reader(state, settings, *_one_name(roles))))
    if settings.acceptance:
        resources.update(role_resources(acceptance_reader(state.config)))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Model card reconciler of {settings.github.name}: the roles of each "
        "target account (reconciler bootstrap)",
        "Resources": resources,
        "Outputs": _outputs(
            reader=bool(roles), guard=bool(roles) and settings.consumer_guard, settings=settings
        ),
    }


def _reader(state: DesiredState, settings: BootstrapSettings, path: str, name: str) -> RoleSpec:
    apply_role = ROLE_NAMES[WorkflowRole.APPLY]
    return RoleSpec(
        logical_id=READER,
        name=name,
        path=path,
        trust=reader_trust_policy(role_arn(state.config, WorkflowRole.APPLY)),
        printed_as="verify",
        policy=policy_document("verify", state),
        description="reconciler reader: `reconciler iam-policy --role verify`; assumed only "
        f"by {apply_role} of card account {state.config.card_account_id}",
        boundary={"Ref": GUARD} if settings.consumer_guard else None,
    )


def guard_policy(state: DesiredState) -> Resource:
    """The consumer guard for the account the stack instance is deployed in."""
    return {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "ManagedPolicyName": GUARD_POLICY,
            "Description": "`reconciler iam-policy --role consumer-guard`: the card account's "
            "model cards stay read-only here, whatever a RAM share's permission allows",
            "PolicyDocument": guard_for(state, {"Ref": "AWS::AccountId"}),
        },
    }


def _one_name(role_arns: set[str]) -> tuple[str, str]:
    """The path and name every reader role shares (one template serves every account)."""
    named = {_path_and_name(arn) for arn in role_arns}
    if len(named) != 1:
        listed = ", ".join(sorted(role_arns))
        raise ReconcilerError(
            f"the accounts of reconciler.yaml name reader roles of different names ({listed}); "
            "one StackSet creates the same role in every account",
            hint="give every accounts.<name>.role_arn the same role name and path",
        )
    return named.pop()


def _path_and_name(role_arn: str) -> tuple[str, str]:
    """``arn:aws:iam::1:role/team/Reader`` → (``/team/``, ``Reader``)."""
    resource = role_arn.split(":", 5)[5].removeprefix("role")
    path, _, name = resource.rpartition("/")
    return f"{path}/", name


def _outputs(*, reader: bool, guard: bool, settings: BootstrapSettings) -> dict[str, object]:
    found: dict[str, object] = {}
    if reader:
        found.update(arn_output(READER, "This account's reader role"))
    if settings.acceptance:
        described = "RECONCILER_ACC_<DEV|TEST|PROD>_ROLE_ARN: the acceptance suite's reader"
        found.update(arn_output(ACCEPTANCE_READER_ID, described))
    if guard:
        found["ConsumerGuardArn"] = {
            "Description": "The consumer guard: attach it as the permissions boundary of the "
            "roles here that read the card account's cards",
            "Value": {"Ref": GUARD},
        }
    return found
