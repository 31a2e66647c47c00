"""``Sandbox``: one running emulator of SageMaker model cards and RAM across accounts.

Owns the pieces and their lifecycle: config, clock, faults, identity, the SageMaker and
RAM services, IAM and STS (``iam``), moto's WSGI app behind the front, and the HTTP server.
``reset()`` returns everything (sandbox state, moto's backends, clock, faults, config) to
how the sandbox was constructed; client credentials stay valid across resets.

``credentials`` (and ``client``) give tests a session of a role: of a role the accounts
file declares, directly (the sandbox's own door, as a console sign-in would be); of any
other role, through STS ``AssumeRole`` from the account's first declared all-powerful role,
so that role's trust policy is evaluated as AWS evaluates it. ``oidc_token`` mints a web
identity token the sandbox's OIDC issuers sign (``iam.oidc``).
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import boto3
from botocore.config import Config

from reconciler.sandbox import selftest
from reconciler.sandbox.caller import Session
from reconciler.sandbox.clock import SandboxClock
from reconciler.sandbox.cloudformation import resources as cloudformation
from reconciler.sandbox.cloudtrail.lookup import LookupRate
from reconciler.sandbox.cloudtrail.trail import Trail
from reconciler.sandbox.config import SandboxConfig, declared_role
from reconciler.sandbox.declared import GITHUB_ISSUER
from reconciler.sandbox.faults import FaultInjector, FaultSettings
from reconciler.sandbox.http import s3
from reconciler.sandbox.http.app import Front
from reconciler.sandbox.http.server import HttpServer
from reconciler.sandbox.iam.enforcer import IamEnforcer
from reconciler.sandbox.iam.oidc import OidcIssuers
from reconciler.sandbox.iam.source import PolicySource
from reconciler.sandbox.iam.trust import Trust
from reconciler.sandbox.identity import IdentityResolver, current_role_id, install_stable_role_ids
from reconciler.sandbox.ram.service import RamService
from reconciler.sandbox.sagemaker.service import SageMakerService

DUMMY_KEY = "testing"


def _moto_app() -> Any:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def reset_moto() -> None:
    """Clear every moto backend (what ``POST /moto-api/reset`` does)."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


