"""boto3 sessions and clients, configured the same way against AWS and the sandbox.

Retries use botocore's ``standard`` (or ``adaptive``, client-side rate limiting) mode with
an explicit attempt count: ``aws:`` in reconciler.yaml, overridden by ``AWS_RETRY_MODE`` and
``AWS_MAX_ATTEMPTS`` when set. Every client decides retries with botocore's own standard
conditions and jittered exponential backoff, but without botocore's retry quota (500
tokens per client, five per throttled retry, 14 per 5xx): a long burst of throttling then
slows a run down instead of failing calls that still had attempts left.

Every API call and every HTTP attempt is counted per operation so ``--stats`` can show
what a run cost. ``AWS_ENDPOINT_URL`` is honoured by botocore itself;
``endpoint_url`` overrides it.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)
from botocore.retries.quota import RetryQuota
from botocore.retries.standard import (
    ExponentialBackoff,
    RetryEventAdapter,
    RetryHandler,
    RetryPolicy,
    RetryQuotaChecker,
    StandardRetryConditions,
    ThrottlingErrorDetector,
)

from reconciler.common.errors import ReconcilerError

RETRY_MODES = ("standard", "adaptive")
_DEEP_QUOTA = 10**9  # retries are bounded by the attempt count, not by a shared budget
DEFAULT_MAX_ATTEMPTS = 10


@dataclass(frozen=True, kw_only=True)
class AwsSettings:
    region: str
    endpoint_url: str | None = None
    role_arn: str | None = None
    retry_mode: str = "standard"
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    max_workers: int = 8

    @classmethod
    def resolved(
        cls, *, retry_mode: str | None, max_attempts: int | None, **fields: Any
    ) -> AwsSettings:
        """Settings where ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS``, when set, override
        reconciler.yaml's ``aws:`` (an operator's run-time choice), which overrides the
        defaults."""
        env_mode = os.environ.get("AWS_RETRY_MODE")
        env_attempts = os.environ.get("AWS_MAX_ATTEMPTS")
        mode = env_mode if env_mode in RETRY_MODES else retry_mode or "standard"
        attempts = int(env_attempts) if env_attempts and env_attempts.isdigit() else max_attempts
        return cls(retry_mode=mode, max_attempts=attempts or DEFAULT_MAX_ATTEMPTS, **fields)


class CallStats:
    """Thread-safe counts of API calls and HTTP attempts, keyed ``service.Operation``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()

    def hook(self, client: Any) -> None:
        service = client.meta.service_model.service_name
        client.meta.events.register("before-call.*.*", self._counter(self.calls, service))
        client.meta.events.register("before-send.*.*", self._counter(self.attempts, service))

    def _counter(self, table: Counter[str], service: str) -> Callable[..., None]:
        def count(event_name: str = "", **_: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            with self._lock:
                table[f"{service}.{operation}"] += 1

        return count

    def total(self, service: str) -> int:
        return sum(n for key, n in self.calls.items() if key.startswith(service + "."))


@cache
def _shared_loader() -> Any:
    return botocore.loaders.create_loader()


def new_session(**credentials: str) -> boto3.session.Session:
    """A boto3 session that shares one botocore data loader with every other session of
    the process, so service models are parsed once, not once per assumed role."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _shared_loader())
    return boto3.session.Session(botocore_session=core, **credentials)


class AwsSession:
    """Clients for one identity (ambient credentials, or an assumed role) and region."""

    def __init__(
        self,
        settings: AwsSettings,
        stats: CallStats | None = None,
        session: boto3.session.Session | None = None,
    ) -> None:
        self.settings = settings
        self.stats = stats or CallStats()
        self._session = session or new_session()
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

        if settings.role_arn:
            self._session = self._assumed(settings.role_arn, "modelcard-reconciler")
            self._clients.clear()  # the STS client that assumed the role is the caller's

    def client(self, service: str) -> Any:
        """One shared client per service (boto3 clients are thread-safe)."""
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._new_client(service)
            return self._clients[service]

    def _new_client(self, service: str) -> Any:
        try:
            client = self._session.client(
                service, endpoint_url=self.settings.endpoint_url, config=self._config()
            )
        except ValueError as e:  # botocore's "Invalid endpoint: ..."
            raise ReconcilerError(
                f"cannot use the endpoint: {e}",
                hint="give a full URL such as http://127.0.0.1:4566 in "
                "--endpoint-url or AWS_ENDPOINT_URL",
            ) from e
        self.stats.hook(client)
        _without_retry_quota(client, self.settings.max_attempts)
        return client

    def _config(self) -> BotoConfig:
        return BotoConfig(
            region_name=self.settings.region,
            retries={
                "mode": self.settings.retry_mode,
                "total_max_attempts": self.settings.max_attempts,
            },
            max_pool_connections=max(10, self.settings.max_workers * 2),
            user_agent_extra="modelcard-reconciler",
        )

    def assume(self, role_arn: str, session_name: str) -> AwsSession:
        """A session acting through ``role_arn``, sharing this session's call counts."""
        settings = replace(self.settings, role_arn=None)
        return AwsSession(settings, self.stats, self._assumed(role_arn, session_name))

    def single_attempt(self) -> AwsSession:
        """The same identity, with clients that try each call once: for a caller that wants
        to see throttling rather than have it retried away."""
        settings = replace(self.settings, role_arn=None, max_attempts=1)
        return AwsSession(settings, self.stats, self._session)

    def _assumed(self, role_arn: str, session_name: str) -> boto3.session.Session:
        with aws_errors(f"assuming role {role_arn}"):
            creds = self.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=session_name)[
                "Credentials"
            ]
        return new_session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )

    def caller_account(self) -> str:
        with aws_errors("reading the caller identity (sts:GetCallerIdentity)"):
            account: str = self.client("sts").get_caller_identity()["Account"]
        return account

    def require_account(self, expected: str) -> None:
        """Refuse to go on with credentials for any account but ``expected``."""
        actual = self.caller_account()
        if actual != expected:
            raise ReconcilerError(
                f"the credentials are for account {actual}, but reconciler.yaml says the card "
                f"account is {expected}",
                hint="use credentials (or card_account.role_arn) for the card account, "
                "or fix card_account.id",
            )


