"""``IamEnforcer``: the sandbox's policy check before SageMaker, RAM, S3, KMS (through
SageMaker), CloudTrail and STS act.

Who is checked: every caller while ``SandboxConfig.iam_enforcement`` is on. Service control
policies of the declared Organization limit the principals of member accounts. A role
session is held to its role's policies (``source``: a role that does not exist allows nothing; the
declared all-powerful roles allow everything), its permissions boundary and its session
policies; an IAM user to its own and its groups' policies; the account root to no IAM
policy (as in AWS; resource-based policies such as key policies still apply to it).

How: each ``AccessRequest`` is evaluated for every resource type the SAR lists for its
action and the request names (no such type: against ``*``), with the request context of
``context`` (global keys, and those of the service's facts the SAR lists for the action and
resource type). An explicit Deny anywhere wins. A KMS key's key policy must allow the
request as well (KMS: "no principal has any permission to a KMS key unless the key policy
allows it"): naming the caller (or ``*``) directly suffices within the key's account;
naming the caller's account delegates to its IAM policies; another account's caller needs
both the key policy and its own policies (``resource_policy``). ``kms:RetireGrant`` is
decided by identity policies alone (KMS: the permission "is not effective in a key
policy"). A key moto does not hold is checked against identity policies only (SageMaker's
own validation of the key is not emulated). Assuming a role (``sts:AssumeRole``, and
``sts:TagSession`` / ``sts:SetSourceIdentity`` with tags or a source identity) is decided
the same way with the role's trust policy; a role that does not exist trusts no one. A
denial is
``AccessDeniedException`` worded as IAM words it; a condition the sandbox cannot evaluate
is ``SandboxCannotEvaluateCondition`` naming the key and the policy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from reconciler.sandbox.authz import AccessRequest
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError, access_denied
from reconciler.sandbox.iam import sar
from reconciler.sandbox.iam.context import Environment, context_for
from reconciler.sandbox.iam.policy import Decision, Unevaluable, decide
from reconciler.sandbox.iam.request_context import RequestContext
from reconciler.sandbox.iam.resource_policy import Verdict, bucket_verdict, resource_verdict
from reconciler.sandbox.iam.sar import KeySet
from reconciler.sandbox.iam.source import (
    PolicySource,
    PrincipalPolicies,
    Statements,
    bucket_policy,
    key_arn,
    key_facts,
    key_policy,
    resource_account,
)

CANNOT_EVALUATE = "SandboxCannotEvaluateCondition"
# Actions a role's trust policy decides (with the caller's own policies).
TRUST_ACTIONS = frozenset({"sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"})


def evaluations(request: AccessRequest) -> Iterator[tuple[str | None, str, KeySet]]:
    """(resource type, resource, applicable keys) for each evaluation IAM makes of one
    request, per the SAR."""
    spec = sar.action(request.action)
    kinds: list[str | None] = [k for k in spec.resources if k in request.resources]
    for kind in kinds or [None]:
        resource = request.resources[kind] if kind else "*"
        yield kind, (key_arn(resource) if kind == "key" else resource), spec.keys_for(kind)


def denied(caller: Caller, action: str, resource: str, why: str) -> AwsError:
    return access_denied(
        f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource} {why}"
    )


def cannot_evaluate(error: Unevaluable) -> AwsError:
    return AwsError(CANNOT_EVALUATE, str(error), 400)


def _limits(policies: PrincipalPolicies) -> Iterator[tuple[str, Statements]]:
    """(layer, statements) of the caller's own policies, each layer named as IAM's messages
    name it; the account root has no identity layer."""
    for level in policies.scps:
        yield "a service control policy", level
    if policies.identity is not None:
        yield "an identity-based policy", policies.identity
    if policies.boundary is not None:
        yield "a permissions boundary", policies.boundary
    for session in policies.sessions:
        yield "a session policy", session


def own_verdict(
    policies: PrincipalPolicies, action: str, resource: str, context: RequestContext
) -> Verdict:
    """What the caller's own policies decide: explicit deny, or the layers that do not
    allow (IAM's wording of each)."""
    implicit: dict[str, str] = {}
    for layer, statements in _limits(policies):
        decision = decide(statements, action, resource, context)
        if decision is Decision.EXPLICIT_DENY:
            return Verdict(explicit=f"with an explicit deny in {layer}")
        if decision is Decision.IMPLICIT_DENY:
            name = layer.split(" ", 1)[1]
            implicit.setdefault(name, f"because no {name} allows the {action} action")
    return Verdict(implicit=implicit)


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """One evaluation IAM made of a caller's policies, and whether it allowed the call."""

    role_arn: str
    action: str
    resource: str
    context: RequestContext
    allowed: bool


class IamEnforcer:
    """``IdentityPolicies`` for the running sandbox. ``recorded``, when a list, receives
    every evaluation, so a test can replay a run's requests against other policies."""

    def __init__(
        self,
        config: Callable[[], SandboxConfig],
        source: PolicySource,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._config, self.source, self._clock = config, source, clock
        self.recorded: list[Evaluation] | None = None

    def authorize(self, caller: Caller, requests: Sequence[AccessRequest]) -> None:
        if not self._config().iam_enforcement:
            return
        policies = self.source.for_caller(caller)
        for request in requests:
            for kind, resource, keys in evaluations(request):
                try:
                    self._one(caller, policies, request, kind, resource, keys)
                except Unevaluable as error:
                    raise cannot_evaluate(error) from error

    def context(
        self,
        caller: Caller,
        request: AccessRequest,
        resource: str,
        keys: KeySet,
        tags: Mapping[str, str] | None,
    ) -> RequestContext:
        """The request context of one evaluation (also what a trust policy is read with)."""
        config = self._config()
        owner = resource_account(resource)
        if resource == "*" and config.iam_star_resource_in_caller_account:
            owner = caller.account_id
        env = Environment(
            config=config, now=self._clock(), principal_tags=tags, resource_account=owner
        )
        return context_for(caller, request, keys, env)

    def _one(
        self,
        caller: Caller,
        policies: PrincipalPolicies,
        request: AccessRequest,
        kind: str | None,
        resource: str,
        keys: KeySet,
    ) -> None:
        if kind == "key":
            request = _with_key_facts(request, resource)
        context = self.context(caller, request, resource, keys, policies.tags)
        verdict = own_verdict(policies, request.action, resource, context)
        why = self._why(caller, (kind, request.action, resource), context, verdict)
        self._record(caller, request.action, resource, context, why is None)
        if why is not None:
            raise denied(caller, request.action, resource, why)

    def _why(
        self,
        caller: Caller,
        request: tuple[str | None, str, str],
        context: RequestContext,
        own: Verdict,
    ) -> str | None:
        """Why the request (resource type, action, resource) is denied, with the resource's
        policy if it has one; None when it is allowed."""
        kind, action, resource = request
        if kind in ("bucket", "object"):
            owner = resource_account(resource)
            statements = bucket_policy(resource)
            if statements is None:
                if owner in (None, caller.account_id):  # identity policies decide
                    return own.reason()
                statements = ()  # another account's bucket: nothing grants it access
            where = (action, resource, owner)
            return bucket_verdict(caller, statements, where, context, own)
        statements = self._resource_policy(kind, resource, action)
        if statements is None:
            return own.reason()
        return resource_verdict(caller, statements, action, resource, context, own)

    def _resource_policy(self, kind: str | None, resource: str, action: str) -> Statements | None:
        """The key policy of a KMS key, or the trust policy of a role being assumed (empty
        for a role that does not exist); None where no resource-based policy applies."""
        if kind == "key" and action != "kms:RetireGrant":
            return key_policy(resource)
        if kind == "role" and action in TRUST_ACTIONS:
            role = self.source.for_role(resource)
            return role.trust if role is not None else ()
        return None

    def _record(
        self, caller: Caller, action: str, resource: str, context: RequestContext, allowed: bool
    ) -> None:
        if self.recorded is not None:
            self.recorded.append(
                Evaluation(
                    role_arn=caller.role_arn or caller.arn,
                    action=action,
                    resource=resource,
                    context=context,
                    allowed=allowed,
                )
            )


def _with_key_facts(request: AccessRequest, resource: str) -> AccessRequest:
    return replace(request, facts={**key_facts(resource), **request.facts})
