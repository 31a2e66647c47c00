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

Chosen here, since AWS does not document it, each a ``SandboxConfig`` switch that
``reconciler probe`` checks (``CardRules`` carries them): content that is not JSON is
``ValidationException``, and so is content the schema refuses, naming the first problem's
path (``package_card_schema_enforced``); content and status may change in one
``UpdateModelPackage`` call (``package_card_content_and_status_together``; the reconciler
sends them in two); an Archived card's status may not change
(``package_card_archived_refuses_status``).
AWS undocumented: package-card-schema
AWS undocumented: package-card-content-and-status
AWS undocumented: package-archived-refuses-status
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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


@dataclass(frozen=True, kw_only=True)
class CardRules:
    """What SageMaker holds a model version's card to (the sandbox's switches)."""

    content_locked: bool = True  # an Archived card refuses new content
    status_locked: bool = True  # an Archived card keeps its status
    schema: bool = True  # content follows the model package card schema
    together: bool = True  # one call may set content and status


def checked_content(text: str, schema: bool = True) -> str:
    """``ModelCardContent`` as SageMaker takes it; ValidationException otherwise."""
    try:
        parsed = json.loads(text) if text else {}
    except ValueError as exc:
        raise validation("ModelCardContent is not valid JSON.") from exc
    error = next(iter(_validator().iter_errors(parsed)), None) if schema else None
    if error is not None:
        raise validation(
            f"ModelCardContent does not match the model package card schema at "
            f"{error.json_path}: {error.message}"
        )
    return text


def new_card(raw: dict[str, Any] | None, rules: CardRules) -> dict[str, Any] | None:
    """The card a CreateModelPackage request registers (Draft unless it says otherwise)."""
    if raw is None:
        return None
    return {
        "ModelCardContent": checked_content(str(raw.get("ModelCardContent", "{}")), rules.schema),
        "ModelCardStatus": raw.get("ModelCardStatus", "Draft"),
    }


def updated_card(
    current: dict[str, Any] | None, raw: dict[str, Any], rules: CardRules
) -> dict[str, Any]:
    """The card after an UpdateModelPackage request's ``ModelCard``."""
    card = dict(current or {"ModelCardContent": "{}", "ModelCardStatus": "Draft"})
    archived = card["ModelCardStatus"] == ARCHIVED
    if not rules.together and "ModelCardContent" in raw and "ModelCardStatus" in raw:
        raise validation("You cannot update both model card content and model card status.")
    if "ModelCardContent" in raw:
        if archived and rules.content_locked:
            raise validation("Model Card is in Archived state")
        card["ModelCardContent"] = checked_content(str(raw["ModelCardContent"]), rules.schema)
    if "ModelCardStatus" in raw:
        if archived and rules.status_locked and raw["ModelCardStatus"] != ARCHIVED:
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
