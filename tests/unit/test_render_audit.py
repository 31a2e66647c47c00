"""render.audit: ``reconciler history`` and ``reconciler export`` as text for people and
JSON for machines."""

from __future__ import annotations

import json

import pytest

from reconciler.common.status import CardStatus
from reconciler.live.model import TracedVersion
from reconciler.render.audit import EXPORTS, HISTORY
from reconciler.reports.audit import ExportReport, HistoryReport

COMMIT = "0123456789abcdef0123456789abcdef01234567"
NEWEST = TracedVersion(
    number=2,
    status=CardStatus.PENDING_REVIEW,
    modified_at="2026-11-20T10:00:00+00:00",
    modified_by="arn:aws:iam::111111111111:role/Apply",
    commit=COMMIT,
)
OLDEST = TracedVersion(
    number=1, status=CardStatus.DRAFT, modified_at=None, modified_by=None, commit=None
)
HISTORY_OF = HistoryReport(card="Churn", versions=(NEWEST, OLDEST), context={"region": "us-east-1"})


def test_history_as_text_gives_a_line_per_version_newest_first() -> None:
    assert HISTORY.get("text")(HISTORY_OF) == (
        "History of model card Churn (2 versions)\n"
        "  v2  PendingReview 2026-11-20T10:00:00+00:00  "
        f"arn:aws:iam::111111111111:role/Apply  {COMMIT}\n"
        "  v1  Draft         -  unknown  not from git\n"
    )


def test_a_card_of_one_version() -> None:
    one = HistoryReport(card="Churn", versions=(OLDEST,))
    assert HISTORY.get("text")(one).splitlines()[0] == "History of model card Churn (1 version)"


def test_history_as_json() -> None:
    body = json.loads(HISTORY.get("json")(HISTORY_OF))
    assert body == {
        "format_version": "1",
        "context": {"region": "us-east-1"},
        "card": "Churn",
        "versions": [
            {
                "version": 2,
                "status": "PendingReview",
                "modified_at": "2026-11-20T10:00:00+00:00",
                "modified_by": "arn:aws:iam::111111111111:role/Apply",
                "commit": COMMIT,
            },
            {
                "version": 1,
                "status": "Draft",
                "modified_at": None,
                "modified_by": None,
                "commit": None,
            },
        ],
    }


def export(exported: bool) -> ExportReport:
    return ExportReport(
        card="Churn",
        version=3,
        uri="s3://audit/model-cards/Churn/Churn-v3-approved/Churn.pdf",
        file="Churn-v3.pdf",
        exported=exported,
    )


@pytest.mark.parametrize(
    ("exported", "how"), [(True, "exported and downloaded"), (False, "downloaded")]
)
def test_an_export_says_whether_it_had_to_export_first(exported: bool, how: str) -> None:
    assert EXPORTS.get("text")(export(exported)) == (
        f"Churn version 3: {how} s3://audit/model-cards/Churn/Churn-v3-approved/Churn.pdf "
        "to Churn-v3.pdf\n"
    )
    body = json.loads(EXPORTS.get("json")(export(exported)))
    assert (body["format_version"], body["version"], body["exported"]) == ("1", 3, exported)
    assert (body["card"], body["file"]) == ("Churn", "Churn-v3.pdf")


def test_both_reports_come_in_text_and_json() -> None:
    assert HISTORY.names() == EXPORTS.names() == ["json", "text"]
