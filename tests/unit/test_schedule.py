"""apply.schedule: phases in order, one resource's changes in plan order, different
resources in parallel; a share's step that adds cards associates each card once that
card's lane has finished, without holding a slot while it waits; and on the first failure
nothing new starts while steps already running finish and are reported."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from reconciler.apply.gate import Gate, Stopped
from reconciler.apply.report import Step, StepStatus
from reconciler.apply.schedule import cards_final_after, lanes, phase, run_in_order
from reconciler.plan.address import Address
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
        address=Address.card(name),
        action=Action.UPDATE_CONTENT,
        reason=Reason.CONTENT_DIFFERS,
        payload=payload,
    )


def status(name: str) -> Change:
    payload = UpdateStatus(name=name, arn=ARN + name, status="Approved", from_status="Draft")
    return Change(
        address=Address.card(name),
        action=Action.UPDATE_STATUS,
        reason=Reason.STATUS_DIFFERS,
        payload=payload,
    )


def permission(name: str) -> Change:
    payload = CreatePermission(
        name=name, arn=f"arn:perm/{name}", actions=(), resource_type="t", tags={}
    )
    return Change(
        address=Address.permission(name),
        action=Action.CREATE_PERMISSION,
        reason=Reason.NOT_IN_ACCOUNT,
        payload=payload,
    )


def associate(share: str, *cards: str) -> Change:
    entities = tuple(ARN + card for card in cards)
    payload = ChangeMembers(share_arn=share, kind=MemberKind.RESOURCE, entities=entities)
    return Change(
        address=Address.share(share),
        action=Action.ASSOCIATE_RESOURCES,
        reason=Reason.MEMBERS_MISSING,
        payload=payload,
    )


def invite(share: str, account: str) -> Change:
    payload = ChangeMembers(share_arn=share, kind=MemberKind.PRINCIPAL, entities=(account,))
    return Change(
        address=Address.share(share),
        action=Action.ASSOCIATE_PRINCIPALS,
        reason=Reason.MEMBERS_MISSING,
        payload=payload,
    )


def delete(name: str) -> Change:
    return Change(
        address=Address.card(name),
        action=Action.DELETE_CARD,
        reason=Reason.NOT_IN_GIT,
        payload=DeleteCard(name=name, arn=ARN + name, status="Draft"),
    )


class Recorder:
    """A ``work`` function that logs when each change starts and ends, and fails those
    named (by ``address:action``, or with ``:slow`` appended, takes ``slow`` seconds).
    A step that associates resources takes them from the gate, as the executor's does, and
    logs each batch it is handed; stopped before its first batch, it was not attempted."""

    def __init__(
        self,
        fail: frozenset[str] = frozenset(),
        seconds: float = 0.02,
        slow: frozenset[str] = frozenset(),
        batch: int = 100,
    ) -> None:
        self.fail, self.seconds, self.slow, self.batch = fail, seconds, slow, batch
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.running = self.most = 0

    def __call__(self, change: Change, gate: Gate) -> Step:
        key = f"{change.address}:{change.action.value}"
        status = StepStatus.FAILED if key in self.fail else StepStatus.DONE
        payload = change.payload
        try:
            if isinstance(payload, ChangeMembers) and payload.kind is MemberKind.RESOURCE:
                for batch in gate.batches(payload.entities, self.batch):
                    names = ",".join(e.removeprefix(ARN) for e in batch)
                    self._work(key, f"batch {names}")
            else:
                self._work(key, "")
        except Stopped:
            handed = any(what.startswith("batch") and k == key for what, k in self.log)
            status = StepStatus.FAILED if handed else StepStatus.NOT_ATTEMPTED
        return Step(address=change.address, action=change.action, status=status)

    def _work(self, key: str, what: str) -> None:
        with self.lock:
            self.log.append(("start", key))
            if what:
                self.log.append((what, key))
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.2 if key in self.slow else self.seconds)
        with self.lock:
            self.log.append(("end", key))
            self.running -= 1

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
    assert lanes(PLAN) == [(1, [[0]]), (2, [[1, 3], [2]]), (3, [[4], [5]]), (7, [[6]])]


def test_phases_run_in_order_a_card_keeps_its_order_and_is_associated_once_written() -> None:
    work = Recorder()
    steps = run_in_order(PLAN, work, parallelism=10)
    assert [s.status for s in steps] == [StepStatus.DONE] * len(PLAN)
    assert work.index("end", "permission.read-only:create_permission") < work.index(
        "start", "card.A:update_content"
    )
    assert work.index("end", "card.A:update_content") < work.index("start", "card.A:update_status")
    assert work.index("end", "card.A:update_status") < work.index(
        "start", "share.prod:associate_resources"
    )
    assert work.index("end", "card.B:update_content") < work.index(
        "start", "share.test:associate_resources"
    )
    assert work.log[-1] == ("end", "card.C:delete_card")
    assert work.most == 2  # card A's lane and card B's, side by side


def test_a_card_is_associated_while_other_cards_are_still_being_written() -> None:
    plan = (content("A"), content("B"), associate("prod", "A", "B", "Old"))
    work = Recorder(slow=frozenset({"card.B:update_content"}), batch=2)
    run_in_order(plan, work, parallelism=10)
    key = "share.prod:associate_resources"
    # "Old" is not written by this apply: ready at once. A batch is handed out when it is
    # full (here 2; RAM takes 100) or holds all the rest, so Old goes with A.
    assert work.index("batch Old,A", key) < work.index("end", "card.B:update_content")
    assert work.index("end", "card.A:update_content") < work.index("batch Old,A", key)
    assert work.index("end", "card.B:update_content") < work.index("batch B", key)


def test_opening_a_share_to_an_account_waits_for_every_card() -> None:
    """Inviting an account shows it every card of the share, so it waits for the card
    phase even in a lane that started early to associate cards."""
    plan = (content("A"), content("B"), associate("prod", "A"), invite("prod", "444444444444"))
    work = Recorder(slow=frozenset({"card.B:update_content"}), batch=1)
    run_in_order(plan, work, parallelism=10)
    assert work.index("end", "card.B:update_content") < work.index(
        "start", "share.prod:associate_principals"
    )
    assert work.index("batch A", "share.prod:associate_resources") < work.index(
        "end", "card.B:update_content"
    )


def test_a_step_waiting_for_cards_holds_no_slot() -> None:
    """With one slot, the share's step waits for cards that need that slot: it gives the
    slot back while it waits, and takes one before the card steps still queued."""
    cards = [content(f"C{i}") for i in range(5)]
    plan = (*cards, associate("prod", *(f"C{i}" for i in range(5))))
    work = Recorder(seconds=0.01)
    steps = run_in_order(plan, work, parallelism=1)
    assert [s.status for s in steps] == [StepStatus.DONE] * len(plan)
    assert work.most == 1
    assert work.index("end", "card.C4:update_content") < work.index(
        "batch C0,C1,C2,C3,C4", "share.prod:associate_resources"
    )


@pytest.mark.parametrize("parallelism", [1, 3])
def test_no_more_than_parallelism_run_at_once(parallelism: int) -> None:
    many = tuple(content(f"C{i}") for i in range(12))
    work = Recorder(seconds=0.01)
    run_in_order(many, work, parallelism)
    assert work.most == parallelism


def test_first_failure_starts_nothing_new_and_in_flight_steps_finish() -> None:
    slow_b = Recorder(
        fail=frozenset({"card.A:update_content"}), slow=frozenset({"card.B:update_content"})
    )
    reported: list[Step] = []
    steps = run_in_order(PLAN, slow_b, parallelism=10, progress=reported.append)
    by_key = {f"{s.address}:{s.action.value}": s.status for s in steps}
    assert by_key == {
        "permission.read-only:create_permission": StepStatus.DONE,
        "card.A:update_content": StepStatus.FAILED,
        "card.B:update_content": StepStatus.DONE,  # running beside A: it finishes
        "card.A:update_status": StepStatus.NOT_ATTEMPTED,
        # waiting for A, and for B (written after the failure): never handed a card
        "share.prod:associate_resources": StepStatus.NOT_ATTEMPTED,
        "share.test:associate_resources": StepStatus.NOT_ATTEMPTED,
        "card.C:delete_card": StepStatus.NOT_ATTEMPTED,
    }
    assert sorted(reported, key=steps.index) == list(steps)  # every step reported once
    assert ("start", "card.A:update_status") not in slow_b.log
    assert not any(key.startswith("share.") for _, key in slow_b.log)


def test_a_failure_stops_a_share_step_between_its_batches() -> None:
    """The share's step was handed A and associated it; B then fails: the step makes no
    further call and is reported failed (the executor says how far it got)."""
    plan = (content("A"), content("B"), associate("prod", "A", "B"))
    work = Recorder(
        fail=frozenset({"card.B:update_content"}),
        slow=frozenset({"card.B:update_content"}),
        batch=1,
    )
    steps = run_in_order(plan, work, parallelism=10)
    assert [(s.address, s.status) for s in steps] == [
        (Address.card("A"), StepStatus.DONE),
        (Address.card("B"), StepStatus.FAILED),
        (Address.share("prod"), StepStatus.FAILED),
    ]
    assert ("batch A", "share.prod:associate_resources") in work.log
    assert ("batch B", "share.prod:associate_resources") not in work.log


def test_steps_come_back_in_plan_order_whatever_order_they_finish_in() -> None:
    def backwards(change: Change, gate: Gate) -> Step:
        time.sleep(0.03 if change.address.name.endswith("A") else 0.0)
        return Step(address=change.address, action=change.action, status=StepStatus.DONE)

    work: Callable[[Change, Gate], Step] = backwards
    steps = run_in_order((content("A"), content("B")), work, parallelism=2)
    assert [s.address for s in steps] == [Address.card("A"), Address.card("B")]


def test_cards_are_final_once_only_ram_changes_are_left() -> None:
    shares_only = (associate("prod", "A"), associate("test", "B"))
    assert cards_final_after(PLAN) is None  # a card is deleted in the last phase
    assert cards_final_after(PLAN[:-1]) == 2  # after permissions and cards
    assert cards_final_after((permission("p"), *shares_only)) == 0  # RAM only: at once
    assert cards_final_after((content("A"), status("A"))) is None  # nothing after cards


def test_cards_final_is_called_once_the_card_phase_has_ended() -> None:
    work = Recorder()

    def mark() -> None:
        with work.lock:
            work.log.append(("cards final", ""))

    run_in_order(PLAN[:-1], work, parallelism=10, cards_final=mark)
    final = work.index("cards final", "")
    assert work.index("end", "card.A:update_status") < final  # every card step has ended
    assert work.index("end", "card.B:update_content") < final
    assert work.log.count(("cards final", "")) == 1


def test_cards_final_is_not_called_after_a_failure() -> None:
    called: list[bool] = []
    failing = Recorder(fail=frozenset({"card.B:update_content"}))
    run_in_order(PLAN[:-1], failing, parallelism=10, cards_final=lambda: called.append(True))
    assert called == []


def raising(address: str, work: Recorder) -> Callable[[Change, Gate], Step]:
    """``work``, except that the step of ``address`` raises an error no handler expects."""

    def run(change: Change, gate: Gate) -> Step:
        if str(change.address) == address:
            raise KeyError(address)
        return work(change, gate)

    return run


def test_an_error_no_handler_expected_ends_the_run_without_leaving_a_lane_waiting() -> None:
    """A card step raises (a bug, or an interrupt) while a share waits for that card and
    for one queued behind it: the error comes out, and no later step starts."""
    plan = (content("A"), content("B"), associate("prod", "A", "B"), delete("Z"))
    work = Recorder()
    with pytest.raises(KeyError):
        run_in_order(plan, raising("card.A", work), parallelism=1)
    assert not any(key.startswith(("share.", "card.Z")) for _, key in work.log)


def test_an_error_in_a_share_step_that_started_early_comes_out_before_any_removal() -> None:
    plan = (content("A"), associate("prod", "A"), delete("Z"))
    work = Recorder()
    with pytest.raises(KeyError):
        run_in_order(plan, raising("share.prod", work), parallelism=4)
    assert ("start", "card.Z:delete_card") not in work.log
