"""common.words: a number and its noun, plural unless the number is one."""

from __future__ import annotations

import pytest

from reconciler.common.words import count


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [
        pytest.param(0, "error", "0 errors", id="none-is-plural"),
        pytest.param(1, "error", "1 error", id="one-is-singular"),
        pytest.param(2, "file", "2 files", id="two-is-plural"),
        pytest.param(-1, "change", "-1 changes", id="minus-one-is-not-one"),
        pytest.param(1, "other way", "1 other way", id="a-noun-of-two-words"),
        pytest.param(11, "field", "11 fields", id="eleven"),
    ],
)
def test_count(number: int, noun: str, expected: str) -> None:
    assert count(number, noun) == expected
