"""live.audit: the PDF export of each exported card's current version, and the model
packages cards name, from stubbed S3 and SageMaker. A PDF found in one listing of the
exports prefix costs no call per card; a card without one is read one by one, only jobs
named for its version and status count, and one of those that someone else made (another
card, version or output path) is never read as the card's export. A package AWS refuses
to describe for a reason about its ARN is read as such (the diff holds its card back);
other failures fail the run."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import botocore.session
import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.common.names import export_job_name
from reconciler.common.status import CardStatus
from reconciler.desired.model import Exports
from reconciler.live.audit import (
    object_exists,
    package_arns,
    read_audit,
    read_exports,
    read_packages,
    split_uri,
)
from reconciler.live.model import LiveCard, LiveExport, LivePackage, UnreadPackage
from tests.unit.builders import CARD, ROOT, applied, example, with_card
from tests.unit.stubs import Call, card_arn, stubbed_client

EXPORTS = Exports(bucket="audit", prefix="model-cards")
JOB = export_job_name("Churn", 3, "Approved")  # Churn-v3-approved
PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"


def live(name: str = "Churn", version: int = 3, status: str = "Approved") -> LiveCard:
    return LiveCard(
        name=name,
        arn=card_arn(name),
        status=CardStatus(status),
        version=version,
        content={},
        tags={},
    )


def s3(
    method: str, response: dict[str, Any] | None = None, error: str | None = None, **params: Any
) -> Call:
    return Call(service="s3", method=method, params=params, response=response or {}, error=error)


def listing(*keys: str, error: str | None = None) -> Call:
    contents = [{"Key": k} for k in keys]
    return s3(
        "list_objects_v2", {"Contents": contents}, error, Bucket="audit", Prefix="model-cards/"
    )


def key(job: str, card: str = "Churn") -> str:
    return f"model-cards/{card}/{job}/{card}.pdf"


def jobs(card: LiveCard, *found: tuple[str, str]) -> Call:
    """ListModelCardExportJobs of the jobs under the card's names for its version and
    status, whatever version they export: (job name, status) pairs."""
    summaries = [
        {
            "ModelCardExportJobName": name,
            "ModelCardExportJobArn": f"{card.arn}/export-job/{name}",
            "Status": status,
            "ModelCardName": card.name,
            "ModelCardVersion": card.version,
            "CreatedAt": 1,
            "LastModifiedAt": 1,
        }
        for name, status in found
    ]
    return Call(
        service="sagemaker",
        method="list_model_card_export_jobs",
        params={
            "ModelCardName": card.name,
            "ModelCardExportJobNameContains": export_job_name(card.name, card.version, "Approved"),
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
            "MaxResults": 100,
        },
        response={"ModelCardExportJobSummaries": summaries},
    )


def job(
    card: LiveCard, name: str, uri: str | None, status: str = "Completed", **extra: Any
) -> Call:
    arn = f"{card.arn}/export-job/{name}"
    return Call(
        service="sagemaker",
        method="describe_model_card_export_job",
        params={"ModelCardExportJobArn": arn},
        response={
            "ModelCardExportJobName": name,
            "ModelCardExportJobArn": arn,
            "Status": status,
            "ModelCardName": card.name,
            "ModelCardVersion": card.version,
            "OutputConfig": {"S3OutputPath": "s3://audit/model-cards"},
            "CreatedAt": 1,
            "LastModifiedAt": 1,
            **({"ExportArtifacts": {"S3ExportArtifacts": uri}} if uri else {}),
            **extra,
        },
    )


def head(uri: str, error: str | None = None) -> Call:
    bucket, object_key = split_uri(uri)
    return s3("head_object", {}, error, Bucket=bucket, Key=object_key)


def exports_of(
    cards: list[LiveCard], s3_calls: list[Call], sagemaker_calls: list[Call]
) -> dict[str, LiveExport]:
    with (
        stubbed_client("s3", *s3_calls) as s3_client,
        stubbed_client("sagemaker", *sagemaker_calls) as sagemaker,
    ):
        return read_exports(sagemaker, s3_client, cards, 1, EXPORTS)


LISTED = [
    pytest.param(
        [key(JOB)], LiveExport(version=3, uri=f"s3://audit/{key(JOB)}", jobs=1), id="one-pdf"
    ),
    pytest.param(
        [key(JOB), key(f"{JOB}-2"), key(f"{JOB}-10"), key(f"{JOB}-9")],
        LiveExport(version=3, uri=f"s3://audit/{key(f'{JOB}-10')}", jobs=4),
        id="the-newest-of-several-attempts",
    ),
    pytest.param(
        [key(JOB), key(JOB).replace(".pdf", "-2.pdf")],
        LiveExport(version=3, uri=f"s3://audit/{key(JOB)}", jobs=1),
        id="one-job-folder-counts-once-by-its-first-key",
    ),
]


@pytest.mark.parametrize(("keys", "expected"), LISTED)
def test_a_listed_pdf_of_the_cards_own_job_costs_no_call_per_card(
    keys: list[str], expected: LiveExport
) -> None:
    assert exports_of([live()], [listing(*keys)], []) == {"Churn": expected}


NOT_LISTED = [
    pytest.param([], id="nothing-exported"),
    pytest.param([key(export_job_name("Churn", 2, "Approved"))], id="another-version"),
    pytest.param([key(export_job_name("Churn", 3, "PendingReview"))], id="another-status"),
    pytest.param([key("someone-elses-job")], id="a-job-the-reconciler-did-not-name"),
    pytest.param([f"model-cards/Churn/{JOB}.pdf"], id="a-key-without-a-job-folder"),
    pytest.param([key(JOB, card="Fraud")], id="another-cards-folder"),
]


@pytest.mark.parametrize("keys", NOT_LISTED)
def test_a_card_without_a_listed_pdf_of_its_own_is_read_one_by_one(keys: list[str]) -> None:
    card = live()
    found = exports_of([card], [listing(*keys)], [jobs(card)])
    assert found == {"Churn": LiveExport(version=3, uri=None, jobs=0, running=False)}


def test_the_newest_completed_job_of_the_card_gives_the_pdf_if_it_is_still_there() -> None:
    card, uri = live(), f"s3://audit/{key(JOB)}"
    listed = jobs(
        card, ("someone-elses", "Completed"), (f"{JOB}-2", "InProgress"), (JOB, "Completed")
    )
    running = job(card, f"{JOB}-2", None, "InProgress")
    found = exports_of([card], [listing(), head(uri)], [listed, running, job(card, JOB, uri)])
    assert found == {"Churn": LiveExport(version=3, uri=uri, jobs=2, running=True)}


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        pytest.param(
            {"OutputConfig": {"S3OutputPath": "s3://loot/x"}}, "writes elsewhere", id="out"
        ),
        pytest.param({"ModelCardVersion": 2}, "exports version 2, not 3", id="version"),
    ],
)
def test_a_job_someone_else_made_under_the_cards_name_is_foreign_never_read(
    extra: dict[str, Any], why: str
) -> None:
    """Their PDF is never looked for (no HeadObject): the diff holds the card back."""
    card = live()
    stolen = job(card, JOB, "s3://loot/x/Churn.pdf", **extra)
    found = exports_of([card], [listing()], [jobs(card, (JOB, "Completed")), stolen])
    export = found["Churn"]
    assert (export.uri, export.jobs, export.running) == (None, 1, False)
    assert export.foreign is not None and export.foreign.startswith(f"export job {JOB} was not")
    assert why in export.foreign and "loot" not in export.foreign


def test_a_pdf_deleted_from_the_bucket_is_no_export() -> None:
    card, uri = live(), f"s3://audit/{key(JOB)}"
    found = exports_of(
        [card],
        [listing(), head(uri, error="404")],
        [jobs(card, (JOB, "Completed")), job(card, JOB, uri)],
    )
    assert found["Churn"].uri is None and found["Churn"].foreign is None


def test_a_missing_bucket_means_nothing_exported_yet() -> None:
    card = live()
    found = exports_of([card], [listing(error="NoSuchBucket")], [jobs(card)])
    assert found == {"Churn": LiveExport(version=3, uri=None)}


def test_a_refused_listing_fails_the_read_and_names_the_bucket() -> None:
    with pytest.raises(ReconcilerError) as failed:
        exports_of([live()], [listing(error="AccessDenied")], [])
    assert failed.value.message.startswith(
        "AWS refused listing s3://audit/model-cards/ (s3:ListBucket)"
    )


def test_cards_found_in_the_listing_and_cards_read_one_by_one_are_read_together() -> None:
    churn, fraud = live(), live("Fraud", version=1)
    found = exports_of([churn, fraud], [listing(key(JOB))], [jobs(fraud)])
    assert found == {
        "Churn": LiveExport(version=3, uri=f"s3://audit/{key(JOB)}", jobs=1),
        "Fraud": LiveExport(version=1, uri=None),
    }


@pytest.mark.parametrize(
    ("error", "exists"), [(None, True), ("404", False), ("NoSuchKey", False), ("NotFound", False)]
)
def test_object_exists(error: str | None, exists: bool) -> None:
    with stubbed_client("s3", head("s3://b/k/x.pdf", error)) as client:
        assert object_exists(client, "s3://b/k/x.pdf") is exists


def test_an_object_that_may_not_be_read_is_an_error_not_a_missing_pdf() -> None:
    with (
        stubbed_client("s3", head("s3://b/x.pdf", "403")) as client,
        pytest.raises(ReconcilerError),
    ):
        object_exists(client, "s3://b/x.pdf")


@pytest.mark.parametrize(
    ("uri", "parts"),
    [
        ("s3://bucket/a/b.pdf", ("bucket", "a/b.pdf")),
        ("s3://bucket", ("bucket", "")),
        ("bucket/key", ("bucket", "key")),
    ],
)
def test_split_uri(uri: str, parts: tuple[str, str]) -> None:
    assert split_uri(uri) == parts


def package(error: str | None = None, message: str | None = None, **response: Any) -> Call:
    return Call(
        service="sagemaker",
        method="describe_model_package",
        params={"ModelPackageName": PACKAGE},
        response=response,
        error=error,
        message=message,
    )


def test_a_named_package_is_read_with_its_approval_and_who_changed_it() -> None:
    answer = package(
        ModelPackageName="churn",
        ModelPackageArn=PACKAGE,
        CreationTime=1,
        ModelPackageStatus="Completed",
        ModelPackageStatusDetails={"ValidationStatuses": []},
        ModelApprovalStatus="PendingManualApproval",
        CreatedBy={"UserProfileName": "ana"},
    )
    with stubbed_client("sagemaker", answer) as client:
        found = read_packages(client, [PACKAGE, PACKAGE])
    assert found == {
        PACKAGE: LivePackage(arn=PACKAGE, approval="PendingManualApproval", modified_by="ana")
    }


@pytest.mark.parametrize(
    ("error", "message"),
    [
        pytest.param(
            "ValidationException", "Model package churn/1 does not exist.", id="validation"
        ),
        pytest.param("ResourceNotFound", "The model package does NOT exist", id="not-found"),
    ],
)
def test_a_package_sagemaker_says_does_not_exist_is_none(error: str, message: str) -> None:
    with stubbed_client("sagemaker", package(error, message)) as client:
        assert read_packages(client, [PACKAGE]) == {PACKAGE: None}


@pytest.mark.parametrize(
    ("error", "message"),
    [
        pytest.param("ValidationException", "1 validation error detected", id="another-problem"),
        pytest.param("AccessDeniedException", "does not exist or not allowed", id="refused"),
        pytest.param("ResourceNotFound", "not a valid name", id="not-found-otherwise"),
    ],
)
def test_a_refusal_about_the_arn_is_read_as_an_unread_package(error: str, message: str) -> None:
    """Issue 22: a package plan cannot describe holds back only its card (the diff's
    unreadable-package error), never the whole plan."""
    with stubbed_client("sagemaker", package(error, message)) as client:
        found = read_packages(client, [PACKAGE])
    assert found == {PACKAGE: UnreadPackage(arn=PACKAGE, code=error, message=message)}


def test_a_failure_that_is_not_about_the_arn_is_an_error() -> None:
    with (
        stubbed_client("sagemaker", package("ThrottlingException", "Rate exceeded")) as client,
        pytest.raises(ReconcilerError) as failed,
    ):
        read_packages(client, [PACKAGE])
    assert failed.value.message.startswith(f"AWS refused describing model package {PACKAGE}")


def test_the_schema_holds_botocores_model_package_arn_pattern() -> None:
    shape = botocore.session.get_session().get_service_model("sagemaker")
    pattern = shape.shape_for("ModelPackageArn").metadata["pattern"]
    schema = json.loads((ROOT / "schema" / "card.schema.json").read_text())
    details = schema["properties"]["content"]["properties"]["model_package_details"]
    assert details["properties"]["model_package_arn"]["pattern"] == f"^{pattern}$"


def test_read_packages_with_no_arn_makes_no_call() -> None:
    with stubbed_client("sagemaker") as client:
        assert read_packages(client, []) == {}


GIT = example()


def test_package_arns_are_the_packages_git_cards_name() -> None:
    assert package_arns(GIT) == set()
    content = {**GIT.cards[CARD].content, "model_package_details": {"model_package_arn": PACKAGE}}
    assert package_arns(with_card(GIT, content=content)) == {PACKAGE}
    elsewhere = PACKAGE.replace("111111111111", "999999999999")
    content["model_package_details"] = {"model_package_arn": elsewhere}
    assert package_arns(with_card(GIT, content=content)) == set()  # never described


def test_without_exports_or_cards_to_export_live_state_is_left_as_it_is() -> None:
    live_state = applied(GIT)
    assert read_audit(None, GIT, live_state) is live_state  # type: ignore[arg-type]
    config = replace(GIT.config, exports=EXPORTS)
    draft = replace(GIT, config=config)  # the card is a Draft: not exported
    assert read_audit(None, draft, live_state) is live_state  # type: ignore[arg-type]


def test_the_export_of_each_card_git_wants_exported_is_read_in_gits_status() -> None:
    """Git approves the card while the account still has it in review: the export looked
    for is the Approved one of the current version (a status change keeps the version)."""
    git = replace(
        with_card(GIT, status=CardStatus.APPROVED), config=replace(GIT.config, exports=EXPORTS)
    )
    live_state = applied(GIT)  # the card is still a Draft live, at version 1
    wanted = export_job_name(CARD, 1, "Approved")
    with (
        stubbed_client("s3", listing(key(wanted, card=CARD))) as s3_client,
        stubbed_client("sagemaker") as sagemaker,
    ):
        clients = {"s3": s3_client, "sagemaker": sagemaker}
        session = SimpleNamespace(
            client=clients.__getitem__, settings=SimpleNamespace(max_workers=1)
        )
        found = read_audit(session, git, live_state)  # type: ignore[arg-type]
    assert found.exports == {
        CARD: LiveExport(version=1, uri=f"s3://audit/{key(wanted, card=CARD)}", jobs=1)
    }
    assert found.cards == live_state.cards


def test_a_listing_of_more_than_one_page_is_read_to_its_end() -> None:
    """S3 answers 1,000 keys a call: the next page is asked for with ContinuationToken
    (the answer's NextContinuationToken), the parameter ListObjectsV2 takes."""
    first = s3(
        "list_objects_v2",
        {
            "Contents": [{"Key": key("other-job")}],
            "IsTruncated": True,
            "NextContinuationToken": "t",
        },
        Bucket="audit",
        Prefix="model-cards/",
    )
    second = s3(
        "list_objects_v2",
        {"Contents": [{"Key": key(JOB)}], "IsTruncated": False},
        Bucket="audit",
        Prefix="model-cards/",
        ContinuationToken="t",
    )
    found = exports_of([live()], [first, second], [])
    assert found == {"Churn": LiveExport(version=3, uri=f"s3://audit/{key(JOB)}", jobs=1)}
