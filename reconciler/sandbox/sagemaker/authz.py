"""What each model-card operation asks IAM: actions, resources and facts (see ``authz``).

The card a call names is the resource (``model-card``; an export job's ARN for
DescribeModelCardExportJob), named by ARN whether or not the card exists, so a caller
without permission learns nothing about it. Facts: the card's current tags (as
``aws:ResourceTag`` and ``sagemaker:ResourceTag``) and the request's tags
(``aws:RequestTag``, ``aws:TagKeys``). Creating a card with tags also needs
``sagemaker:AddTags`` (the SAR lists it as CreateModelCard's dependent action, with
``sagemaker:TaggingAction``).

A card with a customer-managed KMS key: SageMaker calls KMS with the caller's credentials
(``via``: ``aws:ViaAWSService`` is true), so the caller's policies and the key policy must
allow, on the key (docs/iam.md, "KMS", for the sources):

- CreateModelCard: ``kms:DescribeKey``, ``kms:CreateGrant`` (with
  ``kms:GrantIsForAWSResource`` true: SageMaker creates the grant) and
  ``kms:GenerateDataKey``, the create handler of CloudFormation's
  ``AWS::SageMaker::ModelCard``;
- UpdateModelCard with content: ``kms:GenerateDataKey``; DescribeModelCard,
  ListModelCardVersions and CreateModelCardExportJob: ``kms:Decrypt``;
- DeleteModelCard: ``kms:RetireGrant`` (identity policies only; switch
  ``kms_delete_needs_retire_grant``).

KMS sees ``kms:ViaService`` = ``sagemaker.<region>.amazonaws.com``, ``kms:CallerAccount``
and, for the data-key operations, the card ARN as encryption context
``aws:sagemaker:model-card-arn``. What SageMaker puts in its grant (operations, grantee,
retiring principal, constraints), the encryption algorithm and whether it names the key by
alias are not documented, so conditions on those keys are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.authz import AccessRequest, request_tag_facts, tag_facts
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.sagemaker.model import CARD_ARN, Card, card_arn
from reconciler.sandbox.sagemaker.registry import ModelRegistry
from reconciler.sandbox.sagemaker.registry_authz import (
    REGISTRY_OPERATIONS,
    TAG_KEYS,
    group_tagging,
    registry_requests,
)
from reconciler.sandbox.sagemaker.training import job_arn, model_arn

Cards = Mapping[tuple[str, str, str], Card]
CONTEXT_KEY = "aws:sagemaker:model-card-arn"  # SageMaker's encryption context for a card
VIA = "sagemaker.amazonaws.com"
# Condition keys the model-card and registry requests compute (absent where left out).
MODELLED = (*TAG_KEYS, "sagemaker:modelapprovalstatus")
KMS_MODELLED = (
    "kms:viaservice",
    "kms:calleraccount",
    "kms:encryptioncontext:",
    "kms:encryptioncontextkeys",
    "kms:grantisforawsresource",
    "kms:resourcealiases",
    "aws:resourcetag/",
)
_GRANTS = ("kms:CreateGrant", "kms:RetireGrant")
_GRANT_MODELLED = tuple(k for k in KMS_MODELLED if not k.startswith("kms:encryptioncontext"))
_GRANT_CONTEXT = "the encryption context of the grant SageMaker creates is not documented"
# Operations whose ModelCardName may be an ARN (botocore's ModelCardNameOrArn).
_NAME_OR_ARN: dict[str, tuple[str, ...]] = {
    "DescribeModelCard": ("kms:Decrypt",),
    "UpdateModelCard": (),  # kms:GenerateDataKey when content changes, below
    "ListModelCardVersions": ("kms:Decrypt",),
    "CreateModelCardExportJob": ("kms:Decrypt",),
}
# CloudFormation's AWS::SageMaker::ModelCard create handler: DescribeKey, CreateGrant,
# GenerateDataKey (the order SageMaker plausibly calls them in).
CREATE_KMS = ("kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey")
_NAME_ONLY = ("DeleteModelCard", "ListModelCardExportJobs")
_TAG_OPS = ("AddTags", "ListTags", "DeleteTags")


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


def _kms_facts(action: str, card: str, caller: Caller) -> dict[str, tuple[str, ...]]:
    facts: dict[str, tuple[str, ...]] = {
        "kms:ViaService": (f"sagemaker.{card.split(':')[3]}.amazonaws.com",),
        "kms:CallerAccount": (caller.account_id,),
    }
    if action in ("kms:Decrypt", "kms:GenerateDataKey"):
        facts[f"kms:EncryptionContext:{CONTEXT_KEY}"] = (card,)
        facts["kms:EncryptionContextKeys"] = (CONTEXT_KEY,)
    if action == "kms:CreateGrant":
        facts["kms:GrantIsForAWSResource"] = ("true",)
    return facts


def _kms(
    actions: tuple[str, ...], key_id: str | None, card: str, caller: Caller
) -> list[AccessRequest]:
    """SageMaker calling KMS for the caller on the card's key."""
    if not key_id:
        return []
    reference = key_reference(key_id, card.split(":")[4], card.split(":")[3])
    return [
        AccessRequest(
            action,
            {"key": reference},
            _kms_facts(action, card, caller),
            modelled=KMS_MODELLED if action not in _GRANTS else _GRANT_MODELLED,
            unknowable={"kms:encryptioncontext*": _GRANT_CONTEXT} if action in _GRANTS else {},
            via=VIA,
        )
        for action in actions
    ]


