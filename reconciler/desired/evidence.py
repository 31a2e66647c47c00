"""Provenance: the sources ``reconciler fill`` filled a card's content from, as the card's
``evidence:`` section records them, and the digest that tells a filled value from a hand
edit. Pure.

Each source names what it is (``kind``: a SageMaker model, training job or model package,
or an evaluation report in one of the formats of ``ReportFormat``), where it is (an ARN,
an S3 URI or a file of the repository), which version of it was read (the S3 object's
ETag, a job's end time, a file's digest) and when, and the content paths it fills, each
with the digest of the value written there. Paths use the promotion gates' syntax
(``desired.gates``): ``evaluation_details[name=holdout].metric_groups[name=auc]``.

A filled path is machine-owned: ``fill`` rewrites it from its source; when its value no
longer has the recorded digest, someone edited it by hand, which ``validate`` reports and
``fill`` refuses to overwrite unless told to (``--overwrite``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any


class SourceKind(str, Enum):
    """What a source is: a SageMaker resource or an evaluation report of one format."""

    MODEL = "model"
    TRAINING_JOB = "training-job"
    MODEL_PACKAGE = "model-package"
    CLARIFY_BIAS = "clarify-bias"
    CLARIFY_EXPLAINABILITY = "clarify-explainability"
    MODEL_MONITOR_REGRESSION = "model-monitor-regression"
    MODEL_MONITOR_BINARY = "model-monitor-binary"
    MODEL_MONITOR_MULTICLASS = "model-monitor-multiclass"
    CARD_METRICS = "card-metrics"

    @property
    def is_report(self) -> bool:
        return self not in RESOURCE_KINDS


RESOURCE_KINDS = frozenset({SourceKind.MODEL, SourceKind.TRAINING_JOB, SourceKind.MODEL_PACKAGE})
REPORT_KINDS = tuple(k for k in SourceKind if k.is_report)
S3_PREFIX = "s3://"
MAX_REPORT_BYTES = 5 * 1024 * 1024  # a report larger than this is not read


@dataclass(frozen=True, kw_only=True)
class Source:
    """One source of a card's content, as its ``evidence:`` entry records it.

    ``location``: an ARN (resources), an ``s3://`` URI or a path inside the repository
    (reports). ``evaluation``: the ``evaluation_details`` entry a report fills.
    ``found_from``: the model ARN a training job was found from (by its artifact), so a
    refresh finds the model's training job again. ``fills``: content path → digest."""

    kind: SourceKind
    location: str
    version: str
    read_at: str
    fills: Mapping[str, str]
    evaluation: str | None = None
    found_from: str | None = None

    @property
    def slot(self) -> tuple[str, ...]:
        """What a newer source of the same slot replaces: a card documents one model, one
        training job and one model package; a report is replaced by itself, read again."""
        if not self.kind.is_report:
            return (self.kind.value,)
        return (self.kind.value, self.location, self.evaluation or "")

    @property
    def in_s3(self) -> bool:
        return self.location.startswith(S3_PREFIX)

    def as_yaml(self) -> dict[str, Any]:
        """The entry as the card file holds it (``evidence:``), keys in reading order."""
        entry: dict[str, Any] = {"kind": self.kind.value, "source": self.location}
        if self.evaluation is not None:
            entry["evaluation"] = self.evaluation
        if self.found_from is not None:
            entry["found_from"] = self.found_from
        entry.update(version=self.version, read_at=self.read_at, fills=dict(self.fills))
        return entry


def source_from(raw: Mapping[str, Any]) -> Source:
    """A ``Source`` from a schema-valid ``evidence:`` entry."""
    return Source(
        kind=SourceKind(raw["kind"]),
        location=raw["source"],
        version=str(raw["version"]),
        read_at=str(raw["read_at"]),
        fills=dict(raw["fills"]),
        evaluation=raw.get("evaluation"),
        found_from=raw.get("found_from"),
    )


def digest(value: Any) -> str:
    """A short digest of a value in its canonical JSON form: enough to notice a hand edit
    (not a security boundary: the file is reviewed in git either way)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_digest(raw: bytes) -> str:
    """The version of a report file of the repository: a digest of its bytes."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


def s3_parts(uri: str) -> tuple[str, str]:
    """(bucket, key) of an ``s3://bucket/key`` URI."""
    bucket, _, key = uri.removeprefix(S3_PREFIX).partition("/")
    return bucket, key
