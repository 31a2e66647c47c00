"""The sandbox's SageMaker model-card service: its operation table and who may touch which card.

Owns CreateModelCard … ListModelCardExportJobs, the Model Registry calls a card's
package approval needs (``registry``), the models and training jobs cards are filled from
(``training``), ``Search`` with ``Resource=ModelCard`` or ``TrainingJob``
and AddTags/ListTags/DeleteTags on model-card ARNs; every other SageMaker call goes to
moto. ``ModelCardName`` takes a name or an ARN exactly where botocore's shape is
``ModelCardNameOrArn``. An ARN of another account is a cross-account call: RAM decides
(``authorize``), then the call acts on the owner's card. An ARN of another Region, or a
name that is not in the caller's own account, is ``ResourceNotFound``. Before any of
that, the caller's identity policies are asked (``authz``): a denied call changes nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, Protocol

from reconciler.sandbox.authz import ALLOW_ALL, AccessRequest, IdentityPolicies
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError, access_denied, validation
from reconciler.sandbox.sagemaker import tags, training
from reconciler.sandbox.sagemaker.authz import VIA, requests_for, workload_requests
from reconciler.sandbox.sagemaker.cards import CardStore, not_found
from reconciler.sandbox.sagemaker.export import ExportJobs, artifact_key
from reconciler.sandbox.sagemaker.model import (
    CARD_ARN,
    Card,
    ExportJob,
    card_arn,
    describe,
    metadata_only,
)
from reconciler.sandbox.sagemaker.package_cards import ARCHIVED, CardRules
from reconciler.sandbox.sagemaker.registry import ModelRegistry
from reconciler.sandbox.sagemaker.registry_service import GROUP_TAG_HANDLERS, REGISTRY_HANDLERS
from reconciler.sandbox.sagemaker.search import SearchIndex, search
from reconciler.sandbox.validation import check_input, service_model

_JOB_ARN = re.compile(
    r"arn:aws[a-z\-]*:sagemaker:([a-z0-9\-]*):(\d{12}):"
    r"model-card/([^/]+)/export-job/([^/]+)"
)
# Tag operations are the sandbox's only on model-card ARNs; other resources' tags are moto's.
_TAG_OPS = frozenset({"AddTags", "ListTags", "DeleteTags"})


class Authorizer(Protocol):
    """The part of the RAM service that SageMaker consults."""

    def authorize(
        self,
        consumer_account: str,
        resource_arn: str,
        action: str,
        principal_arn: str | None = None,
    ) -> None: ...
    def on_resource_deleted(self, arn: str) -> None: ...
    def resource_policy(self, resource_arn: str) -> dict[str, Any] | None: ...


class SageMakerService:
    """Model cards of all accounts; one lock serialises calls from the threaded server."""

    def __init__(
        self,
        config: Callable[[], SandboxConfig],
        clock: Callable[[], float],
        ram: Callable[[], Authorizer],
        iam: Callable[[], IdentityPolicies] = lambda: ALLOW_ALL,
    ) -> None:
        self._config, self._clock, self._ram, self._iam = config, clock, ram, iam
        self._lock = threading.RLock()
        self.cards = CardStore(clock, config)
        self.exports = ExportJobs(clock, config)
        self.registry = ModelRegistry(clock, self._card_rules)
        self.workloads = training.Workloads(clock)
        self.index = SearchIndex()

    def _card_rules(self) -> CardRules:
        config = self._config()
        return CardRules(
            content_locked=config.archived_refuses_content,
            status_locked=config.package_card_archived_refuses_status,
            schema=config.package_card_schema_enforced,
            together=config.package_card_content_and_status_together,
        )

    def handles(self, operation: str, params: dict[str, Any]) -> bool:
        """Whether this service answers the call (else it belongs to moto)."""
        if operation == "Search":
            return params.get("Resource") in ("ModelCard", "TrainingJob")
        if operation in _TAG_OPS:
            arn = str(params.get("ResourceArn", ""))
            return ":model-card/" in arn or ":model-package-group/" in arn
        return operation in HANDLERS or operation in training.HANDLERS

    def call(self, caller: Caller, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one operation for ``caller``; return the wire response or raise AwsError."""
        check_input(service_model("sagemaker").operation_model(operation), params)
        if operation in training.HANDLERS:
            return self._workload(caller, operation, params)
        handler = HANDLERS.get(operation)
        if operation in _TAG_OPS and ":model-package-group/" in str(params.get("ResourceArn")):
            handler = GROUP_TAG_HANDLERS[operation]
        if handler is None:
            # The front never gets here (``handles`` sends such calls to moto); a direct
            # call fails as a missing method would, before any state moves.
            raise AttributeError(f"SageMakerService has no handler for {operation}")
        with self._lock:
            self._tick()
            # Identity policies first, against state as it is: a denied call changes nothing.
            retire = self._config().kms_delete_needs_retire_grant
            requests = requests_for(
                self.cards.cards, caller, operation, params, retire, self.registry
            )
            self._iam().authorize(caller, requests)
            return handler(self, caller, params)

    def _workload(self, caller: Caller, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """A model or training job call, once IAM allows it."""
        with self._lock:
            tags = self.workloads.tags_of(caller, params)
            self._iam().authorize(caller, workload_requests(caller, operation, params, tags))
            return training.HANDLERS[operation](self.workloads, caller, params)

    def complete_training_job(
        self, account: str, region: str, name: str, outcome: dict[str, Any]
    ) -> dict[str, Any]:
        """End a training job as its algorithm would (the control API's seam)."""
        with self._lock:
            return self.workloads.complete(account, region, name, outcome)

    def card_exists(self, arn: str) -> bool:
        """ResourceDirectory for RAM: a live card (not being deleted) with this ARN."""
        match = CARD_ARN.fullmatch(arn)
        if match is None:
            return False
        region, account, name = match.groups()
        # No lock on purpose: RAM calls this while holding its own lock, and SageMaker
        # calls RAM while holding this one; a lock here could deadlock. A dict read is
        # atomic, and a card being deleted already counts as gone.
        card = self.cards.cards.get((account, region, name))
        return card is not None and card.deleted_at is None

    def group_exists(self, arn: str) -> bool:
        """ResourceDirectory for RAM: a model package group with this ARN (no lock, as
        ``card_exists``)."""
        return self.registry.group_exists(arn)

    def tick(self) -> None:
        """Let time-driven state progress (deletions finish, exports complete)."""
        with self._lock:
            self._tick()

    def _tick(self) -> None:
        if self.exports.pending():
            self.exports.progress()
        for card in self.cards.sweep():
            self._gone(card)

    def _gone(self, card: Card) -> None:
        self.exports.drop_card(card)
        self._ram().on_resource_deleted(card.arn)

    def _finish_deletion(self, caller: Caller, name: str) -> None:
        """A card of this name being deleted is gone at once (switch
        ``name_reserved_while_deleting`` off)."""
        card = self.cards.deleting(caller.account_id, caller.region, name)
        if card is not None:
            del self.cards.cards[(card.account, card.region, card.name)]
            self._gone(card)

    def reset(self) -> None:
        with self._lock:
            self.__init__(self._config, self._clock, self._ram, self._iam)  # type: ignore[misc]

    # -- resolution -------------------------------------------------------------

    def _resolve(self, caller: Caller, name_or_arn: str, action: str) -> Card:
        match = CARD_ARN.fullmatch(name_or_arn)
        if match is None:
            return self.cards.find(caller.account_id, caller.region, name_or_arn)
        region, account, name = match.groups()
        if region != caller.region or "/" in name:
            raise not_found(name_or_arn)
        if account != caller.account_id:
            self._authorize(caller, card_arn(region, account, name), action)
        return self.cards.find(account, region, name)

    def _authorize(self, caller: Caller, arn: str, action: str) -> None:
        self._ram().authorize(caller.account_id, arn, action, principal_arn=caller.arn)

    def _own_card_by_arn(self, caller: Caller, arn: str, action: str) -> Card:
        match = CARD_ARN.fullmatch(arn)
        if match is None or "/" in match.group(3):
            raise validation(f"Resource {arn} is not a model card ARN.")
        region, account, name = match.groups()
        if account != caller.account_id:
            raise access_denied(
                f"User: {caller.arn} is not authorized to perform: {action} on resource: {arn}"
            )
        card = self.cards.cards.get((account, region, name))
        if card is None or region != caller.region:
            raise validation(f"Resource {arn} does not exist.")
        return card

    # -- model cards ------------------------------------------------------------

    def _create_model_card(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        if not self._config().name_reserved_while_deleting:
            self._finish_deletion(caller, params["ModelCardName"])
        card = self.cards.create(caller, params, tags.parse_tags(params.get("Tags")))
        self.index.record(card, self._clock())
        return {"ModelCardArn": card.arn}

    def _describe_model_card(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._resolve(caller, params["ModelCardName"], "sagemaker:DescribeModelCard")
        version = card.version(params.get("ModelCardVersion"))
        if version is None:
            raise AwsError(
                "ResourceNotFound",
                f"Model card {card.name} version {params.get('ModelCardVersion')} does not exist.",
            )
        out = describe(card, version, self.cards.stage(card))
        if params.get("IncludedData") == "MetadataOnly":
            out["Content"] = metadata_only(version.content)
        return out

    def _update_model_card(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._resolve(caller, params["ModelCardName"], "sagemaker:UpdateModelCard")
        if self.cards.update(card, caller, params):
            self.index.record(card, self._clock())
        return {"ModelCardArn": card.arn}

    def _delete_model_card(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self.cards.find(caller.account_id, caller.region, params["ModelCardName"])
        # AWS undocumented: archived-deletable
        if card.latest.status == ARCHIVED and not self._config().archived_cards_deletable:
            raise validation(f"Model card {card.name} is Archived and cannot be deleted.")
        self.cards.delete(card)
        self.index.record(card, self._clock(), gone=True)
        return {}

    def _list_model_cards(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        return self.cards.list_cards(caller, params)

    def _list_model_card_versions(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._resolve(caller, params["ModelCardName"], "sagemaker:ListModelCardVersions")
        return self.cards.list_versions(card, params)

    # -- export jobs ------------------------------------------------------------

    def _create_model_card_export_job(
        self, caller: Caller, params: dict[str, Any]
    ) -> dict[str, Any]:
        card = self._resolve(caller, params["ModelCardName"], "sagemaker:CreateModelCardExportJob")
        if card.deleted_at is not None:
            raise AwsError("ConflictException", f"Model card {card.name} is being deleted.")
        version = card.version(params.get("ModelCardVersion"))
        if version is None:
            raise AwsError(
                "ResourceNotFound",
                f"Model card {card.name} version {params.get('ModelCardVersion')} does not exist.",
            )
        job = self.exports.create(
            card,
            params["ModelCardExportJobName"],
            version.number,
            params["OutputConfig"]["S3OutputPath"],
            may_write=lambda job: self._may_write(caller, job),
        )
        return {"ModelCardExportJobArn": job.arn}

    def _may_write(self, caller: Caller, job: ExportJob) -> str | None:
        bucket, key = artifact_key(job)
        request = AccessRequest("s3:PutObject", {"object": f"arn:aws:s3:::{bucket}/{key}"}, via=VIA)
        try:
            self._iam().authorize(caller, [request])
        except AwsError as denial:
            return denial.message
        return None

    def _describe_model_card_export_job(
        self, caller: Caller, params: dict[str, Any]
    ) -> dict[str, Any]:
        arn = params["ModelCardExportJobArn"]
        match = _JOB_ARN.fullmatch(arn)
        if match is None or match.group(1) != caller.region:
            raise AwsError("ResourceNotFound", f"Model card export job {arn} does not exist.")
        region, account, card_name, _ = match.groups()
        if account != caller.account_id:
            self._authorize(
                caller, card_arn(region, account, card_name), "sagemaker:DescribeModelCardExportJob"
            )
        return self.exports.find(arn).describe()

    def _list_model_card_export_jobs(
        self, caller: Caller, params: dict[str, Any]
    ) -> dict[str, Any]:
        card = self.cards.cards.get((caller.account_id, caller.region, params["ModelCardName"]))
        return self.exports.list_jobs([card] if card else [], params)

    # -- model registry ---------------------------------------------------------

    def authorize_shared(self, caller: Caller, group_arn: str, action: str) -> None:
        """Raise unless RAM shares the group ``group_arn`` with ``caller`` for ``action``."""
        self._authorize(caller, group_arn, action)

    def config(self) -> SandboxConfig:
        return self._config()

    def ram_policy(self, group_arn: str) -> dict[str, Any] | None:
        """The resource policy RAM keeps on the group, if a share holds it."""
        return self._ram().resource_policy(group_arn)

    # -- search and tags --------------------------------------------------------

    def _search(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        config = self._config()
        if params.get("SortBy") == "ModelCardName" and not config.search_sorts_by_name:
            raise validation("SortBy ModelCardName is not supported for Resource ModelCard.")
        if params.get("Resource") == "TrainingJob":
            return self.workloads.search_jobs(caller, params, config.search_index_delay_seconds)
        as_of = self._clock() - config.search_index_delay_seconds
        return search(self.index.visible(caller.account_id, caller.region, as_of), params)

    def _add_tags(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._own_card_by_arn(caller, params["ResourceArn"], "sagemaker:AddTags")
        card.tags = tags.add_tags(card.tags, params["Tags"])
        self.index.record(card, self._clock())
        return {"Tags": params["Tags"]}

    def _list_tags(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._own_card_by_arn(caller, params["ResourceArn"], "sagemaker:ListTags")
        return tags.list_tags(card.tags, params)

    def _delete_tags(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        card = self._own_card_by_arn(caller, params["ResourceArn"], "sagemaker:DeleteTags")
        card.tags = {k: v for k, v in card.tags.items() if k not in set(params["TagKeys"])}
        self.index.record(card, self._clock())
        return {}


# Every operation this service answers; ``handles`` narrows Search and the tag calls.
Handler = Callable[[SageMakerService, Caller, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "CreateModelCard": SageMakerService._create_model_card,
    "DescribeModelCard": SageMakerService._describe_model_card,
    "UpdateModelCard": SageMakerService._update_model_card,
    "DeleteModelCard": SageMakerService._delete_model_card,
    "ListModelCards": SageMakerService._list_model_cards,
    "ListModelCardVersions": SageMakerService._list_model_card_versions,
    "CreateModelCardExportJob": SageMakerService._create_model_card_export_job,
    "DescribeModelCardExportJob": SageMakerService._describe_model_card_export_job,
    "ListModelCardExportJobs": SageMakerService._list_model_card_export_jobs,
    **REGISTRY_HANDLERS,
    "Search": SageMakerService._search,
    "AddTags": SageMakerService._add_tags,
    "ListTags": SageMakerService._list_tags,
    "DeleteTags": SageMakerService._delete_tags,
}
