"""iam.audit: the audit trail's statements, only where the repository uses exports or the
Model Registry, scoped to the exports bucket and prefix, the cards git declares, and the
approval statuses the registry mapping can ask for."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.common.status import CardStatus
from reconciler.desired.model import DesiredState, Exports, Registry
from reconciler.iam.audit import audit_reads, audit_writes, package_approval, uses_registry
from reconciler.iam.scope import Scope, Statement
from tests.unit.builders import CARD, example, with_card

GIT = example()
S = Scope.for_state(GIT)
PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"
EXPORTS = Exports(bucket="audit", prefix="pdf")


def configured(state: DesiredState = GIT, **config: object) -> DesiredState:
    return replace(state, config=replace(state.config, **config))


def naming_a_package(state: DesiredState = GIT) -> DesiredState:
    content = {**state.cards[CARD].content, "model_package_details": {"model_package_arn": PACKAGE}}
    return with_card(state, content=content)


def sids(statements: list[Statement]) -> list[str]:
    return [s["Sid"] for s in statements]


@pytest.mark.parametrize(
    ("state", "uses"),
    [
        pytest.param(GIT, False, id="neither"),
        pytest.param(configured(registry=Registry(sync_approval=True)), True, id="sync-approval"),
        pytest.param(naming_a_package(), True, id="a-card-names-a-package"),
    ],
)
def test_uses_registry(state: DesiredState, uses: bool) -> None:
    assert uses_registry(state) is uses


def test_a_repository_without_exports_or_registry_keeps_its_policies_as_they_were() -> None:
    assert audit_reads(S, GIT) == []
    assert audit_writes(S, GIT) == []


def test_plan_reads_export_jobs_and_pdfs_under_the_exports_prefix_only() -> None:
    found = {s["Sid"]: s for s in audit_reads(S, configured(exports=EXPORTS))}
    assert list(found) == [
        "ListModelCardExports",
        "ReadModelCardExportJobs",
        "ReadModelCardPdfs",
        "ListModelCardPdfs",
    ]
    assert found["ReadModelCardExportJobs"]["Resource"] == (
        "arn:aws:sagemaker:us-east-1:111111111111:model-card/*/export-job/*"
    )
    assert found["ReadModelCardPdfs"]["Resource"] == "arn:aws:s3:::audit/pdf/*"
    assert found["ListModelCardPdfs"]["Resource"] == "arn:aws:s3:::audit"
    assert found["ListModelCardPdfs"]["Condition"] == {"StringLike": {"s3:prefix": "pdf/*"}}


def test_plan_reads_the_packages_cards_name() -> None:
    assert sids(audit_reads(S, naming_a_package())) == ["ReadModelPackages"]


def test_apply_writes_pdfs_only_under_the_folders_of_the_cards_git_declares() -> None:
    two = replace(GIT, cards={**GIT.cards, "Fraud": GIT.cards[CARD]})
    found = {s["Sid"]: s for s in audit_writes(S, configured(two, exports=EXPORTS))}
    assert found["ExportManagedModelCards"]["Resource"] == S.cards
    assert found["WriteModelCardPdfs"]["Resource"] == [
        f"arn:aws:s3:::audit/pdf/{CARD}/*",
        "arn:aws:s3:::audit/pdf/Fraud/*",
    ]


def test_without_cards_no_pdf_may_be_written() -> None:
    empty = configured(replace(GIT, cards={}), exports=EXPORTS)
    assert sids(audit_writes(S, empty)) == ["ExportManagedModelCards"]


def test_naming_a_package_without_sync_approval_writes_nothing_to_the_registry() -> None:
    assert audit_writes(S, naming_a_package()) == []


def test_sync_approval_without_a_card_naming_a_package_approves_none() -> None:
    assert audit_writes(S, configured(registry=Registry(sync_approval=True))) == []


@pytest.mark.parametrize(
    ("mapping", "statuses"),
    [
        pytest.param(None, ["Approved", "PendingManualApproval"], id="the-default-mapping"),
        pytest.param(
            {
                CardStatus.PENDING_REVIEW: None,
                CardStatus.APPROVED: "Approved",
                CardStatus.ARCHIVED: "Rejected",
            },
            ["Approved", "Rejected"],
            id="leaving-alone-asks-for-nothing",
        ),
    ],
)
def test_the_packages_cards_name_are_approved_only_with_the_statuses_the_mapping_asks_for(
    mapping: dict[CardStatus, str | None] | None, statuses: list[str]
) -> None:
    registry = Registry(sync_approval=True)
    if mapping is not None:
        registry = Registry(sync_approval=True, mapping=mapping)
    state = configured(naming_a_package(), registry=registry)
    (found,) = audit_writes(S, state)
    assert found == package_approval([PACKAGE], state)
    assert found["Action"] == ["sagemaker:UpdateModelPackage"]
    assert found["Resource"] == PACKAGE, "the package git names, no other"
    assert found["Condition"] == {"StringEquals": {"sagemaker:ModelApprovalStatus": statuses}}
