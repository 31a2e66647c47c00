"""Step handlers for the audit trail: PDF exports of card versions, model package approval
that follows the card, and the commit each written card version came from.

The commit goes into two card tags (AddTags creates no card version): ``reconciler-commit``
holds the commit of the latest apply; ``reconciler-versions`` maps version numbers to
short commits ("1=0123456789ab 2-3=89abcdef0123"), newest last, dropping the oldest
entries when the value would pass AWS's 256 characters.
"""

from __future__ import annotations

from functools import partial

from botocore.exceptions import ClientError

from reconciler.apply.context import StepContext
from reconciler.aws.once import at_most_once
from reconciler.aws.session import error_code
from reconciler.aws.waits import export_finished
from reconciler.common.names import (
    COMMIT_TAG,
    VERSIONS_TAG,
    export_job_name,
    foreign_job,
    format_versions,
    parse_versions,
)
from reconciler.plan.payloads import ExportCard, UpdatePackageApproval

SHORT = 12


def current_version(ctx: StepContext, name: str) -> tuple[str, int]:
    """The card's ARN and latest version number, as SageMaker says now."""
    card = ctx.sagemaker.describe_model_card(ModelCardName=name)
    return card["ModelCardArn"], int(card["ModelCardVersion"])


def export_card(ctx: StepContext, export: ExportCard) -> str:
    version, uri = run_export(ctx, export)
    return f"exported {export.name} version {version} to {uri}"


def run_export(ctx: StepContext, export: ExportCard) -> tuple[int, str]:
    """Start the export job (or find the one an earlier attempt started) and wait for it:
    the version exported and the PDF's S3 URI. A failed job raises WaitFailed, and so does
    a job of that name that is not this export (``ForeignExportJob``): the name is
    predictable, so someone who may export the card can make it first, into their bucket."""
    card_arn, latest = current_version(ctx, export.name)
    version = export.version or latest
    arn = _started(ctx, export, version, card_arn)
    foreign = partial(
        foreign_job, card=export.name, version=version, output_path=export.output_path
    )
    return version, export_finished(ctx.sagemaker, arn, ctx.waits, foreign)


def _started(ctx: StepContext, export: ExportCard, version: int, card_arn: str) -> str:
    """The ARN of the job that exports ``version``: started now, or found under its name
    (a job of that name exists: it counts only if its description matches, when waited on)."""
    job = export_job_name(export.name, version, export.status, export.attempt)
    try:
        arn: str = ctx.sagemaker.create_model_card_export_job(
            ModelCardName=export.name,
            ModelCardVersion=version,
            ModelCardExportJobName=job,
            OutputConfig={"S3OutputPath": export.output_path},
        )["ModelCardExportJobArn"]
    except ClientError as e:
        if error_code(e) != "ConflictException":
            raise
        return f"{card_arn}/export-job/{job}"
    return arn


def update_package_approval(ctx: StepContext, update: UpdatePackageApproval) -> str:
    """Set the package's approval, once: a retry after an answer that was lost first reads
    whether the approval took effect (``aws.once``)."""
    _, version = current_version(ctx, update.card_name)
    origin = f"commit {ctx.commit}" if ctx.commit else "a checkout outside git"
    request = {
        "ModelPackageArn": update.package_arn,
        "ModelApprovalStatus": update.approval,
        "ApprovalDescription": (
            f"Model card {update.card_name} version {version}, applied from {origin}"
        )[:1024],
    }
    client = ctx.sagemaker_once or ctx.sagemaker
    made = at_most_once(
        lambda: client.update_model_package(**request),
        partial(_approved, ctx, request),
        ctx.max_attempts,
        ctx.waits.sleep,
    )
    done = "" if made else " (an attempt whose answer was lost had set it)"
    return f"{update.package_arn}: {update.from_approval} → {update.approval}{done}"


def _approved(ctx: StepContext, request: dict[str, str]) -> bool:
    """Whether the package has the approval and description ``request`` sets."""
    package = ctx.sagemaker.describe_model_package(ModelPackageName=request["ModelPackageArn"])
    return all(package.get(k) == v for k, v in request.items() if k != "ModelPackageArn")


def record_commit(ctx: StepContext, name: str) -> None:
    """Tag the card with the commit that wrote its latest version (nothing outside git)."""
    if not ctx.commit:
        return
    arn, version = current_version(ctx, name)
    tags = {t["Key"]: t["Value"] for t in ctx.sagemaker.list_tags(ResourceArn=arn)["Tags"]}
    mapping = parse_versions(tags.get(VERSIONS_TAG, ""))
    mapping[version] = ctx.commit[:SHORT]
    ctx.sagemaker.add_tags(
        ResourceArn=arn,
        Tags=[
            {"Key": COMMIT_TAG, "Value": ctx.commit},
            {"Key": VERSIONS_TAG, "Value": format_versions(mapping)},
        ],
    )
