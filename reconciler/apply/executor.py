"""Execute a plan's changes: each payload through its handler, in the order and with the
parallelism ``schedule`` decides, stopping at the first failure.

Each change is one step. A step is done, failed (with the AWS error code and message) or
not attempted; nothing after a failure runs, and running apply again converges because
every step either checks what exists or is idempotent through its clientToken. Throttling
and 5xx errors are retried by botocore (standard mode, backoff with jitter) before a step
fails; validation errors are not retried.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from botocore.exceptions import BotoCoreError, ClientError
from typing_extensions import assert_never

from reconciler.apply import audit, cards, registry, shares
from reconciler.apply.context import StepContext, client_token
from reconciler.apply.gate import Gate, Stopped
from reconciler.apply.report import Step, StepStatus
from reconciler.apply.schedule import run_in_order
from reconciler.aws.session import AwsSession
from reconciler.aws.waits import WaitFailed, WaitSettings
from reconciler.plan.model import Action, Change, Plan
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreateCard,
    CreatePermission,
    CreateShare,
    DeleteCard,
    DeleteShare,
    ExportCard,
    ReplaceCard,
    ReplicateCard,
    SetPermission,
    UpdateContent,
    UpdatePackageApproval,
    UpdatePermission,
    UpdateShare,
    UpdateStatus,
    UpdateTags,
    UpdateVersion,
)

DEFAULT_PARALLELISM = 10
ASSOCIATING = frozenset({Action.ASSOCIATE_RESOURCES, Action.ASSOCIATE_PRINCIPALS})


# The payloads of each handler module (``cards``, ``audit`` and ``registry``, ``shares``):
# ``dispatch`` matches one group at a time, each to the end.
CardPayload = (
    CreateCard
    | ReplaceCard
    | UpdateContent
    | UpdateStatus
    | UpdateTags
    | ReplicateCard
    | DeleteCard
)
AuditPayload = UpdatePackageApproval | UpdateVersion | ExportCard
RamPayload = (
    Adopt
    | CreatePermission
    | UpdatePermission
    | CreateShare
    | UpdateShare
    | SetPermission
    | ChangeMembers
    | DeleteShare
)


def dispatch(ctx: StepContext, change: Change) -> str:
    """Run one change's payload through its handler; returns what was done."""
    payload = change.payload
    if isinstance(payload, CardPayload):
        return _card_step(ctx, change, payload)
    if isinstance(payload, AuditPayload):
        return _audit_step(ctx, payload)
    return _ram_step(ctx, change, payload)


def _card_step(ctx: StepContext, change: Change, payload: CardPayload) -> str:
    match payload:
        case CreateCard():
            return cards.create_card(ctx, payload)
        case ReplaceCard():
            return cards.replace_card(ctx, payload)
        case UpdateContent():
            return cards.update_content(ctx, payload, fields=len(change.fields))
        case UpdateStatus():
            return cards.update_status(ctx, payload)
        case UpdateTags():
            return cards.update_tags(ctx, payload)
        case ReplicateCard():
            return cards.replicate_card(ctx, payload)
        case DeleteCard():
            return cards.delete_card(ctx, payload)
        case _:
            assert_never(payload)


def _audit_step(ctx: StepContext, payload: AuditPayload) -> str:
    match payload:
        case UpdatePackageApproval():
            return audit.update_package_approval(ctx, payload)
        case UpdateVersion():
            return registry.update_version(ctx, payload)
        case ExportCard():
            return audit.export_card(ctx, payload)
        case _:
            assert_never(payload)


def _ram_step(ctx: StepContext, change: Change, payload: RamPayload) -> str:
    match payload:
        case Adopt():
            return shares.adopt(ctx, payload)
        case CreatePermission():
            return shares.create_permission(ctx, payload)
        case UpdatePermission():
            return shares.update_permission(ctx, payload)
        case CreateShare():
            return shares.create_share(ctx, payload)
        case UpdateShare():
            return shares.update_share(ctx, payload)
        case SetPermission():
            return shares.set_permission(ctx, payload)
        case ChangeMembers():
            return shares.change_members(ctx, payload, add=change.action in ASSOCIATING)
        case DeleteShare():
            return shares.delete_share(ctx, payload)
        case _:
            assert_never(payload)


def execute(
    session: AwsSession,
    plan: Plan,
    waits: WaitSettings,
    progress: Callable[[Step], None] = lambda step: None,
    parallelism: int = DEFAULT_PARALLELISM,
    commit: str | None = None,
    cards_final: Callable[[], None] = lambda: None,
) -> tuple[Step, ...]:
    """Run every change in its phase (``schedule``); after a failure nothing new starts.
    ``cards_final``: called once the remaining phases change only RAM."""
    changes = (*plan.adoptions, *plan.changes)
    work = _Work(session, changes, waits=waits, commit=commit)
    return run_in_order(changes, work, parallelism, progress, cards_final)


class _Work:
    """One apply's ``work``: a change run as a step through its handler, with the clients
    and a clientToken from this run (a random id) and the change's place in the plan."""

    def __init__(
        self,
        session: AwsSession,
        changes: Sequence[Change],
        *,
        waits: WaitSettings,
        commit: str | None,
    ) -> None:
        self._sagemaker, self._ram = session.client("sagemaker"), session.client("ram")
        self._once = session.single_attempt().client("sagemaker")
        self._attempts = session.settings.max_attempts
        self._run_id = str(uuid.uuid4())
        self._position = {id(change): index for index, change in enumerate(changes)}
        self._waits, self._commit = waits, commit

    def __call__(self, change: Change, gate: Gate) -> Step:
        key = f"{self._position[id(change)]}\n{change.address}\n{change.action.value}"
        token = client_token(self._run_id, key)
        ctx = StepContext(
            sagemaker=self._sagemaker,
            ram=self._ram,
            token=token,
            waits=self._waits,
            commit=self._commit,
            ready=gate,
            sagemaker_once=self._once,
            max_attempts=self._attempts,
        )
        return _run(ctx, change)


def _step(change: Change, status: StepStatus) -> Step:
    return Step(address=change.address, action=change.action, status=status)


def _run(ctx: StepContext, change: Change) -> Step:
    start = time.monotonic()
    try:
        detail = dispatch(ctx, change)
    except (ClientError, WaitFailed, BotoCoreError) as e:
        return _failed(change, start, *_aws_error(e))
    except Stopped as e:
        return _stopped(change, start, e)
    return replace(_step(change, StepStatus.DONE), detail=detail, seconds=time.monotonic() - start)


def _aws_error(e: ClientError | WaitFailed | BotoCoreError) -> tuple[str, str, str]:
    """What failed, AWS's error code and its message."""
    if isinstance(e, ClientError):
        error = e.response.get("Error", {})
        code, message = error.get("Code", "Unknown"), error.get("Message", str(e))
        return f"{e.operation_name} failed", code, message
    if isinstance(e, WaitFailed):
        return "waiting for AWS", e.code, e.message
    return "calling AWS", type(e).__name__, str(e)


def _stopped(change: Change, start: float, e: Stopped) -> Step:
    """Not attempted when stopped before its first call; else failed, saying how far it got."""
    if not e.done:
        return _step(change, StepStatus.NOT_ATTEMPTED)
    message = f"an earlier step failed, so this one stopped: {e.done}; apply again to finish it"
    return _failed(change, start, "stopped", "StoppedByEarlierFailure", message)


def _failed(change: Change, start: float, detail: str, code: str, message: str) -> Step:
    return replace(
        _step(change, StepStatus.FAILED),
        detail=detail,
        error_code=code,
        error_message=message,
        seconds=time.monotonic() - start,
    )
