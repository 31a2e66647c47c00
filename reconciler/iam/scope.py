"""The building blocks of every policy statement: the ``Scope`` of one card account (its
ARN patterns and the condition values the statements share) and ``statement``, one Allow
statement in the printed form. The scoping decisions themselves are explained in
``policy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS
from reconciler.common.regions import partition_for
from reconciler.desired.model import DesiredState
from reconciler.diff.shares import resolved_principals

Statement = dict[str, Any]
Condition = dict[str, dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Scope:
    """ARN patterns and condition values for one card account, region and ownership tag."""

    partition: str
    region: str
    account: str
    tag_key: str
    tag_value: str
    source_tag_key: str
    principals: tuple[str, ...] = ()  # every principal some share in git names, as RAM has it
    external: bool = False  # some share in git allows principals outside the Organization
    card_names: tuple[str, ...] = ()  # the cards git declares: the only ones adopted
    share_names: tuple[str, ...] = ()  # the shares git declares: the only ones adopted

    @classmethod
    def for_state(cls, state: DesiredState) -> Scope:
        config, own = state.config, state.config.ownership
        shares = state.shares.values()
        return cls(
            partition=partition_for(config.region),
            region=config.region,
            account=config.card_account_id,
            tag_key=own.tag_key,
            tag_value=own.tag_value,
            source_tag_key=own.source_tag_key,
            principals=tuple(sorted({p for s in shares for p in resolved_principals(state, s)})),
            external=any(s.allow_external_principals for s in shares),
            card_names=tuple(sorted(state.cards)),
            share_names=tuple(sorted(state.shares)),
        )

    def arn(
        self, service: str, resource: str, region: str | None = None, account: str | None = None
    ) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if region is None else region}:"
            f"{self.account if account is None else account}:{resource}"
        )

    @property
    def cards(self) -> str:
        return self.arn("sagemaker", "model-card/*")

    @property
    def declared_cards(self) -> list[str]:
        """The ARN of each card git declares."""
        return [self.arn("sagemaker", f"model-card/{name}") for name in self.card_names]

    def declared_share(self) -> Condition:
        """The share is one git declares, by name."""
        return {"StringEquals": {"ram:ResourceShareName": list(self.share_names)}}

    @property
    def packages(self) -> str:
        return self.arn("sagemaker", "model-package/*")

    @property
    def shares(self) -> str:
        return self.arn("ram", "resource-share/*")

    @property
    def permissions(self) -> str:
        return self.arn("ram", "permission/*")

    @property
    def aws_permissions(self) -> list[str]:
        return [
            self.arn("ram", f"permission/{name}", "", "aws")
            for name in sorted(AWS_MANAGED_PERMISSIONS)
        ]

    @property
    def keys(self) -> str:
        return self.arn("kms", "key/*")

    def owned(self) -> Condition:
        return {"StringEquals": {f"aws:ResourceTag/{self.tag_key}": self.tag_value}}

    def tagged_request(self, **more: str) -> Condition:
        """The request carries the ownership tag (plus ``more`` exact values)."""
        return {"StringEquals": {f"aws:RequestTag/{self.tag_key}": self.tag_value, **more}}

    def untagged(self) -> Condition:
        """The resource does not carry the ownership tag yet (adoption)."""
        return {"Null": {f"aws:ResourceTag/{self.tag_key}": "true"}}

    def ownership_tags_only(self) -> Condition:
        return {"ForAllValues:StringEquals": {"aws:TagKeys": [self.tag_key, self.source_tag_key]}}

    def adoption(self) -> Condition:
        """Tagging a resource that carries no ownership tag yet with the ownership tags and
        nothing else: adopting it, or tagging what was just created."""
        return {**self.tagged_request(), **self.untagged(), **self.ownership_tags_only()}

    def declared_principals(self) -> Condition:
        """Only principals some share in git names; none when no share names any."""
        if not self.principals:
            return {"Null": {"ram:Principal": "true"}}
        return {"ForAllValues:StringEquals": {"ram:Principal": list(self.principals)}}

    def external_sharing(self, if_exists: bool = False) -> Condition:
        """Opening a share to outside principals only when some share in git does."""
        if self.external:
            return {}
        return {
            "BoolIfExists" if if_exists else "Bool": {
                "ram:RequestedAllowsExternalPrincipals": "false"
            }
        }

    def via_sagemaker(self) -> Condition:
        return {
            "StringEquals": {"kms:ViaService": f"sagemaker.{self.region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": self.cards},
        }


def statement(
    sid: str,
    actions: Sequence[str],
    resources: str | Sequence[str],
    condition: Condition | None = None,
) -> Statement:
    """One Allow statement: actions sorted, one resource as a string, several sorted."""
    found: Statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": _resource(resources),
    }
    if condition:
        found["Condition"] = condition
    return found


def _resource(resources: str | Sequence[str]) -> str | list[str]:
    """One resource as a string; several as a sorted list."""
    if isinstance(resources, str):
        return resources
    listed = sorted(resources)
    return listed[0] if len(listed) == 1 else listed
