"""The WSGI front: routes each request to the sandbox's SageMaker or RAM service or to moto.

Routing uses the SigV4 credential scope (signing service and region) and the
operation (``X-Amz-Target`` for SageMaker, method + path from botocore's model for
RAM). Model-card operations and all of RAM are answered here; everything else (STS,
IAM, S3, KMS, Organizations, other SageMaker calls) goes to moto's own WSGI app with
``x-moto-account-id`` set, so moto sees the same account the sandbox resolved.
CloudFormation templates are checked before moto's engine runs them (``http.cloudformation``).
Faults apply to SageMaker and RAM only. STS ``GetCallerIdentity``, ``AssumeRole`` and
``AssumeRoleWithWebIdentity`` (unsigned, so recognised by its ``Action``) are answered here
(``sts``), and every IAM call other than a Get/List tells the identity-policy cache
(``on_iam_write``) that policies may have changed. The caller carries how the request
arrived (scheme, User-Agent, Referer) for IAM's environment keys. The request
body is read in full up front, which also lets the server keep the connection alive
safely.
"""

from __future__ import annotations

import io
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Protocol

from werkzeug.wrappers import Response
from werkzeug.wsgi import get_input_stream

from reconciler.sandbox.authz import ALLOW_ALL, IdentityPolicies
from reconciler.sandbox.caller import Caller, Channel
from reconciler.sandbox.cloudtrail.lookup import OPERATION as LOOKUP_EVENTS
from reconciler.sandbox.cloudtrail.lookup import LookupRate, lookup_events
from reconciler.sandbox.cloudtrail.trail import Call, Trail
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.faults import FaultInjector
from reconciler.sandbox.http import admin, cloudformation, organizations, s3, sts, wire
from reconciler.sandbox.iam.trust import Trust
from reconciler.sandbox.identity import IdentityResolver
from reconciler.sandbox.sagemaker.service import SageMakerService
from reconciler.sandbox.validation import service_model

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
DRAINED = "sandbox.body_drained"
_PROTOCOL = {"sagemaker": "json", "ram": "rest-json"}
_INTERNAL = {"sagemaker": "InternalFailure", "ram": "ServerInternalException"}
_UNSIGNED_STS = frozenset({"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"})


