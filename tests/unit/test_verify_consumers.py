"""verify.consumers: which accounts are checked, what a missing share says without
assuming any role, and RAM's word on an account outside the Organization against
reconciler.yaml's. The checks through each account's role run against the sandbox in
tests/apply/test_consumer_verification.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.aws.waits import WaitSettings
from reconciler.desired.model import Account
from reconciler.live.model import LiveAssociation, LiveState
from reconciler.verify.consumers import _check_external, _targets, verify_consumers
from tests.unit.builders import applied, example


class NoAssuming:
    """A session that fails the test if the check assumes any role."""

    def assume(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no role is assumed for a share that does not exist")


def test_every_principal_with_a_role_is_checked_and_no_other() -> None:
    state = example()
    pairs = [(share.name, account.name) for share, account in _targets(state)]
    with_roles = {a.name for a in state.config.accounts.values() if a.role_arn}
    assert pairs == sorted(pairs)  # by share, then as the share lists its principals
    assert {account for _, account in pairs} <= with_roles
    dev_without_role = replace(
        state,
        config=replace(
            state.config,
            accounts={
                **state.config.accounts,
                "dev": replace(state.config.accounts["dev"], role_arn=None),
            },
        ),
    )
    assert "dev" not in {account.name for _, account in _targets(dev_without_role)}


def test_a_share_that_does_not_exist_is_a_problem_for_each_account_and_assumes_nothing() -> None:
    state = example()
    live = LiveState(cards=applied().cards, shares={}, permissions=applied().permissions)
    session: Any = NoAssuming()
    checks = verify_consumers(session, state, live, WaitSettings())
    assert checks and all(c.invitation is None for c in checks)
    assert all(
        c.problems == (f"share {c.share} does not exist yet: run apply first",) for c in checks
    )


def test_an_unmanaged_share_under_the_name_is_not_trusted_to_be_ours() -> None:
    state = example()
    live = applied()
    foreign = {name: replace(share, tags={}) for name, share in live.shares.items()}
    session: Any = NoAssuming()
    checks = verify_consumers(session, state, replace(live, shares=foreign), WaitSettings())
    assert checks and all("does not exist yet" in c.problems[0] for c in checks)


@pytest.mark.parametrize(
    ("ram_external", "declared_external", "problem"),
    [
        pytest.param(True, False, True, id="ram-says-outside-git-does-not"),
        pytest.param(True, True, False, id="both-say-outside"),
        pytest.param(False, False, False, id="both-say-inside"),
        pytest.param(False, True, False, id="git-more-careful-than-ram"),
    ],
)
def test_ram_calling_an_account_external_must_agree_with_reconciler_yaml(
    ram_external: bool, declared_external: bool, problem: bool
) -> None:
    account = Account(name="partner", id="999999999999", external=declared_external)
    share = replace(
        applied().shares["churn-dev"],
        principals=(
            LiveAssociation(entity="999999999999", status="ASSOCIATED", external=ram_external),
        ),
    )
    problems: list[str] = []
    _check_external(account, share, problems)
    assert bool(problems) is problem
    if problem:
        assert "outside the Organization" in problems[0]
