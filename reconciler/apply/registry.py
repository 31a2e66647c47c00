"""Apply a model version's changes: its embedded card, lifecycle stage and approval.

Each part is its own ``UpdateModelPackage`` call, in the order the payload states: the
card's content, then its status (SageMaker does not document sending both in one call; the
SageMaker Python SDK sends them apart), the stage, then the approval, so a version is
approved only after its card is Approved. The version's ARN comes from the plan, which
read it from the card account; nothing here creates or deletes a version.
AWS undocumented: package-card-content-and-status
"""

from __future__ import annotations

from reconciler.apply.context import StepContext
from reconciler.common.content import content_json
from reconciler.plan.payloads import UpdateVersion


def update_version(ctx: StepContext, update: UpdateVersion) -> str:
    """Run the version's calls in order; what was done, for the apply report."""
    done = []
    arn = update.package_arn
    if update.content is not None:
        ctx.sagemaker.update_model_package(
            ModelPackageArn=arn, ModelCard={"ModelCardContent": content_json(update.content)}
        )
        done.append("card content")
    if update.card_status is not None:
        ctx.sagemaker.update_model_package(
            ModelPackageArn=arn, ModelCard={"ModelCardStatus": update.card_status.value}
        )
        done.append(f"card {update.from_card_status} → {update.card_status}")
    if update.stage is not None:
        ctx.sagemaker.update_model_package(ModelPackageArn=arn, ModelLifeCycle=_lifecycle(update))
        done.append(f"stage {update.stage.stage}/{update.stage.status}")
    if update.approval is not None:
        _approve(ctx, update)
        done.append(f"approval {update.from_approval} → {update.approval}")
    return f"{arn}: " + ", ".join(done)


def _lifecycle(update: UpdateVersion) -> dict[str, str]:
    stage = update.stage
    assert stage is not None
    found = {"Stage": stage.stage, "StageStatus": stage.status}
    if stage.description is not None:
        found["StageDescription"] = stage.description
    return found


def _approve(ctx: StepContext, update: UpdateVersion) -> None:
    origin = f"commit {ctx.commit}" if ctx.commit else "a checkout outside git"
    description = update.approval_description or f"applied from {origin}"
    ctx.sagemaker.update_model_package(
        ModelPackageArn=update.package_arn,
        ModelApprovalStatus=str(update.approval),
        ApprovalDescription=description[:1024],
    )
