"""Bounded polling with backoff and jitter for RAM's asynchronous associations,
SageMaker's asynchronous card deletion and model-card export jobs. No waiters exist in
botocore for any of them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code, pages


class WaitFailed(Exception):
    """An asynchronous operation failed or did not finish in time."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True, kw_only=True)
class WaitSettings:
    timeout: float = 300.0
    first_delay: float = 0.1
    max_delay: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    # An account still ASSOCIATING after this long has an invitation to accept, even in the
    # Organization (RAM sharing with the Organization may be off): stop waiting for it.
    invitation_grace: float = 15.0


def poll(
    settings: WaitSettings, done: Callable[[], str | None], what: str, *, pause_first: bool = False
) -> str:
    """Call ``done`` until it returns a result, sleeping with capped, jittered backoff;
    ``pause_first``: sleep once before the first look too (for what is never done at
    once, so looking at once would only cost a call)."""
    deadline, delay = time.monotonic() + settings.timeout, settings.first_delay
    if pause_first:
        settings.sleep(delay * random.uniform(0.5, 1.0))
    while True:
        result = done()
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            raise _timed_out(what, settings)
        settings.sleep(delay * random.uniform(0.5, 1.0))
        delay = min(settings.max_delay, delay * 2)


def _timed_out(what: str, settings: WaitSettings) -> WaitFailed:
    return WaitFailed(
        "Timeout",
        f"{what} did not finish within {settings.timeout:g} s; "
        "apply again later, and if it repeats, check it in the AWS "
        "console",
    )


def associations_settled(
    ram: Any,
    share_arn: str,
    members: Mapping[str, list[str]],
    target: str,
    settings: WaitSettings,
) -> list[str]:
    """Wait until each entity reaches ``target`` (ASSOCIATED or DISASSOCIATED); ``members``
    by association type (RESOURCE, PRINCIPAL), each looked at in that order every round.
    Returns what each type came to, in that order.

    A principal outside the Organization stays ASSOCIATING until it accepts the invitation;
    for the owner that is the end state, reported as "invitation sent". So is an account in
    the Organization that is still ASSOCIATING after ``invitation_grace``: with RAM sharing
    with the Organization off, it gets an invitation too, and RAM's ``external`` says no.
    """

    if not members:
        return []  # nothing associated, nothing to wait for
    settling = _Settling(ram, share_arn, members, target=target, settings=settings)
    kinds = " and ".join(k.lower() for k in members)
    # An association is asynchronous: RAM reports it ASSOCIATING first, so the first look
    # comes after a pause.
    poll(settings, settling.check, f"{kinds} association of {share_arn}", pause_first=True)
    return [settling.found[kind] for kind in members]


_Seen = tuple[str, bool, str | None]  # an entity's status, whether external, the message
_NOT_SEEN: _Seen = ("DISASSOCIATED", False, None)
_Outcome = Literal["settled", "invited", "on its way"]


class _Settling:
    """What each association type of a share has come to (``found``), looked at in one
    round of ``check``; a type is not looked at again once it has settled."""

    def __init__(
        self,
        ram: Any,
        share_arn: str,
        members: Mapping[str, list[str]],
        *,
        target: str,
        settings: WaitSettings,
    ) -> None:
        self._ram, self._share_arn, self._members = ram, share_arn, members
        self._target, self._grace = target, settings.invitation_grace
        self._started = time.monotonic()
        self.found: dict[str, str] = {}

    def check(self) -> str | None:
        for kind, entities in self._members.items():
            if kind not in self.found and (result := self._check_one(kind, entities)) is not None:
                self.found[kind] = result
        return "settled" if len(self.found) == len(self._members) else None

    def _check_one(self, kind: str, entities: list[str]) -> str | None:
        """What the entities of ``kind`` came to; None while one is on its way."""
        status = _statuses(self._ram, self._share_arn, kind)
        graced = time.monotonic() - self._started >= self._grace
        pending = []
        for entity in entities:
            outcome = self._outcome(kind, entity, status.get(entity, _NOT_SEEN), graced)
            if outcome == "on its way":
                return None
            if outcome == "invited":
                pending.append(entity)
        return f"invitation sent to {', '.join(pending)}" if pending else self._target.lower()

    def _outcome(self, kind: str, entity: str, seen: _Seen, graced: bool) -> _Outcome:
        """ "settled", "invited" (an account that must accept an invitation first), or "on
        its way"; WaitFailed when RAM says the association failed."""
        state, external, message = seen
        if state == "FAILED":
            raise WaitFailed("AssociationFailed", f"{entity}: {message or 'no message'}")
        if state == self._target:
            return "settled"
        invited = external or (graced and kind == "PRINCIPAL" and entity.isdigit())
        if self._target == "ASSOCIATED" and state == "ASSOCIATING" and invited:
            return "invited"
        return "on its way"


def _statuses(ram: Any, share_arn: str, kind: str) -> dict[str, _Seen]:
    items = pages(
        ram.get_resource_share_associations,
        "resourceShareAssociations",
        "nextToken",
        associationType=kind,
        resourceShareArns=[share_arn],
    )
    return {
        i["associatedEntity"]: (i["status"], bool(i.get("external")), i.get("statusMessage"))
        for i in items
    }


def card_deleted(sagemaker: Any, name: str, settings: WaitSettings) -> str:
    """Wait until DescribeModelCard says the card no longer exists."""

    def check() -> str | None:
        try:
            card = sagemaker.describe_model_card(ModelCardName=name)
        except ClientError as e:
            if error_code(e) == "ResourceNotFound":
                return "deleted"
            raise
        if card.get("ModelCardProcessingStatus") == "DeleteFailed":
            raise WaitFailed("DeleteFailed", f"SageMaker could not delete model card {name}")
        return None

    return poll(settings, check, f"deletion of model card {name}")


def export_finished(
    sagemaker: Any,
    job_arn: str,
    settings: WaitSettings,
    foreign: Callable[[Mapping[str, Any]], str | None] = lambda job: None,
) -> str:
    """Wait until a model-card export job completes; its PDF's S3 URI. A failed job raises
    WaitFailed with SageMaker's FailureReason; a job ``foreign`` says is not the one the
    caller would have made raises WaitFailed ``ForeignExportJob`` with its sentence, on
    every answer (so its URI is never returned)."""

    def check() -> str | None:
        job = sagemaker.describe_model_card_export_job(ModelCardExportJobArn=job_arn)
        why = foreign(job)
        if why is not None:
            raise WaitFailed("ForeignExportJob", why)
        if job["Status"] == "Failed":
            raise WaitFailed("ExportFailed", job.get("FailureReason") or "no reason given")
        if job["Status"] == "Completed":
            return str(job.get("ExportArtifacts", {}).get("S3ExportArtifacts", ""))
        return None

    return poll(settings, check, f"model card export job {job_arn}")
