"""``bootstrap``: the templates and NEXT.md for one target's card account."""

from __future__ import annotations

from reconciler.bootstrap.card_account import card_account_template
from reconciler.bootstrap.model import Bootstrap, BootstrapSettings
from reconciler.bootstrap.next_steps import next_steps
from reconciler.bootstrap.operators import check_operators
from reconciler.bootstrap.readers import readers_template, stack_set_accounts
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState


def bootstrap(state: DesiredState, settings: BootstrapSettings) -> Bootstrap:
    """What to deploy for ``state`` (one target's desired state), and how."""
    _signs_in_directly(state)
    check_operators(state.config, settings.operators)
    readers = readers_template(state, settings)
    accounts = stack_set_accounts(state, settings) if readers is not None else []
    return Bootstrap(
        card_account=card_account_template(state, settings),
        readers=readers,
        stack_set_accounts=tuple(accounts),
        next_steps=next_steps(state.config, settings, accounts),
    )


def _signs_in_directly(state: DesiredState) -> None:
    """The generated roles are the card account's identities: GitHub signs in as them. A
    target that names roles to assume from there (``card_account.role_arn``, ...) would
    need each generated role to assume another, which they do not hold."""
    target = state.config.targets.get(state.config.target)
    named = [target.card_role_arn, target.plan_role_arn, target.drift_role_arn] if target else []
    named.append(state.config.card_role_arn)
    if any(named):
        raise ReconcilerError(
            f"target {state.config.target!r} names roles for its card account "
            "(card_account.role_arn, plan_role_arn or drift_role_arn); bootstrap makes the "
            "workflows' own roles the card account's identities",
            hint="remove those keys from reconciler.yaml for this target, or set its roles up "
            "by hand (docs/ci.md, Several accounts)",
        )
