"""The scratch resources of ``reconciler probe --write``: one card, one share (and a second
of the same name, if RAM takes it), at most two customer managed permissions (for cards,
for model package groups), one model package group with at most one version, and the PDF
of one export, all named ``reconciler-probe-<run>`` (``-groups`` for the second
permission) and tagged with the reconciler's ownership tag and the run as their source.

``clean`` deletes whatever was made, in the order RAM and SageMaker allow (the shares
before the permissions they use, the version before its group, then the card), first as
the apply role and, where that role may not (apply never deletes permissions, groups or
versions), with the caller's own credentials. What neither can delete is returned with
the command that deletes it; the caller runs ``clean`` in a ``finally`` block, so an
interrupt or a failed check still cleans up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from reconciler.aws.session import AwsSession, error_code
from reconciler.desired.model import Account
from reconciler.probe.context import ProbeContext, Skip, said, until

# Codes that mean the resource is gone already, or going.
GONE = frozenset({"ResourceNotFound", "UnknownResourceException", "NoSuchKey"})
DELETING = "being deleted"


@dataclass(kw_only=True)
class Scratch:
    """What this run made; ``clean`` deletes it."""

    ctx: ProbeContext
    cards: list[str] = field(default_factory=list)
    share_arn: str | None = None
    twin_arn: str | None = None  # a second share of the scratch share's name
    permissions: list[str] = field(default_factory=list)
    group: str | None = None  # the scratch model package group's name
    package_arn: str | None = None  # its version
    exports: list[tuple[str, str]] = field(default_factory=list)  # (bucket, key prefix)

    def clean(self) -> tuple[str, ...]:
        """Delete everything made; what is left, each with the command that deletes it."""
        left = [self._share(self.share_arn), self._share(self.twin_arn)]
        left += [self._permission(arn) for arn in self.permissions]
        left += [self._package(), self._group()]
        left += [self._card(name) for name in self.cards]
        left += [self._export(bucket, prefix) for bucket, prefix in self.exports]
        return tuple(item for item in left if item)

    def _left(self, what: str, delete: Callable[[AwsSession], Any], command: str) -> str | None:
        """Delete with ``_either``; None when done, else ``what`` with why and ``command``."""
        problem = _either(self.ctx, delete)
        if problem is None or (what.startswith("model card") and DELETING in problem):
            return None
        return f"{what} ({problem}): aws {command} --region {self.ctx.region}"

    def _share(self, arn: str | None) -> str | None:
        if arn is None:
            return None
        return self._left(
            f"share {arn}",
            lambda s: s.client("ram").delete_resource_share(resourceShareArn=arn),
            f"ram delete-resource-share --resource-share-arn {arn}",
        )

    def _permission(self, arn: str) -> str | None:
        if self.share_arn is not None:
            self._share_deleted()
        return self._left(
            f"permission {arn}",
            lambda s: s.client("ram").delete_permission(permissionArn=arn),
            f"ram delete-permission --permission-arn {arn}",
        )

    def _share_deleted(self) -> None:
        """Wait until RAM has finished deleting the share (a permission in use stays)."""
        ram = self.ctx.ambient.client("ram")

        def look() -> bool | None:
            shares = ram.get_resource_shares(
                resourceOwner="SELF", resourceShareArns=[self.share_arn]
            )["resourceShares"]
            return True if all(s["status"] == "DELETED" for s in shares) else None

        try:
            until(self.ctx, look, "the scratch share's deletion")
        except (Skip, ClientError, BotoCoreError):
            return  # deleting the permission then says what is wrong

    def _package(self) -> str | None:
        arn = self.package_arn
        if arn is None:
            return None
        return self._left(
            f"model version {arn}",
            lambda s: s.client("sagemaker").delete_model_package(ModelPackageName=arn),
            f"sagemaker delete-model-package --model-package-name {arn}",
        )

    def _group(self) -> str | None:
        name = self.group
        if name is None:
            return None
        return self._left(
            f"model package group {name}",
            lambda s: s.client("sagemaker").delete_model_package_group(ModelPackageGroupName=name),
            f"sagemaker delete-model-package-group --model-package-group-name {name}",
        )

    def _card(self, name: str) -> str | None:
        return self._left(
            f"model card {name}",
            lambda s: s.client("sagemaker").delete_model_card(ModelCardName=name),
            f"sagemaker delete-model-card --model-card-name {name}",
        )

    def _export(self, bucket: str, prefix: str) -> str | None:
        problem = _either(self.ctx, lambda s: _delete_objects(s.client("s3"), bucket, prefix))
        command = f"aws s3 rm --recursive s3://{bucket}/{prefix}"
        return (
            f"export PDFs under s3://{bucket}/{prefix} ({problem}): {command}" if problem else None
        )


def _either(ctx: ProbeContext, delete: Callable[[AwsSession], Any]) -> str | None:
    """Delete as the apply role, else with the caller's own credentials; None when done
    (or already gone), else why not."""
    problem = None
    for session in (ctx.session, ctx.ambient):
        try:
            delete(session)
        except ClientError as e:
            if error_code(e) in GONE:
                return None
            problem = said(e)
            continue
        except BotoCoreError as e:
            problem = str(e)
            continue
        return None
    return problem


def _delete_objects(s3: Any, bucket: str, prefix: str) -> None:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    for item in listed:
        s3.delete_object(Bucket=bucket, Key=item["Key"])


@dataclass(kw_only=True)
class Work:
    """A ``--write`` run as its steps go: the context, what was made, and what one step
    leaves for a later one."""

    ctx: ProbeContext
    scratch: Scratch
    consumer: Account | None = None  # the target account the scratch share names
    accepted: float | None = None  # when that account accepted the invitation (server time)
    evidence: frozenset[str] = frozenset()  # assumptions the account's records settled
    deleted_at: float | None = None  # when the scratch card's deletion was asked for
    recreated: bool = False  # a card of the scratch card's name was made again
    archived: bool = False  # the scratch card was archived
    package_updated: float | None = None  # when the scratch version's content was updated
