"""Step handlers for RAM: customer-managed permissions and resource shares.

Every mutating call carries a clientToken derived from the change. Cards are associated
as the apply finishes writing them (``StepContext.ready``), 100 a call, model package
groups once every card and model version of the apply is written (their versions'
approval selects them), and a share gets its principals only once every card of the
apply is written. Associations are
asynchronous, so each handler that adds or removes them waits until they settle.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply.cards import sagemaker_tags
from reconciler.apply.context import StepContext
from reconciler.apply.gate import Stopped
from reconciler.aws.session import error_code, pages
from reconciler.aws.waits import associations_settled
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreatePermission,
    CreateShare,
    DeleteShare,
    MemberKind,
    Service,
    SetPermission,
    UpdatePermission,
    UpdateShare,
)

PER_CALL = 100  # RAM: "You can associate up to 100 resources per call."
MAX_PERMISSION_VERSIONS = 5


def policy_template(actions: tuple[str, ...]) -> str:
    return json.dumps({"Effect": "Allow", "Action": sorted(actions)}, separators=(",", ":"))


def _ram_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in sorted(tags.items())]


def adopt(ctx: StepContext, adoption: Adopt) -> str:
    """Add the ownership tags to a live card or share that already matches git."""
    if adoption.service is Service.SAGEMAKER:
        ctx.sagemaker.add_tags(ResourceArn=adoption.arn, Tags=sagemaker_tags(adoption.tags))
    else:
        ctx.ram.tag_resource(resourceShareArn=adoption.arn, tags=_ram_tags(adoption.tags))
    return f"now managed: tagged {', '.join(sorted(adoption.tags))}"


REFUSED_TYPE = frozenset(
    {"InvalidParameterException", "OperationNotPermittedException", "UnknownResourceException"}
)


def create_permission(ctx: StepContext, permission: CreatePermission) -> str:
    try:
        arn = ctx.ram.create_permission(
            name=permission.name,
            resourceType=permission.resource_type,
            policyTemplate=policy_template(permission.actions),
            tags=_ram_tags(permission.tags),
            clientToken=ctx.token,
        )["permission"]["arn"]
    except ClientError as e:
        if error_code(e) in REFUSED_TYPE:
            _explain_refused_type(e, permission.resource_type)
        raise
    return f"created {arn}"


def _explain_refused_type(e: ClientError, resource_type: str) -> None:
    """RAM's own message, in the words of what to do instead."""
    error = e.response.setdefault("Error", {})
    error["Message"] = (
        f"RAM refused a customer-managed permission for {resource_type} "
        f"({error.get('Message', '')}); AWS documents only its managed permissions "
        "for model cards, so keep production read-only with the consumer guard: "
        "reconciler iam-policy --role consumer-guard --account <name> (docs/iam.md)"
    )


def update_permission(ctx: StepContext, permission: UpdatePermission) -> str:
    """A new default version; the plan re-attaches it to each share (set_permission)."""
    made_room = _make_room(ctx, permission.arn)
    version = ctx.ram.create_permission_version(
        permissionArn=permission.arn,
        policyTemplate=policy_template(permission.actions),
        clientToken=ctx.token,
    )["permission"]["version"]
    return f"{made_room}created version {version} of {permission.name} (now the default)"


def _make_room(ctx: StepContext, arn: str) -> str:
    """RAM keeps at most 5 versions of a permission: at the limit, delete the oldest version
    that is neither the default nor attached to a share (RAM refuses those)."""
    versions = list(
        pages(ctx.ram.list_permission_versions, "permissions", "nextToken", permissionArn=arn)
    )
    if len(versions) < MAX_PERMISSION_VERSIONS:
        return ""
    for item in sorted(versions, key=lambda v: int(v["version"])):
        if not item.get("defaultVersion") and _deleted(ctx, arn, int(item["version"])):
            return f"deleted unused version {item['version']}; "
    return ""


def _deleted(ctx: StepContext, arn: str, version: int) -> bool:
    """Delete a version of the permission; False when it is still attached to a share."""
    try:
        ctx.ram.delete_permission_version(
            permissionArn=arn, permissionVersion=version, clientToken=ctx.sub_token(version)
        )
    except ClientError as e:
        if error_code(e) == "OperationNotPermittedException":
            return False  # still attached to a share
        raise
    return True


