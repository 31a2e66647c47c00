"""The audit trail's part of the IAM policies: PDF exports and model package approval.
Printed only when the repository uses them (``exports:``, ``registry:``, or a card that
names a model package), so a repository without them keeps its policies as they were.

- Exports, plan (and apply, which plans first): ``sagemaker:ListModelCardExportJobs`` on
  the card account's cards, ``sagemaker:DescribeModelCardExportJob`` on their export jobs
  (SAR's ``model-card-export-job``: ``model-card/<name>/export-job/<job>``), and
  ``s3:GetObject`` on ``arn:aws:s3:::<bucket>/<prefix>/*`` (HeadObject of the PDF;
  ``reconciler export`` downloads it with the same action), and ``s3:ListBucket`` on the
  bucket for keys under ``<prefix>/`` only (``s3:prefix``): one listing finds every PDF.
- Exports, apply: ``sagemaker:CreateModelCardExportJob`` on the managed cards, and
  ``s3:PutObject`` on ``arn:aws:s3:::<bucket>/<prefix>/<card name>/*`` for each card in
  git, exactly as the source architecture's template scopes it per card: SageMaker writes
  the PDF with the permissions of the identity that created the export job (docs/audit-trail.md).
- Registry, plan: ``sagemaker:DescribeModelPackage`` on the card account's
  ``model-package/*`` (versioned packages are ``model-package/<group>/<version>``).
- Registry, apply with ``sync_approval``: ``sagemaker:UpdateModelPackage`` on exactly the
  packages the cards in git name (the policy is printed again when that changes), only
  with the approval statuses the mapping can ask for (``sagemaker:ModelApprovalStatus``).
"""

from __future__ import annotations

from reconciler.common.content import package_arn_of
from reconciler.desired.model import DesiredState, Exports
from reconciler.iam.scope import Scope, Statement, statement


def uses_registry(state: DesiredState) -> bool:
    cards = state.cards.values()
    return state.config.registry.sync_approval or any(package_arn_of(c.content) for c in cards)


def audit_reads(s: Scope, state: DesiredState) -> list[Statement]:
    """What plan reads for exports and packages."""
    exports = state.config.exports
    found = export_reads(s, exports) if exports is not None else []
    if uses_registry(state):
        found.append(statement("ReadModelPackages", ["sagemaker:DescribeModelPackage"], s.packages))
    return found


def export_reads(s: Scope, exports: Exports) -> list[Statement]:
    """The export jobs of the card account's cards, and their PDFs in the bucket."""
    bucket = f"arn:{s.partition}:s3:::{exports.bucket}"
    return [
        statement("ListModelCardExports", ["sagemaker:ListModelCardExportJobs"], s.cards),
        statement(
            "ReadModelCardExportJobs",
            ["sagemaker:DescribeModelCardExportJob"],
            s.arn("sagemaker", "model-card/*/export-job/*"),
        ),
        statement("ReadModelCardPdfs", ["s3:GetObject"], f"{bucket}/{exports.prefix}/*"),
        statement(
            "ListModelCardPdfs",
            ["s3:ListBucket"],
            bucket,
            {"StringLike": {"s3:prefix": f"{exports.prefix}/*"}},
        ),
    ]


def audit_writes(s: Scope, state: DesiredState) -> list[Statement]:
    """What apply writes for exports and package approval."""
    exports = state.config.exports
    found = export_writes(s, state, exports) if exports is not None else []
    named = sorted({a for c in state.cards.values() if (a := package_arn_of(c.content))})
    if state.config.registry.sync_approval and named:
        found.append(package_approval(named, state))
    return found


def export_writes(s: Scope, state: DesiredState, exports: Exports) -> list[Statement]:
    """Export jobs of the managed cards, and their PDFs under each card git declares."""
    per_card = [
        f"arn:{s.partition}:s3:::{exports.bucket}/{exports.prefix}/{name}/*"
        for name in sorted(state.cards)
    ]
    found = [statement("ExportManagedModelCards", ["sagemaker:CreateModelCardExportJob"], s.cards)]
    if per_card:
        found.append(statement("WriteModelCardPdfs", ["s3:PutObject"], per_card))
    return found


def package_approval(named: list[str], state: DesiredState) -> Statement:
    """Approving the model packages git's cards name (``named``), and no other, only with
    the statuses the registry mapping can ask for."""
    statuses = sorted({v for v in state.config.registry.mapping.values() if v})
    return statement(
        "ApproveModelPackagesWithTheirCards",
        ["sagemaker:UpdateModelPackage"],
        named,
        {"StringEquals": {"sagemaker:ModelApprovalStatus": statuses}},
    )
