"""The model card embedded in a model version (``ModelPackageModelCard``) and the version's
lifecycle stage (``ModelLifeCycle``), as the sandbox's Model Registry keeps them.

What AWS documents and this follows: botocore's ``ModelPackageModelCard`` holds
``ModelCardContent`` (a JSON string, at most 100,000 characters, checked by
``check_input``) and ``ModelCardStatus``; "No more updates can be made to the model card
content" of an Archived card ("Model Card is in Archived state", botocore's documentation
of ``ModelCardStatus``; switch ``archived_refuses_content``, shared with standalone
cards). The content follows the model package card schema of the Developer Guide
(model-registry-details.html), shipped as
``reconciler/_schema/model-package-card-content.schema.json``.

Chosen here, since AWS does not document it: content that is not JSON, or that the
schema refuses, is ``ValidationException`` naming the first problem's path; content and
status may change in one ``UpdateModelPackage`` call (the reconciler sends them in two);
an Archived card's status may not change while ``archived_refuses_status`` is on.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from reconciler.sandbox.errors import validation

SCHEMA = Path(__file__).resolve().parents[2] / "_schema" / "model-package-card-content.schema.json"
ARCHIVED = "Archived"


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text("utf-8")))


def checked_content(text: str) -> str:
    """``ModelCardContent`` as SageMaker takes it; ValidationException otherwise."""
    try:
        parsed = json.loads(text) if text else {}
    except ValueError as exc:
        raise validation("ModelCardContent is not valid JSON.") from exc
    error = next(iter(_validator().iter_errors(parsed)), None)
    if error is not None:
        raise validation(
            f"ModelCardContent does not match the model package card schema at "
            f"{error.json_path}: {error.message}"
        )
    return text


def new_card(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The card a CreateModelPackage request registers (Draft unless it says otherwise)."""
    if raw is None:
        return None
    return {
        "ModelCardContent": checked_content(str(raw.get("ModelCardContent", "{}"))),
        "ModelCardStatus": raw.get("ModelCardStatus", "Draft"),
    }


def updated_card(
    current: dict[str, Any] | None,
    raw: dict[str, Any],
    *,
    content_locked: bool,
    status_locked: bool,
) -> dict[str, Any]:
    """The card after an UpdateModelPackage request's ``ModelCard``."""
    card = dict(current or {"ModelCardContent": "{}", "ModelCardStatus": "Draft"})
    archived = card["ModelCardStatus"] == ARCHIVED
    if "ModelCardContent" in raw:
        if archived and content_locked:
            raise validation("Model Card is in Archived state")
        card["ModelCardContent"] = checked_content(str(raw["ModelCardContent"]))
    if "ModelCardStatus" in raw:
        if archived and status_locked and raw["ModelCardStatus"] != ARCHIVED:
            raise validation("Model Card is in Archived state")
        card["ModelCardStatus"] = raw["ModelCardStatus"]
    return card


def metadata_only(card: dict[str, Any]) -> dict[str, Any]:
    """The card as ``IncludedData=MetadataOnly`` returns it: the status, and of the content
    only ``intended_uses.risk_rating`` (botocore's DescribeModelPackageOutput)."""
    content = json.loads(card["ModelCardContent"] or "{}")
    risk = (content.get("intended_uses") or {}).get("risk_rating")
    kept = {"intended_uses": {"risk_rating": risk}} if risk else {}
    return {"ModelCardContent": json.dumps(kept), "ModelCardStatus": card["ModelCardStatus"]}
