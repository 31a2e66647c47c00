"""A model version (``DescribeModelPackage``) mapped to ``model_package_details``, the
fields the SageMaker SDK v2 filled (``ModelPackage.from_model_package_arn``), each within
the content schema's limits and enums; and the evaluation reports its ``ModelMetrics``
name, as notes that say how to fill them (the SDK read them itself; here each is a source
of its own, chosen by the person filling). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.evidence.resources import APPROVALS, PACKAGE, PACKAGE_STATUSES, Fields
from reconciler.evidence.values import shown

_TEXTS = (
    ("model_package_arn", "ModelPackageArn", 2048),
    ("model_package_name", "ModelPackageName", 63),
    ("model_package_group_name", "ModelPackageGroupName", 63),
    ("model_package_description", "ModelPackageDescription", 1024),
    ("approval_description", "ApprovalDescription", 1024),
    ("domain", "Domain", 1024),
    ("task", "Task", 1024),
)
# ModelMetrics members that name a report, and the format to fill each as.
_REPORTS = (
    (("Bias", "Report"), "clarify-bias"),
    (("Bias", "PreTrainingReport"), "clarify-bias"),
    (("Bias", "PostTrainingReport"), "clarify-bias"),
    (("Explainability", "Report"), "clarify-explainability"),
    (("ModelQuality", "Statistics"), "model-monitor-binary|regression|multiclass"),
)


def package_fields(package: Mapping[str, Any]) -> Fields:
    """What DescribeModelPackage fills under ``model_package_details``."""
    fields = Fields(source=f"model package {shown(package.get('ModelPackageArn'))}")
    for key, member, limit in _TEXTS:
        fields.text(f"{PACKAGE}.{key}", package.get(member), limit)
    _choice(fields, "model_package_status", package.get("ModelPackageStatus"), PACKAGE_STATUSES)
    _choice(fields, "model_approval_status", package.get("ModelApprovalStatus"), APPROVALS)
    version = package.get("ModelPackageVersion")
    if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
        fields.values[f"{PACKAGE}.model_package_version"] = version
    creator = (package.get("CreatedBy") or {}).get("UserProfileName")
    if creator is not None:
        fields.text(f"{PACKAGE}.created_by.user_profile_name", creator, 63)
    _containers(fields, package.get("InferenceSpecification") or {})
    _algorithms(fields, package.get("SourceAlgorithmSpecification") or {})
    fields.notes += report_hints(package.get("ModelMetrics") or {})
    return fields


def _choice(fields: Fields, key: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value is None:
        return
    if value in allowed:
        fields.values[f"{PACKAGE}.{key}"] = value
    else:
        fields.skip(f"{PACKAGE}.{key}", f"{shown(value, 30)} is not one of {', '.join(allowed)}")


def _containers(fields: Fields, spec: Mapping[str, Any]) -> None:
    found = spec.get("Containers") if isinstance(spec, Mapping) else None
    if not isinstance(found, list) or not found:
        return
    containers = [_container(c) for c in found]
    if len(containers) > 15 or None in containers:
        fields.skip(f"{PACKAGE}.inference_specification", "containers beyond the schema's limits")
    else:
        fields.values[f"{PACKAGE}.inference_specification"] = {"containers": containers}


def _container(raw: Any) -> dict[str, Any] | None:
    """One container (image, model data, nearest model) when each fits the schema."""
    if not isinstance(raw, Mapping) or not _fits(raw.get("Image"), 255):
        return None
    found: dict[str, Any] = {"image": raw["Image"]}
    for key, member, limit in (
        ("model_data_url", "ModelDataUrl", 1024),
        ("nearest_model_name", "NearestModelName", 1024),
    ):
        if member in raw:
            if not _fits(raw[member], limit):
                return None
            found[key] = raw[member]
    return found


def _algorithms(fields: Fields, spec: Mapping[str, Any]) -> None:
    found = spec.get("SourceAlgorithms") if isinstance(spec, Mapping) else None
    if not isinstance(found, list) or not found:
        return
    first = found[0] if isinstance(found[0], Mapping) else {}
    if len(found) > 1 or not _fits(first.get("AlgorithmName"), 170):
        fields.skip(f"{PACKAGE}.source_algorithms", "the schema takes one algorithm, named")
        return
    algorithm = {"algorithm_name": first["AlgorithmName"]}
    if _fits(first.get("ModelDataUrl"), 1024):
        algorithm["model_data_url"] = first["ModelDataUrl"]
    fields.values[f"{PACKAGE}.source_algorithms"] = [algorithm]


def _fits(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def report_hints(metrics: Any) -> list[str]:
    """How to fill each report the package's ModelMetrics names."""
    hints = []
    for (part, member), kind in _REPORTS:
        found = metrics.get(part) if isinstance(metrics, Mapping) else None
        source = found.get(member) if isinstance(found, Mapping) else None
        uri = source.get("S3Uri") if isinstance(source, Mapping) else None
        if isinstance(uri, str) and uri.startswith("s3://"):
            hints.append(
                f"the model package names a report ({part}.{member}): fill it with "
                f"--evaluation {shown(uri, 200)} --as {kind} --name <evaluation>"
            )
    return hints
