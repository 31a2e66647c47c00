"""Read what the audit trail depends on: the PDF export of each exported card's current
version, and the model packages cards name (DescribeModelPackage).

Exports are read in bulk first: one ListObjectsV2 of the exports prefix (1,000 keys a
call) finds every PDF whose key holds the name of a job the reconciler derives for the
card's version and status (``<prefix>/<card>/<job>/…``, as the sandbox writes them). Only a
card with no such PDF is read one by one: ListModelCardExportJobs of the jobs named like
the reconciler's for its version and status, DescribeModelCardExportJob of each, then
HeadObject of the newest completed job's PDF. A job counts only when its card, version
and ``S3OutputPath`` are what apply would use: the names are predictable, and anyone who
may export the card can make one first, into their own bucket (``foreign``; the diff then
holds the card back). A PDF under the exports prefix counts as it is: only identities
that may write the bucket can put one there. A key layout without job names costs the
one-by-one read for every card, never a wrong answer: a listed key counts only when it
names one of the card's own job names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import AwsSession, aws_errors, error_code, pages
from reconciler.common.arns import account_and_region
from reconciler.common.content import package_arn_of
from reconciler.common.names import export_job_name, foreign_job, is_export_of
from reconciler.desired.model import DesiredState, Exports
from reconciler.live.model import LiveCard, LiveExport, LivePackage, LiveState, UnreadPackage
from reconciler.live.sagemaker import identity

MISSING_PACKAGE = ("ValidationException", "ResourceNotFound")
# What AWS says of the ARN itself: the package cannot be read, and only its card waits.
UNREADABLE_PACKAGE = frozenset(
    {"AccessDeniedException", "AccessDenied", "ValidationException", "ResourceNotFound"}
)


def read_exports(
    sagemaker: Any, s3: Any, cards: Iterable[LiveCard], workers: int, exports: Exports
) -> dict[str, LiveExport]:
    """The export of each card's current version (in its status), by card name."""
    wanted = list(cards)
    listed = listed_pdfs(s3, exports)
    found = {card.name: _listed_export(card, listed, exports.bucket) for card in wanted}
    unseen = [card for card in wanted if found[card.name] is None]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        read = pool.map(lambda card: _export_of(sagemaker, s3, card, exports.output_path), unseen)
        by_name = {card.name: export for card, export in zip(unseen, read, strict=True)}
    return {name: export or by_name[name] for name, export in found.items()}


def listed_pdfs(s3: Any, exports: Exports) -> dict[str, dict[str, str]]:
    """Keys under the exports prefix, as {card folder: {job folder: key}}."""
    prefix = f"{exports.prefix}/"
    with aws_errors(f"listing s3://{exports.bucket}/{prefix} (s3:ListBucket)"):
        try:
            keys = _keys(s3, exports.bucket, prefix)
        except ClientError as e:
            if error_code(e) == "NoSuchBucket":
                return {}  # nothing exported yet; export jobs say why they fail
            raise
    return _by_folder(keys, prefix)


def _keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    """Every key under ``prefix``: S3 asks for the next page with ``ContinuationToken``,
    not with the ``NextContinuationToken`` it answers with, so its own paginator reads."""
    listed = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for page in listed for o in page.get("Contents", [])]


def _by_folder(keys: list[str], prefix: str) -> dict[str, dict[str, str]]:
    """Keys of ``<prefix><card>/<job>/…`` as {card folder: {job folder: its first key}}."""
    found: dict[str, dict[str, str]] = {}
    for key in keys:
        parts = key[len(prefix) :].split("/")
        if len(parts) >= 3:
            found.setdefault(parts[0], {}).setdefault(parts[1], key)
    return found


def _listed_export(
    card: LiveCard, listed: dict[str, dict[str, str]], bucket: str
) -> LiveExport | None:
    jobs = listed.get(card.name, {})
    mine = [j for j in jobs if is_export_of(j, card.name, card.version, card.status)]
    if not mine:
        return None
    newest = max(mine, key=lambda j: (len(j), j))  # "-2" after none, "-10" after "-9"
    return LiveExport(version=card.version, uri=f"s3://{bucket}/{jobs[newest]}", jobs=len(mine))


def _export_of(sagemaker: Any, s3: Any, card: LiveCard, output_path: str) -> LiveExport:
    """The export of the card's version in its status, from the jobs under the names
    ``export_job_name`` gives it; one made by someone else is ``foreign``, never read."""
    jobs = [_described(sagemaker, j) for j in _export_jobs(sagemaker, card)]
    whose = partial(foreign_job, card=card.name, version=card.version, output_path=output_path)
    foreign = next((why for job in jobs if (why := whose(job)) is not None), None)
    if foreign is not None:
        return LiveExport(version=card.version, uri=None, jobs=len(jobs), foreign=foreign)
    running = any(j["Status"] == "InProgress" for j in jobs)
    done = [j for j in jobs if j["Status"] == "Completed"]
    uri = _artifact(s3, done[0]) if done else None
    return LiveExport(version=card.version, uri=uri, jobs=len(jobs), running=running)