def _without_retry_quota(client: Any, max_attempts: int) -> None:
    """Replace the client's standard retry handler with the same one (botocore's conditions
    and backoff: 1 s base for throttling, 50 ms otherwise, full jitter, at most 20 s) whose
    retry quota never runs dry."""
    name = client.meta.service_model.service_id.hyphenize()
    handler = _retry_handler(name, max_attempts)
    event, unique_id = f"needs-retry.{name}", f"retry-config-{name}"
    client.meta.events.unregister(event, unique_id=unique_id)
    client.meta.events.register(event, handler.needs_retry, unique_id=unique_id)


def _retry_handler(name: str, max_attempts: int) -> RetryHandler:
    """botocore's standard retry handler for service ``name``, with a deep retry quota."""
    events = RetryEventAdapter()
    throttling = ThrottlingErrorDetector(events)
    return RetryHandler(
        retry_policy=RetryPolicy(
            retry_checker=StandardRetryConditions(max_attempts=max_attempts),
            retry_backoff=ExponentialBackoff(service_name=name, throttling_detector=throttling),
        ),
        retry_event_adapter=events,
        retry_quota=RetryQuotaChecker(RetryQuota(initial_capacity=_DEEP_QUOTA), throttling),
        service_name=name,
    )


def error_code(error: ClientError) -> str:
    code: str = error.response.get("Error", {}).get("Code", "")
    return code


@contextmanager
def aws_errors(doing: str) -> Iterator[None]:
    """Turn botocore failures into ReconcilerErrors that say what was being done."""
    try:
        yield
    except ClientError as e:
        detail = e.response.get("Error", {})
        raise ReconcilerError(
            f"AWS refused {doing}: {detail.get('Code')}: {detail.get('Message')}",
            hint=_hint(error_code(e)),
        ) from e
    except BotoCoreError as e:
        raise _not_called(doing, e) from e


def _not_called(doing: str, e: BotoCoreError) -> ReconcilerError:
    """Why botocore could not make the call, and what to check."""
    if isinstance(e, EndpointConnectionError):
        return ReconcilerError(
            f"{doing} failed: nothing answers at {e.kwargs.get('endpoint_url')}",
            hint="is the endpoint (or the sandbox) running? Check "
            "AWS_ENDPOINT_URL or --endpoint-url",
        )
    if isinstance(e, NoCredentialsError):
        return ReconcilerError(
            f"{doing} failed: no AWS credentials found",
            hint="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or run where an instance or OIDC role provides them",
        )
    return ReconcilerError(f"{doing} failed: {e}", hint="check credentials, region and endpoint")


def _hint(code: str) -> str | None:
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
        return "the role lacks a permission; `reconciler iam-policy` prints what each role needs"
    if code in ("ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId"):
        return "refresh the credentials"
    return None


def pages(
    call: Callable[..., dict[str, Any]], items_key: str, token_key: str, **kwargs: Any
) -> Iterator[Any]:
    """Every item of a paginated list call, looping until the token is empty.

    RAM may return an empty page before the end, so emptiness never stops the loop.
    """
    token: str | None = None
    while True:
        page = call(**kwargs, **({token_key: token} if token else {}))
        yield from page.get(items_key, [])
        token = page.get(token_key)
        if not token:
            return


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """``items`` in lists of at most ``size``, for APIs that cap the entries per call."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