def _card_kms(actions: tuple[str, ...], card: Card | None, caller: Caller) -> list[AccessRequest]:
    key = (card.security_config or {}).get("KmsKeyId") if card is not None else None
    if not actions or card is None:
        return []
    return _kms(actions, key, card.arn, caller)


def _card_request(action: str, arn: str, facts: dict[str, tuple[str, ...]]) -> AccessRequest:
    return AccessRequest(action, {"model-card": arn}, facts, modelled=MODELLED)


def _tags(raw: Any) -> dict[str, str]:
    items = raw if isinstance(raw, list) else []
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items if isinstance(t, dict)}


def _create(caller: Caller, params: dict[str, Any]) -> list[AccessRequest]:
    arn = card_arn(caller.region, caller.account_id, str(params.get("ModelCardName")))
    tags = request_tag_facts(_tags(params.get("Tags")))
    found = [_card_request("sagemaker:CreateModelCard", arn, tags)]
    if tags:
        facts = {**tags, "sagemaker:TaggingAction": ("CreateModelCard",)}
        found.append(_card_request("sagemaker:AddTags", arn, facts))
    key = (params.get("SecurityConfig") or {}).get("KmsKeyId")
    return found + _kms(CREATE_KMS, key, arn, caller)


def _on_card(
    cards: Cards, caller: Caller, operation: str, params: dict[str, Any], retire_grant: bool
) -> list[AccessRequest]:
    arn = _target(caller, str(params.get("ModelCardName")))
    card = _card(cards, arn)
    found = [_card_request(f"sagemaker:{operation}", arn, _resource_facts(card))]
    kms = _NAME_OR_ARN.get(operation, ())
    if operation == "UpdateModelCard" and params.get("Content") is not None:
        kms = ("kms:GenerateDataKey",)
    if operation == "DeleteModelCard" and retire_grant:
        kms = ("kms:RetireGrant",)
    return found + _card_kms(kms, card, caller)


def _tagging(cards: Cards, operation: str, params: dict[str, Any]) -> list[AccessRequest]:
    arn = str(params.get("ResourceArn"))
    facts = _resource_facts(_card(cards, arn))
    if operation == "AddTags":
        facts.update(request_tag_facts(_tags(params.get("Tags"))))
    if operation == "DeleteTags" and params.get("TagKeys"):
        facts["aws:TagKeys"] = tuple(str(k) for k in params["TagKeys"])
    return [_card_request(f"sagemaker:{operation}", arn, facts)]


