"""Model-card export jobs: created InProgress, completed after ``export_delay_seconds``.

Completing a job renders the card version to a PDF and stores it in the sandbox's S3
(moto) at ``<S3OutputPath>/<card>/<job>/<card>.pdf``, in the account that owns the
bucket (S3 bucket names are global). A missing bucket fails the job with a
FailureReason. The job writes with its creator's permissions (the source IAM template
grants the exporting role ``s3:PutObject`` on the output path): a creator whose
identity policies do not allow ``s3:PutObject`` on the PDF's key gets a job that fails
with the access denial as its FailureReason (AWS does not document when it checks;
checking at creation and failing the job, not the call, is this sandbox's choice; switch
``export_denial_fails_job`` off to refuse the call instead).
AWS undocumented: export-denial
Jobs belong to the card's owner account even when a consumer created
them (aws-facts §4.1) and disappear with their card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.s3.models import s3_backends

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError, access_denied
from reconciler.sandbox.paging import page
from reconciler.sandbox.sagemaker import pdf
from reconciler.sandbox.sagemaker.model import Card, ExportJob

_SORT_KEYS: dict[str, Callable[[ExportJob], Any]] = {
    "Name": lambda j: j.name,
    "CreationTime": lambda j: j.created,
    "Status": lambda j: j.status,
}


def split_s3(uri: str) -> tuple[str, str]:
    """(bucket, key prefix) of an ``s3://bucket/prefix`` URI."""
    rest = uri.split("://", 1)[1]
    bucket, _, prefix = rest.partition("/")
    return bucket, prefix.strip("/")


def artifact_key(job: ExportJob) -> tuple[str, str]:
    """(bucket, key) of the PDF a job writes: ``<S3OutputPath>/<card>/<job>/<card>.pdf``."""
    bucket, prefix = split_s3(job.output_path)
    parts = (prefix, job.card.name, job.name, f"{job.card.name}.pdf")
    return bucket, "/".join(p for p in parts if p)


def _pdf_for(job: ExportJob) -> bytes:
    version = job.card.version(job.version)
    return pdf.render(
        pdf.CardPage(
            name=job.card.name,
            arn=job.card.arn,
            version=job.version,
            status=version.status if version else "",
            content=version.content if version else "{}",
        )
    )


class ExportJobs:
    """Every export job, keyed by its ARN."""

    def __init__(self, clock: Callable[[], float], config: Callable[[], SandboxConfig]) -> None:
        self._clock = clock
        self._config = config
        self.jobs: dict[str, ExportJob] = {}

    def create(
        self,
        card: Card,
        name: str,
        version: int,
        output_path: str,
        may_write: Callable[[ExportJob], str | None] = lambda job: None,
    ) -> ExportJob:
        """A new InProgress job. ``may_write`` says why the caller may not write the PDF
        (None: it may); the job then fails with that reason when it runs."""
        job = ExportJob(card, name, version, output_path, self._clock())
        if job.arn in self.jobs:
            raise AwsError(
                "ConflictException", f"Export job {name} already exists for model card {card.name}."
            )
        job.denied = may_write(job)
        if job.denied and not self._config().export_denial_fails_job:
            raise access_denied(job.denied)
        self.jobs[job.arn] = job
        return job

    def find(self, arn: str) -> ExportJob:
        job = self.jobs.get(arn)
        if job is None:
            raise AwsError("ResourceNotFound", f"Model card export job {arn} does not exist.")
        return job

    def pending(self) -> bool:
        return any(j.status == "InProgress" for j in self.jobs.values())

    def progress(self) -> None:
        """Finish every job whose time has come (writes its PDF or records the failure)."""
        due = self._clock() - self._config().export_delay_seconds
        for job in self.jobs.values():
            if job.status == "InProgress" and job.created <= due:
                self._finish(job)

    def _finish(self, job: ExportJob) -> None:
        bucket, key = artifact_key(job)
        job.modified = self._clock()
        owner = s3_backends.bucket_accounts.get(bucket)
        if owner is None:
            job.status = "Failed"
            job.failure = f"The S3 bucket {bucket} does not exist or is not accessible."
            return
        if job.denied:
            job.status, job.failure = "Failed", job.denied
            return
        partition, account = owner
        try:
            s3_backends[account][partition].put_object(bucket, key, _pdf_for(job))
        except Exception as exc:  # moto's S3 refused the write: the job fails, as in AWS
            job.status, job.failure = "Failed", f"Writing to s3://{bucket}/{key} failed: {exc}"
            return
        job.status, job.artifact = "Completed", f"s3://{bucket}/{key}"

    def drop_card(self, card: Card) -> None:
        for arn in [a for a, j in self.jobs.items() if j.card is card]:
            del self.jobs[arn]

    def list_jobs(self, cards: list[Card], params: dict[str, Any]) -> dict[str, Any]:
        jobs = [j for j in self.jobs.values() if j.card in cards and _job_matches(j, params)]
        jobs.sort(
            key=_SORT_KEYS[params.get("SortBy", "CreationTime")],
            reverse=params.get("SortOrder", "Descending") == "Descending",
        )
        items, extra = page(jobs, params, params.get("MaxResults", 10))
        return {"ModelCardExportJobSummaries": [j.summary() for j in items], **extra}


def _job_matches(job: ExportJob, params: dict[str, Any]) -> bool:
    contains = params.get("ModelCardExportJobNameContains")
    after, before = params.get("CreationTimeAfter"), params.get("CreationTimeBefore")
    return (
        (contains is None or contains.lower() in job.name.lower())
        and params.get("StatusEquals") in (None, job.status)
        and params.get("ModelCardVersion") in (None, job.version)
        and (after is None or job.created > float(after))
        and (before is None or job.created < float(before))
    )
