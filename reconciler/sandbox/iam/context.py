"""The request context of one evaluation: the global keys AWS sets for the call (``catalog``
says which and how), the service's facts the Service Authorization Reference lists for the
action and resource type, and why any other key cannot be known.

A key is known when the catalog or the answering service says how it is set (present or
absent); a service key the SAR lists for the action but the service does not compute, a key
a service does not define at all, an ``aws:`` key the catalog lacks, and the catalog's
unknowable keys are refused (``request_context``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.sandbox.authz import AccessRequest
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.iam import sar
from reconciler.sandbox.iam.catalog import Kind, global_key
from reconciler.sandbox.iam.request_context import RequestContext
from reconciler.sandbox.iam.sar import KeySet

Values = dict[str, tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class Environment:
    """What an evaluation's context draws on besides the caller and the request."""

    config: SandboxConfig
    now: float
    principal_tags: Mapping[str, str] | None = field(default_factory=dict)  # None: unknown
    resource_account: str | None = None


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _flag(value: bool) -> tuple[str, ...]:
    return ("true" if value else "false",)


def _principal_type(caller: Caller) -> str:
    if caller.is_root:
        return "Account"
    return "User" if caller.is_user else "AssumedRole"


def _principal(caller: Caller) -> Values:
    found: Values = {
        "aws:principalaccount": (caller.account_id,),
        "aws:principalarn": (caller.role_arn or caller.arn,),
        "aws:principaltype": (_principal_type(caller),),
        "aws:userid": (caller.principal_id,),
        "aws:principalisawsservice": ("false",),
    }
    if caller.is_user:
        found["aws:username"] = (caller.arn.rsplit("/", 1)[-1],)
    return found


def _session(caller: Caller) -> Values:
    session = caller.session
    if session is None:
        return {}
    found: Values = {
        "aws:tokenissuetime": (_iso(session.issued_at),),
        "aws:multifactorauthpresent": ("false",),
    }
    if session.source_identity:
        found["aws:sourceidentity"] = (session.source_identity,)
    return found


def _transport(caller: Caller, request: AccessRequest, env: Environment) -> Values:
    channel = caller.channel
    found: Values = {
        "aws:requestedregion": (caller.region,),
        "aws:securetransport": _flag(env.config.iam_secure_transport_always or channel.secure),
        "aws:currenttime": (_iso(env.now),),
        "aws:epochtime": (str(int(env.now)),),
        "aws:viaawsservice": _flag(request.via is not None),
    }
    if channel.user_agent:
        found["aws:useragent"] = (channel.user_agent,)
    if channel.referer:
        found["aws:referer"] = (channel.referer,)
    return found


def _organization(prefix: str, account: str | None, org: Organization | None) -> Values:
    if account is None or org is None or not org.contains(account):
        return {}
    path = org.path_of(account)
    found: Values = {f"aws:{prefix}orgid": (org.org_id,)}
    if path is not None:
        found[f"aws:{prefix}orgpaths"] = (path,)
    return found


def _tags(tags: Mapping[str, str] | None) -> Values:
    return {f"aws:principaltag/{k.lower()}": (v,) for k, v in (tags or {}).items()}


def globals_for(caller: Caller, request: AccessRequest, env: Environment) -> Values:
    """The global keys AWS sets for this caller, request and resource."""
    org = env.config.organization
    found = {**_principal(caller), **_session(caller), **_transport(caller, request, env)}
    found.update(_tags(env.principal_tags))
    found.update(_organization("principal", caller.account_id, org))
    if env.resource_account is not None:
        found["aws:resourceaccount"] = (env.resource_account,)
        found.update(_organization("resource", env.resource_account, org))
    return found


_SESSION_KEYS = ("aws:tokenissuetime", "aws:multifactorauthpresent", "aws:sourceidentity")


def _unknown_global(
    key: str, caller: Caller, request: AccessRequest, env: Environment
) -> str | None:
    entry = global_key(key)
    if entry is None:
        return f"{key} is not an AWS global condition key the sandbox knows"
    if entry.kind is Kind.UNKNOWABLE:
        return entry.rule
    if key in _SESSION_KEYS and caller.role_arn is not None and caller.session is None:
        return "the sandbox did not issue this session, so it does not know what STS recorded"
    if key.startswith("aws:principaltag/") and env.principal_tags is None:
        return "the sandbox does not read the tags of IAM users"
    if key.endswith("orgpaths") and key in ("aws:principalorgpaths", "aws:resourceorgpaths"):
        return _unknown_paths(key, caller, env)
    if entry.kind is Kind.SERVICE and not request.models(key):
        return f"the sandbox does not compute {key} for {request.action}"
    return None


def _unknown_paths(key: str, caller: Caller, env: Environment) -> str | None:
    org = env.config.organization
    account = caller.account_id if key == "aws:principalorgpaths" else env.resource_account
    if org is None or account is None or not org.contains(account):
        return None
    if org.path_of(account) is None:
        return "two of the Organization's units hold the same accounts, so their nesting is unknown"
    return None


def _unknown_service(key: str, keys: KeySet, request: AccessRequest) -> str | None:
    if request.models(key):
        return None
    if key in keys:
        return f"the sandbox does not compute {key} for {request.action}"
    service = key.split(":", 1)[0]
    defined = sar.service_keys(service)
    if defined is not None and key not in defined:
        return f"{key} is not a condition key of {service} (Service Authorization Reference)"
    if "." in service:
        return f"{key} is not a condition key the sandbox knows for {request.action}"
    return None


def context_for(
    caller: Caller, request: AccessRequest, keys: KeySet, env: Environment
) -> RequestContext:
    """The context of one evaluation of ``request`` whose applicable service keys are
    ``keys`` (the SAR's, for the action and the resource type evaluated)."""
    values = globals_for(caller, request, env)
    for key, found in request.facts.items():
        lowered = key.lower()
        if lowered in keys:
            values[lowered] = found

    def unknown(key: str) -> str | None:
        stated = _stated(request, key)
        if stated is not None:
            return stated
        if key.startswith("aws:"):
            return _unknown_global(key, caller, request, env)
        return _unknown_service(key, keys, request)

    return RequestContext({k: v for k, v in values.items() if unknown(k) is None}, unknown)


def _stated(request: AccessRequest, key: str) -> str | None:
    """The service's reason ``key`` is unknowable. An entry ending in ``*`` is a prefix,
    which yields to a key the service computes."""
    if key in request.unknowable:
        return request.unknowable[key]
    if request.models(key):
        return None
    prefixes = ((k[:-1], why) for k, why in request.unknowable.items() if k.endswith("*"))
    return next((why for stem, why in prefixes if key.startswith(stem)), None)
