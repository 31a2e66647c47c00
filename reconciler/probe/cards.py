"""The ``--write`` checks on the scratch card: how soon ListModelCards and Search show it,
whether Content comes back as sent, whether identical content makes a version, when an
export's S3 permission is checked, what Archived refuses, and how deletion goes (RetireGrant
for a card with a key, the name while deleting, how long it takes).

Each step returns its observations by assumption key; a step that cannot go on raises
``Skip`` (or lets an AWS error through), and the runner marks its keys not checked.
"""

from __future__ import annotations

import math
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code
from reconciler.probe.context import NO_ROLE, ProbeContext, Skip, denied, said, until, without
from reconciler.probe.scratch import Work
from reconciler.reports.probe import Observation, Outcome

# Keys out of order and two spaces: a service that re-serialises Content returns other text.
SENT = (
    '{"model_overview": {"model_owner": "reconciler-probe",  '
    '"model_description": "A scratch card of reconciler probe, deleted when it ends."}}'
)
EDITED = '{"model_overview": {"model_owner": "reconciler-probe-edited"}}'
REFUSED = frozenset({"ValidationException", "ConflictException"})
Seen = dict[str, Observation]


def seconds(waited: float) -> float:
    """A measured delay as a setting: rounded up to a tenth of a second."""
    return math.ceil(waited * 10) / 10


def sagemaker_of(ctx: ProbeContext) -> Any:
    return ctx.session.client("sagemaker")


def card_request(ctx: ProbeContext) -> dict[str, Any]:
    """CreateModelCard's parameters for the scratch card: Draft, tagged, and with the first
    key a card in git names (if any)."""
    params: dict[str, Any] = {
        "ModelCardName": ctx.name,
        "Content": SENT,
        "ModelCardStatus": "Draft",
        "Tags": [{"Key": k, "Value": v} for k, v in ctx.tags().items()],
    }
    if key := kms_key(ctx):
        params["SecurityConfig"] = {"KmsKeyId": key}
    return params


def create(work: Work) -> Seen:
    ctx = work.ctx
    try:
        sagemaker_of(ctx).create_model_card(**card_request(ctx))
    except ClientError as e:
        raise Skip(f"creating the scratch card {ctx.name} failed: {said(e)}") from e
    work.scratch.cards.append(ctx.name)
    return {}


def kms_key(ctx: ProbeContext) -> str | None:
    return next((c.kms_key_id for c in ctx.state.cards.values() if c.kms_key_id), None)


def list_delay(work: Work) -> Seen:
    ctx = work.ctx

    def listed() -> bool | None:
        found = sagemaker_of(ctx).list_model_cards(NameContains=ctx.name)["ModelCardSummaries"]
        return True if any(c["ModelCardName"] == ctx.name for c in found) else None

    _, waited = until(ctx, listed, "the scratch card in ListModelCards")
    shown = f"ListModelCards listed the new card after {waited:.1f} s"
    return {"list-delay": Observation(shown=shown, value=seconds(waited))}


def content_as_sent(work: Work) -> Seen:
    content = sagemaker_of(work.ctx).describe_model_card(ModelCardName=work.ctx.name)["Content"]
    same = content == SENT
    shown = "DescribeModelCard returned Content as sent" if same else f"it returned {content}"
    return {"content-as-sent": Observation(shown=shown, value=same)}


def search_delay(work: Work) -> Seen:
    ctx = work.ctx
    named = {"Filters": [{"Name": "ModelCardName", "Operator": "Equals", "Value": ctx.name}]}

    def found() -> bool | None:
        hits = sagemaker_of(ctx).search(Resource="ModelCard", SearchExpression=named)["Results"]
        return True if hits else None

    _, waited = until(ctx, found, "the scratch card in Search")
    shown = f"Search showed the new card after {waited:.1f} s"
    return {"search-index-delay": Observation(shown=shown, value=seconds(waited))}


def identical_update(work: Work) -> Seen:
    sagemaker = sagemaker_of(work.ctx)
    sagemaker.update_model_card(ModelCardName=work.ctx.name, Content=SENT)
    version = sagemaker.describe_model_card(ModelCardName=work.ctx.name)["ModelCardVersion"]
    shown = f"after an update with the same content the card is at version {version}"
    return {"identical-update-version": Observation(shown=shown, value=version > 1)}


def export_denial(work: Work) -> Seen:
    """An export of the scratch card by a role that may not write its PDF."""
    ctx, exports = work.ctx, work.ctx.state.config.exports
    if exports is None:
        return {"export-denial": Observation(shown="not checked: reconciler.yaml has no exports")}
    session = without(ctx, "s3:PutObject")
    if session is None:
        return {"export-denial": Observation(shown=NO_ROLE)}
    work.scratch.exports.append((exports.bucket, f"{exports.prefix}/{ctx.name}/"))
    try:
        job = session.client("sagemaker").create_model_card_export_job(
            ModelCardName=ctx.name,
            ModelCardExportJobName=ctx.name,
            OutputConfig={"S3OutputPath": exports.output_path},
        )["ModelCardExportJobArn"]
    except ClientError as e:
        if not denied(e):
            raise
        return {
            "export-denial": Observation(shown=f"the call was refused ({said(e)})", value=False)
        }
    return {"export-denial": _export_ended(ctx, job)}


def _export_ended(ctx: ProbeContext, job: str) -> Observation:
    def ended() -> dict[str, Any] | None:
        found: dict[str, Any] = sagemaker_of(ctx).describe_model_card_export_job(
            ModelCardExportJobArn=job
        )
        return found if found["Status"] in ("Completed", "Failed") else None

    found, _ = until(ctx, ended, "the scratch export job's end")
    if found["Status"] == "Failed":
        return Observation(shown=f"the job failed: {found.get('FailureReason')}", value=True)
    shown = "the job wrote the PDF without the caller's s3:PutObject (SageMaker's own access)"
    return Observation(shown=shown, outcome=Outcome.DIFFERS)


def archived(work: Work) -> Seen:
    """Archive the card, then try new content and another status."""
    sagemaker, name = sagemaker_of(work.ctx), work.ctx.name
    sagemaker.update_model_card(ModelCardName=name, ModelCardStatus="Archived")
    work.archived = True
    content = _refused(lambda: sagemaker.update_model_card(ModelCardName=name, Content=EDITED))
    status = _refused(
        lambda: sagemaker.update_model_card(ModelCardName=name, ModelCardStatus="Draft")
    )
    return {
        "archived-refuses-content": _answer("new content", content),
        "archived-refuses-status": _answer("status Draft", status),
    }


def _refused(call: Any) -> str | None:
    """Why AWS refused the update, or None when it took it."""
    try:
        call()
    except ClientError as e:
        if error_code(e) not in REFUSED:
            raise
        return said(e)
    return None


def _answer(what: str, refused: str | None) -> Observation:
    shown = f"{what} on the Archived card: " + (f"refused ({refused})" if refused else "accepted")
    return Observation(shown=shown, value=refused is not None)