def create_share(ctx: StepContext, share: CreateShare) -> str:
    """Create the share with the first cards it may hold, associate the rest as this apply
    finishes writing them (``ctx.ready``), and add its principals once every card of the
    apply is written: in the create call when they already are, else with the share's
    last cards. Then wait until every association has settled."""
    made = _Creation(share)
    batches = ctx.ready.batches(made.resources, PER_CALL)
    first = next(batches, [])
    arn = _create(ctx, share, first, made)
    try:
        _add_cards(ctx, arn, batches, made)
        _add_accounts(ctx, arn, made)
    except Stopped:
        raise Stopped(made.done()) from None
    return f"created {arn}" + _settled(ctx, arn, made)


class _Creation:
    """How far creating a share has got: its cards handed to RAM, its accounts invited."""

    def __init__(self, share: CreateShare) -> None:
        self.resources, self.principals = list(share.resource_arns), list(share.principals)
        self.handed = 0
        self.invited: list[str] = []  # with the create call or with the last cards
        self.others = _Counted(())  # the accounts after the first 100

    def done(self) -> str:
        done = f"the share exists with {self.handed} of {len(self.resources)} cards"
        if self.principals:
            invited = len(self.invited) + self.others.count
            done += f" and {invited} of {len(self.principals)} accounts"
        return done


def _create(ctx: StepContext, share: CreateShare, first: list[str], made: _Creation) -> str:
    """The share, with its first cards, and its principals when every card is written."""
    made.invited = made.principals[:PER_CALL] if ctx.ready.cards_written() else []
    created = ctx.ram.create_resource_share(
        name=share.name,
        resourceArns=first,
        principals=made.invited,
        permissionArns=_permissions(share),
        tags=_ram_tags(share.tags),
        allowExternalPrincipals=share.allow_external_principals,
        clientToken=ctx.token,
    )["resourceShare"]
    made.handed = len(first)
    return str(created["resourceShareArn"])


def _permissions(share: CreateShare) -> list[str]:
    """One permission per resource type: the cards', and the groups' when it has any."""
    groups = share.group_permission_arn
    return [share.permission_arn, *([groups] if groups else [])]


def _add_cards(ctx: StepContext, arn: str, batches: Iterable[list[str]], made: _Creation) -> None:
    """The share's other cards as they are written; the last ones go with the accounts."""
    for i, batch in enumerate(batches, start=1):
        members: dict[str, list[str]] = {"resourceArns": batch}
        last = made.handed + len(batch) == len(made.resources)
        if made.principals and not made.invited and last:
            ctx.ready.wait_for_cards()
            made.invited = members["principals"] = made.principals[:PER_CALL]
        ctx.ram.associate_resource_share(
            resourceShareArn=arn, **members, clientToken=ctx.sub_token(i)
        )
        made.handed += len(batch)


def _add_accounts(ctx: StepContext, arn: str, made: _Creation) -> None:
    """The accounts not invited yet, once every card of the apply is written."""
    made.others = _Counted(ctx.ready.batches(made.principals[len(made.invited) :], PER_CALL))
    if len(made.invited) < len(made.principals):
        ctx.ready.wait_for_cards()
        _associate(ctx, arn, MemberKind.PRINCIPAL, made.others, part=lambda i: f"principals/{i}")


def _settled(ctx: StepContext, arn: str, made: _Creation) -> str:
    """Wait until every association of the new share has settled; what RAM said, if any."""
    kinds = {MemberKind.RESOURCE.value: made.resources, MemberKind.PRINCIPAL.value: made.principals}
    wanted = {kind: entities for kind, entities in kinds.items() if entities}
    settled = associations_settled(ctx.ram, arn, wanted, "ASSOCIATED", ctx.waits)
    return f"; {'; '.join(settled)}" if settled else ""


