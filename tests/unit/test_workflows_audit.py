"""workflows.audit: a card's history, and the PDF of one of its versions downloaded
(exported first when S3 has none), against stubbed SageMaker and S3. Only a card git
declares and the reconciler manages is exported."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.response import StreamingBody

from reconciler.aws.waits import WaitSettings
from reconciler.common.errors import ReconcilerError
from reconciler.common.names import export_job_name
from reconciler.common.status import CardStatus
from reconciler.desired.model import Exports
from reconciler.workflows.audit import card_history, export_pdf
from tests.unit.builders import CARD, CARD_FILE, example, owned, with_card
from tests.unit.stubs import Call, card_arn, described, stubbed_client

ARN = card_arn(CARD)
EXPORTS = Exports(bucket="audit", prefix="model-cards")
GIT = replace(
    with_card(example(), status=CardStatus.APPROVED),
    config=replace(example().config, exports=EXPORTS),
)
PDF = b"%PDF-1.7 the card"
WAITS = WaitSettings(timeout=1, first_delay=0.001, sleep=lambda _: None)


def sagemaker(method: str, response: dict[str, Any] | None = None, **params: Any) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response or {})


def s3(method: str, response: dict[str, Any] | None = None, **params: Any) -> Call:
    return Call(service="s3", method=method, params=params, response=response or {})


def card(version: int = 3, tags: dict[str, str] | None = None) -> list[Call]:
    """DescribeModelCard and ListTags of the card, as describe_card reads it."""
    tags = owned(CARD_FILE) if tags is None else tags
    return [
        sagemaker(
            "describe_model_card",
            described(CARD, {}, ModelCardVersion=version, ModelCardStatus="Approved"),
            ModelCardName=CARD,
        ),
        sagemaker(
            "list_tags",
            {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]},
            ResourceArn=ARN,
            MaxResults=100,
        ),
    ]


def key(version: int, status: str = "Approved") -> str:
    job = export_job_name(CARD, version, status)
    return f"model-cards/{CARD}/{job}/{CARD}.pdf"


def listing(*keys: str) -> Call:
    return s3(
        "list_objects_v2",
        {"Contents": [{"Key": k} for k in keys], "IsTruncated": False},
        Bucket="audit",
        Prefix="model-cards/",
    )


def download(object_key: str) -> Call:
    body = StreamingBody(io.BytesIO(PDF), len(PDF))
    return s3("get_object", {"Body": body}, Bucket="audit", Key=object_key)


@contextmanager
def session(sagemaker_calls: list[Call], s3_calls: list[Call]) -> Iterator[Any]:
    with (
        stubbed_client("sagemaker", *sagemaker_calls) as sm,
        stubbed_client("s3", *s3_calls) as bucket,
    ):
        clients = {"sagemaker": sm, "s3": bucket}
        yield SimpleNamespace(client=clients.__getitem__, settings=SimpleNamespace(max_workers=1))


def export(found: Any, out: Path, version: int | None = None, state: Any = GIT) -> Any:
    return export_pdf(found, state, CARD, version=version, out=out, waits=WAITS)


def test_a_pdf_already_in_the_bucket_is_downloaded(tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    with session(card(), [listing(key(3)), download(key(3))]) as found:
        report = export(found, out)
    assert (report.card, report.version, report.exported) == (CARD, 3, False)
    assert (report.uri, report.file) == (f"s3://audit/{key(3)}", str(out))
    assert out.read_bytes() == PDF


JOB = export_job_name(CARD, 3, "Approved")
JOB_ARN = f"{ARN}/export-job/{JOB}"


def exporting(status: str, **job: Any) -> list[Call]:
    """No job under the names of version 3 so far; the export step starts one, which ends
    in ``status``."""
    return [
        sagemaker(
            "list_model_card_export_jobs",
            {"ModelCardExportJobSummaries": []},
            ModelCardName=CARD,
            ModelCardExportJobNameContains=JOB,
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=100,
        ),
        *card()[:1],  # the export step reads the card's latest version
        sagemaker(
            "create_model_card_export_job",
            {"ModelCardExportJobArn": JOB_ARN},
            ModelCardName=CARD,
            ModelCardVersion=3,
            ModelCardExportJobName=JOB,
            OutputConfig={"S3OutputPath": "s3://audit/model-cards"},
        ),
        sagemaker(
            "describe_model_card_export_job",
            {
                "ModelCardExportJobName": JOB,
                "ModelCardExportJobArn": JOB_ARN,
                "Status": status,
                "ModelCardName": CARD,
                "ModelCardVersion": 3,
                "OutputConfig": {"S3OutputPath": "s3://audit/model-cards"},
                "CreatedAt": 1,
                "LastModifiedAt": 1,
                **job,
            },
            ModelCardExportJobArn=JOB_ARN,
        ),
    ]


def test_a_version_without_a_pdf_is_exported_first(tmp_path: Path) -> None:
    uri = f"s3://audit/{key(3)}"
    done = exporting("Completed", ExportArtifacts={"S3ExportArtifacts": uri})
    with session([*card(), *done], [listing(), download(key(3))]) as found:
        report = export(found, tmp_path / "out.pdf")
    assert (report.exported, report.uri) == (True, uri)


def test_a_failed_export_says_why_and_what_to_check(tmp_path: Path) -> None:
    failed = exporting("Failed", FailureReason="Access Denied on s3://audit")
    with session([*card(), *failed], [listing()]) as found, pytest.raises(ReconcilerError) as e:
        export(found, tmp_path / "out.pdf")
    assert e.value.message == (
        f"the export of model card {CARD} version 3 failed: Access Denied on s3://audit"
    )
    assert e.value.hint is not None and "s3:PutObject" in e.value.hint
    assert not (tmp_path / "out.pdf").exists()


def test_an_older_version_is_exported_in_the_status_it_had(tmp_path: Path) -> None:
    older = sagemaker(
        "describe_model_card",
        described(CARD, {}, ModelCardVersion=2, ModelCardStatus="PendingReview"),
        ModelCardName=CARD,
        ModelCardVersion=2,
        IncludedData="MetadataOnly",
    )
    review = key(2, "PendingReview")
    with session([*card(), older], [listing(review), download(review)]) as found:
        report = export(found, tmp_path / "v2.pdf", version=2)
    assert (report.version, report.uri) == (2, f"s3://audit/{review}")


def test_a_version_the_card_does_not_have_is_refused(tmp_path: Path) -> None:
    missing = replace(
        sagemaker(
            "describe_model_card",
            ModelCardName=CARD,
            ModelCardVersion=9,
            IncludedData="MetadataOnly",
        ),
        error="ResourceNotFound",
    )
    with session([*card(), missing], []) as found, pytest.raises(ReconcilerError) as refused:
        export(found, tmp_path / "x.pdf", version=9)
    assert refused.value.message == f"model card {CARD} has no version 9"
    assert refused.value.hint == f"its current version is 3 (reconciler history {CARD})"


def test_without_exports_in_reconciler_yaml_nothing_is_asked(tmp_path: Path) -> None:
    state = replace(GIT, config=replace(GIT.config, exports=None))
    with session([], []) as found, pytest.raises(ReconcilerError) as refused:
        export(found, tmp_path / "x.pdf", state=state)
    assert refused.value.message == "reconciler.yaml declares no exports"


@pytest.mark.parametrize(
    ("state", "tags"),
    [
        pytest.param(replace(GIT, cards={}), None, id="a-card-git-does-not-declare"),
        pytest.param(GIT, {"team": "churn"}, id="a-card-the-reconciler-does-not-manage"),
    ],
)
def test_only_a_card_git_declares_and_the_reconciler_manages_is_exported(
    tmp_path: Path, state: Any, tags: dict[str, str] | None
) -> None:
    with session(card(tags=tags), []) as found, pytest.raises(ReconcilerError) as refused:
        export(found, tmp_path / "x.pdf", state=state)
    assert "is not a card git declares and the reconciler manages" in refused.value.message


def test_a_pdf_that_cannot_be_saved_says_where(tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "x.pdf"
    with (
        session(card(), [listing(key(3)), download(key(3))]) as found,
        pytest.raises(ReconcilerError) as refused,
    ):
        export(found, out)
    assert refused.value.message.startswith(f"cannot write {out}: ")
    assert refused.value.hint == "choose a writable path for --out"


def test_the_history_of_a_card_that_does_not_exist_names_the_account() -> None:
    gone = replace(sagemaker("describe_model_card", ModelCardName=CARD), error="ResourceNotFound")
    with session([gone], []) as found, pytest.raises(ReconcilerError) as refused:
        card_history(found, GIT, CARD)
    assert refused.value.message == f"model card {CARD} does not exist in account 111111111111"


def test_the_history_of_a_card_carries_the_target_it_was_read_in() -> None:
    summary = {
        "ModelCardName": CARD,
        "ModelCardArn": ARN,
        "ModelCardStatus": "Approved",
        "ModelCardVersion": 3,
        "CreationTime": 1,
    }
    versions = [
        *card(),  # it exists
        sagemaker("describe_model_card", described(CARD, {}), ModelCardName=CARD),
        sagemaker("list_tags", {"Tags": []}, ResourceArn=ARN),
        sagemaker(
            "list_model_card_versions",
            {"ModelCardVersionSummaryList": [summary]},
            ModelCardName=CARD,
            SortBy="Version",
            SortOrder="Descending",
            MaxResults=100,
        ),
        sagemaker(
            "describe_model_card",
            described(CARD, {}),
            ModelCardName=CARD,
            ModelCardVersion=3,
            IncludedData="MetadataOnly",
        ),
    ]
    with session(versions, []) as found:
        report = card_history(found, GIT, CARD)
    assert report.card == CARD
    assert report.context == {"region": "us-east-1", "account": "111111111111"}
    assert [(v.number, v.status, v.commit) for v in report.versions] == [
        (3, CardStatus.APPROVED, None)
    ]
