"""Execute a plan's changes in order, stopping at the first failure.

Each change is one step. A step is done, failed (with the AWS error code and message) or
not attempted; nothing after a failure runs, and running apply again converges because
every step either checks what exists or is idempotent through its clientToken. Throttling
and 5xx errors are retried by botocore (standard mode, backoff with jitter) before a step
fails; validation errors are not retried.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from reconciler.apply import cards, shares
from reconciler.apply.context import StepContext, client_token
from reconciler.apply.report import Step, StepStatus
from reconciler.aws.session import AwsSession
from reconciler.aws.waits import WaitFailed, WaitSettings
from reconciler.plan.model import Action, Change, Plan, change_to_json

Handler = Callable[[StepContext, Change], str]

HANDLERS: dict[Action, Handler] = {
    Action.ADOPT: shares.adopt,
    Action.CREATE_PERMISSION: shares.create_permission,
    Action.UPDATE_PERMISSION: shares.update_permission,
    Action.CREATE_CARD: cards.create_card,
    Action.REPLACE_CARD: cards.replace_card,
    Action.UPDATE_CONTENT: cards.update_content,
    Action.UPDATE_STATUS: cards.update_status,
    Action.UPDATE_TAGS: cards.update_tags,
    Action.CREATE_SHARE: shares.create_share,
    Action.UPDATE_SHARE: shares.update_share,
    Action.SET_PERMISSION: shares.set_permission,
    Action.ASSOCIATE_RESOURCES: shares.associate_resources,
    Action.ASSOCIATE_PRINCIPALS: shares.associate_principals,
    Action.DISASSOCIATE_PRINCIPALS: shares.disassociate_principals,
    Action.DISASSOCIATE_RESOURCES: shares.disassociate_resources,
    Action.DELETE_SHARE: shares.delete_share,
    Action.DELETE_CARD: cards.delete_card,
}


def execute(
    session: AwsSession,
    plan: Plan,
    waits: WaitSettings,
    progress: Callable[[Step], None] = lambda step: None,
) -> tuple[Step, ...]:
    """Run every change in order; after a failure the rest are not attempted."""
    sagemaker, ram = session.client("sagemaker"), session.client("ram")
    run_id, steps, failed = f"{plan.checksum()}/{uuid.uuid4()}", [], False
    for change in (*plan.adoptions, *plan.changes):
        if failed:
            step = Step(change.address, change.action.value, StepStatus.NOT_ATTEMPTED)
        else:
            token = client_token(run_id, json.dumps(change_to_json(change), sort_keys=True))
            step = _run(StepContext(sagemaker, ram, token, waits), change)
            failed = step.status is StepStatus.FAILED
        steps.append(step)
        progress(step)
    return tuple(steps)


def _run(ctx: StepContext, change: Change) -> Step:
    start = time.monotonic()
    base = (change.address, change.action.value)
    try:
        detail = HANDLERS[change.action](ctx, change)
    except ClientError as e:
        error = e.response.get("Error", {})
        return Step(
            *base,
            StepStatus.FAILED,
            _call_of(e),
            error.get("Code", "Unknown"),
            error.get("Message", str(e)),
            time.monotonic() - start,
        )
    except WaitFailed as e:
        return Step(
            *base, StepStatus.FAILED, "waiting for AWS", e.code, e.message, time.monotonic() - start
        )
    except BotoCoreError as e:
        return Step(
            *base,
            StepStatus.FAILED,
            "calling AWS",
            type(e).__name__,
            str(e),
            time.monotonic() - start,
        )
    return Step(*base, StepStatus.DONE, detail, seconds=time.monotonic() - start)


def _call_of(error: ClientError) -> str:
    return f"{error.operation_name} failed"
