"""The sources a fill reads, and what each fills: the ones named on the command line, or
(to refresh a card) the ones its ``evidence:`` section records.

A model is described and, unless a training job is named too, its training job is found
from its artifact (``live.evidence.job_for_model``); a training job found so records the
model (``found_from``), so a refresh finds the model's training job again, newer or not.
A report is read from S3 (its ETag is its version) or from a file of the repository (its
digest is); a file outside the repository is refused, because a later ``fill --all``
could not read it again. Reads only: nothing is written to AWS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reconciler.common.errors import ReconcilerError
from reconciler.common.words import printable
from reconciler.desired.evidence import (
    MAX_REPORT_BYTES,
    S3_PREFIX,
    Source,
    SourceKind,
    file_digest,
)
from reconciler.evidence.merge import Filled, Reading, filled
from reconciler.evidence.packages import package_fields
from reconciler.evidence.reports import parse_report
from reconciler.evidence.resources import Fields, model_fields, training_fields
from reconciler.evidence.values import GROUP_LIMIT, EvidenceProblem
from reconciler.live import evidence as live
from reconciler.workflows.files import inside

_ARN_TYPES = {
    SourceKind.MODEL: ":model/",
    SourceKind.TRAINING_JOB: ":training-job/",
    SourceKind.MODEL_PACKAGE: ":model-package/",
}


@dataclass(frozen=True, kw_only=True)
class Wanted:
    """One source to read. ``location``: a name or ARN, an S3 URI, or a file's path in the
    repository; ``find_job``: a model's training job is found from it too;
    ``found_from``: a training job is found again from this model."""

    kind: SourceKind
    location: str
    evaluation: str | None = None
    find_job: bool = True
    found_from: str | None = None


@dataclass(frozen=True, kw_only=True)
class Reader:
    """What reads: the card account's clients, the repository, and the time read."""

    sagemaker: Any
    s3: Any
    repo: Path
    now: str


def recorded_wanted(sources: Sequence[Source]) -> list[Wanted]:
    """The sources to read again to refresh a card: each recorded one, except a training
    job found from a recorded model (reading the model finds it)."""
    models = {s.location for s in sources if s.kind is SourceKind.MODEL}
    named_job = any(s.kind is SourceKind.TRAINING_JOB and not s.found_from for s in sources)
    wanted = []
    for s in sources:
        if s.kind is SourceKind.TRAINING_JOB and s.found_from in models:
            continue
        wanted.append(
            Wanted(
                kind=s.kind,
                location=s.location,
                evaluation=s.evaluation,
                find_job=not named_job,
                found_from=s.found_from,
            )
        )
    return wanted


def read_all(reader: Reader, wanted: Sequence[Wanted]) -> Reading:
    """Every wanted source read, and what it fills."""
    readings = [read_one(reader, w) for w in wanted]
    return Reading(
        filled=tuple(f for r in readings for f in r.filled),
        cleared=frozenset(c for r in readings for c in r.cleared),
        notes=tuple(n for r in readings for n in r.notes),
    )


def read_one(reader: Reader, wanted: Wanted) -> Reading:
    if wanted.kind is SourceKind.MODEL:
        return _model(reader, wanted.location, wanted.find_job)
    if wanted.kind is SourceKind.TRAINING_JOB and wanted.found_from:
        found = _model(reader, wanted.found_from, find_job=True)
        return Reading(filled=found.filled[1:], cleared=found.cleared, notes=found.notes)
    if wanted.kind is SourceKind.TRAINING_JOB:
        name = live.name_of(wanted.location)
        return _done(_job(live.describe_training_job(reader.sagemaker, name), reader.now, None))
    if wanted.kind is SourceKind.MODEL_PACKAGE:
        return _done(_package(reader, wanted.location))
    return _done(_report(reader, wanted))


def _done(found: Filled) -> Reading:
    return Reading(filled=(found,), notes=found.notes)


