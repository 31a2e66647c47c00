"""The evidence part of the policies: what ``reconciler fill`` reads to fill cards, and
what ``drift`` reads to tell a card whose sources changed since they were filled.

- ``fill`` (its own role, ``card_account.fill_role_arn``): ``sagemaker:DescribeModel`` on
  the card account's ``model/*``, ``sagemaker:DescribeTrainingJob`` on its
  ``training-job/*``, ``sagemaker:DescribeModelPackage`` on its ``model-package/*``, and
  ``sagemaker:Search`` on ``"*"`` (SAR: Search has no resource types), which finds the
  training job that wrote a model's artifact. Reports: ``s3:GetObject`` on exactly the
  report objects the cards' ``evidence:`` sections record, so ``fill --all`` refreshes
  them; reading a report from a new location needs the policy printed again once a card
  records it (or that first fill run with credentials that may read it). No statement
  when no card records a report in S3.
- ``drift``: the same reads, only for the kinds of source the cards record (the model
  packages' read and Search are already in its policy when it needs them).
"""

from __future__ import annotations

from reconciler.desired.evidence import Source, SourceKind, s3_parts
from reconciler.desired.model import DesiredState
from reconciler.iam.audit import uses_registry
from reconciler.iam.scope import Scope, Statement, statement


def sources(state: DesiredState) -> list[Source]:
    return [source for card in state.cards.values() for source in card.evidence]


def report_objects(s: Scope, state: DesiredState) -> list[str]:
    """The ARN of every report object a card records."""
    found = {s3_parts(x.location) for x in sources(state) if x.kind.is_report and x.in_s3}
    return sorted(f"arn:{s.partition}:s3:::{bucket}/{key}" for bucket, key in found)


def fill_statements(s: Scope, state: DesiredState) -> list[Statement]:
    """What ``reconciler fill`` reads: any model, training job or package of the card
    account, and the report objects the cards record."""
    return [
        statement("ReadModels", ["sagemaker:DescribeModel"], s.arn("sagemaker", "model/*")),
        statement(
            "ReadTrainingJobs",
            ["sagemaker:DescribeTrainingJob"],
            s.arn("sagemaker", "training-job/*"),
        ),
        statement("FindTrainingJobsByArtifact", ["sagemaker:Search"], "*"),
        statement("ReadModelPackages", ["sagemaker:DescribeModelPackage"], s.packages),
        *_reports(s, state),
    ]


def _reports(s: Scope, state: DesiredState) -> list[Statement]:
    objects = report_objects(s, state)
    return [statement("ReadEvaluationReports", ["s3:GetObject"], objects)] if objects else []


def evidence_reads(s: Scope, state: DesiredState) -> list[Statement]:
    """What drift reads of the recorded sources, by the kinds the cards record."""
    kinds = {x.kind for x in sources(state)}
    models = SourceKind.MODEL in kinds or any(x.found_from for x in sources(state))
    named_jobs = any(x.kind is SourceKind.TRAINING_JOB and not x.found_from for x in sources(state))
    found = []
    if models:
        found.append(
            statement("ReadModels", ["sagemaker:DescribeModel"], s.arn("sagemaker", "model/*"))
        )
    if named_jobs:
        jobs = s.arn("sagemaker", "training-job/*")
        found.append(statement("ReadTrainingJobs", ["sagemaker:DescribeTrainingJob"], jobs))
    if SourceKind.MODEL_PACKAGE in kinds and not uses_registry(state):
        found.append(statement("ReadModelPackages", ["sagemaker:DescribeModelPackage"], s.packages))
    return found + _reports(s, state)
