"""diff.audit: exports and model package approval planned on built states, row by row."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.desired.model import DesiredState, Exports, Registry
from reconciler.diff.audit import diff_audit
from reconciler.diff.cards import CardDiffOptions, diff_cards
from reconciler.live.model import LiveExport, LivePackage, LiveState, UnreadPackage
from reconciler.normalize.state import normalise
from reconciler.plan.actions import Action, Flag, Guard
from reconciler.plan.model import PlanPart
from reconciler.plan.payloads import ExportCard, UpdatePackageApproval
from tests.unit.builders import ARNS, CARD, applied, example, live_card, with_card

PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"
OUT = "s3://audit/model-cards"


def git(status: str = "Approved", *, sync: bool = False, package: bool = False) -> DesiredState:
    state = example()
    content = dict(state.cards[CARD].content)
    if package:
        content["model_package_details"] = {"model_package_arn": PACKAGE}
    state = with_card(state, status=status, content=content)
    config = replace(
        state.config,
        exports=Exports(bucket="audit"),
        registry=Registry(sync_approval=sync),
    )
    return replace(state, config=config)


def live(
    status: str = "Approved",
    export: LiveExport | None = None,
    approval: str | None = "PendingManualApproval",
) -> LiveState:
    found = live_card(applied(git(status)), status=status, version=4)
    packages = {PACKAGE: LivePackage(arn=PACKAGE, approval=approval) if approval else None}
    exports = {CARD: export} if export else {}
    return replace(found, exports=exports, packages=packages)


def audit(state: DesiredState, current: LiveState) -> PlanPart:
    n = normalise(state, current)
    cards = diff_cards(n, ARNS.card, CardDiffOptions())
    return diff_audit(n, cards.changes, [a.address for a in cards.adoptions])


def payloads(part: PlanPart) -> list[object]:
    return [c.payload for c in part.changes]


@pytest.mark.parametrize(
    ("state", "current", "expected"),
    [
        pytest.param(  # approved by this apply: the version it writes
            git(),
            live("PendingReview"),
            [ExportCard(name=CARD, version=None, status="Approved", output_path=OUT)],
            id="approval",
        ),
        pytest.param(
            git(),
            live(export=LiveExport(version=4, uri=f"{OUT}/x.pdf", jobs=1)),
            [],
            id="exported",
        ),
        pytest.param(
            git(),
            live(export=LiveExport(version=4, uri=None, jobs=0, running=True)),
            [],
            id="running",
        ),
        pytest.param(  # the PDF is gone: a new job name
            git(),
            live(export=LiveExport(version=4, uri=None, jobs=1)),
            [ExportCard(name=CARD, version=4, status="Approved", output_path=OUT, attempt=2)],
            id="pdf-deleted",
        ),
        pytest.param(git("PendingReview"), live("PendingReview"), [], id="not-exported-status"),
        pytest.param(  # approved again, same version: its Approved PDF is still there
            git(),
            live("PendingReview", export=LiveExport(version=4, uri=f"{OUT}/x.pdf", jobs=1)),
            [],
            id="reapproval-same-version",
        ),
        pytest.param(  # approved again, same version, its PDF gone: exported anew
            git(),
            live("PendingReview", export=LiveExport(version=4, uri=None, jobs=1)),
            [ExportCard(name=CARD, version=4, status="Approved", output_path=OUT, attempt=2)],
            id="reapproval-pdf-gone",
        ),
        pytest.param(  # a content edit makes a new version: exported whatever came before
            with_card(git(), content={**git().cards[CARD].content, "x": {"y": 1}}),
            live(export=LiveExport(version=4, uri=f"{OUT}/x.pdf", jobs=1)),
            [ExportCard(name=CARD, version=None, status="Approved", output_path=OUT)],
            id="content-edit",
        ),
    ],
)
def test_exports(state: DesiredState, current: LiveState, expected: list[object]) -> None:
    assert payloads(audit(state, current)) == expected


def test_package_approval_follows_with_sync_and_warns_without() -> None:
    synced = audit(
        git("PendingReview", sync=True, package=True), live("PendingReview", approval="Approved")
    )
    assert payloads(synced) == [
        UpdatePackageApproval(
            package_arn=PACKAGE,
            card_name=CARD,
            approval="PendingManualApproval",
            from_approval="Approved",
        )
    ]
    unsynced = audit(git("PendingReview", package=True), live("PendingReview", approval="Approved"))
    assert payloads(unsynced) == [] and PACKAGE in unsynced.warnings[0]
    archived = audit(
        git("Archived", sync=True, package=True), live("Archived", approval="Approved")
    )
    assert payloads(archived) == [] and not archived.warnings  # Archived: no change


def test_a_missing_package_is_an_error_on_the_card() -> None:
    part = audit(git(package=True), live(approval=None))
    (error,) = part.errors
    assert error.file == f"cards/{CARD}.yaml" and error.code == "missing-package"
    assert error.path == "$.content.model_package_details.model_package_arn"


def test_taking_a_package_out_of_approved_needs_force_and_approving_does_not() -> None:
    """An approved model is what production deploys: moving its package away from
    Approved is guarded like archiving an Approved card; approving it is not."""
    (withdraw,) = audit(
        git("PendingReview", sync=True, package=True), live("PendingReview", approval="Approved")
    ).changes
    assert withdraw.guards == (Guard.UNAPPROVES_PACKAGE,)
    assert Guard.UNAPPROVES_PACKAGE.flag is Flag.FORCE
    (approve,) = [
        c
        for c in audit(git(sync=True, package=True), live("PendingReview")).changes
        if c.action is Action.UPDATE_PACKAGE_APPROVAL
    ]
    assert approve.guards == ()


def test_a_package_in_another_account_holds_back_its_card_unread() -> None:
    """Not the card account's package: an error on the card, whatever was read."""
    state = git(package=True)
    content = dict(state.cards[CARD].content)
    elsewhere = PACKAGE.replace("111111111111", "999999999999")
    content["model_package_details"] = {"model_package_arn": elsewhere}
    (error,) = audit(with_card(state, content=content), live()).errors
    assert (error.code, error.path) == (
        "foreign-package",
        "$.content.model_package_details.model_package_arn",
    )
    assert "account 999999999999" in error.message and "card account 111111111111" in error.message


def test_a_package_aws_would_not_describe_is_an_error_on_the_card() -> None:
    refused = UnreadPackage(arn=PACKAGE, code="AccessDeniedException", message="x" * 5000)
    current = replace(live(), packages={PACKAGE: refused})
    part = audit(git(sync=True, package=True), current)
    (error,) = part.errors
    assert error.code == "unreadable-package" and "AccessDeniedException: xxx" in error.message
    assert len(error.message) < 1000  # AWS's message is quoted, not copied whole
    assert not [c for c in part.changes if c.action is Action.UPDATE_PACKAGE_APPROVAL]


def test_a_job_someone_else_made_under_the_export_name_holds_the_card_back() -> None:
    taken = LiveExport(version=4, uri=None, jobs=1, foreign="export job Churn-v4-approved ...")
    part = audit(git(), live(export=taken))
    (error,) = part.errors
    assert (error.code, error.path) == ("foreign-export-job", "$.status")
    assert error.message.startswith("export job Churn-v4-approved ...; apply would wait")
    assert payloads(part) == []
    edited = with_card(git(), content={**git().cards[CARD].content, "intended_uses": {}})
    writing = audit(edited, live(export=taken))  # a new version: exported under a new name
    assert not writing.errors and [type(p) for p in payloads(writing)] == [ExportCard]
