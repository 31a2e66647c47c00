"""apply.schedule: phases in order, one resource's changes in plan order, different
resources in parallel, and on the first failure nothing new starts while steps already
running finish and are reported."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from reconciler.apply.report import Step, StepStatus
from reconciler.apply.schedule import cards_final_after, lanes, phase, run_in_order
from reconciler.plan.model import Action, Change, Reason
from reconciler.plan.payloads import (
    ChangeMembers,
    CreatePermission,
    DeleteCard,
    MemberKind,
    UpdateContent,
    UpdateStatus,
)

ARN = "arn:aws:sagemaker:us-east-1:111111111111:model-card/"


def content(name: str) -> Change:
    payload = UpdateContent(name=name, arn=ARN + name, content={})
    return Change(
        address=f"card.{name}",
        action=Action.UPDATE_CONTENT,
        reason=Reason.CONTENT_DIFFERS,
        payload=payload,
    )


def status(name: str) -> Change:
    payload = UpdateStatus(name=name, arn=ARN + name, status="Approved", from_status="Draft")
    return Change(
        address=f"card.{name}",
        action=Action.UPDATE_STATUS,
        reason=Reason.STATUS_DIFFERS,
        payload=payload,
    )


def permission(name: str) -> Change:
    payload = CreatePermission(
        name=name, arn=f"arn:perm/{name}", actions=(), resource_type="t", tags={}
    )
    return Change(
        address=f"permission.{name}",
        action=Action.CREATE_PERMISSION,
        reason=Reason.NOT_IN_ACCOUNT,
        payload=payload,
    )


def associate(share: str, card: str) -> Change:
    payload = ChangeMembers(share_arn=share, kind=MemberKind.RESOURCE, entities=(ARN + card,))
    return Change(
        address=f"share.{share}",
        action=Action.ASSOCIATE_RESOURCES,
        reason=Reason.MEMBERS_MISSING,
        payload=payload,
    )


def delete(name: str) -> Change:
    return Change(
        address=f"card.{name}",
        action=Action.DELETE_CARD,
        reason=Reason.NOT_IN_GIT,
        payload=DeleteCard(name=name, arn=ARN + name, status="Draft"),
    )


class Recorder:
    """A ``work`` function that logs when each change starts and ends, and fails those named."""

    def __init__(self, fail: frozenset[str] = frozenset(), seconds: float = 0.02) -> None:
        self.fail, self.seconds = fail, seconds
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.running = self.most = 0

    def __call__(self, change: Change) -> Step:
        key = f"{change.address}:{change.action.value}"
        with self.lock:
            self.log.append(("start", key))
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.log.append(("end", key))
            self.running -= 1
        failed = key in self.fail
        return Step(
            address=change.address,
            action=change.action.value,
            status=StepStatus.FAILED if failed else StepStatus.DONE,
        )

    def index(self, event: str, key: str) -> int:
        return self.log.index((event, key))


PLAN = (
    permission("read-only"),
    content("A"),
    content("B"),
    status("A"),
    associate("prod", "A"),
    associate("test", "B"),
    delete("C"),
)


def test_phases_and_lanes() -> None:
    assert [phase(c.action) for c in PLAN] == [1, 2, 2, 2, 3, 3, 7]
    assert lanes(PLAN) == [[[0]], [[1, 3], [2]], [[4], [5]], [[6]]]


def test_every_phase_ends_before_the_next_starts_and_a_card_keeps_its_order() -> None:
    work = Recorder()
    steps = run_in_order(PLAN, work, parallelism=10)
    assert [s.status for s in steps] == [StepStatus.DONE] * len(PLAN)
    assert work.index("end", "permission.read-only:create_permission") < work.index(
        "start", "card.A:update_content"
    )
    assert work.index("end", "card.A:update_content") < work.index("start", "card.A:update_status")
    last_card = max(work.index("end", k) for k in ("card.A:update_status", "card.B:update_content"))
    first_share = min(
        work.index("start", k)
        for k in ("share.prod:associate_resources", "share.test:associate_resources")
    )
    assert last_card < first_share
    assert work.log[-1] == ("end", "card.C:delete_card")
    assert work.most == 2  # card A's lane and card B's, side by side


@pytest.mark.parametrize("parallelism", [1, 3])
def test_no_more_than_parallelism_run_at_once(parallelism: int) -> None:
    many = tuple(content(f"C{i}") for i in range(12))
    work = Recorder(seconds=0.01)
    run_in_order(many, work, parallelism)
    assert work.most == parallelism


def test_first_failure_starts_nothing_new_and_in_flight_steps_finish() -> None:
    slow_b = Recorder(fail=frozenset({"card.A:update_content"}))
    reported: list[Step] = []
    steps = run_in_order(PLAN, slow_b, parallelism=10, progress=reported.append)
    by_key = {f"{s.address}:{s.action}": s.status for s in steps}
    assert by_key == {
        "permission.read-only:create_permission": StepStatus.DONE,
        "card.A:update_content": StepStatus.FAILED,
        "card.B:update_content": StepStatus.DONE,  # running beside A: it finishes
        "card.A:update_status": StepStatus.NOT_ATTEMPTED,
        "share.prod:associate_resources": StepStatus.NOT_ATTEMPTED,
        "share.test:associate_resources": StepStatus.NOT_ATTEMPTED,
        "card.C:delete_card": StepStatus.NOT_ATTEMPTED,
    }
    assert sorted(reported, key=steps.index) == list(steps)  # every step reported once
    assert ("start", "card.A:update_status") not in slow_b.log


def test_steps_come_back_in_plan_order_whatever_order_they_finish_in() -> None:
    def backwards(change: Change) -> Step:
        time.sleep(0.03 if change.address.endswith("A") else 0.0)
        return Step(address=change.address, action=change.action.value, status=StepStatus.DONE)

    work: Callable[[Change], Step] = backwards
    steps = run_in_order((content("A"), content("B")), work, parallelism=2)
    assert [s.address for s in steps] == ["card.A", "card.B"]


def test_cards_are_final_once_only_ram_changes_are_left() -> None:
    shares_only = (associate("prod", "A"), associate("test", "B"))
    assert cards_final_after(PLAN) is None  # a card is deleted in the last phase
    assert cards_final_after(PLAN[:-1]) == 2  # after permissions and cards
    assert cards_final_after((permission("p"), *shares_only)) == 0  # RAM only: at once
    assert cards_final_after((content("A"), status("A"))) is None  # nothing after cards


def test_cards_final_is_called_between_the_last_card_phase_and_the_shares() -> None:
    work = Recorder()

    def mark() -> None:
        with work.lock:
            work.log.append(("cards final", ""))

    run_in_order(PLAN[:-1], work, parallelism=10, cards_final=mark)
    final = work.index("cards final", "")
    assert work.index("end", "card.A:update_status") < final
    assert final < work.index("start", "share.prod:associate_resources")
    assert work.log.count(("cards final", "")) == 1


def test_cards_final_is_not_called_after_a_failure() -> None:
    called: list[bool] = []
    failing = Recorder(fail=frozenset({"card.B:update_content"}))
    run_in_order(PLAN[:-1], failing, parallelism=10, cards_final=lambda: called.append(True))
    assert called == []
