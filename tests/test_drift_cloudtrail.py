"""Drift names who changed a share outside git, from CloudTrail, through the real CLI.

After an apply (which records on each share it changed when it did), a console admin
disassociates a principal and dev rejects its invitation: drift names the identity, its
account, the time and the API call of each. Where CloudTrail has nothing (an invitation
that expired, a change older than its 90 days, a role not allowed to look), the report
says so instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.test_iam_enforced import create_role

OWNER, DEV, TEST = "111111111111", "222222222222", "333333333333"
DAY = 24 * 3600
Cli = Callable[..., Any]


@pytest.fixture
def applied(cli: Cli, example_repo: Path, card_account_env: str, sandbox: Any) -> Path:
    result = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force", "--no-verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    sandbox.advance(2)  # CloudTrail times are to the second: later than the apply's
    return example_repo


def share_arn(aws: Callable[..., Any], name: str) -> str:
    shares = aws("ram").get_resource_shares(resourceOwner="SELF", name=name)["resourceShares"]
    return str(shares[0]["resourceShareArn"])


def drift_item(cli: Cli, repo: Path, address: str) -> dict[str, Any]:
    result = cli("drift", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 2, result.stdout + result.stderr
    [item] = [i for i in json.loads(result.stdout)["items"] if i["address"] == address]
    return item  # type: ignore[no-any-return]


def console_disassociates_test(aws: Callable[..., Any]) -> None:
    admin = aws("ram", OWNER, role="ConsoleAdmin")
    admin.disassociate_resource_share(
        resourceShareArn=share_arn(aws, "churn-test"), principals=[TEST]
    )


def test_a_disassociation_by_another_identity_is_attributed(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    tags = aws("ram").get_resource_shares(resourceOwner="SELF", name="churn-test")
    assert "reconciler-applied-at" in {t["key"] for t in tags["resourceShares"][0]["tags"]}
    console_disassociates_test(aws)
    item = drift_item(cli, applied, "share.churn-test")
    [edit] = item["trail"]
    assert edit["call"] == "ram:DisassociateResourceShare"
    assert edit["identity"].startswith("assumed-role/ConsoleAdmin/")
    assert (edit["account"], edit["subject"]) == (OWNER, TEST)
    assert item["trail_note"] is None
    text = cli("drift", "--repo", str(applied)).stdout
    assert f"ram:DisassociateResourceShare of test ({TEST}) by assumed-role/ConsoleAdmin/" in text
    assert f"in {OWNER} at {edit['time']}" in text


def test_a_rejected_invitation_names_the_account_that_rejected_it(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    ram = aws("ram", DEV, role="DataScientist")
    [invitation] = ram.get_resource_share_invitations()["resourceShareInvitations"]
    ram.reject_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    [edit] = drift_item(cli, applied, "share.churn-dev")["trail"]
    assert edit["call"] == "ram:RejectResourceShareInvitation"
    assert (edit["account"], edit["subject"]) == (DEV, DEV)
    assert edit["identity"].startswith("assumed-role/DataScientist/")


def test_an_expired_invitation_has_no_author_and_the_report_says_so(
    cli: Cli, applied: Path, sandbox: Any
) -> None:
    sandbox.advance(13 * 3600)
    item = drift_item(cli, applied, "share.churn-dev")
    assert item["trail"] == []
    assert item["trail_note"].startswith(
        f"CloudTrail has no event for {DEV} since the last apply that changed the share ("
    )
    markdown = cli("drift", "--repo", str(applied), "--format", "markdown").stdout
    assert f"CloudTrail has no event for dev ({DEV}) since the last apply" in markdown


def test_a_change_older_than_ninety_days_is_not_guessed(
    cli: Cli, applied: Path, aws: Callable[..., Any], sandbox: Any
) -> None:
    """The last apply was 100 days ago; the console change soon after it is now older
    than CloudTrail's 90 days (the sandbox's history has moved on by 91 days)."""
    long_ago = (datetime.now(timezone.utc) - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ram = aws("ram")
    ram.tag_resource(
        resourceShareArn=share_arn(aws, "churn-test"),
        tags=[{"key": "reconciler-applied-at", "value": long_ago}],
    )
    console_disassociates_test(aws)
    sandbox.advance(91 * DAY)
    item = drift_item(cli, applied, "share.churn-test")
    assert item["trail"] == []
    assert item["trail_note"].startswith(
        "CloudTrail has no event for 333333333333 in CloudTrail's 90 days (the last apply "
        f"that changed the share was at {long_ago}): the change is older than CloudTrail's "
        "90 days"
    )


def test_a_role_without_lookup_events_gets_a_note_not_a_failure(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    console_disassociates_test(aws)
    reads = {"Effect": "Allow", "Action": ["sagemaker:*", "ram:*"], "Resource": "*"}
    create_role(aws, OWNER, "NoTrail", {"Version": "2012-10-17", "Statement": [reads]})
    config = applied / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            '  id: "111111111111"',
            '  id: "111111111111"\n  role_arn: "arn:aws:iam::111111111111:role/NoTrail"',
            1,
        )
    )
    item = drift_item(cli, applied, "share.churn-test")
    assert item["trail"] == []
    assert item["trail_note"].startswith("CloudTrail could not be read (AccessDeniedException")


def test_drift_reads_many_pages_within_cloudtrails_lookup_rate(sandbox: Any) -> None:
    """Three pages of RAM events: without pacing the third lookup within a second is
    throttled (the client here does not retry), so drift would lose the trail."""
    from reconciler.live.cloudtrail import ram_events

    ram = sandbox.client("ram", OWNER)
    for n in range(101):
        ram.create_resource_share(name=f"s{n}")
    since = datetime.fromtimestamp(sandbox.now() - 60, tz=timezone.utc)
    trail = ram_events(sandbox.client("cloudtrail", OWNER), since)
    assert trail.problem is None
    assert len(trail.events) == 101


def test_lookups_are_spaced_by_the_rate_not_retried() -> None:
    from reconciler.live.cloudtrail import SPACING, Pace

    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pace = Pace(clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        pace.wait()
    assert slept == pytest.approx([SPACING, SPACING])
    now[0] += 5
    pace.wait()
    assert len(slept) == 2  # a lookup long after the last one waits for nothing
    assert SPACING >= 0.5  # two a second at most