# Model and training job operations: (resource type, name member, ARN, the role passed).
_WORKLOADS = {
    "CreateModel": ("model", "ModelName", model_arn, "ExecutionRoleArn"),
    "DescribeModel": ("model", "ModelName", model_arn, None),
    "DeleteModel": ("model", "ModelName", model_arn, None),
    "CreateTrainingJob": ("training-job", "TrainingJobName", job_arn, "RoleArn"),
    "DescribeTrainingJob": ("training-job", "TrainingJobName", job_arn, None),
}
_PASS_ROLE_UNKNOWN = "whether SageMaker sets iam:AssociatedResourceArn is not documented"


def workload_requests(
    caller: Caller, operation: str, params: dict[str, Any], tags: Mapping[str, str]
) -> list[AccessRequest]:
    """A model or training job call: the resource by ARN with its tags (the request's
    tags when it creates one, with AddTags as SAR's dependent action), and
    ``iam:PassRole`` on the role a create hands to SageMaker."""
    kind, member, arn_of, passed = _WORKLOADS[operation]
    arn = arn_of(caller.region, caller.account_id, str(params.get(member)))
    action = f"sagemaker:{operation}"
    if passed is None:
        return [AccessRequest(action, {kind: arn}, _resource_tags(tags), modelled=MODELLED)]
    requested = request_tag_facts(_tags(params.get("Tags")))
    found = [AccessRequest(action, {kind: arn}, requested, modelled=MODELLED)]
    if requested:
        facts = {**requested, "sagemaker:TaggingAction": (operation,)}
        found.append(AccessRequest("sagemaker:AddTags", {kind: arn}, facts, modelled=MODELLED))
    role = params.get(passed)
    if role:
        facts = {"iam:PassedToService": ("sagemaker.amazonaws.com",)}
        unknown = {"iam:associatedresourcearn": _PASS_ROLE_UNKNOWN}
        pass_role = AccessRequest(
            "iam:PassRole",
            {"role": str(role)},
            facts,
            modelled=("iam:passedtoservice",),
            unknowable=unknown,
        )
        found.append(pass_role)
    return found


def _resource_tags(tags: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    return {**tag_facts("aws:ResourceTag", tags), **tag_facts("sagemaker:ResourceTag", tags)}


def requests_for(
    cards: Cards,
    caller: Caller,
    operation: str,
    params: dict[str, Any],
    retire_grant: bool = True,
    registry: ModelRegistry | None = None,
) -> list[AccessRequest]:
    """The access requests of one model-card or Model Registry operation, read against
    current state; ``retire_grant``: deleting an encrypted card needs ``kms:RetireGrant``."""
    if operation == "CreateModelCard":
        return _create(caller, params)
    if operation in _NAME_OR_ARN or operation in _NAME_ONLY:
        return _on_card(cards, caller, operation, params, retire_grant)
    groups = registry.groups if registry else {}
    if operation in _TAG_OPS and ":model-package-group/" in str(params.get("ResourceArn")):
        return group_tagging(groups, operation, params)
    if operation in _TAG_OPS:
        return _tagging(cards, operation, params)
    if operation in REGISTRY_OPERATIONS:
        packages = registry.packages if registry else {}
        return registry_requests(groups, packages, caller, operation, params)
    if operation == "DescribeModelCardExportJob":
        arn = str(params.get("ModelCardExportJobArn"))
        return [
            AccessRequest(
                f"sagemaker:{operation}", {"model-card-export-job": arn}, modelled=MODELLED
            )
        ]
    return [AccessRequest(f"sagemaker:{operation}", modelled=MODELLED)]  # List…, Search: "*"
