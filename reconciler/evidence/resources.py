"""SageMaker resources, as ``DescribeModel``, ``DescribeTrainingJob`` (or a training job
``Search`` record) and ``DescribeModelPackage`` return them, mapped to the content paths
they fill: at least what the SageMaker SDK v2 filled (``ModelOverview.from_model_name``,
``TrainingDetails.from_training_job_name``, ``ModelPackage.from_model_package_arn``), within
the content schema. Pure.

A response is untrusted: a value of the wrong type, or longer than the schema allows (a
hyperparameter value of 2,500 characters where the schema takes 255), is left out with a
note rather than written wrong; a value outside an enum of the schema likewise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from reconciler.evidence.values import is_number, shown

OVERVIEW = "model_overview"
JOB = "training_details.training_job_details"
PACKAGE = "model_package_details"
PACKAGE_STATUSES = ("Pending", "InProgress", "Completed", "Failed", "Deleting")
APPROVALS = ("Approved", "Rejected", "PendingManualApproval")


@dataclass(kw_only=True)
class Fields:
    """The content values one source fills, by path, and what it left out."""

    source: str  # for notes: "model churn-xgb"
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def text(self, path: str, value: Any, limit: int = 1024) -> None:
        """A string value at ``path`` when it is one and fits; else a note."""
        if value is None:
            return
        if isinstance(value, str) and value and len(value) <= limit:
            self.values[path] = value
        else:
            self.skip(path, f"not a string of 1 to {limit} characters")

    def texts(self, path: str, found: list[Any], limit: int = 1024, most: int = 15) -> None:
        """A list of strings at ``path`` (when there is one), each fitting ``limit``."""
        if not found:
            return
        if len(found) > most or not all(isinstance(v, str) and len(v) <= limit for v in found):
            self.skip(path, f"not 1 to {most} strings of at most {limit} characters")
        else:
            self.values[path] = found

    def skip(self, path: str, why: str) -> None:
        self.notes.append(f"{self.source}: left out {path}: {why}")


def when(value: Any) -> str:
    """A response's time (botocore gives datetimes) as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat()
    return shown(value, 64)


def model_fields(model: Mapping[str, Any]) -> Fields:
    """What DescribeModel fills: the model's ARN, name, artifacts and images."""
    fields = Fields(source=f"model {shown(model.get('ModelName'))}")
    fields.text(f"{OVERVIEW}.model_id", model.get("ModelArn"))
    fields.text(f"{OVERVIEW}.model_name", model.get("ModelName"))
    containers = containers_of(model)
    fields.texts(
        f"{OVERVIEW}.model_artifact", [c["ModelDataUrl"] for c in containers if "ModelDataUrl" in c]
    )
    images = [c["Image"] for c in containers if "Image" in c]
    fields.texts(f"{OVERVIEW}.inference_environment.container_image", images)
    return fields


def containers_of(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A model's containers: ``Containers`` (an inference pipeline), else the primary one."""
    found = model.get("Containers") or [model.get("PrimaryContainer") or {}]
    return [c for c in found if isinstance(c, Mapping)] if isinstance(found, list) else []


def artifacts_of(model: Mapping[str, Any]) -> list[str]:
    """The S3 artifacts a model was created from (what finds its training job)."""
    return [
        str(c["ModelDataUrl"])
        for c in containers_of(model)
        if isinstance(c.get("ModelDataUrl"), str)
    ]


def training_fields(job: Mapping[str, Any]) -> Fields:
    """What DescribeTrainingJob fills: the job's ARN, image, final metrics, hyperparameters."""
    fields = Fields(source=f"training job {shown(job.get('TrainingJobName'))}")
    fields.text(f"{JOB}.training_arn", job.get("TrainingJobArn"))
    image = (job.get("AlgorithmSpecification") or {}).get("TrainingImage")
    if image is not None:
        fields.texts(f"{JOB}.training_environment.container_image", [image])
    _metrics(fields, job.get("FinalMetricDataList") or [])
    _hyper_parameters(fields, job.get("HyperParameters") or {})
    status = job.get("TrainingJobStatus")
    if status != "Completed":
        fields.notes.append(f"{fields.source} is {shown(status, 20)}: its final metrics may change")
    return fields


def _metrics(fields: Fields, found: Any) -> None:
    metrics = []
    for item in found if isinstance(found, list) else []:
        name = item.get("MetricName") if isinstance(item, Mapping) else None
        value = item.get("Value") if isinstance(item, Mapping) else None
        if isinstance(name, str) and 1 <= len(name) <= 255 and is_number(value):
            metrics.append({"name": name, "value": value})
        else:
            fields.skip(f"{JOB}.training_metrics", f"metric {shown(name, 40)} has no number")
    if metrics:
        fields.values[f"{JOB}.training_metrics"] = metrics[:50]


def _hyper_parameters(fields: Fields, found: Any) -> None:
    params = []
    for name, value in sorted(found.items()) if isinstance(found, Mapping) else []:
        if (
            isinstance(name, str)
            and 1 <= len(name) <= 255
            and isinstance(value, str)
            and len(value) <= 255
        ):
            params.append({"name": name, "value": value})
        else:
            fields.skip(f"{JOB}.hyper_parameters", f"{shown(name, 40)}: longer than 255 characters")
    if params:
        fields.values[f"{JOB}.hyper_parameters"] = params[:100]
