"""Which principals a share may name, and whether each needs an invitation.

Follows the RAM user guide ("Accepting and rejecting resource share invitations"): a
principal in the owner's Organization gets access without an invitation only when
sharing with the Organization is enabled; any other account gets an invitation, which
the share must allow (``allowExternalPrincipals``). Organization and OU principals need
the owner to be in that Organization with sharing enabled. A principal is ``external``
when it is outside the owner's Organization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconciler.sandbox.config import Organization
from reconciler.sandbox.ram.errors import (
    ONLY_WITHIN_ORG,
    invalid_parameter,
    not_permitted,
    unknown_resource,
)
from reconciler.sandbox.ram.state import RamContext

ACCOUNT = re.compile(r"^\d{12}$")
ORG_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::(\d{12}):organization/(o-[a-z0-9]+)$")
OU_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::(\d{12}):ou/(o-[a-z0-9]+)/(ou-[a-z0-9-]+)$")
IAM_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/.+$")


@dataclass(frozen=True)
class PrincipalPlan:
    """How a principal joins a share: by invitation or directly, and whether it is external."""

    entity: str
    invite: bool
    external: bool


def plan(ctx: RamContext, owner: str, principal: str, allow_external: bool) -> PrincipalPlan:
    """Validate ``principal`` for a share of ``owner``; raise the error AWS gives if refused."""
    org = ctx.org()
    if ACCOUNT.match(principal):
        return _account(ctx, org, owner, principal, allow_external)
    if ORG_ARN.match(principal) or OU_ARN.match(principal):
        _check_org_principal(ctx, org, owner, principal)
        return PrincipalPlan(principal, invite=False, external=False)
    if IAM_ARN.match(principal):
        raise invalid_parameter(
            f"Principal {principal} is an IAM role or user; the sandbox shares "
            "sagemaker:ModelCard with accounts, Organizations and OUs only."
        )
    raise invalid_parameter(f"Principal ID {principal} is malformed. Verify the ID and try again.")


def _account(
    ctx: RamContext, org: Organization | None, owner: str, account: str, allow_external: bool
) -> PrincipalPlan:
    if account == owner:
        raise invalid_parameter(
            f"The resource share belongs to {account}; it cannot be shared with its own account."
        )
    same_org = org is not None and org.contains(owner) and org.contains(account)
    invite = not (same_org and ctx.org_sharing())
    if invite and not allow_external:
        raise not_permitted(ONLY_WITHIN_ORG)
    return PrincipalPlan(account, invite=invite, external=not same_org)


def _check_org_principal(
    ctx: RamContext, org: Organization | None, owner: str, principal: str
) -> None:
    if org is None or not org.contains(owner) or not ctx.org_sharing():
        raise not_permitted(ONLY_WITHIN_ORG)
    if ORG_ARN.match(principal):
        if principal != org.arn:
            raise unknown_resource(f"Organization {principal} could not be found.")
        return
    unit = principal.rsplit("/", 1)[1]
    if principal != org.ou_arn(unit) or unit not in org.units:
        raise unknown_resource(f"OrganizationalUnit {principal} could not be found.")


def is_external(ctx: RamContext, owner: str, principal: str) -> bool:
    """Whether an already-associated principal lies outside the owner's Organization."""
    org = ctx.org()
    if not ACCOUNT.match(principal):
        return False
    return not (org is not None and org.contains(owner) and org.contains(principal))