class _Counted:
    """Groups of entities, counting those handed out (each group's call has been made by
    the time the next one is asked for)."""

    def __init__(self, groups: Iterable[list[str]]) -> None:
        self.groups, self.count = groups, 0

    def __iter__(self) -> Iterator[list[str]]:
        for group in self.groups:
            self.count += len(group)
            yield group


def _member(kind: MemberKind) -> str:
    """The AssociateResourceShare parameter for entities of ``kind``."""
    return "resourceArns" if kind is MemberKind.RESOURCE else "principals"


def _associate(
    ctx: StepContext,
    arn: str,
    kind: MemberKind,
    groups: Iterable[list[str]],
    *,
    add: bool = True,
    part: Callable[[int], int | str] = lambda i: i,
) -> None:
    """Associate (``add``) or disassociate each group of entities, one call each; the
    ``part(i)``-th token of the step for the ``i``-th call."""
    call = ctx.ram.associate_resource_share if add else ctx.ram.disassociate_resource_share
    for i, group in enumerate(groups):
        call(resourceShareArn=arn, **{_member(kind): group}, clientToken=ctx.sub_token(part(i)))


def update_share(ctx: StepContext, update: UpdateShare) -> str:
    done = []
    settings = _settings(update)
    if settings:
        ctx.ram.update_resource_share(
            resourceShareArn=update.share_arn, clientToken=ctx.token, **settings
        )
        done.append("updated " + ", ".join(sorted(settings)))
    if update.tags_add:
        ctx.ram.tag_resource(resourceShareArn=update.share_arn, tags=_ram_tags(update.tags_add))
        done.append(f"set {len(update.tags_add)} tag(s)")
    if update.tags_remove:
        ctx.ram.untag_resource(resourceShareArn=update.share_arn, tagKeys=list(update.tags_remove))
        done.append(f"removed {len(update.tags_remove)} tag(s)")
    return "; ".join(done)


def _settings(update: UpdateShare) -> dict[str, object]:
    """The UpdateResourceShare parameters of the settings that change."""
    settings: dict[str, object] = {}
    if update.name is not None:
        settings["name"] = update.name
    if update.allow_external_principals is not None:
        settings["allowExternalPrincipals"] = update.allow_external_principals
    return settings


def set_permission(ctx: StepContext, attach: SetPermission) -> str:
    ctx.ram.associate_resource_share_permission(
        resourceShareArn=attach.share_arn,
        permissionArn=attach.permission_arn,
        replace=True,
        clientToken=ctx.token,
    )
    return f"permission set to {attach.permission_arn}"


def change_members(ctx: StepContext, members: ChangeMembers, *, add: bool) -> str:
    """Associate (``add``; each card once this apply has written it) or disassociate
    entities, then wait until they settle."""
    entities = list(members.entities)
    groups = _Counted(ctx.ready.batches(entities, PER_CALL))
    try:
        _associate(ctx, members.share_arn, members.kind, groups, add=add)
    except Stopped:
        if not groups.count:
            raise
        verb = "associated" if add else "disassociated"
        raise Stopped(f"{groups.count} of {len(entities)} {verb}") from None
    target = "ASSOCIATED" if add else "DISASSOCIATED"
    wanted = {members.kind.value: entities}
    (settled,) = associations_settled(ctx.ram, members.share_arn, wanted, target, ctx.waits)
    return settled


def delete_share(ctx: StepContext, share: DeleteShare) -> str:
    ctx.ram.delete_resource_share(resourceShareArn=share.share_arn, clientToken=ctx.token)
    return f"deleted {share.name}"


def stamp_applied(ram: Any, share_arns: list[str], key: str, when: str) -> list[str]:
    """Tag each share apply changed with the time it did (``key``: ``when``), so drift
    looks in CloudTrail only after it. Best effort: returns a warning per share that could
    not be tagged (drift then looks back CloudTrail's whole 90 days for that share)."""
    warnings = []
    for arn in share_arns:
        try:
            ram.tag_resource(resourceShareArn=arn, tags=_ram_tags({key: when}))
        except ClientError as e:
            warnings.append(
                f"could not record the apply time on {arn} ({error_code(e)}): drift will look "
                "for who changed this share over CloudTrail's 90 days"
            )
    return warnings
