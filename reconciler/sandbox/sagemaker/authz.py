"""What each model-card operation asks IAM: actions, resources and facts (see ``authz``).

The card a call names is the resource (``model-card``; an export job's ARN for
DescribeModelCardExportJob), named by ARN whether or not the card exists, so a caller
without permission learns nothing about it. Facts: the card's current tags (as
``aws:ResourceTag`` and ``sagemaker:ResourceTag``) and the request's tags
(``aws:RequestTag``, ``aws:TagKeys``). Creating a card with tags also needs
``sagemaker:AddTags`` (the SAR lists it as CreateModelCard's dependent action, with
``sagemaker:TaggingAction``). A card with a customer-managed KMS key needs
``kms:GenerateDataKey`` on that key to create it or change its content and
``kms:Decrypt`` to read it, list its versions or export it, with ``kms:ViaService``
and the card ARN as ``kms:EncryptionContext:aws:sagemaker:model-card-arn`` (the iam
package docstring says what AWS documents for KMS).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.authz import AccessRequest, request_tag_facts, tag_facts
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.sagemaker.model import CARD_ARN, Card, card_arn
from reconciler.sandbox.sagemaker.registry import group_arn, package_arn

Cards = Mapping[tuple[str, str, str], Card]
CONTEXT_KEY = "aws:sagemaker:model-card-arn"  # SageMaker's encryption context for a card
# Operations whose ModelCardName may be an ARN (botocore's ModelCardNameOrArn).
_NAME_OR_ARN = {
    "DescribeModelCard": "kms:Decrypt",
    "UpdateModelCard": None,  # kms:GenerateDataKey when content changes, below
    "ListModelCardVersions": "kms:Decrypt",
    "CreateModelCardExportJob": "kms:Decrypt",
}
_NAME_ONLY = ("DeleteModelCard", "ListModelCardExportJobs")
_TAG_OPS = ("AddTags", "ListTags", "DeleteTags")
REGISTRY_OPERATIONS = frozenset(
    {"CreateModelPackageGroup", "CreateModelPackage", "DescribeModelPackage", "UpdateModelPackage"}
)


def _target(caller: Caller, name_or_arn: str) -> str:
    if CARD_ARN.fullmatch(name_or_arn):
        return name_or_arn
    return card_arn(caller.region, caller.account_id, name_or_arn)


def _card(cards: Cards, arn: str) -> Card | None:
    match = CARD_ARN.fullmatch(arn)
    if match is None:
        return None
    region, account, name = match.groups()
    return cards.get((account, region, name))


def _resource_facts(card: Card | None) -> dict[str, tuple[str, ...]]:
    tags = card.tags if card is not None else {}
    return {**tag_facts("aws:ResourceTag", tags), **tag_facts("sagemaker:ResourceTag", tags)}


def key_reference(key_id: str, account: str, region: str) -> str:
    """A KmsKeyId (key id, key ARN, alias name or alias ARN) as an ARN."""
    if key_id.startswith("arn:"):
        return key_id
    kind = "" if key_id.startswith("alias/") else "key/"
    return f"arn:aws:kms:{region}:{account}:{kind}{key_id}"


def _kms(action: str, key_id: str | None, card: str, caller: Caller) -> list[AccessRequest]:
    """SageMaker calling KMS for the caller: the key, and the context KMS sees (the keys
    the SageMaker cross-account guide conditions on, ``kms:ViaService`` and the card ARN
    as encryption context)."""
    if not key_id:
        return []
    region = card.split(":")[3]
    facts = {
        "kms:ViaService": (f"sagemaker.{region}.amazonaws.com",),
        "kms:CallerAccount": (caller.account_id,),
        f"kms:EncryptionContext:{CONTEXT_KEY}": (card,),
        "kms:EncryptionContextKeys": (CONTEXT_KEY,),
    }
    reference = key_reference(key_id, card.split(":")[4], region)
    return [AccessRequest(action, {"key": reference}, facts)]


def _card_kms(action: str | None, card: Card | None, caller: Caller) -> list[AccessRequest]:
    key = (card.security_config or {}).get("KmsKeyId") if card is not None else None
    if action is None or card is None:
        return []
    return _kms(action, key, card.arn, caller)


def _tags(raw: Any) -> dict[str, str]:
    items = raw if isinstance(raw, list) else []
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items if isinstance(t, dict)}


def _create(caller: Caller, params: dict[str, Any]) -> list[AccessRequest]:
    arn = card_arn(caller.region, caller.account_id, str(params.get("ModelCardName")))
    tags = request_tag_facts(_tags(params.get("Tags")))
    found = [AccessRequest("sagemaker:CreateModelCard", {"model-card": arn}, tags)]
    if tags:
        facts = {**tags, "sagemaker:TaggingAction": ("CreateModelCard",)}
        found.append(AccessRequest("sagemaker:AddTags", {"model-card": arn}, facts))
    key = (params.get("SecurityConfig") or {}).get("KmsKeyId")
    return found + _kms("kms:GenerateDataKey", key, arn, caller)


def _on_card(
    cards: Cards, caller: Caller, operation: str, params: dict[str, Any]
) -> list[AccessRequest]:
    arn = _target(caller, str(params.get("ModelCardName")))
    card = _card(cards, arn)
    found = [AccessRequest(f"sagemaker:{operation}", {"model-card": arn}, _resource_facts(card))]
    kms = _NAME_OR_ARN.get(operation)
    if operation == "UpdateModelCard" and params.get("Content") is not None:
        kms = "kms:GenerateDataKey"
    return found + _card_kms(kms, card, caller)


def _tagging(cards: Cards, operation: str, params: dict[str, Any]) -> list[AccessRequest]:
    arn = str(params.get("ResourceArn"))
    facts = _resource_facts(_card(cards, arn))
    if operation == "AddTags":
        facts.update(request_tag_facts(_tags(params.get("Tags"))))
    if operation == "DeleteTags" and params.get("TagKeys"):
        facts["aws:TagKeys"] = tuple(str(k) for k in params["TagKeys"])
    return [AccessRequest(f"sagemaker:{operation}", {"model-card": arn}, facts)]


def _registry(caller: Caller, operation: str, params: dict[str, Any]) -> list[AccessRequest]:
    """Model Registry calls: the package (or group) by ARN, the requested approval status
    as ``sagemaker:ModelApprovalStatus``."""
    action = f"sagemaker:{operation}"
    if operation == "CreateModelPackageGroup":
        arn = group_arn(caller.region, caller.account_id, str(params["ModelPackageGroupName"]))
        return [AccessRequest(action, {"model-package-group": arn})]
    named = params.get("ModelPackageArn") or params.get("ModelPackageName")
    named = named or params.get("ModelPackageGroupName")
    arn = (
        str(named)
        if str(named).startswith("arn:")
        else package_arn(caller.region, caller.account_id, str(named))
    )
    facts = {}
    if params.get("ModelApprovalStatus"):
        facts["sagemaker:ModelApprovalStatus"] = (str(params["ModelApprovalStatus"]),)
    return [AccessRequest(action, {"model-package": arn}, facts)]


def requests_for(
    cards: Cards, caller: Caller, operation: str, params: dict[str, Any]
) -> list[AccessRequest]:
    """The access requests of one model-card operation, read against current state."""
    if operation == "CreateModelCard":
        return _create(caller, params)
    if operation in _NAME_OR_ARN or operation in _NAME_ONLY:
        return _on_card(cards, caller, operation, params)
    if operation in _TAG_OPS:
        return _tagging(cards, operation, params)
    if operation in REGISTRY_OPERATIONS:
        return _registry(caller, operation, params)
    if operation == "DescribeModelCardExportJob":
        arn = str(params.get("ModelCardExportJobArn"))
        return [AccessRequest(f"sagemaker:{operation}", {"model-card-export-job": arn})]
    return [AccessRequest(f"sagemaker:{operation}")]  # ListModelCards, Search: "*"
