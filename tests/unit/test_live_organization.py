"""live.organization: what Organizations says of the card account, against stubbed
Organizations. An identity that may not ask gets an unknown answer (the plan warns), not
a failed run; any other refusal fails the read and says what was being done."""

from __future__ import annotations

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.live.model import OrganizationFact
from reconciler.live.organization import read_organization
from tests.unit.stubs import Call, stubbed_client

ORGANIZATION = {
    "Id": "o-abcdefghij",
    "Arn": "arn:aws:organizations::111111111111:organization/o-abcdefghij",
    "MasterAccountId": "111111111111",
}


def described(error: str | None = None) -> Call:
    response = {} if error else {"Organization": ORGANIZATION}
    return Call(
        service="organizations",
        method="describe_organization",
        params={},
        response=response,
        error=error,
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(described(), OrganizationFact(True, "o-abcdefghij"), id="in-one"),
        pytest.param(
            described("AWSOrganizationsNotInUseException"),
            OrganizationFact(True, None),
            id="in-none",
        ),
        pytest.param(
            described("AccessDeniedException"), OrganizationFact(False, None), id="not-allowed"
        ),
    ],
)
def test_read_organization(call: Call, expected: OrganizationFact) -> None:
    with stubbed_client("organizations", call) as organizations:
        assert read_organization(organizations) == expected


def test_another_refusal_fails_the_read_and_says_what_it_was() -> None:
    with (
        stubbed_client("organizations", described("ServiceException")) as organizations,
        pytest.raises(ReconcilerError) as failed,
    ):
        read_organization(organizations)
    assert failed.value.message.startswith(
        "AWS refused describing the card account's Organization: ServiceException"
    )
