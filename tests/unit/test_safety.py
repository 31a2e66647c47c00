"""apply.safety: what a plan may not do without a flag. Every guard names the flag that
allows it; the thresholds of reconciler.yaml count the managed cards a run updates or
deletes, once enough exist, and --force lifts them.
"""

from __future__ import annotations

import pytest

from reconciler.apply.report import GuardRefusal, Limit, ThresholdRefusal
from reconciler.apply.safety import Flags
from reconciler.apply.safety import refusals as refusal_records
from reconciler.desired.model import Safety
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, Flag, Guard, Plan, Reason
from reconciler.plan.payloads import (
    CreateCard,
    DeleteCard,
    Payload,
    ReplaceCard,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)
from reconciler.render.apply_report import refusal_text

SAFETY = Safety(max_update_percent=30, max_delete_percent=10, min_existing=10)


def change(action: Action, name: str, *guards: Guard, note: str = "") -> Change:
    """A change of ``action`` to card ``name``, with the guards given (none by default, so
    only the thresholds decide)."""
    arn = f"arn:aws:sagemaker:us-east-1:111111111111:model-card/{name}"
    planned: dict[Action, tuple[Reason, Payload]] = {
        Action.UPDATE_CONTENT: (
            Reason.CONTENT_DIFFERS,
            UpdateContent(name=name, arn=arn, content={}),
        ),
        Action.UPDATE_STATUS: (
            Reason.STATUS_DIFFERS,
            UpdateStatus(name=name, arn=arn, status="PendingReview", from_status="Draft"),
        ),
        Action.UPDATE_TAGS: (Reason.TAGS_DIFFER, UpdateTags(arn=arn, add={"a": "b"}, remove=())),
        Action.DELETE_CARD: (Reason.NOT_IN_GIT, DeleteCard(name=name, arn=arn, status="Approved")),
        Action.REPLACE_CARD: (
            Reason.KMS_KEY_CHANGED,
            ReplaceCard(
                create=CreateCard(name=name, arn=arn, status="Draft", content={}, tags={}),
                delete=DeleteCard(name=name, arn=arn, status="Draft"),
            ),
        ),
    }
    reason, payload = planned[action]
    return Change(
        address=Address.card(name),
        action=action,
        reason=reason,
        payload=payload,
        guards=guards,
        guard_note=note,
    )


def content(name: str) -> Change:
    return change(Action.UPDATE_CONTENT, name)


def status(name: str) -> Change:
    return change(Action.UPDATE_STATUS, name)


def tags(name: str) -> Change:
    return change(Action.UPDATE_TAGS, name)


def deleted(name: str) -> Change:
    return change(Action.DELETE_CARD, name)


def replaced(name: str) -> Change:
    return change(Action.REPLACE_CARD, name)


def guarded(*guards: Guard, note: str = "") -> Change:
    return change(Action.DELETE_CARD, "A", *guards, note=note)


def plan(*changes: Change, managed: int = 10) -> Plan:
    return Plan(changes=changes, managed_cards=managed)


def flags_for(flag: Flag) -> Flags:
    return Flags(force=flag is Flag.FORCE, prune=flag is Flag.PRUNE)


def refusals(plan: Plan, safety: Safety, flags: Flags) -> list[str]:
    """The refusals as apply reports them."""
    return [refusal_text(r) for r in refusal_records(plan, safety, flags)]


def test_refusals_are_records_that_name_the_change_or_the_limit() -> None:
    many = (content("A"), content("B"), content("C"), content("D"))
    found = refusal_records(plan(guarded(Guard.OPENS_SHARE, note="9"), *many), SAFETY, Flags())
    assert found == [
        GuardRefusal(address=Address.card("A"), guard=Guard.OPENS_SHARE, note="9"),
        ThresholdRefusal(limit=Limit.UPDATE, cards=4, existing=10, percent_allowed=30.0),
    ]


def test_a_plan_without_guards_below_the_thresholds_may_run() -> None:
    assert refusals(plan(content("A"), status("B")), SAFETY, Flags()) == []


@pytest.mark.parametrize("guard", list(Guard), ids=lambda g: g.value)
def test_every_guard_is_refused_without_its_flag_naming_the_address_and_the_flag(
    guard: Guard,
) -> None:
    assert refusals(plan(guarded(guard)), SAFETY, Flags()) == [
        f"card.A: {guard.text}: apply with --{guard.flag.value} to allow it"
    ]


