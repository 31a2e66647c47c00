"""Calls that must not act twice: a model package's approval (each one is an event that
deployment pipelines listen to).

botocore retries a call after throttling or a server error, but a server error, or a lost
connection, can come after the call took effect: its answer was lost. Such a call is made
with a client that tries each call once (``AwsSession.single_attempt``); after a failure
that another attempt may get past, what the call should have done is read first, and the
call is made again only if it did not happen. The pause between attempts is botocore's
standard one: random, up to 2 ** attempt seconds, at most 20.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, ReadTimeoutError

from reconciler.aws.session import error_code

MAX_BACKOFF = 20.0
_THROTTLED = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
)


def at_most_once(
    call: Callable[[], Any],
    took_effect: Callable[[], bool],
    attempts: int,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Make ``call`` (one attempt each time) until it succeeds or ``took_effect`` says a
    failed attempt acted anyway; at most ``attempts`` times. True when this attempt made
    the change, False when an earlier one had; the last failure is raised."""
    for attempt in range(1, attempts + 1):
        try:
            call()
            return True
        except (ClientError, BotoCoreError) as e:
            if attempt == attempts or not _may_pass(e):
                raise
        if took_effect():
            return False
        sleep(random.random() * min(MAX_BACKOFF, 2.0 ** (attempt - 1)))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _may_pass(failure: ClientError | BotoCoreError) -> bool:
    """Whether another attempt may succeed: throttling, a server error, a lost connection."""
    if isinstance(failure, BotoCoreError):
        return isinstance(failure, (ConnectionError, ReadTimeoutError))
    status = failure.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status >= 500 or status == 429 or error_code(failure) in _THROTTLED
