"""The ``--write`` checks that end the scratch card: whether an Archived card can be
deleted, whether deleting a card with a key needs ``kms:RetireGrant``, whether its name
stays taken while the deletion runs, and how long the deletion takes.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code
from reconciler.probe.cards import REFUSED, Seen, card_request, kms_key, sagemaker_of, seconds
from reconciler.probe.context import NO_ROLE, ProbeContext, Skip, denied, said, until, without
from reconciler.probe.scratch import Work
from reconciler.reports.probe import Observation

RETIRE = "kms-delete-needs-retire-grant"
RESERVED = "name-reserved-while-deleting"
ARCHIVED = "archived-deletable"


def delete(work: Work) -> Seen:
    """Delete the scratch card (Archived by then): first, if it has a key, as the apply role
    without ``kms:RetireGrant``; then, if that did not, as the apply role."""
    ctx = work.ctx
    seen = _without_retire_grant(ctx)
    refused = None if seen.value is False else _delete(ctx)  # False: deleted already
    if refused is None:
        work.deleted_at = ctx.clock()
    return {RETIRE: seen, ARCHIVED: _archived_deleted(work, refused)}


def _archived_deleted(work: Work, refused: str | None) -> Observation:
    if not work.archived:
        return Observation(shown="not checked: the scratch card was not archived")
    if refused is not None:
        return Observation(shown=f"deleting the Archived card was refused ({refused})", value=False)
    return Observation(shown="the Archived card was deleted", value=True)


def _without_retire_grant(ctx: ProbeContext) -> Observation:
    """Whether deleting failed without ``kms:RetireGrant`` (value True: it did, and the
    card is still there; False: it was deleted)."""
    if kms_key(ctx) is None:
        return Observation(shown="not checked: no card in git names a KMS key")
    session = without(ctx, "kms:RetireGrant")
    if session is None:
        return Observation(shown=NO_ROLE)
    try:
        session.client("sagemaker").delete_model_card(ModelCardName=ctx.name)
    except ClientError as e:
        if error_code(e) in REFUSED:
            return Observation(shown=f"not checked: deleting was refused ({said(e)})")
        if not denied(e):
            raise
        return Observation(
            shown=f"deleting without kms:RetireGrant was denied ({said(e)})", value=True
        )
    return Observation(shown="deleting without kms:RetireGrant succeeded", value=False)


def _delete(ctx: ProbeContext) -> str | None:
    """Delete the scratch card; why SageMaker refused it, if it did."""
    try:
        sagemaker_of(ctx).delete_model_card(ModelCardName=ctx.name)
    except ClientError as e:
        if error_code(e) in REFUSED:
            return said(e)
        raise Skip(f"deleting the scratch card failed: {said(e)}") from e
    return None


def name_while_deleting(work: Work) -> Seen:
    """CreateModelCard with the name again, while the deletion runs."""
    ctx, sagemaker = work.ctx, sagemaker_of(work.ctx)
    if work.deleted_at is None:
        return {RESERVED: Observation(shown="not checked: the scratch card was not deleted")}
    try:
        stage = sagemaker.describe_model_card(ModelCardName=ctx.name).get(
            "ModelCardProcessingStatus"
        )
    except ClientError as e:
        if error_code(e) != "ResourceNotFound":
            raise
        return {RESERVED: Observation(shown="not checked: the deletion ended at once")}
    try:
        sagemaker.create_model_card(**card_request(ctx))
    except ClientError as e:
        if error_code(e) != "ConflictException":
            raise
        shown = f"a create during the deletion ({stage}) was refused: {said(e)}"
        return {RESERVED: Observation(shown=shown, value=True)}
    work.recreated = True
    if refused := _delete(ctx):
        raise Skip(f"deleting the card made again failed: {refused}")
    shown = f"a create during the deletion ({stage}) made the card again"
    return {RESERVED: Observation(shown=shown, value=False)}


def deletion_delay(work: Work) -> Seen:
    ctx = work.ctx
    if work.deleted_at is None or work.recreated:
        why = "made again" if work.recreated else "not deleted"
        return {"deletion-delay": Observation(shown=f"not checked: the card was {why}")}

    def gone() -> bool | None:
        try:
            sagemaker_of(ctx).describe_model_card(ModelCardName=ctx.name)
        except ClientError as e:
            if error_code(e) == "ResourceNotFound":
                return True
            raise
        return None

    until(ctx, gone, "the scratch card's deletion")
    waited = ctx.clock() - work.deleted_at
    shown = f"the deletion completed after {waited:.1f} s"
    return {"deletion-delay": Observation(shown=shown, value=seconds(waited))}