@pytest.mark.parametrize("guard", list(Guard), ids=lambda g: g.value)
def test_every_guard_is_allowed_by_its_flag_alone(guard: Guard) -> None:
    assert refusals(plan(guarded(guard)), SAFETY, flags_for(guard.flag)) == []
    other = next(f for f in Flag if f is not guard.flag)
    assert refusals(plan(guarded(guard)), SAFETY, flags_for(other)) != []


def test_only_deleting_needs_prune_every_other_guard_needs_force() -> None:
    assert {g: g.flag for g in Guard} == {
        Guard.DELETES: Flag.PRUNE,
        Guard.REPLACES_CARD: Flag.FORCE,
        Guard.ARCHIVES_APPROVED: Flag.FORCE,
        Guard.DELETES_APPROVED: Flag.FORCE,
        Guard.OPENS_SHARE: Flag.FORCE,
        Guard.UNAPPROVES_PACKAGE: Flag.FORCE,
    }


def test_the_guard_note_says_which_principals_open_the_share() -> None:
    found = refusals(plan(guarded(Guard.OPENS_SHARE, note="999999999999")), SAFETY, Flags())
    assert found == [
        "card.A: it opens the share to principals outside the Organization (999999999999): "
        "apply with --force to allow it"
    ]


def test_a_change_with_two_guards_needs_both_flags() -> None:
    both = guarded(Guard.DELETES, Guard.DELETES_APPROVED)
    assert len(refusals(plan(both), SAFETY, Flags())) == 2
    assert refusals(plan(both), SAFETY, Flags(prune=True)) == [
        "card.A: it deletes an Approved card: apply with --force to allow it"
    ]
    assert refusals(plan(both), SAFETY, Flags(prune=True, force=True)) == []


UPDATE_REFUSAL = (
    "the plan would update {n} of 10 managed cards ({p}%), above "
    "safety.max_update_percent = 30%: review the plan, then apply with --force, or raise "
    "the limit in reconciler.yaml"
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            (content("A"), status("B"), tags("C")),
            [],
            id="three-of-ten-is-at-the-limit",
        ),
        pytest.param(
            (
                content("A"),
                status("B"),
                tags("C"),
                content("D"),
            ),
            [UPDATE_REFUSAL.format(n=4, p=40)],
            id="four-of-ten-is-above",
        ),
        pytest.param(
            (
                content("A"),
                status("A"),
                tags("A"),
                content("B"),
                status("C"),
            ),
            [],
            id="a-card-counts-once-however-many-changes",
        ),
    ],
)
def test_update_threshold(changes: tuple[Change, ...], expected: list[str]) -> None:
    assert refusals(plan(*changes), SAFETY, Flags()) == expected


def test_delete_threshold_counts_deletes_and_replacements() -> None:
    assert refusals(plan(deleted("A")), SAFETY, Flags()) == []
    assert refusals(plan(deleted("A"), replaced("B")), SAFETY, Flags()) == [
        "the plan would delete or replace 2 of 10 managed cards (20%), above "
        "safety.max_delete_percent = 10%: review the plan, then apply with --force, or "
        "raise the limit in reconciler.yaml"
    ]


def test_thresholds_apply_only_from_min_existing_managed_cards() -> None:
    many = tuple(content(name) for name in "ABCDEFGHI")
    assert refusals(plan(*many, managed=9), SAFETY, Flags()) == []
    assert refusals(plan(*many, managed=0), Safety(min_existing=0), Flags()) == []
    assert len(refusals(plan(*many, managed=10), SAFETY, Flags())) == 1


def test_force_lifts_the_thresholds_and_prune_does_not() -> None:
    many = (content("A"), content("B"), content("C"), content("D"), deleted("E"), deleted("F"))
    assert len(refusals(plan(*many), SAFETY, Flags(prune=True))) == 2
    assert refusals(plan(*many), SAFETY, Flags(force=True)) == []


def test_limits_come_from_reconciler_yaml() -> None:
    loose = Safety(max_update_percent=50, max_delete_percent=20, min_existing=4)
    changes = (content("A"), content("B"), content("C"), deleted("D"))
    assert refusals(plan(*changes, managed=5), loose, Flags()) == [
        "the plan would update 3 of 5 managed cards (60%), above safety.max_update_percent "
        "= 50%: review the plan, then apply with --force, or raise the limit in "
        "reconciler.yaml"
    ]
