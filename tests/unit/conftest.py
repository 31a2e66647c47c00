"""Fixtures of the unit tests: stubbed AWS clients (botocore's ``Stubber``; no network)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.stubs import Stubbed, stubbed


@pytest.fixture
def stubs() -> Iterator[Stubbed]:
    """Stubbed SageMaker and RAM clients and a step context using them. After the test,
    every call that was expected must have been made."""
    with stubbed() as found:
        yield found
        found.done()
