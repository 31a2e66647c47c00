"""`reconciler verify` (and the verification after apply) as each consumer account sees
the shares: invitations accepted for managed shares only, expired ones re-sent by the next
apply, and cards git declares but no apply has shared yet reported without waiting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reconciler.verify.consumers
from tests.apply.helpers import (
    CARD,
    DEV,
    Aws,
    Cli,
    add_card,
    apply,
    card_arn,
    consumer,
    invitations,
    members,
    steps,
    verify,
)


def test_verify_accepts_the_pending_invitation_of_a_managed_share(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    code, report, _ = apply(cli, repo, "--force", "--no-verify")
    assert (code, report["consumers"]) == (0, [])
    assert invitations(aws, DEV) == {"churn-dev": "PENDING"}
    code, checked = verify(cli, repo)
    assert code == 0
    assert checked["kind"] == "verify"
    assert checked["steps"] == []
    dev = consumer(checked, "dev")
    assert (dev["invitation"], dev["visible"], dev["ok"]) == ("accepted now", [CARD], True)
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED"}
    assert consumer(verify(cli, repo)[1], "dev")["invitation"] == "already accepted"


def test_expired_invitation_is_a_problem_and_the_next_apply_invites_again(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    sandbox.advance(13 * 3600)
    code, checked = verify(cli, repo)
    assert (code, checked["failed"]) == (1, True)
    dev = consumer(checked, "dev")
    assert dev["ok"] is False
    assert "invitation is EXPIRED: the next apply invites the account again" in dev["problems"]
    assert invitations(aws, DEV) == {"churn-dev": "EXPIRED"}

    code, report, _ = apply(cli, repo)
    assert code == 0
    assert steps(report) == [("share.churn-dev", "associate_principals", "done")]
    assert consumer(report, "dev")["invitation"] == "accepted now"
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED"}
    assert members(aws, "churn-dev", "PRINCIPAL") == [DEV]


def test_verify_never_accepts_an_invitation_to_an_unmanaged_share(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    aws("ram").create_resource_share(
        name="hand-made-dev",
        principals=[DEV],
        resourceArns=[card_arn()],
        allowExternalPrincipals=True,
    )
    assert invitations(aws, DEV) == {"churn-dev": "PENDING", "hand-made-dev": "PENDING"}
    code, _ = verify(cli, repo)
    assert code == 0
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED", "hand-made-dev": "PENDING"}


def test_verify_does_not_wait_for_cards_git_declares_but_no_apply_has_shared(
    cli: Cli, repo: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    add_card(repo, "Next-Model-Card")  # merged, not applied yet
    waited: list[str] = []  # what verify was willing to wait for (a non-zero timeout)
    real_poll = reconciler.verify.consumers.poll

    def poll(settings: Any, done: Any, what: str) -> Any:
        if settings.timeout > 0:
            waited.append(what)
        return real_poll(settings, done, what)

    monkeypatch.setattr(reconciler.verify.consumers, "poll", poll)
    code, checked = verify(cli, repo)
    assert not [what for what in waited if "Next-Model-Card" in what]
    assert code == 1
    dev = consumer(checked, "dev")
    assert (dev["invitation"], dev["visible"], dev["missing"]) == (
        "accepted now",
        [CARD],
        ["Next-Model-Card"],
    )
    assert dev["problems"] == [
        "cannot describe Next-Model-Card: the share does not hold it; run apply"
    ]


def test_accounts_in_the_organization_are_invited_when_organization_sharing_is_off(
    repo: Path, aws: Aws, sandbox: Any
) -> None:
    """With RAM sharing with the Organization off, shares must allow external principals,
    and test and prod get invitations although RAM does not call them external: apply
    reports the invitation instead of waiting five minutes and timing out, and verify
    accepts it."""
    from dataclasses import replace

    from reconciler.apply.safety import Flags
    from reconciler.aws.waits import WaitSettings
    from reconciler.diff.compose import PlanOptions
    from reconciler.run.apply_run import ApplyHooks, ApplyRequest, apply_run
    from reconciler.run.pipeline import RunSettings, connect

    for share in ("churn-test", "churn-prod"):
        path = repo / "shares" / f"{share}.yaml"
        path.write_text(path.read_text() + "allow_external_principals: true\n")
    org = replace(sandbox.config.organization, ram_sharing_enabled=False)
    sandbox.configure(replace(sandbox.config, organization=org))
    request = ApplyRequest(
        options=PlanOptions(),
        flags=Flags(force=True),
        waits=WaitSettings(timeout=20, invitation_grace=0.3),
    )
    target = connect(RunSettings(repo=repo, endpoint_url=sandbox.endpoint))
    outcome = apply_run(target, request, ApplyHooks(confirm=lambda plan: True))
    created = {str(s.address): s.detail for s in outcome.report.steps if s.action == "create_share"}
    assert "invitation sent to 333333333333" in created["share.churn-test"]
    assert "invitation sent to 444444444444" in created["share.churn-prod"]
    assert outcome.report.converged is True
    checks = {c.account: c for c in (outcome.verification.checks if outcome.verification else ())}
    assert {name: (c.invitation, c.ok) for name, c in checks.items()} == {
        "dev": ("accepted now", True),
        "test": ("accepted now", True),
        "prod": ("accepted now", True),
    }
