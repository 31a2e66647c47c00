"""Who is calling the sandbox: the account and the IAM identity behind the request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The identity a request was signed with, resolved the way STS would report it.

    ``principal_id`` is what ``GetCallerIdentity`` calls ``UserId``: ``<role id>:<session>``
    for an assumed role, the user id for an IAM user, the account id for the root.
    ``role_arn`` is the IAM role behind an assumed-role session (``aws:PrincipalArn``),
    None for any other identity.
    """

    account_id: str
    arn: str  # e.g. arn:aws:sts::222222222222:assumed-role/DataScientist/session
    region: str
    principal_id: str = ""
    role_arn: str | None = None