def _model(reader: Reader, location: str, find_job: bool) -> Reading:
    """The model, and the training job found from its artifact when ``find_job``."""
    model = live.describe_model(reader.sagemaker, live.name_of(location))
    arn = _arn(model.get("ModelArn"), SourceKind.MODEL)
    found = [
        _from(SourceKind.MODEL, arn, live.model_version(model), reader.now, model_fields(model))
    ]
    if not find_job:
        return Reading(filled=tuple(found), notes=found[0].notes)
    job, why = live.job_for_model(reader.sagemaker, model)
    if job is None:
        cleared = frozenset({(SourceKind.TRAINING_JOB.value,)})
        return Reading(filled=tuple(found), cleared=cleared, notes=(*found[0].notes, why))
    found.append(_job(job, reader.now, arn))
    return Reading(filled=tuple(found), notes=tuple(n for f in found for n in f.notes))


def _job(job: dict[str, Any], now: str, found_from: str | None) -> Filled:
    arn = _arn(job.get("TrainingJobArn"), SourceKind.TRAINING_JOB)
    fields = training_fields(job)
    source = _source(SourceKind.TRAINING_JOB, arn, live.job_version(job), now)
    return filled(replace(source, found_from=found_from), fields.values, fields.notes)


def _package(reader: Reader, location: str) -> Filled:
    package = live.describe_package(reader.sagemaker, location)
    arn = _arn(package.get("ModelPackageArn"), SourceKind.MODEL_PACKAGE)
    fields = package_fields(package)
    return _from(SourceKind.MODEL_PACKAGE, arn, live.package_version(package), reader.now, fields)


def _from(kind: SourceKind, arn: str, version: str, now: str, fields: Fields) -> Filled:
    return filled(_source(kind, arn, version, now), fields.values, fields.notes)


def _source(kind: SourceKind, location: str, version: str, now: str) -> Source:
    return Source(kind=kind, location=location, version=version, read_at=now, fills={})


def _arn(value: Any, kind: SourceKind) -> str:
    """An ARN AWS answered with, checked to be one of ``kind`` before it is recorded."""
    if _is_arn(value, _ARN_TYPES[kind]):
        return str(value)
    raise ReconcilerError(
        f"AWS answered with {printable(str(value))[:100]} as the {kind.value} ARN"
    )


def _is_arn(value: Any, resource: str) -> bool:
    if not isinstance(value, str) or len(value) > 2048 or not value.isprintable():
        return False
    return value.startswith("arn:") and resource in value and " " not in value


def _report(reader: Reader, wanted: Wanted) -> Filled:
    """A report's metric groups, as the evaluation ``wanted.evaluation`` holds them."""
    evaluation = evaluation_name(wanted.evaluation)
    raw, version = _report_bytes(reader, wanted.location)
    try:
        parsed = parse_report(wanted.kind, raw)
    except EvidenceProblem as problem:
        raise ReconcilerError(
            f"{_shown(wanted.location)} ({wanted.kind.value}): {problem}; nothing was filled",
            hint="check the file and its --as format",
        ) from problem
    base = f"evaluation_details[name={evaluation}].metric_groups"
    values = {f"{base}[name={g['name']}]": g for g in parsed.groups}
    source = Source(
        kind=wanted.kind,
        location=wanted.location,
        version=version,
        read_at=reader.now,
        fills={},
        evaluation=evaluation,
    )
    notes = [f"{_shown(wanted.location)}: {n}" for n in parsed.notes]
    return filled(source, values, notes)


def _report_bytes(reader: Reader, location: str) -> tuple[bytes, str]:
    if location.startswith(S3_PREFIX):
        return live.read_object(reader.s3, location)
    path = inside(reader.repo, reader.repo / location)
    if not path.is_file():
        raise ReconcilerError(f"{_shown(location)} is not a file of the repository")
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise ReconcilerError(
            f"{_shown(location)} is larger than a report ({MAX_REPORT_BYTES:,} bytes)"
        )
    raw = path.read_bytes()
    return raw, file_digest(raw)


def evaluation_name(name: str | None) -> str:
    """The ``evaluation_details`` entry a report fills, checked to be a name of one."""
    if name is None or not 1 <= len(name) <= GROUP_LIMIT or not name.isprintable():
        raise ReconcilerError(
            f"evaluation name {printable(str(name))!r}: 1 to {GROUP_LIMIT} printable characters"
        )
    if "[" in name or "]" in name:
        raise ReconcilerError(f"evaluation name {printable(name)!r} holds a bracket")
    return name


def _shown(location: str) -> str:
    return printable(location) if ":" in location else f"file {printable(location)}"
