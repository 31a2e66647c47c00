"""Every AWS global condition key, and what the sandbox does with it.

Source: the IAM User Guide, "AWS global condition context keys"
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html; research
notes /tmp/research/iam-global-keys.md, section 2). Each key is one of:

- ``SET``: the sandbox sets it whenever AWS would, from the caller, its session, the
  request and the resource (``context``); absent where AWS leaves it out.
- ``SERVICE``: the service that answers the call supplies it (tags), for the actions the
  Service Authorization Reference lists it for.
- ``ABSENT``: AWS sets it only for requests the sandbox never receives (a service
  principal acting for a resource owner, CalledVia services, MFA sessions), so it is
  always absent.
- ``UNKNOWABLE``: its value in AWS depends on what the sandbox cannot see (the caller's
  network path, an EC2 instance's credentials); a condition on it is refused with the
  reason, never guessed.

An ``aws:`` key missing from this table is refused too: the sandbox does not know it.
``docs/iam.md`` renders this table; ``tests/sandbox/test_iam_global_keys.py`` has a test
per key.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    SET = "set by the sandbox"
    SERVICE = "set by the service answering the call"
    ABSENT = "always absent in the sandbox"
    UNKNOWABLE = "refused: the sandbox cannot know it"


@dataclass(frozen=True)
class GlobalKey:
    name: str  # as AWS spells it; a trailing "/" marks a key with a tag name after it
    kind: Kind
    rule: str  # what the sandbox sets, or why it is absent or unknowable


_NETWORK = "the caller's network path in AWS (public IP, VPC endpoint) is not the sandbox's"
_INSTANCE = "set only for EC2 instance credentials, which the sandbox cannot tell apart"

KEYS: tuple[GlobalKey, ...] = (
    GlobalKey("aws:CalledVia", Kind.ABSENT, "only CalledVia services (e.g. CloudFormation)"),
    GlobalKey("aws:CalledViaFirst", Kind.ABSENT, "as aws:CalledVia"),
    GlobalKey("aws:CalledViaLast", Kind.ABSENT, "as aws:CalledVia"),
    GlobalKey("aws:CurrentTime", Kind.SET, "the sandbox clock, ISO 8601 UTC"),
    GlobalKey("aws:EpochTime", Kind.SET, "the sandbox clock, seconds since 1970"),
    GlobalKey("aws:Ec2InstanceSourcePrivateIPv4", Kind.UNKNOWABLE, _INSTANCE),
    GlobalKey("aws:Ec2InstanceSourceVpc", Kind.UNKNOWABLE, _INSTANCE),
    GlobalKey(
        "aws:FederatedProvider",
        Kind.UNKNOWABLE,
        "AWS documents its value for Amazon Cognito, not for IAM OIDC providers",
    ),
    GlobalKey("aws:MultiFactorAuthAge", Kind.ABSENT, "the sandbox issues no MFA sessions"),
    GlobalKey(
        "aws:MultiFactorAuthPresent",
        Kind.SET,
        "false for role sessions; absent for long-term keys (root, IAM users)",
    ),
    GlobalKey("aws:PrincipalAccount", Kind.SET, "the caller's account"),
    GlobalKey("aws:PrincipalArn", Kind.SET, "the role ARN for a role session, else the caller"),
    GlobalKey("aws:PrincipalIsAWSService", Kind.SET, "false: callers are never services"),
    GlobalKey("aws:PrincipalOrgID", Kind.SET, "the Organization's id, if it holds the account"),
    GlobalKey(
        "aws:PrincipalOrgPaths",
        Kind.SET,
        "o-…/r-…/ou-…/ from the Organization's units; refused if two units hold the same "
        "accounts (their nesting is unknown)",
    ),
    GlobalKey("aws:PrincipalServiceName", Kind.ABSENT, "only for service principals"),
    GlobalKey("aws:PrincipalServiceNamesList", Kind.ABSENT, "only for service principals"),
    GlobalKey(
        "aws:PrincipalTag/",
        Kind.SET,
        "the role's tags, overridden by session tags; refused for IAM users",
    ),
    GlobalKey(
        "aws:PrincipalType",
        Kind.SET,
        "AssumedRole, User or Account (root)",
    ),
    GlobalKey("aws:Referer", Kind.SET, "the request's Referer header, if any"),
    GlobalKey("aws:RequestedRegion", Kind.SET, "the Region of the call's credential scope"),
    GlobalKey("aws:RequestTag/", Kind.SERVICE, "the tags in the request"),
    GlobalKey(
        "aws:ResourceAccount",
        Kind.SET,
        "the resource's account (S3: the bucket owner); for actions on '*' the caller's "
        "account (switch iam_star_resource_in_caller_account)",
    ),
    GlobalKey("aws:ResourceOrgID", Kind.SET, "the resource account's Organization, if any"),
    GlobalKey("aws:ResourceOrgPaths", Kind.SET, "as aws:PrincipalOrgPaths, for the resource"),
    GlobalKey("aws:ResourceTag/", Kind.SERVICE, "the resource's tags"),
    GlobalKey(
        "aws:SecureTransport",
        Kind.SET,
        "true (these AWS endpoints take HTTPS only); switch iam_secure_transport_always",
    ),
    GlobalKey("aws:SourceAccount", Kind.ABSENT, "only a service acting for a resource owner"),
    GlobalKey("aws:SourceArn", Kind.ABSENT, "only a service acting for a resource owner"),
    GlobalKey("aws:SourceIdentity", Kind.SET, "the session's source identity, if one was set"),
    GlobalKey("aws:SourceIp", Kind.UNKNOWABLE, _NETWORK),
    GlobalKey("aws:SourceOrgID", Kind.ABSENT, "only a service acting for a resource owner"),
    GlobalKey("aws:SourceOrgPaths", Kind.ABSENT, "only a service acting for a resource owner"),
    GlobalKey("aws:SourceVpc", Kind.UNKNOWABLE, _NETWORK),
    GlobalKey("aws:SourceVpcArn", Kind.UNKNOWABLE, _NETWORK),
    GlobalKey("aws:SourceVpce", Kind.UNKNOWABLE, _NETWORK),
    GlobalKey("aws:TagKeys", Kind.SERVICE, "the tag keys in the request"),
    GlobalKey("aws:TokenIssueTime", Kind.SET, "when the session was issued; absent otherwise"),
    GlobalKey("aws:UserAgent", Kind.SET, "the request's User-Agent header"),
    GlobalKey("aws:userid", Kind.SET, "role id:session name, user id, or the account id"),
    GlobalKey("aws:username", Kind.SET, "the IAM user's name; absent for other callers"),
    GlobalKey(
        "aws:ViaAWSService",
        Kind.SET,
        "true when SageMaker calls KMS or S3 with the caller's credentials, else false",
    ),
    GlobalKey("aws:VpcSourceIp", Kind.UNKNOWABLE, _NETWORK),
)

_BY_NAME = {k.name.lower(): k for k in KEYS}
_PREFIXES = tuple(k for k in KEYS if k.name.endswith("/"))


def global_key(key: str) -> GlobalKey | None:
    """The catalog's entry for a lower-case ``aws:`` key, tag keys by their prefix."""
    found = _BY_NAME.get(key)
    if found is not None:
        return found
    return next(
        (k for k in _PREFIXES if key.startswith(k.name.lower()) and key != k.name.lower()), None
    )