def _export_jobs(sagemaker: Any, card: LiveCard) -> list[Any]:
    """The jobs under the reconciler's names for the card's version and status, newest
    first, whatever version they export (a name can be taken for another version)."""
    with aws_errors(f"listing the export jobs of model card {card.name}"):
        jobs = list(
            pages(
                sagemaker.list_model_card_export_jobs,
                "ModelCardExportJobSummaries",
                "NextToken",
                ModelCardName=card.name,
                ModelCardExportJobNameContains=export_job_name(
                    card.name, card.version, card.status
                ),
                SortBy="CreationTime",
                SortOrder="Descending",
                MaxResults=100,
            )
        )
    return [
        j
        for j in jobs
        if is_export_of(j["ModelCardExportJobName"], card.name, card.version, card.status)
    ]


def _described(sagemaker: Any, summary: Mapping[str, Any]) -> Mapping[str, Any]:
    arn = summary["ModelCardExportJobArn"]
    with aws_errors(f"reading export job {arn}"):
        job: Mapping[str, Any] = sagemaker.describe_model_card_export_job(ModelCardExportJobArn=arn)
    return job


def _artifact(s3: Any, job: Mapping[str, Any]) -> str | None:
    """The job's PDF URI if the object is still there."""
    uri = str(job.get("ExportArtifacts", {}).get("S3ExportArtifacts", ""))
    return uri if uri and object_exists(s3, uri) else None


def split_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of an ``s3://`` URI."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def object_exists(s3: Any, uri: str) -> bool:
    bucket, key = split_uri(uri)
    with aws_errors(f"checking {uri} (s3:GetObject)"):
        try:
            s3.head_object(Bucket=bucket, Key=key)
        except ClientError as e:
            if error_code(e) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
    return True


def read_packages(
    sagemaker: Any, arns: Iterable[str], workers: int = 1
) -> dict[str, LivePackage | UnreadPackage | None]:
    """Each named package (None: it does not exist; UnreadPackage: AWS refused to describe
    it, for a reason about the ARN, such as AccessDenied or ValidationException), by ARN;
    ``workers`` at a time (a fleet's cards may each name their own)."""
    wanted = sorted(set(arns))
    if len(wanted) < 2 or workers < 2:
        return {arn: _package(sagemaker, arn) for arn in wanted}
    with ThreadPoolExecutor(max_workers=min(workers, len(wanted))) as pool:
        return dict(zip(wanted, pool.map(partial(_package, sagemaker), wanted), strict=True))


def _package(sagemaker: Any, arn: str) -> LivePackage | UnreadPackage | None:
    with aws_errors(f"describing model package {arn}"):
        try:
            package = sagemaker.describe_model_package(ModelPackageName=arn)
        except ClientError as e:
            return _unread(e, arn)
    return LivePackage(
        arn=arn,
        approval=package.get("ModelApprovalStatus", ""),
        modified_by=identity(package.get("LastModifiedBy") or package.get("CreatedBy")),
    )


def _unread(error: ClientError, arn: str) -> UnreadPackage | None:
    """None when the package does not exist; why it cannot be read when AWS refused the
    ARN itself; the error again when the failure is not about the ARN (a throttle)."""
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", ""))
    if code in MISSING_PACKAGE and "not exist" in message.lower():
        return None
    if code not in UNREADABLE_PACKAGE:
        raise error
    return UnreadPackage(arn=arn, code=code, message=message)


def read_audit(session: AwsSession, state: DesiredState, live: LiveState) -> LiveState:
    """Add to ``live`` the export of the current version, in git's status, of each card
    git wants exported (``live`` itself when there is none to read). The model packages
    cards name are read with the rest of live state (``package_arns``)."""
    exports = state.config.exports
    if exports is None:
        return live
    exported = _exported(state, live, exports)
    if not exported:
        return live
    sagemaker, workers = session.client("sagemaker"), session.settings.max_workers
    found = read_exports(sagemaker, session.client("s3"), exported, workers, exports)
    return replace(live, exports=found)


def _exported(state: DesiredState, live: LiveState, exports: Exports) -> list[LiveCard]:
    """The live cards git wants exported, in the status git wants: a status change keeps
    the version, so approving a version already exported as Approved (and since sent back
    to review) needs no new PDF."""
    return [
        replace(live.cards[name], status=card.status)
        for name, card in sorted(state.cards.items())
        if card.status in exports.statuses and name in live.cards
    ]


def package_arns(state: DesiredState) -> set[str]:
    """The model packages git's cards name in the card account and region: the plan role
    may describe no other, and the diff holds back a card that names one elsewhere."""
    here = (state.config.card_account_id, state.config.region)
    return {
        a
        for c in state.cards.values()
        if (a := package_arn_of(c.content)) and account_and_region(a) == here
    }
