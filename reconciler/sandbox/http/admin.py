"""The sandbox's own control API under ``/_sandbox/`` (never faulted, never signed).

- ``GET  /_sandbox/health``                 → ``{"ok": true}``
- ``POST /_sandbox/reset``                  → clear all sandbox and moto state
- ``GET|PUT|DELETE /_sandbox/faults``       → fault settings (see ``reconciler.sandbox.faults``)
- ``GET|PUT /_sandbox/config``              → accounts, Organization, delays (JSON form of
  ``SandboxConfig``; PUT replaces it, omitted keys take their defaults)
- ``GET  /_sandbox/clock``                  → ``{"now": …, "offset": …}``
- ``POST /_sandbox/clock/advance``          → body ``{"seconds": n}``: time travel
- ``POST /_sandbox/credentials``            → body ``{"account": …, "role": "SandboxAdmin"}``:
  ``AWS_ACCESS_KEY_ID`` … of a session of that role (``Sandbox.credentials``)
- ``POST /_sandbox/oidc/token``             → body ``{"claims": {…}, "issuer": …}``:
  ``{"token": …}``, a web identity token the sandbox signed (``Sandbox.oidc_token``)
- ``POST /_sandbox/training-jobs/complete`` → body ``{"account": …, "name": …, "region": …,
  "status": "Completed", "metrics": {name: value}, "artifact": …}``: end a training job as
  its algorithm would, with its final metrics (``Sandbox.complete_training_job``; the
  optional ``artifact`` names its model artifact); answers the job as DescribeTrainingJob
  describes it
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, Protocol

from werkzeug.wrappers import Response

from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.declared import provider_from, role_from
from reconciler.sandbox.faults import FaultInjector, FaultSettings

PREFIX = "/_sandbox/"


class Controlled(Protocol):
    """What the admin API steers (implemented by ``Sandbox``)."""

    faults: FaultInjector

    @property
    def config(self) -> SandboxConfig: ...
    def reset(self) -> None: ...
    def configure(self, config: SandboxConfig) -> None: ...
    def advance(self, seconds: float) -> float: ...
    def now(self) -> float: ...
    def credentials(self, account: str, role: str = ...) -> dict[str, str]: ...
    def oidc_token(self, claims: dict[str, Any], issuer: str = ..., lifetime: int = ...) -> str: ...
    def complete_training_job(
        self,
        account: str,
        name: str,
        metrics: dict[str, float] | None = ...,
        *,
        region: str | None = ...,
        status: str = ...,
        artifact: str | None = ...,
    ) -> dict[str, Any]: ...


def config_to_dict(config: SandboxConfig) -> dict[str, Any]:
    raw = asdict(config)
    org = raw.get("organization")
    if org:
        org["members"] = sorted(org["members"])
        org["units"] = {k: sorted(v) for k, v in org["units"].items()}
    return raw


def config_from_dict(raw: Mapping[str, Any]) -> SandboxConfig:
    """A SandboxConfig from its JSON form; unknown keys are an error."""
    data = dict(raw)
    org_raw = data.pop("organization", None)
    if "roles" in data:
        data["roles"] = tuple(role_from(r) for r in data["roles"])
    if "oidc_providers" in data:
        data["oidc_providers"] = tuple(provider_from(p) for p in data["oidc_providers"])
    if "oidc_issuers" in data:
        data["oidc_issuers"] = tuple(data["oidc_issuers"])
    known = set(SandboxConfig.__dataclass_fields__) - {"organization"}
    if set(data) - known:
        unknown = sorted(set(data) - known)
        raise ValueError(f"unknown config keys {unknown}; allowed: {sorted(known)}")
    org = None
    if org_raw:
        org = Organization(
            **{
                **org_raw,
                "members": frozenset(org_raw.get("members", [])),
                "units": {k: frozenset(v) for k, v in org_raw.get("units", {}).items()},
                "scps": {k: tuple(v) for k, v in org_raw.get("scps", {}).items()},
            }
        )
    return SandboxConfig(organization=org, **data)


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _body(raw: bytes) -> dict[str, Any]:
    return json.loads(raw) if raw.strip() else {}


def _routes(target: Controlled) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
    def put_faults(body: dict[str, Any]) -> Any:
        target.faults.apply(FaultSettings.from_dict(body))
        return target.faults.settings.to_dict()

    def put_config(body: dict[str, Any]) -> Any:
        target.configure(config_from_dict(body))
        return config_to_dict(target.config)

    def reset(_: dict[str, Any]) -> Any:
        target.reset()
        return {"reset": True}

    def credentials(body: dict[str, Any]) -> Any:
        creds = target.credentials(str(body["account"]), str(body.get("role", "SandboxAdmin")))
        names = ("AccessKeyId", "SecretAccessKey", "SessionToken")
        keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
        return {key: creds[name] for key, name in zip(keys, names, strict=True)}

    def token(body: dict[str, Any]) -> Any:
        extra = {k: body[k] for k in ("issuer", "lifetime") if k in body}
        return {"token": target.oidc_token(dict(body["claims"]), **extra)}

    def complete(body: dict[str, Any]) -> Any:
        options = {k: body[k] for k in ("region", "status", "artifact") if k in body}
        job = target.complete_training_job(
            str(body["account"]), str(body["name"]), dict(body.get("metrics") or {}), **options
        )
        return json.loads(json.dumps(job, default=str))

    return {
        ("POST", "training-jobs/complete"): complete,
        ("POST", "credentials"): credentials,
        ("POST", "oidc/token"): token,
        ("GET", "health"): lambda _: {"ok": True},
        ("POST", "reset"): reset,
        ("GET", "faults"): lambda _: target.faults.settings.to_dict(),
        ("PUT", "faults"): put_faults,
        ("DELETE", "faults"): lambda _: put_faults({}),
        ("GET", "config"): lambda _: config_to_dict(target.config),
        ("PUT", "config"): put_config,
        ("GET", "clock"): lambda _: {"now": target.now()},
        ("POST", "clock/advance"): lambda b: {"now": target.advance(float(b["seconds"]))},
    }


def handle(target: Controlled, method: str, path: str, body: bytes) -> Response:
    """Answer one admin request; bad input is a 400 that says what was wrong."""
    route = _routes(target).get((method.upper(), path[len(PREFIX) :].strip("/")))
    if route is None:
        return _json(
            {"error": f"no admin route {method} {path}; see reconciler.sandbox.http.admin"}, 404
        )
    try:
        return _json(route(_body(body)))
    except (ValueError, KeyError, TypeError) as exc:
        return _json({"error": f"{type(exc).__name__}: {exc}"}, 400)
