"""Assuming a role: ``AssumeRole`` and ``AssumeRoleWithWebIdentity``, decided as STS does.

``AssumeRole`` (STS API reference; IAM User Guide, "Policy evaluation logic"): the root user
may not assume roles ("Roles may not be assumed by root accounts."); the role must exist (a
role that does not exist is denied with the same message as one whose trust policy refuses,
so a caller learns nothing about it); the role's trust policy must allow ``sts:AssumeRole``
for the caller, and the caller's own policies must allow it too unless the trust policy
names the caller directly within one account (``resource_policy``). Session tags need
``sts:TagSession`` and a source identity ``sts:SetSourceIdentity``, both ways. Condition
keys: the caller's global keys, ``sts:RoleSessionName``, ``sts:ExternalId``,
``sts:SourceIdentity``, ``sts:TransitiveTagKeys``, ``aws:RequestTag/*``, ``aws:TagKeys``,
and the role's tags as ``aws:ResourceTag/*`` and ``iam:ResourceTag/*``.

``AssumeRoleWithWebIdentity``: the token must be one the sandbox signed for a configured
issuer (``oidc``) and unexpired; the role's account must have an IAM OIDC provider for the
issuer whose client IDs include the token's ``aud``; the trust policy must allow
``sts:AssumeRoleWithWebIdentity`` for ``{"Federated": <that provider's ARN>}``. Its claims
are condition keys ``<issuer host>:<claim>``: ``aud`` and ``sub`` for every provider, and
for GitHub also ``repository``, ``repository_id``, ``repository_owner_id``, ``ref``,
``job_workflow_ref``, ``workflow``, ``actor``, ``actor_id``, ``environment`` and
``enterprise_id`` (AWS STS, January 2026: research github-oidc.md section 3). A condition on
another claim (``workflow_ref``, ``event_name`` …) is refused: AWS exposes no such key, so
it could never match there. The caller's principal keys do not exist yet and are refused.
Session tags come from the ``https://aws.amazon.com/tags`` claim.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from reconciler.sandbox.authz import AccessRequest
from reconciler.sandbox.caller import Caller, Channel, Session
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.iam import sar
from reconciler.sandbox.iam.enforcer import IamEnforcer, cannot_evaluate
from reconciler.sandbox.iam.oidc import OidcIssuers, invalid
from reconciler.sandbox.iam.policy import Grant, Unevaluable, granted
from reconciler.sandbox.iam.principals import Who
from reconciler.sandbox.iam.sar import KeySet
from reconciler.sandbox.iam.source import Provider, RolePolicies, oidc_provider

ASSUME = "sts:AssumeRole"
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
GITHUB_HOST = "token.actions.githubusercontent.com"
CLAIMS = ("aud", "sub")
GITHUB_CLAIMS = (
    *CLAIMS,
    *("repository", "repository_id", "repository_owner_id", "ref", "job_workflow_ref"),
    *("workflow", "actor", "actor_id", "environment", "enterprise_id"),
)
TAGS_CLAIM = "https://aws.amazon.com/tags"
# Keys the SAR lists for the STS actions that the sandbox sets (or knows to be absent).
_STS_KEYS = (
    "sts:rolesessionname",
    "sts:externalid",
    "sts:sourceidentity",
    "sts:transitivetagkeys",
    "aws:requesttag/",
    "aws:tagkeys",
    "aws:resourcetag/",
    "iam:resourcetag/",
    # other identity providers' claims: absent from these requests
    *("accounts.google.com:", "cognito-identity.amazonaws.com:", "graph.facebook.com:"),
    *("www.amazon.com:", "saml:"),
)
_NO_PRINCIPAL = "an AssumeRoleWithWebIdentity request has no AWS principal yet"


@dataclass(frozen=True, kw_only=True)
class AssumeParams:
    """What an AssumeRole or AssumeRoleWithWebIdentity request asks for."""

    role_arn: str
    session_name: str
    external_id: str | None = None
    source_identity: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    transitive_tag_keys: tuple[str, ...] = ()
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()


def _facts(params: AssumeParams, role: RolePolicies | None) -> dict[str, tuple[str, ...]]:
    facts: dict[str, tuple[str, ...]] = {"sts:RoleSessionName": (params.session_name,)}
    if params.external_id:
        facts["sts:ExternalId"] = (params.external_id,)
    if params.source_identity:
        facts["sts:SourceIdentity"] = (params.source_identity,)
    if params.transitive_tag_keys:
        facts["sts:TransitiveTagKeys"] = params.transitive_tag_keys
    for key, value in params.tags.items():
        facts[f"aws:RequestTag/{key}"] = (value,)
    if params.tags:
        facts["aws:TagKeys"] = tuple(params.tags)
    for key, value in (role.tags if role else {}).items():
        facts[f"aws:ResourceTag/{key}"] = facts[f"iam:ResourceTag/{key}"] = (value,)
    return facts


def assume_requests(
    action: str, params: AssumeParams, role: RolePolicies | None, **extra: Any
) -> list[AccessRequest]:
    """``action`` on the role, plus TagSession / SetSourceIdentity when the request needs
    them; ``extra`` is passed to each request (claims as facts, unknowable keys)."""
    facts = {**_facts(params, role), **extra.pop("facts", {})}
    actions = [action]
    actions += ["sts:TagSession"] if params.tags else []
    actions += ["sts:SetSourceIdentity"] if params.source_identity else []
    modelled = (*_STS_KEYS, *extra.pop("modelled", ()))
    return [
        AccessRequest(a, {"role": params.role_arn}, facts, modelled=modelled, **extra)
        for a in actions
    ]


def session_of(params: AssumeParams, now: float, provider: str | None = None) -> Session:
    return Session(
        issued_at=now,
        tags=dict(params.tags),
        transitive=params.transitive_tag_keys,
        source_identity=params.source_identity,
        policy=params.policy,
        policy_arns=params.policy_arns,
        provider=provider,
    )


def root_refused() -> AwsError:
    return AwsError("AccessDenied", "Roles may not be assumed by root accounts.", 403)


def not_authorized() -> AwsError:
    return AwsError("AccessDenied", f"Not authorized to perform {WEB_IDENTITY}", 403)


def _claim_names(host: str) -> tuple[str, ...]:
    return GITHUB_CLAIMS if host == GITHUB_HOST else CLAIMS


def _claim_facts(host: str, claims: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    found = {}
    for name in _claim_names(host):
        value = claims.get(name)
        if isinstance(value, list):
            found[f"{host}:{name}"] = tuple(str(v) for v in value)
        elif value is not None:
            found[f"{host}:{name}"] = (str(value),)
    return found


def _unknowable_claims(host: str) -> dict[str, str]:
    names = ", ".join(_claim_names(host))
    return {
        f"{host.lower()}:*": f"AWS exposes only the {names} claims of {host} tokens as keys",
        "aws:principal*": _NO_PRINCIPAL,
        "aws:userid": _NO_PRINCIPAL,
        "aws:username": _NO_PRINCIPAL,
    }


def _token_tags(claims: Mapping[str, Any]) -> tuple[dict[str, str], tuple[str, ...]]:
    raw = claims.get(TAGS_CLAIM)
    if not isinstance(raw, Mapping):
        return {}, ()
    tags = raw.get("principal_tags") or {}
    found = {str(k): str(v[0] if isinstance(v, list) else v) for k, v in tags.items()}
    return found, tuple(str(k) for k in raw.get("transitive_tag_keys") or ())


def _with_transitive(caller: Caller, params: AssumeParams) -> AssumeParams:
    session = caller.session
    if session is None or not session.transitive:
        return params
    passed = {k: v for k, v in session.tags.items() if k in session.transitive}
    keys = tuple(dict.fromkeys((*session.transitive, *params.transitive_tag_keys)))
    return replace(params, tags={**passed, **params.tags}, transitive_tag_keys=keys)


class Trust:
    """Decides AssumeRole and AssumeRoleWithWebIdentity; the caller issues the session."""

    def __init__(
        self,
        enforcer: IamEnforcer,
        issuers: OidcIssuers,
        config: Callable[[], SandboxConfig],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._enforcer, self._issuers, self._config, self._clock = enforcer, issuers, config, clock

    def assume_role(self, caller: Caller, params: AssumeParams) -> Session:
        """The session to issue, or AccessDenied as STS words it. The caller's transitive
        session tags pass on to the new session (role chaining), as STS passes them."""
        if caller.is_root:
            raise root_refused()
        params = _with_transitive(caller, params)
        role = self._enforcer.source.for_role(params.role_arn)
        if role is None and not self._config().iam_enforcement:
            raise AwsError("AccessDenied", f"No role {params.role_arn} exists.", 403)
        try:
            self._enforcer.authorize(caller, assume_requests(ASSUME, params, role))
        except AwsError as error:
            if error.code != "AccessDeniedException":
                raise
            raise AwsError("AccessDenied", error.message, 403) from error
        return session_of(params, self._clock())

    def assume_role_with_web_identity(
        self, token: str, params: AssumeParams, channel: Channel
    ) -> tuple[Session, dict[str, Any], Provider]:
        """(session, claims, provider) for a valid token the role's trust policy allows."""
        claims = self._issuers.verify(token)
        account = params.role_arn.split(":")[4]
        provider = self._provider(account, claims)
        tags, transitive = _token_tags(claims)
        params = replace(params, tags=tags, transitive_tag_keys=transitive)
        role = self._enforcer.source.for_role(params.role_arn)
        if role is None or not self._trusts(role, params, claims, provider, channel):
            raise not_authorized()
        return session_of(params, self._clock(), provider.arn), claims, provider

    def _provider(self, account: str, claims: Mapping[str, Any]) -> Provider:
        issuer = str(claims.get("iss"))
        provider = oidc_provider(self._config(), account, issuer)
        if provider is None:
            raise invalid(f"No OpenIDConnect provider found in your account for {issuer}")
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if not set(map(str, audiences)) & set(provider.client_ids):
            raise invalid("Incorrect token audience")
        return provider

    def _trusts(
        self,
        role: RolePolicies,
        params: AssumeParams,
        claims: Mapping[str, Any],
        provider: Provider,
        channel: Channel,
    ) -> bool:
        host = provider.arn.split("oidc-provider/", 1)[1]
        claim_facts = _claim_facts(host, claims)
        requests = assume_requests(
            WEB_IDENTITY,
            params,
            role,
            facts=claim_facts,
            modelled=tuple(f"{host}:{n}".lower() for n in _claim_names(host)),
            unknowable=_unknowable_claims(host),
        )
        account = params.role_arn.split(":")[4]
        federated = Caller(account, provider.arn, self._config().region, channel=channel)
        who = Who(account=None, provider=provider.arn)
        for request in requests:
            keys = sar.action(request.action).keys_for("role") | KeySet.of(list(claim_facts))
            context = self._enforcer.context(federated, request, params.role_arn, keys, {})
            try:
                grant = granted(role.trust, request.action, params.role_arn, context, who)
            except Unevaluable as error:
                raise cannot_evaluate(error) from error
            if grant is not Grant.DIRECTLY:
                return False
        return True
