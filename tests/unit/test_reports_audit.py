"""reports.audit: where a card version came from, and a version as the JSON reports
show it."""

from __future__ import annotations

import json

import pytest

from reconciler.common.status import CardStatus
from reconciler.live.model import TracedVersion
from reconciler.reports.audit import NOT_FROM_GIT, origin, version_json

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def version(commit: str | None) -> TracedVersion:
    return TracedVersion(
        number=2,
        status=CardStatus.PENDING_REVIEW,
        modified_at="2026-11-20T10:00:00+00:00",
        modified_by=None,
        commit=commit,
    )


@pytest.mark.parametrize(
    ("commit", "shown"),
    [
        (COMMIT, COMMIT),
        ("0123456789ab", "0123456789ab"),
        (None, "not from git"),
        ("", "not from git"),
    ],
    ids=["full", "short", "none", "empty"],
)
def test_origin(commit: str | None, shown: str) -> None:
    assert origin(version(commit)) == shown
    assert NOT_FROM_GIT == "not from git"


def test_a_version_in_json_keeps_an_unknown_commit_and_author_as_null() -> None:
    found = version_json(version(None))
    assert found == {
        "version": 2,
        "status": "PendingReview",
        "modified_at": "2026-11-20T10:00:00+00:00",
        "modified_by": None,
        "commit": None,
    }
    assert json.loads(json.dumps(found)) == found, "the status serialises as its text"