class Sandbox:
    """A local multi-account AWS for model cards and RAM, served over real HTTP."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        *,
        faults: FaultSettings | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        verbose: bool = False,
    ) -> None:
        selftest.check()
        install_stable_role_ids()
        cloudformation.install()
        s3.install()
        self._initial_config = self._config = config or SandboxConfig()
        self._initial_faults = faults if faults is not None else FaultSettings.from_env()
        self.clock = SandboxClock(clock)
        self.faults = FaultInjector(copy.deepcopy(self._initial_faults))
        self.identity = IdentityResolver(lambda: self._config)
        self._iam_parts()
        self.sagemaker = SageMakerService(
            lambda: self._config, self.clock, lambda: self.ram, lambda: self.iam
        )
        self.ram = RamService(lambda: self._config, self.sagemaker, self.clock, lambda: self.iam)
        self.trail = Trail(
            self.clock,
            lambda: self._config.cloudtrail_cross_account_events,
            lambda: self._config.cloudtrail_package_card_content,
        )
        self.lookups = LookupRate(self.clock, lambda: self._config.cloudtrail_lookups_per_second)
        self._host, self._port, self._verbose, self._front = host, port, verbose, self._make_front()
        self._server: HttpServer | None = None
        self._session = boto3.session.Session()
        self._credentials: dict[tuple[str, str, str | None], dict[str, str]] = {}
        self._lock = threading.Lock()

    def _iam_parts(self) -> None:
        """IAM's policies and decisions, STS's trust decisions and the OIDC issuers."""
        self.policies = PolicySource(lambda: self._config)
        self.iam = IamEnforcer(lambda: self._config, self.policies, self.clock)
        self.oidc = OidcIssuers(lambda: self._config.oidc_issuers, self.clock)
        self.trust = Trust(self.iam, self.oidc, lambda: self._config, self.clock)

    def _make_front(self) -> Front:
        return Front(
            identity=self.identity,
            sagemaker=self.sagemaker,
            ram=lambda: self.ram,
            faults=self.faults,
            control=self,
            moto_app=_moto_app(),
            on_iam_write=self.policies.invalidate,
            iam=self.iam,
            config=lambda: self._config,
            trail=self.trail,
            trust=self.trust,
            lookups=self.lookups,
        )

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._server is None:
            self._server = HttpServer(
                self._front, self._host, self._port, self._verbose, clock=self.clock
            )
            self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._server.endpoint

    # -- control (also reachable under /_sandbox/) --------------------------------

    @property
    def config(self) -> SandboxConfig:
        return self._config

    def configure(self, config: SandboxConfig) -> None:
        """Replace the configuration (Organization, delays, roles, ...) while running."""
        self._config = config
        self.policies.invalidate()

    def reset(self) -> None:
        """Forget all state: cards, shares, moto's resources, clock offset, faults, config."""
        self._config = self._initial_config
        self.sagemaker.reset()
        self.ram.reset()
        self.trail.reset()
        self.lookups.reset()
        self.identity.remember_issued()
        reset_moto()
        self.policies.invalidate()
        self.clock.reset()
        self.faults.apply(copy.deepcopy(self._initial_faults))

    def advance(self, seconds: float) -> float:
        """Time travel: move the sandbox clock forward and let due state progress."""
        now = self.clock.advance(seconds)
        self.sagemaker.tick()
        return now

    def now(self) -> float:
        return self.clock()

    def complete_training_job(
        self,
        account: str,
        name: str,
        metrics: dict[str, float] | None = None,
        *,
        region: str | None = None,
        status: str = "Completed",
        artifact: str | None = None,
    ) -> dict[str, Any]:
        """End a training job (the sandbox runs no algorithm): ``status`` at the sandbox
        clock's time, with ``metrics`` as its final metrics (and ``artifact`` as its model
        artifact, when given instead of the usual path); its description."""
        outcome = {"status": status, "metrics": metrics or {}, "artifact": artifact}
        where = region or self._config.region
        return self.sagemaker.complete_training_job(account, where, name, outcome)

    # -- clients ------------------------------------------------------------------

    def client(
        self,
        service: str,
        account: str | None = None,
        role: str = "SandboxAdmin",
        *,
        region: str | None = None,
        retries: bool = False,
        **kwargs: Any,
    ) -> Any:
        """A boto3 client acting as ``account`` through STS AssumeRole into ``role``.

        Retries are off unless ``retries=True`` (then botocore's defaults apply), so a
        test sees every injected fault. Extra keyword arguments go to ``boto3.client``.
        """
        creds = self.credentials(account or self._config.default_account, role)
        config = kwargs.pop("config", None) or (
            None if retries else Config(retries={"mode": "standard", "total_max_attempts": 1})
        )
        return self._session.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region or self._config.region,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            config=config,
            **kwargs,
        )

    def credentials(self, account: str, role: str = "SandboxAdmin") -> dict[str, str]:
        """STS credentials for a role in ``account`` (obtained once per incarnation of the
        role: a role deleted and created again, e.g. by another test, gets new ones)."""
        key = (account, role, current_role_id(account, role))
        with self._lock:
            cached = self._credentials.get(key)
        if cached is not None:
            return cached
        if key[2] is None and declared_role(self._config, account, role) is not None:
            creds = self._declared_session(account, role)
        else:
            creds = self._assumed(account, role)
        with self._lock:
            self._credentials[key] = creds
        return dict(creds)

    def _declared_session(self, account: str, role: str) -> dict[str, str]:
        arn = f"arn:aws:iam::{account}:role/{role}"
        issued, _ = self.identity.issue(arn, "sandbox", Session(issued_at=self.clock()))
        return {
            "AccessKeyId": issued.access_key_id,
            "SecretAccessKey": issued.secret_access_key,
            "SessionToken": issued.session_token,
        }

    def _assumed(self, account: str, role: str) -> dict[str, str]:
        admin = next((r.name for r in self._config.roles if r.admin and r.exists_in(account)), None)
        if admin is None:
            raise RuntimeError(
                f"no all-powerful role is declared in account {account} to assume {role} from; "
                "declare one in the accounts file (roles:)"
            )
        source = self.credentials(account, admin)
        sts = self._session.client(
            "sts",
            endpoint_url=self.endpoint,
            region_name=self._config.region,
            aws_access_key_id=source["AccessKeyId"],
            aws_secret_access_key=source["SecretAccessKey"],
            aws_session_token=source["SessionToken"],
        )
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="sandbox"
        )["Credentials"]
        self.identity.resolve(creds["AccessKeyId"])  # remember it before any reset
        return {k: creds[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}

    def oidc_token(
        self, claims: dict[str, Any], issuer: str = GITHUB_ISSUER, lifetime: int = 300
    ) -> str:
        """A web identity token of ``issuer`` carrying ``claims``, signed with the key the
        sandbox's IAM OIDC providers trust (``iam.oidc.github_claims`` builds GitHub's)."""
        return self.oidc.mint(claims, issuer, lifetime)
