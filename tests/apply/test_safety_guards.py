"""What apply refuses without a flag: the update threshold (until --force), deleting
anything (until --prune) and deleting an Approved card (until --force as well). Only
managed cards and shares are ever deleted.
"""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import (
    TEST,
    Aws,
    Cli,
    add_card,
    apply,
    card_arn,
    card_exists,
    edit_owner,
    invitations,
    members,
    shares,
    steps,
    versions,
)


def test_update_threshold_refuses_with_numbers_until_forced(cli: Cli, repo: Path, aws: Aws) -> None:
    config = repo / "reconciler.yaml"
    config.write_text(config.read_text().replace("safety:\n", "safety:\n  min_existing: 2\n"))
    others = ["Fraud-Model-Card", "Pricing-Model-Card", "Upsell-Model-Card"]
    for name in others:
        add_card(repo, name)
    code, report, _ = apply(cli, repo, "--force")
    assert (code, len(report["steps"])) == (0, 8)
    edit_owner(repo, "fraud-team", others[0])
    edit_owner(repo, "pricing-team", others[1])

    code, report, _ = apply(cli, repo)
    assert code == 1
    assert report["steps"] == []
    assert report["refused"] == [
        "the plan would update 2 of 4 managed cards (50%), above safety.max_update_percent "
        "= 30%: review the plan, then apply with --force, or raise the limit in "
        "reconciler.yaml"
    ]
    assert [versions(aws, n) for n in others] == [1, 1, 1]

    code, report, _ = apply(cli, repo, "--force")
    assert code == 0
    assert steps(report) == [
        (f"card.{others[0]}", "update_content", "done"),
        (f"card.{others[1]}", "update_content", "done"),
    ]
    assert [versions(aws, n) for n in others] == [2, 2, 1]


def test_prune_deletes_only_managed_cards_and_approved_ones_need_force(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    add_card(repo, "Extra-Model-Card")
    add_card(repo, "Legacy-Model-Card", status="Approved")
    aws("sagemaker").create_model_card(
        ModelCardName="Unmanaged-Card", Content="{}", ModelCardStatus="Approved"
    )
    code, _, _ = apply(cli, repo, "--force")
    assert code == 0
    assert card_arn("Legacy-Model-Card") in members(aws, "churn-prod", "RESOURCE")

    (repo / "cards" / "Extra-Model-Card.yaml").unlink()
    code, report, _ = apply(cli, repo)
    assert code == 0
    assert steps(report) == [("share.churn-dev", "disassociate_resources", "done")]
    assert card_exists(aws, "Extra-Model-Card")
    plan = cli("plan", "--repo", str(repo))
    assert (
        "Warning: card 'Extra-Model-Card' is managed but no longer in git: plan with "
        "--prune to delete it" in plan.stdout
    )

    code, report, _ = apply(cli, repo, "--prune")
    assert code == 0
    assert steps(report) == [("card.Extra-Model-Card", "delete_card", "done")]
    assert not card_exists(aws, "Extra-Model-Card")

    (repo / "cards" / "Legacy-Model-Card.yaml").unlink()
    code, report, _ = apply(cli, repo, "--prune")
    assert (code, report["steps"]) == (1, [])
    assert report["refused"] == [
        "card.Legacy-Model-Card: it deletes an Approved card: apply with --force to allow it"
    ]
    assert card_arn("Legacy-Model-Card") in members(aws, "churn-prod", "RESOURCE")

    code, report, _ = apply(cli, repo, "--prune", "--force")
    assert code == 0
    assert steps(report) == [
        ("share.churn-dev", "disassociate_resources", "done"),
        ("share.churn-prod", "disassociate_resources", "done"),
        ("share.churn-test", "disassociate_resources", "done"),
        ("card.Legacy-Model-Card", "delete_card", "done"),
    ]
    assert not card_exists(aws, "Legacy-Model-Card")

    untouched = aws("sagemaker").describe_model_card(ModelCardName="Unmanaged-Card")
    assert (untouched["ModelCardStatus"], untouched["ModelCardVersion"]) == ("Approved", 1)
    assert aws("sagemaker").list_tags(ResourceArn=card_arn("Unmanaged-Card"))["Tags"] == []


def test_prune_deletes_a_managed_share_removed_from_git_and_never_an_unmanaged_one(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    aws("ram").create_resource_share(name="hand-made-test", principals=[TEST])
    (applied / "shares" / "churn-test.yaml").unlink()
    code, report, _ = apply(cli, applied)
    assert (code, report["steps"]) == (0, [])
    assert (
        "share 'churn-test' is managed but no longer in git"
        in cli("plan", "--repo", str(applied)).stdout
    )
    assert sorted(shares(aws)) == ["churn-dev", "churn-prod", "churn-test", "hand-made-test"]

    code, report, _ = apply(cli, applied, "--prune")
    assert code == 0
    assert steps(report) == [("share.churn-test", "delete_share", "done")]
    assert sorted(shares(aws)) == ["churn-dev", "churn-prod", "hand-made-test"]
    assert apply(cli, applied, "--prune")[1]["steps"] == []


def test_an_account_called_internal_only_by_reconciler_yaml_still_needs_force(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    """The attack: declare a partner account without external: true and add it to a share
    that already allows outside principals. Nothing AWS knows shows it inside the
    Organization, so the invitation needs --force; once RAM calls it external, plan and
    drift report the mismatch (verify does too, for accounts with a role_arn)."""
    config = applied / "reconciler.yaml"
    config.write_text(
        config.read_text().replace("  test: {", '  partner: {id: "999999999999"}\n  test: {', 1)
    )
    share = applied / "shares" / "churn-dev.yaml"
    share.write_text(share.read_text().replace("principals: [dev]", "principals: [dev, partner]"))
    code, report, _ = apply(cli, applied)  # what CI runs: no --force
    assert code == 1
    assert report["refused"] == [
        "share.churn-dev: it opens the share to principals outside the Organization "
        "(999999999999): apply with --force to allow it"
    ]
    assert invitations(aws, "999999999999") == {}
    # Once the invitation is out, RAM calls the account external: the apply that did it
    # does not converge (it said "live state matches git" and exited 0 before), and its
    # report lists the re-plan's error, as the next plan does.
    code, report, _ = apply(cli, applied, "--force", "--no-verify")
    assert code == 1 and report["converged"] is False
    assert any("RAM says account 'partner' (999999999999)" in b for b in report["blocked"])
    assert "live state matches git" not in report["outcome"]
    assert invitations(aws, "999999999999") == {"churn-dev": "PENDING"}
    planned = cli("plan", "--repo", str(applied))
    assert planned.exit_code == 1
    assert "RAM says account 'partner' (999999999999) is outside the card account's" in (
        planned.stdout
    )
    drift = cli("drift", "--repo", str(applied))
    assert drift.exit_code == 2
    assert "RAM says account 'partner' (999999999999)" in drift.stdout