class RamLike(Protocol):
    def call(self, caller: Caller, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...


def _channel(environ: dict[str, Any]) -> Channel:
    return Channel(
        secure=environ.get("wsgi.url_scheme") == "https",
        user_agent=environ.get("HTTP_USER_AGENT"),
        referer=environ.get("HTTP_REFERER"),
    )


def _unsigned(body: bytes, environ: dict[str, Any]) -> str:
    """The service of an unsigned request: STS for the calls STS takes unsigned."""
    action = sts.query_action(body, environ.get("QUERY_STRING", ""))
    return "sts" if action in _UNSIGNED_STS else ""


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the whole request body and put a re-readable copy back into the environ."""
    # get_input_stream limits the read to Content-Length, or to the chunked body, and
    # yields nothing otherwise; a bare read() would wait for the client to hang up.
    body: bytes = get_input_stream(environ, safe_fallback=True).read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ[DRAINED] = True
    return body


class Front:
    """The sandbox's WSGI application."""

    def __init__(
        self,
        *,
        identity: IdentityResolver,
        sagemaker: SageMakerService,
        ram: Callable[[], RamLike],
        faults: FaultInjector,
        control: admin.Controlled,
        moto_app: WsgiApp,
        on_iam_write: Callable[[], None] = lambda: None,
        iam: IdentityPolicies = ALLOW_ALL,
        config: Callable[[], SandboxConfig] = SandboxConfig,
        trail: Trail | None = None,
        trust: Trust | None = None,
        lookups: LookupRate | None = None,
    ) -> None:
        self.identity, self.sagemaker, self.ram, self.trust = identity, sagemaker, ram, trust
        self.faults, self.control, self.moto_app = faults, control, moto_app
        self.on_iam_write, self.iam, self.config = on_iam_write, iam, config
        self.trail = trail or Trail(lambda: 0.0, lambda: False)
        self.lookups = lookups or LookupRate(lambda: 0.0, lambda: 0)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        body = read_body(environ)
        path = environ.get("PATH_INFO", "")
        if path.startswith(admin.PREFIX):
            response = admin.handle(self.control, environ["REQUEST_METHOD"], path, body)
            return response(environ, start_response)
        scope = wire.credential_scope(environ)
        caller = replace(
            self.identity.resolve(*(scope[:2] if scope else (None, None))),
            channel=_channel(environ),
        )
        service = scope[2] if scope else _unsigned(body, environ)
        key = scope[0] if scope else ""
        owned = (
            self._owned(service, caller, key, environ, body)
            or self._identity(service, caller, environ, body)
            or self._cloudtrail(service, caller, environ, body)
            or self._cloudformation(service, caller, environ, body)
        )
        if owned is not None:
            return owned(environ, start_response)
        answer = self._to_moto(service, caller, environ, start_response)
        if service == "cloudformation":  # its engine writes to IAM without IAM's API
            self._after_cloudformation(body, environ.get("QUERY_STRING", ""))
        return answer

    def _after_cloudformation(self, body: bytes, query: str) -> None:
        if cloudformation.writes(cloudformation.action_of(body, query)):
            self.on_iam_write()

    def _identity(
        self, service: str, caller: Caller, environ: dict[str, Any], body: bytes
    ) -> Response | None:
        """STS GetCallerIdentity and Organizations DescribeOrganization answered here; IAM
        writes invalidate cached policies."""
        if service == "organizations":
            return organizations.describe(environ, self.config(), self.iam, caller)
        if service == "sts":
            return self._sts(caller, body, environ.get("QUERY_STRING", ""))
        if service == "iam":
            action = sts.query_action(body, environ.get("QUERY_STRING", "")) or ""
            if not action.startswith(("Get", "List")):
                self.on_iam_write()
        return None

    def _sts(self, caller: Caller, body: bytes, query: str) -> Response | None:
        data = sts.form(body, query)
        action = (data.get("Action") or [""])[0]
        if action == "GetCallerIdentity":
            return sts.caller_identity(caller)
        if action in sts.REFUSED:
            return sts.error_response(sts.unsupported(action))
        if self.trust is None or action not in ("AssumeRole", "AssumeRoleWithWebIdentity"):
            return None
        if action == "AssumeRole":
            return sts.assume_role(self.trust, self.identity, caller, data)
        return sts.assume_role_with_web_identity(self.trust, self.identity, data, caller.channel)

    def _cloudtrail(
        self, service: str, caller: Caller, environ: dict[str, Any], body: bytes
    ) -> Response | None:
        """CloudTrail LookupEvents over the sandbox's trail; other CloudTrail calls: moto."""
        if service != "cloudtrail" or wire.json_operation(environ) != LOOKUP_EVENTS:
            return None
        try:
            self.lookups.admit(caller.account_id, caller.region)
            answer = lookup_events(self.trail, self.iam, caller, wire.json_params(body))
        except AwsError as error:
            return wire.render_error("json", error)
        return wire.render_result("json", answer)

    def _cloudformation(
        self, service: str, caller: Caller, environ: dict[str, Any], body: bytes
    ) -> Response | None:
        """A template the sandbox would not deploy as AWS does, refused; else on to moto."""
        if service != "cloudformation":
            return None
        return cloudformation.refusal(caller, body, environ.get("QUERY_STRING", ""))

    def _owned(
        self, service: str, caller: Caller, key: str, environ: dict[str, Any], body: bytes
    ) -> Response | None:
        if service not in _PROTOCOL:
            return None
        protocol = _PROTOCOL[service]
        try:
            parsed = self._parse(service, environ, body)
            if parsed is None:
                return None
            operation, params = parsed
            self._inject(service, operation)
            answer = self._recorded(
                Call(
                    caller=caller,
                    access_key=key,
                    service=service,
                    operation=operation,
                    params=params,
                )
            )
            lost = self.faults.lost(service, operation)
            if lost is not None:
                raise lost
            return wire.render_result(protocol, answer)
        except AwsError as error:
            return wire.render_error(protocol, error)
        except Exception as exc:  # a sandbox bug must still look like an AWS 500
            traceback.print_exc(file=sys.stderr)
            return wire.render_error(protocol, AwsError(_INTERNAL[service], repr(exc), 500))

    def _parse(
        self, service: str, environ: dict[str, Any], body: bytes
    ) -> tuple[str, dict[str, Any]] | None:
        if service == "sagemaker":
            operation = wire.json_operation(environ)
            if operation is None:
                return None
            params = wire.json_params(body)
            return (operation, params) if self.sagemaker.handles(operation, params) else None
        operation = wire.rest_operation("ram", environ["REQUEST_METHOD"], environ["PATH_INFO"])
        if operation is None:
            raise AwsError("UnknownOperationException", "The requested operation is unknown.", 404)
        op_model = service_model("ram").operation_model(operation)
        return operation, wire.rest_params(op_model, body, environ.get("QUERY_STRING", ""))

    def _inject(self, service: str, operation: str) -> None:
        fault = self.faults.decide(service, operation)
        if fault.delay:
            time.sleep(fault.delay)
        if fault.error is not None:
            raise fault.error

    def _recorded(self, call: Call) -> dict[str, Any]:
        """The service's answer to ``call``; the trail records the call either way."""
        try:
            answer = self._answer(call.service, call.caller, call.operation, dict(call.params))
        except AwsError as error:
            self.trail.record(replace(call, error=(error.code, error.message)))
            raise
        self.trail.record(replace(call, response=answer))
        return answer

    def _answer(
        self, service: str, caller: Caller, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        if service == "sagemaker":
            return self.sagemaker.call(caller, operation, params)
        return self.ram().call(caller, operation, params)

    def _to_moto(
        self,
        service: str,
        caller: Caller,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> Iterable[bytes]:
        if service in _PROTOCOL:  # moto's other SageMaker operations are faulted too
            fault = self.faults.decide(service, wire.json_operation(environ) or "")
            if fault.delay:
                time.sleep(fault.delay)
            if fault.error is not None:
                return wire.render_error(_PROTOCOL[service], fault.error)(environ, start_response)
        if service == "s3":
            self.sagemaker.tick()  # an export PDF due by now must be readable
            try:
                self.iam.authorize(caller, s3.requests_for(environ))
            except AwsError as error:
                denied = s3.render_denied(error, environ.get("REQUEST_METHOD", ""))
                return denied(environ, start_response)
        if wire.credential_scope(environ) is not None:
            environ["HTTP_X_MOTO_ACCOUNT_ID"] = caller.account_id
        return self.moto_app(environ, start_response)
