"""STS as the sandbox answers it: ``GetCallerIdentity``, ``AssumeRole`` and
``AssumeRoleWithWebIdentity`` (STS's query protocol, XML).

moto answers STS from its own records, which ``reset()`` wipes, issues a session of any
role named (even one that does not exist) and never reads a trust policy. Here the caller
is the identity the sandbox resolved (``identity``); assuming a role is decided by
``iam.trust`` (the role must exist, its trust policy and the caller's policies must allow
it; a web identity token must be valid for an IAM OIDC provider of the role's account), and
the session is issued through ``IdentityResolver.issue``. STS calls that would hand out
credentials without those checks (``GetSessionToken``, ``GetFederationToken``,
``AssumeRoleWithSAML``, ``AssumeRoot``) and MFA parameters, which the sandbox cannot
verify, are refused with ``SandboxUnsupported``. Every other STS call goes on to moto.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from reconciler.sandbox.caller import Caller, Channel, Session
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.http.wire import render_query_error, request_id
from reconciler.sandbox.iam.trust import AssumeParams, Trust
from reconciler.sandbox.identity import IdentityResolver

_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
REFUSED = frozenset({"GetSessionToken", "GetFederationToken", "AssumeRoleWithSAML", "AssumeRoot"})
Form = Mapping[str, list[str]]


def form(body: bytes, query_string: str) -> Form:
    return parse_qs(body.decode("utf-8", "replace")) or parse_qs(query_string)


def query_action(body: bytes, query_string: str) -> str | None:
    """The ``Action`` of a query-protocol request (form body or query string)."""
    values = form(body, query_string).get("Action")
    return values[0] if values else None


def _one(data: Form, name: str) -> str | None:
    values = data.get(name)
    return values[0] if values else None


def _members(data: Form, prefix: str, field: str = "") -> list[str]:
    found, n = [], 1
    while (value := _one(data, f"{prefix}.member.{n}{field}")) is not None:
        found.append(value)
        n += 1
    return found


def params_of(data: Form) -> AssumeParams:
    keys, values = _members(data, "Tags", ".Key"), _members(data, "Tags", ".Value")
    return AssumeParams(
        role_arn=_one(data, "RoleArn") or "",
        session_name=_one(data, "RoleSessionName") or "",
        external_id=_one(data, "ExternalId"),
        source_identity=_one(data, "SourceIdentity"),
        tags=dict(zip(keys, values, strict=False)),
        transitive_tag_keys=tuple(_members(data, "TransitiveTagKeys")),
        policy=_one(data, "Policy"),
        policy_arns=tuple(_members(data, "PolicyArns", ".arn")),
    )


def error_response(error: AwsError) -> Response:
    return render_query_error(_NS, error)


def _result(action: str, inner: str) -> Response:
    xml = (
        f'<{action}Response xmlns="{_NS}"><{action}Result>{inner}</{action}Result>'
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        f"</{action}Response>"
    )
    return Response(xml, status=200, content_type="text/xml")


def caller_identity(caller: Caller) -> Response:
    return _result(
        "GetCallerIdentity",
        f"<Arn>{escape(caller.arn)}</Arn><UserId>{escape(caller.principal_id)}</UserId>"
        f"<Account>{caller.account_id}</Account>",
    )


def unsupported(action: str) -> AwsError:
    return AwsError(
        "SandboxUnsupported",
        f"The sandbox does not emulate {action}: it would hand out credentials without the "
        "checks AWS makes. Assume a role the accounts file declares, or one created in IAM.",
    )


def _issued(identity: IdentityResolver, params: AssumeParams, session: Session) -> str:
    role, _ = identity.issue(params.role_arn, params.session_name, session)
    expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", role.expiration.timetuple())
    source = params.source_identity
    tail = f"<SourceIdentity>{escape(source)}</SourceIdentity>" if source else ""
    return (
        f"<Credentials><AccessKeyId>{role.access_key_id}</AccessKeyId>"
        f"<SecretAccessKey>{escape(role.secret_access_key)}</SecretAccessKey>"
        f"<SessionToken>{escape(role.session_token)}</SessionToken>"
        f"<Expiration>{expiration}</Expiration></Credentials>"
        f"<AssumedRoleUser><AssumedRoleId>{escape(role.user_id)}</AssumedRoleId>"
        f"<Arn>{escape(role.arn)}</Arn></AssumedRoleUser><PackedPolicySize>6</PackedPolicySize>"
        f"{tail}"
    )


def assume_role(trust: Trust, identity: IdentityResolver, caller: Caller, data: Form) -> Response:
    if _one(data, "SerialNumber") or _one(data, "TokenCode"):
        return error_response(unsupported("MFA for AssumeRole"))
    params = params_of(data)
    try:
        session = trust.assume_role(caller, params)
    except AwsError as error:
        return error_response(error)
    return _result("AssumeRole", _issued(identity, params, session))


def assume_role_with_web_identity(
    trust: Trust, identity: IdentityResolver, data: Form, channel: Channel
) -> Response:
    params = params_of(data)
    try:
        session, claims, _ = trust.assume_role_with_web_identity(
            _one(data, "WebIdentityToken") or "", params, channel
        )
    except AwsError as error:
        return error_response(error)
    audience = claims.get("aud")
    audience = audience[0] if isinstance(audience, list) else audience
    extra = (
        f"<SubjectFromWebIdentityToken>{escape(str(claims.get('sub', '')))}"
        f"</SubjectFromWebIdentityToken><Audience>{escape(str(audience))}</Audience>"
        f"<Provider>{escape(str(claims.get('iss', '')))}</Provider>"
    )
    return _result("AssumeRoleWithWebIdentity", _issued(identity, params, session) + extra)
