"""A share that names cards and statuses takes the cards that match both.

``cards: {names: [X], status: [Approved]}`` once selected the union: X went to prod,
read-only, while still a Draft. Now X joins the share only once git approves it, and a
share that took X under the old reading shows, in the plan, the association the new one
removes; apply removes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import CARD, Aws, Cli, apply, card_arn, members, set_status

LAUNCH = "churn-launch"


def launch_share(repo: Path, selection: str) -> None:
    """A share to prod, read-only, of the example card, selected by ``selection``."""
    (repo / "shares" / f"{LAUNCH}.yaml").write_text(
        f"name: {LAUNCH}\nprincipals: [prod]\ncards: {selection}\npermission: read-only\n"
    )


def launched(aws: Aws) -> list[str]:
    return members(aws, LAUNCH, "RESOURCE")


def prod_sees(aws: Aws) -> set[str]:
    """The resources shared with prod, as prod's RAM lists them."""
    listed = aws("ram", "444444444444").list_resources(resourceOwner="OTHER-ACCOUNTS")
    return {r["arn"] for r in listed["resources"]}


def changes(cli: Cli, repo: Path) -> list[dict[str, Any]]:
    result = cli("plan", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["changes"]
    return found


def test_a_draft_card_named_by_a_share_of_approved_cards_waits_for_approval(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    """As found: a share written as "this card, once Approved" held the card while it was
    a Draft. Now the Draft card stays out of it and out of prod's view; promoted in git to
    Approved and applied, it joins."""
    launch_share(repo, f"{{names: [{CARD}], status: [Approved]}}")
    (create,) = [c for c in changes(cli, repo) if c["address"] == f"share.{LAUNCH}"]
    assert create["action"] == "create_share" and card_arn() not in json.dumps(create)
    code, _, stderr = apply(cli, repo, "--force")
    assert code == 0, stderr
    assert launched(aws) == []
    assert card_arn() not in prod_sees(aws)

    set_status(repo, "PendingReview")
    assert apply(cli, repo)[0] == 0
    assert launched(aws) == []
    set_status(repo, "Approved")
    joining = [c for c in changes(cli, repo) if c["address"] == f"share.{LAUNCH}"]
    assert [(c["action"], c["fields"]) for c in joining] == [
        ("associate_resources", [{"path": "$.resources", "after": card_arn()}])
    ]
    code, _, stderr = apply(cli, repo)
    assert code == 0, stderr
    assert launched(aws) == [card_arn()]
    assert card_arn() in prod_sees(aws)


def test_a_share_that_held_a_draft_under_the_union_shows_the_association_it_removes(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    """The share held the Draft card, as the union did (an earlier apply selecting it by
    name alone); once it also says ``status: [Approved]``, the plan shows the card leaving
    the share, in text as in JSON, and apply takes it out."""
    launch_share(repo, f"{{names: [{CARD}]}}")
    assert apply(cli, repo, "--force")[0] == 0
    assert launched(aws) == [card_arn()]

    launch_share(repo, f"{{names: [{CARD}], status: [Approved]}}")
    (change,) = changes(cli, repo)
    assert (change["address"], change["action"], change["reason"]) == (
        f"share.{LAUNCH}",
        "disassociate_resources",
        "members_not_selected",
    )
    assert change["fields"] == [{"path": "$.resources", "before": card_arn()}]
    text = cli("plan", "--repo", str(repo)).stdout
    assert f"share.{LAUNCH}" in text and "1 card no longer selected in git" in text
    code, _, stderr = apply(cli, repo)
    assert code == 0, stderr
    assert launched(aws) == []
    assert card_arn() not in prod_sees(aws)
