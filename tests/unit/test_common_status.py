"""common.status: the card status is the text SageMaker defines, in lifecycle order, and a
status AWS or a saved plan gives that SageMaker does not define is refused by name."""

from __future__ import annotations

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus


def test_statuses_are_declared_in_lifecycle_order_as_sagemaker_spells_them() -> None:
    assert [s.value for s in CardStatus] == ["Draft", "PendingReview", "Approved", "Archived"]


@pytest.mark.parametrize("status", list(CardStatus), ids=lambda s: s.value)
def test_a_status_is_its_text(status: CardStatus) -> None:
    """Equal to the text YAML and AWS use, and shown as it (not ``CardStatus.X``)."""
    assert status == status.value
    assert str(status) == f"{status}" == status.value
    assert CardStatus.read(status.value, "card X") is status


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("approved", id="wrong-case"),
        pytest.param("Rejected", id="not-a-card-status"),
        pytest.param("", id="empty"),
        pytest.param(None, id="missing"),
        pytest.param(2, id="not-text"),
    ],
)
def test_a_status_sagemaker_does_not_define_is_refused_by_name(value: object) -> None:
    with pytest.raises(ReconcilerError) as refused:
        CardStatus.read(value, "model card Churn")
    assert refused.value.message == (
        f"model card Churn has status {value!r}, which is none of "
        "Draft, PendingReview, Approved, Archived"
    )
    assert refused.value.hint and "try again" in refused.value.hint
    assert refused.value.__cause__ is None  # the ValueError says nothing more
