"""Reading the sources a card is filled from, read-only: a SageMaker model, training job or
model package by its API, the training job that wrote a model's artifact (found as the
SageMaker SDK v2 found it, by ``Search`` on ``ModelArtifacts.S3ModelArtifacts``), and an
evaluation report's S3 object (its bytes and ETag, or only the ETag, for drift).

What AWS answers is returned as it is, to be checked by ``evidence``; this module bounds
what it reads: a report object larger than ``MAX_REPORT_BYTES`` is refused before its body
is read, and the training job lookup reads at most ``MAX_SEARCH_PAGES`` pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import printable
from reconciler.desired.evidence import MAX_REPORT_BYTES, s3_parts
from reconciler.evidence.resources import artifacts_of, when

MAX_SEARCH_PAGES = 10
_GONE = ("ValidationException", "ResourceNotFound", "NoSuchKey", "404", "NotFound")


class SourceGone(ReconcilerError):
    """A recorded or named source that AWS says is not there."""


class AmbiguousSource(ReconcilerError):
    """A model whose training job cannot be told: several artifacts, or several jobs."""


def model_version(model: Mapping[str, Any]) -> str:
    """A model never changes: a new model under the name is a new creation time."""
    return when(model.get("CreationTime"))


def job_version(job: Mapping[str, Any]) -> str:
    """A training job's end time (its last change before it ends)."""
    return when(
        job.get("TrainingEndTime") or job.get("LastModifiedTime") or job.get("CreationTime")
    )


def package_version(package: Mapping[str, Any]) -> str:
    """A model package's last change (its approval), else its creation."""
    return when(package.get("LastModifiedTime") or package.get("CreationTime"))


def name_of(arn_or_name: str) -> str:
    """The name in a SageMaker ARN (``…:model/<name>``), or the name given."""
    return arn_or_name.split("/", 1)[1] if arn_or_name.startswith("arn:") else arn_or_name


def describe_model(sagemaker: Any, name: str) -> dict[str, Any]:
    """DescribeModel; SourceGone when there is no such model."""
    return _described("model", name, lambda: sagemaker.describe_model(ModelName=name))


def describe_training_job(sagemaker: Any, name: str) -> dict[str, Any]:
    return _described(
        "training job", name, lambda: sagemaker.describe_training_job(TrainingJobName=name)
    )


def describe_package(sagemaker: Any, arn: str) -> dict[str, Any]:
    return _described(
        "model package", arn, lambda: sagemaker.describe_model_package(ModelPackageName=arn)
    )


def _described(what: str, name: str, call: Any) -> dict[str, Any]:
    with aws_errors(f"reading {what} {printable(name)}"):
        try:
            found: dict[str, Any] = call()
        except ClientError as e:
            if error_code(e) in _GONE:
                raise SourceGone(
                    f"{what} {printable(name)} is not in the account and region",
                    hint="check the name (and --target), or that it was not deleted",
                ) from e
            raise
    return found


def training_jobs_writing(sagemaker: Any, artifact: str) -> list[dict[str, Any]]:
    """The training jobs whose model artifact is ``artifact`` (Search records)."""
    expression = {
        "Filters": [
            {"Name": "ModelArtifacts.S3ModelArtifacts", "Operator": "Equals", "Value": artifact}
        ]
    }
    found: list[dict[str, Any]] = []
    token: str | None = None
    with aws_errors(f"searching the training job that wrote {printable(artifact)}"):
        for _ in range(MAX_SEARCH_PAGES):
            more = {"NextToken": token} if token else {}
            page = sagemaker.search(Resource="TrainingJob", SearchExpression=expression, **more)
            found += [r["TrainingJob"] for r in page.get("Results", []) if _is_job(r)]
            token = page.get("NextToken")
            if not token:
                break
    return found


def job_for_model(sagemaker: Any, model: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The training job that wrote the model's one artifact, as the SageMaker SDK v2 found
    it; None with the reason when there is none to find. AmbiguousSource when the model
    has several artifacts or several jobs wrote its artifact."""
    artifacts = artifacts_of(model)
    name = printable(str(model.get("ModelName")))
    if len(artifacts) != 1:
        if not artifacts:
            return None, f"model {name} names no S3 artifact: no training job is looked up"
        raise AmbiguousSource(
            f"model {name} has {len(artifacts)} artifacts: which training job made it is ambiguous",
            hint="name the job with --training-job",
        )
    jobs = training_jobs_writing(sagemaker, artifacts[0])
    if len(jobs) > 1:
        names = ", ".join(sorted(printable(str(j.get("TrainingJobName"))) for j in jobs))
        raise AmbiguousSource(
            f"{len(jobs)} training jobs wrote {printable(artifacts[0])} ({names})",
            hint="name the one that made the model with --training-job",
        )
    if not jobs:
        return None, f"no training job in the account wrote {printable(artifacts[0])}"
    return jobs[0], ""


def _is_job(record: Any) -> bool:
    return isinstance(record, Mapping) and isinstance(record.get("TrainingJob"), Mapping)


def read_object(s3: Any, uri: str) -> tuple[bytes, str]:
    """The bytes and ETag of a report object, refused when larger than a report can be."""
    bucket, key = s3_parts(uri)
    with aws_errors(f"reading {printable(uri)} (s3:GetObject)"):
        try:
            got = s3.get_object(Bucket=bucket, Key=key)
        except ClientError as e:
            if error_code(e) in _GONE:
                raise SourceGone(f"{printable(uri)} is not there ({error_code(e)})") from e
            raise
        size = int(got.get("ContentLength") or 0)
        if size > MAX_REPORT_BYTES:
            got["Body"].close()
            raise _too_large(uri, size)
        body: bytes = got["Body"].read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        raise _too_large(uri, len(body))
    return body, etag_of(got)


def object_etag(s3: Any, uri: str) -> str | None:
    """A report object's ETag now (HeadObject); None when it is gone."""
    bucket, key = s3_parts(uri)
    with aws_errors(f"reading {printable(uri)} (s3:GetObject)"):
        try:
            return etag_of(s3.head_object(Bucket=bucket, Key=key))
        except ClientError as e:
            if error_code(e) in _GONE:
                return None
            raise


def etag_of(response: Mapping[str, Any]) -> str:
    """S3's ETag without the quotes it comes in."""
    return str(response.get("ETag", "")).strip('"')[:256] or "-"


def _too_large(uri: str, size: int) -> ReconcilerError:
    return ReconcilerError(
        f"{printable(uri)} is {size:,} bytes; a report is at most {MAX_REPORT_BYTES:,}",
        hint="name the report file itself (analysis.json, statistics.json)",
    )
