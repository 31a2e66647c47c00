"""The apply role's KMS statements for cards encrypted with a customer-managed key, printed
only when some card in git names a key (``kms_key_id``) or, in a hub, some spoke names the
hub's key for its replicas (``replica_kms_key_id``), and only for the keys they name.

What SageMaker does with the caller's credentials (docs/iam.md, "KMS", has the sources):
creating a card with ``SecurityConfig.KmsKeyId`` needs ``kms:DescribeKey``,
``kms:CreateGrant`` and ``kms:GenerateDataKey`` (the create handler of CloudFormation's
``AWS::SageMaker::ModelCard``); writing new content ``kms:GenerateDataKey``; deleting the
card retires SageMaker's grant, ``kms:RetireGrant`` (its delete handler). Each is limited to
calls made through SageMaker in the card account's region (``kms:ViaService``); the grant to
grants for an AWS resource (``kms:GrantIsForAWSResource``); the data keys to model card
encryption contexts of the card account. Reading (``kms:Decrypt``) stays in
``policy.py`` for every key of the card account, because plan reads unmanaged cards too;
a named key of another account or region gets ``kms:Decrypt`` here.

A key named by ARN or id is the resource itself; a key named by alias is every key of that
account and region carrying the alias (``kms:ResourceAliases``), since IAM authorises KMS
calls on the key ARN, which the alias hides until the call is made. The key policy must
allow the same actions for the apply role (for a key of another account, a statement naming
the role or its account): IAM policies alone do not open a KMS key.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.desired.model import DesiredState
from reconciler.iam.scope import Condition, Scope, Statement, statement


def _key_arn(s: Scope, key: str) -> tuple[str, str | None]:
    """(resource, alias or None) of a ``kms_key_id``: key id, key ARN, alias or alias ARN."""
    if key.startswith("arn:"):
        parts = key.split(":", 5)
        if parts[5].startswith("alias/"):
            return f"arn:{parts[1]}:kms:{parts[3]}:{parts[4]}:key/*", parts[5]
        return key, None
    if key.startswith("alias/"):
        return s.arn("kms", "key/*"), key
    return s.arn("kms", f"key/{key}"), None


def _scopes(s: Scope, keys: Iterable[str]) -> list[tuple[str, list[str], Condition]]:
    """(Sid suffix, resources, extra condition): the keys named by ARN or id, then those
    named by alias, one scope per account and region."""
    named, aliased = set(), dict[str, set[str]]()
    for key in keys:
        resource, alias = _key_arn(s, key)
        if alias is None:
            named.add(resource)
        else:
            aliased.setdefault(resource, set()).add(alias)
    found: list[tuple[str, list[str], Condition]] = []
    if named:
        found.append(("", sorted(named), {}))
    for n, (resource, aliases) in enumerate(sorted(aliased.items())):
        suffix = "ByAlias" + (str(n + 1) if len(aliased) > 1 else "")
        condition = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": sorted(aliases)}}
        found.append((suffix, [resource], condition))
    return found


def _via(s: Scope) -> Condition:
    return {"StringEquals": {"kms:ViaService": f"sagemaker.{s.region}.amazonaws.com"}}


def _merged(*conditions: Condition) -> Condition:
    found: Condition = {}
    for condition in conditions:
        for operator, keys in condition.items():
            found.setdefault(operator, {}).update(keys)
    return found


def named_keys(state: DesiredState) -> list[str]:
    """The keys the target's cards are written with: those its cards in git name, and,
    in a hub, those its spokes name for the replicas of their encrypted cards."""
    config = state.config
    replicas = (s.replica_kms_key_id for s in config.spokes_of(config.target))
    cards = (c.kms_key_id for c in state.cards.values())
    return sorted({key for key in (*cards, *replicas) if key})


def _for_scope(s: Scope, suffix: str, resources: list[str], extra: Condition) -> list[Statement]:
    own_keys = s.arn("kms", "key/*")
    outside = any(not r.startswith(own_keys[:-1]) for r in resources)
    data = ["kms:GenerateDataKey", *(["kms:Decrypt"] if outside else [])]
    via = _merged(_via(s), extra)
    grant = _merged(via, {"Bool": {"kms:GrantIsForAWSResource": "true"}})
    return [
        statement(f"DescribeModelCardKeys{suffix}", ["kms:DescribeKey"], resources, via),
        statement(f"LetSageMakerGrantModelCardKeys{suffix}", ["kms:CreateGrant"], resources, grant),
        statement(f"EncryptModelCards{suffix}", data, resources, _merged(s.via_sagemaker(), extra)),
        statement(f"RetireModelCardKeyGrants{suffix}", ["kms:RetireGrant"], resources, via),
    ]


def key_statements(s: Scope, state: DesiredState) -> list[Statement]:
    """The apply role's statements for the keys its cards and replicas are written with
    (``named_keys``); none without."""
    scopes = _scopes(s, named_keys(state))
    return [
        st for suffix, resources, extra in scopes for st in _for_scope(s, suffix, resources, extra)
    ]
