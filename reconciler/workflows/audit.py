"""The audit trail's workflows: a card's live versions with their commits, a model
version's changes from CloudTrail, and the PDF of a card version downloaded from S3
(exported first when it has no PDF yet).

Only cards git declares and the reconciler manages are exported: an export job is
created under the card, and the reconciler touches nothing it does not own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply import audit as apply_audit
from reconciler.apply.context import StepContext
from reconciler.aws.session import AwsSession, aws_errors, error_code
from reconciler.aws.waits import WaitFailed, WaitSettings
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.common.words import printable
from reconciler.desired.model import DesiredState, Exports
from reconciler.desired.registry import GroupSpec, VersionSpec
from reconciler.live import audit as live_audit
from reconciler.live.cloudtrail import sagemaker_events
from reconciler.live.history import card_versions
from reconciler.live.model import LiveCard, LiveVersion, is_managed
from reconciler.live.registry import read_group
from reconciler.live.sagemaker import describe_card
from reconciler.plan.payloads import ExportCard
from reconciler.reports.audit import (
    ExportReport,
    HistoryReport,
    VersionHistoryReport,
    VersionState,
)
from reconciler.reports.registry_trail import REGISTER, UPDATE, version_events
from reconciler.reports.trail import RETENTION_DAYS
from reconciler.validate.schemas import Kind, is_safe_name
from reconciler.workflows.files import pdf_name

FOREIGN_HINT = (
    "nothing was downloaded: someone who may export the card made a job under the name "
    "the reconciler gives this export; find who in CloudTrail (CreateModelCardExportJob)"
)


def card_history(session: AwsSession, state: DesiredState, name: str) -> HistoryReport:
    """Every live version of ``name`` with who made it and from which commit."""
    sagemaker = session.client("sagemaker")
    if describe_card(sagemaker, name) is None:
        raise ReconcilerError(
            f"model card {name} does not exist in account {state.config.card_account_id}",
            hint="check the name (reconciler plan lists the cards git declares)",
        )
    context = {"region": state.config.region, "account": state.config.card_account_id}
    return HistoryReport(card=name, versions=card_versions(sagemaker, name), context=context)


def version_history(session: AwsSession, state: DesiredState, name: str) -> VersionHistoryReport:
    """The changes of the model version ``<group>/<number>``: its card's content and
    status, stage and approval, from CloudTrail's SageMaker events of its 90 days, newest
    first (DescribeModelPackage keeps only the current card and its last modifier)."""
    group, _, number = name.rpartition("/")
    account = state.config.card_account_id
    version = _live_version(session.client("sagemaker"), group, number, account)
    since = datetime.now(timezone.utc) - timedelta(days=RETENTION_DAYS)
    # Updates first: events of one second keep lookup order, and a registration is older.
    trail = sagemaker_events(session.client("cloudtrail"), since, (UPDATE, REGISTER))
    note = f"CloudTrail could not be read ({trail.problem})" if trail.problem else ""
    stage = version.stage
    current = VersionState(
        approval=version.approval,
        card_status=version.card_status,
        stage=f"{stage.stage}/{stage.status}" if stage else None,
        modified_by=version.last_modified_by,
        modified_at=version.last_modified_time,
    )
    context = {"region": state.config.region, "account": account}
    events = version_events(trail, version.arn)
    return VersionHistoryReport(
        version=name, arn=version.arn, current=current, events=events, note=note, context=context
    )


def _live_version(sagemaker: Any, group: str, number: str, account: str) -> LiveVersion:
    """The version ``number`` of ``group`` as the card account has it, described."""
    missing = ReconcilerError(
        f"model version {printable(group)}/{printable(number)} does not exist in account {account}",
        hint="name a model version as <model package group>/<version number>",
    )
    if not (number.isdigit() and is_safe_name(Kind.REGISTRY, group)):
        raise missing
    spec = GroupSpec(name=group, file="", versions=(VersionSpec(number=int(number), index=0),))
    live = read_group(sagemaker, spec)
    version = live.versions.get(int(number)) if live else None
    if version is None:
        raise missing
    return version


def export_pdf(
    session: AwsSession,
    state: DesiredState,
    name: str,
    *,
    version: int | None,
    out: Path | None,
    waits: WaitSettings,
) -> ExportReport:
    """Download the PDF of ``name`` at ``version`` (default: current), exporting it first
    when no PDF of that version is in S3."""
    exports = _declared_exports(state)
    sagemaker, s3 = session.client("sagemaker"), session.client("s3")
    live = _managed_card(sagemaker, state, name)
    number = version or live.version
    at_version = replace(live, version=number, status=_status_of(sagemaker, live, number))
    workers = session.settings.max_workers
    found = live_audit.read_exports(sagemaker, s3, [at_version], workers, exports)[name]
    if found.foreign is not None:
        raise ReconcilerError(found.foreign, hint=FOREIGN_HINT)
    uri, exported = found.uri, False
    if uri is None:
        uri, exported = _export(sagemaker, exports.output_path, at_version, found.jobs, waits)
    path = out or pdf_name(name, number)
    _download(s3, uri, path)
    return ExportReport(card=name, version=number, uri=uri, file=str(path), exported=exported)


def _declared_exports(state: DesiredState) -> Exports:
    exports = state.config.exports
    if exports is None:
        raise ReconcilerError(
            "reconciler.yaml declares no exports",
            hint="add exports: {bucket: <bucket>, prefix: model-cards} to reconciler.yaml",
        )
    return exports


def _managed_card(sagemaker: Any, state: DesiredState, name: str) -> LiveCard:
    """The live card ``name``, which git must declare and the reconciler manage."""
    live = describe_card(sagemaker, name)
    if name not in state.cards or live is None or not is_managed(live.tags, state.config.ownership):
        raise ReconcilerError(
            f"model card {name} is not a card git declares and the reconciler manages",
            hint="export cards of this repository after `reconciler apply` created them",
        )
    return live


def _status_of(sagemaker: Any, live: LiveCard, number: int) -> CardStatus:
    """The status of one version of the card (a status change keeps the version number)."""
    if number == live.version:
        return live.status
    with aws_errors(f"describing model card {live.name} version {number}"):
        try:
            found = sagemaker.describe_model_card(
                ModelCardName=live.name, ModelCardVersion=number, IncludedData="MetadataOnly"
            )
        except ClientError as e:
            if error_code(e) != "ResourceNotFound":
                raise
            raise ReconcilerError(
                f"model card {live.name} has no version {number}",
                hint=f"its current version is {live.version} (reconciler history {live.name})",
            ) from e
    return CardStatus.read(found.get("ModelCardStatus"), f"model card {live.name}")


def _export(
    sagemaker: Any,
    output_path: str,
    at: LiveCard,
    jobs: int,
    waits: WaitSettings,
) -> tuple[str, bool]:
    name, number, status = at.name, at.version, at.status
    payload = ExportCard(
        name=name, version=number, status=status, output_path=output_path, attempt=jobs + 1
    )
    ctx = StepContext(sagemaker=sagemaker, ram=None, token="", waits=waits)
    with aws_errors(f"exporting model card {name} version {number}"):
        try:
            _, uri = apply_audit.run_export(ctx, payload)
        except WaitFailed as e:
            if e.code == "ForeignExportJob":
                raise ReconcilerError(e.message, hint=FOREIGN_HINT) from e
            raise ReconcilerError(
                f"the export of model card {name} version {number} failed: {e.message}",
                hint="check that the bucket exists and the identity may s3:PutObject there "
                "(reconciler iam-policy --role apply)",
            ) from e
    return uri, True


def _download(s3: Any, uri: str, path: Path) -> None:
    bucket, key = live_audit.split_uri(uri)
    with aws_errors(f"downloading {uri} (s3:GetObject)"):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    try:
        path.write_bytes(body)
    except OSError as e:
        raise ReconcilerError(
            f"cannot write {path}: {e.strerror}", hint="choose a writable path for --out"
        ) from e
