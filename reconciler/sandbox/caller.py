"""Who is calling the sandbox: the account and the IAM identity behind the request, the
STS session it signed with, and how the request arrived (what IAM's environment keys say)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Session:
    """What STS recorded when it issued a role session, as the sandbox issued it.

    ``tags`` are the session tags (from ``AssumeRole``'s ``Tags`` or a web identity
    token's ``https://aws.amazon.com/tags`` claim); ``policy`` and ``policy_arns`` the
    session policies; ``provider`` the IAM OIDC provider ARN of a web identity session.
    """

    issued_at: float
    tags: Mapping[str, str] = field(default_factory=dict)
    transitive: tuple[str, ...] = ()  # tag keys that pass on to a session this one assumes
    source_identity: str | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    provider: str | None = None


@dataclass(frozen=True, kw_only=True)
class Channel:
    """How a request reached the sandbox: the transport and the headers IAM reads."""

    secure: bool = False
    user_agent: str | None = None
    referer: str | None = None


@dataclass(frozen=True)
class Caller:
    """The identity a request was signed with, resolved the way STS would report it.

    ``principal_id`` is what ``GetCallerIdentity`` calls ``UserId``: ``<role id>:<session>``
    for an assumed role, the user id for an IAM user, the account id for the root.
    ``role_arn`` is the IAM role behind an assumed-role session (``aws:PrincipalArn``),
    None for any other identity. ``session`` is what STS recorded for a role session the
    sandbox issued; ``channel`` how this request arrived.
    """

    account_id: str
    arn: str  # e.g. arn:aws:sts::222222222222:assumed-role/DataScientist/session
    region: str
    principal_id: str = ""
    role_arn: str | None = None
    session: Session | None = field(default=None, kw_only=True)
    channel: Channel = field(default_factory=Channel, kw_only=True)

    @property
    def is_root(self) -> bool:
        return self.arn.endswith(":root")

    @property
    def is_user(self) -> bool:
        return ":user/" in self.arn and self.role_arn is None
