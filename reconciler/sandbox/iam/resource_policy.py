"""How a resource-based policy (a KMS key policy, a role's trust policy, an S3 bucket
policy) combines with the caller's own policies, per the IAM User Guide's policy evaluation
logic.

- An explicit Deny in either wins.
- Within the resource's account, a resource-based policy that names the caller directly
  (its ARN, its role, or ``*``) allows without the caller's identity policies; a
  permissions boundary or session policy that does not allow still denies (the sandbox
  applies that limit whichever way the principal was named, the stricter reading).
- Naming the caller's account delegates: the caller's own policies must allow too.
- A caller of another account needs both: the resource policy must name it or its account,
  and its own policies must allow.
- A key policy must allow every request (``resource_verdict``); a bucket policy need not
  (``bucket_verdict``): within the bucket's account, the caller's identity policies alone
  may allow, as if the bucket had no policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.iam.policy import Grant, Statement, granted
from reconciler.sandbox.iam.principals import Who
from reconciler.sandbox.iam.request_context import RequestContext


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """What the caller's own policies decided: an explicit deny, or the layers
    ("identity-based policy", "permissions boundary", "session policy") that do not allow,
    each with IAM's words."""

    explicit: str | None = None
    implicit: dict[str, str] = field(default_factory=dict)

    def reason(self, ignore_identity: bool = False) -> str | None:
        """Why the request is denied, or None if the caller's policies allow it."""
        if self.explicit is not None:
            return self.explicit
        skip = "identity-based policy" if ignore_identity else None
        layers = [k for k in self.implicit if k != skip]
        return self.implicit[layers[0]] if layers else None


def who(caller: Caller) -> Who:
    """The caller as a Principal element may name it."""
    arns = (caller.arn, caller.role_arn) if caller.role_arn else (caller.arn,)
    return Who(account=caller.account_id, arns=tuple(a for a in arns if a))


def resource_verdict(
    caller: Caller,
    statements: tuple[Statement, ...],
    action: str,
    resource: str,
    context: RequestContext,
    own: Verdict,
) -> str | None:
    """Why the request is denied (IAM's words), or None when it is allowed."""
    if own.explicit is not None:
        return own.explicit
    grant = granted(statements, action, resource, context, who(caller))
    if grant is Grant.DENY:
        return "with an explicit deny in a resource-based policy"
    if grant is Grant.NONE:
        return f"because no resource-based policy allows the {action} action"
    same_account = resource.split(":")[4:5] == [caller.account_id]
    return own.reason(ignore_identity=same_account and grant is Grant.DIRECTLY)


def bucket_verdict(
    caller: Caller,
    statements: tuple[Statement, ...],
    request: tuple[str, str, str | None],
    context: RequestContext,
    own: Verdict,
) -> str | None:
    """Why an S3 request (action, resource, the bucket owner's account) on a bucket with a
    policy is denied, or None when it is allowed."""
    action, resource, owner = request
    if own.explicit is not None:
        return own.explicit
    grant = granted(statements, action, resource, context, who(caller))
    if grant is Grant.DENY:
        return "with an explicit deny in a resource-based policy"
    if owner == caller.account_id:
        return own.reason(ignore_identity=grant is Grant.DIRECTLY)
    if grant is Grant.NONE:
        return f"because no resource-based policy allows the {action} action"
    return own.reason()
