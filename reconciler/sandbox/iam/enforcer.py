"""``IamEnforcer``: the sandbox's identity-policy check before SageMaker and RAM act.

Who is checked: a caller that assumed a role holding at least one policy (inline,
attached or a permissions boundary). A role without policies, a role moto does not
hold (assumed ad hoc), IAM users and keys acting as an account's root keep allow-all,
as does every caller while ``SandboxConfig.iam_enforcement`` is off.

How: each ``AccessRequest`` is evaluated for every resource type the SAR lists for its
action and the request names (no such type: against ``*``), with a context of the
global keys ``aws:PrincipalAccount``, ``aws:PrincipalArn`` (the role ARN),
``aws:PrincipalType``, ``aws:userid`` and ``aws:RequestedRegion`` plus those of the
service's facts the SAR lists for the action and resource type. Identity policies
decide; a boundary, if any, must allow too. Session policies passed to ``AssumeRole``
are not evaluated. A denial is ``AccessDeniedException`` worded as IAM words it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from reconciler.sandbox.authz import AccessRequest
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError, access_denied
from reconciler.sandbox.iam import sar
from reconciler.sandbox.iam.policy import Decision, decide
from reconciler.sandbox.iam.source import PolicySource, RolePolicies, key_arn

Context = dict[str, tuple[str, ...]]


def _globals(caller: Caller) -> Context:
    return {
        "aws:principalaccount": (caller.account_id,),
        "aws:principalarn": (caller.role_arn or caller.arn,),
        "aws:principaltype": ("AssumedRole",),
        "aws:userid": (caller.principal_id,),
        "aws:requestedregion": (caller.region,),
    }


def evaluations(caller: Caller, request: AccessRequest) -> Iterator[tuple[str, Context]]:
    """(resource, context) for each evaluation IAM makes of one request, per the SAR."""
    spec = sar.action(request.action)
    kinds: list[str | None] = [k for k in spec.resources if k in request.resources]
    for kind in kinds or [None]:
        keys = spec.keys_for(kind)
        context = _globals(caller)
        for key, values in request.facts.items():
            if key.lower() in keys:
                context[key.lower()] = values
        resource = request.resources[kind] if kind else "*"
        yield (key_arn(resource) if kind == "key" else resource), context


def denied(caller: Caller, action: str, resource: str, why: str) -> AwsError:
    return access_denied(
        f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource} {why}"
    )


def _verdict(policies: RolePolicies, action: str, resource: str, context: Context) -> str | None:
    """None if allowed, else the reason IAM gives."""
    identity = decide(policies.identity, action, resource, context)
    if identity is Decision.EXPLICIT_DENY:
        return "with an explicit deny in an identity-based policy"
    boundary = (
        decide(policies.boundary, action, resource, context)
        if policies.boundary is not None
        else Decision.ALLOW
    )
    if boundary is Decision.EXPLICIT_DENY:
        return "with an explicit deny in a permissions boundary"
    if identity is Decision.IMPLICIT_DENY:
        return f"because no identity-based policy allows the {action} action"
    if boundary is Decision.IMPLICIT_DENY:
        return f"because no permissions boundary allows the {action} action"
    return None


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """One evaluation IAM made of a role's policies, and whether it allowed the call."""

    role_arn: str
    action: str
    resource: str
    context: Context
    allowed: bool


class IamEnforcer:
    """``IdentityPolicies`` for the running sandbox. ``recorded``, when a list, receives
    every evaluation, so a test can replay a run's requests against other policies."""

    def __init__(self, config: Callable[[], SandboxConfig], source: PolicySource) -> None:
        self._config, self.source = config, source
        self.recorded: list[Evaluation] | None = None

    def authorize(self, caller: Caller, requests: Sequence[AccessRequest]) -> None:
        if caller.role_arn is None or not self._config().iam_enforcement:
            return
        policies = self.source.for_role(caller.role_arn)
        if policies is None:
            return
        for request in requests:
            for resource, context in evaluations(caller, request):
                why = _verdict(policies, request.action, resource, context)
                self._record(caller.role_arn, request.action, resource, context, why is None)
                if why is not None:
                    raise denied(caller, request.action, resource, why)

    def _record(
        self, role_arn: str, action: str, resource: str, context: Context, allowed: bool
    ) -> None:
        if self.recorded is not None:
            self.recorded.append(
                Evaluation(
                    role_arn=role_arn,
                    action=action,
                    resource=resource,
                    context=dict(context),
                    allowed=allowed,
                )
            )
