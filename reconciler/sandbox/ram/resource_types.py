"""RAM's resource type of a resource ARN (``ram:RequestedResourceType``), for the ARNs the
sandbox can name the type of.

RAM identifies shareable resources by ``<service>:<Type>`` (RAM User Guide, "Shareable AWS
resources"). The SageMaker types RAM accepts, by the ARN's resource part:

- ``model-card/<name>``: ``sagemaker:ModelCard`` (SageMaker Developer Guide,
  model-cards-xaccount.html: "you specify sagemaker:ModelCard as the resource type");
- ``model-package-group/<name>``: ``sagemaker:ModelPackageGroup`` (model-registry-ram.html
  shares groups through RAM; the string follows RAM's naming, not stated verbatim:
  research ram-model-package-groups.md; AWS undocumented: ram-resource-types);
- ``pipeline/<name>``: ``sagemaker:Pipeline`` and ``lineage-group/<name>``:
  ``sagemaker:LineageGroup`` (RAM User Guide, shareable.md, awsdocs archive 2023);
- ``feature-group/<name>``: ``sagemaker:FeatureGroup``
  (feature-store-cross-account-access-online-store.html shares them through RAM) and
  ``sagemaker-catalog/<name>``: ``sagemaker:SagemakerCatalog``
  (feature-store-cross-account-discoverability-share-feature-group-catalog.html, "SageMaker
  AI Resource Catalogs"); both strings follow RAM's naming.

``SandboxConfig.ram_resource_types`` holds the strings RAM uses (ListResourceTypes lists
them; the sandbox shares model cards only): a type left out there is one the sandbox's RAM
does not name. RAM's own resources (``ram:``) are never shared. An ARN of another
service, or a SageMaker resource RAM does not share, has a type the sandbox cannot
name: a condition on ``ram:RequestedResourceType`` for a request naming one is refused,
not guessed.
"""

from __future__ import annotations

from collections.abc import Collection

SAGEMAKER_TYPES = {
    "model-card": "sagemaker:ModelCard",
    "model-package-group": "sagemaker:ModelPackageGroup",
    "pipeline": "sagemaker:Pipeline",
    "lineage-group": "sagemaker:LineageGroup",
    "feature-group": "sagemaker:FeatureGroup",
    "sagemaker-catalog": "sagemaker:SagemakerCatalog",
}


def resource_type(arn: str, named: Collection[str] | None = None) -> str | None:
    """RAM's type for a resource ARN, or None when the sandbox cannot name it (or ``named``,
    the types RAM names, leaves it out)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sagemaker":
        return None
    kind, _, name = parts[5].partition("/")
    found = SAGEMAKER_TYPES.get(kind) if name and "/" not in name else None
    return found if named is None or found in named else None
