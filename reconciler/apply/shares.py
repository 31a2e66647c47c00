"""Step handlers for RAM: customer-managed permissions and resource shares.

Every mutating call carries a clientToken derived from the change. Associations are
asynchronous, so each handler that adds or removes them waits until they settle.
"""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from reconciler.apply.cards import sagemaker_tags
from reconciler.apply.context import StepContext
from reconciler.aws.session import chunks, error_code, pages
from reconciler.aws.waits import associations_settled
from reconciler.plan.model import Change

PER_CALL = 100  # RAM: "You can associate up to 100 resources per call."
MAX_PERMISSION_VERSIONS = 5


def policy_template(actions: list[str]) -> str:
    return json.dumps({"Effect": "Allow", "Action": sorted(actions)}, separators=(",", ":"))


def _ram_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in sorted(tags.items())]


def adopt(ctx: StepContext, change: Change) -> str:
    """Add the ownership tags to a live card or share that already matches git."""
    arn, add = change.params["arn"], change.params["add"]
    if change.params["service"] == "sagemaker":
        ctx.sagemaker.add_tags(ResourceArn=arn, Tags=sagemaker_tags(add))
    else:
        ctx.ram.tag_resource(resourceShareArn=arn, tags=_ram_tags(add))
    return f"now managed: tagged {', '.join(sorted(add))}"


def create_permission(ctx: StepContext, change: Change) -> str:
    p = change.params
    arn = ctx.ram.create_permission(
        name=p["name"],
        resourceType=p["resource_type"],
        policyTemplate=policy_template(p["actions"]),
        tags=_ram_tags(p["tags"]),
        clientToken=ctx.token,
    )["permission"]["arn"]
    return f"created {arn}"


def update_permission(ctx: StepContext, change: Change) -> str:
    """A new default version; the plan re-attaches it to each share (set_permission)."""
    p = change.params
    made_room = _make_room(ctx, p["arn"])
    version = ctx.ram.create_permission_version(
        permissionArn=p["arn"], policyTemplate=policy_template(p["actions"]), clientToken=ctx.token
    )["permission"]["version"]
    return f"{made_room}created version {version} of {p['name']} (now the default)"


def _make_room(ctx: StepContext, arn: str) -> str:
    """RAM keeps at most 5 versions of a permission: at the limit, delete the oldest version
    that is neither the default nor attached to a share (RAM refuses those)."""
    versions = list(
        pages(ctx.ram.list_permission_versions, "permissions", "nextToken", permissionArn=arn)
    )
    if len(versions) < MAX_PERMISSION_VERSIONS:
        return ""
    for item in sorted(versions, key=lambda v: int(v["version"])):
        if item.get("defaultVersion"):
            continue
        try:
            ctx.ram.delete_permission_version(
                permissionArn=arn,
                permissionVersion=int(item["version"]),
                clientToken=ctx.sub_token(int(item["version"])),
            )
        except ClientError as e:
            if error_code(e) == "OperationNotPermittedException":
                continue  # still attached to a share
            raise
        return f"deleted unused version {item['version']}; "
    return ""


def create_share(ctx: StepContext, change: Change) -> str:
    p = change.params
    resources, principals = list(p["resource_arns"]), list(p["principals"])
    share = ctx.ram.create_resource_share(
        name=p["name"],
        resourceArns=resources[:PER_CALL],
        principals=principals[:PER_CALL],
        permissionArns=[p["permission_arn"]],
        tags=_ram_tags(p["tags"]),
        allowExternalPrincipals=p["allow_external_principals"],
        clientToken=ctx.token,
    )["resourceShare"]
    arn = share["resourceShareArn"]
    _associate(ctx, arn, "resourceArns", resources[PER_CALL:], offset=1)
    _associate(ctx, arn, "principals", principals[PER_CALL:], offset=1000)
    settled = [
        associations_settled(ctx.ram, arn, kind, entities, "ASSOCIATED", ctx.waits)
        for kind, entities in (("RESOURCE", resources), ("PRINCIPAL", principals))
        if entities
    ]
    return f"created {arn}" + (f"; {'; '.join(settled)}" if settled else "")


def _associate(
    ctx: StepContext, arn: str, member: str, entities: list[str], offset: int = 0
) -> None:
    for i, chunk in enumerate(chunks(entities, PER_CALL)):
        ctx.ram.associate_resource_share(
            resourceShareArn=arn, **{member: chunk}, clientToken=ctx.sub_token(offset + i)
        )


def update_share(ctx: StepContext, change: Change) -> str:
    p, done = change.params, []
    settings = {
        k: p[v]
        for k, v in (("name", "name"), ("allowExternalPrincipals", "allow_external_principals"))
        if v in p
    }
    if settings:
        ctx.ram.update_resource_share(
            resourceShareArn=p["share_arn"], clientToken=ctx.token, **settings
        )
        done.append("updated " + ", ".join(sorted(settings)))
    if p.get("tags_add"):
        ctx.ram.tag_resource(resourceShareArn=p["share_arn"], tags=_ram_tags(p["tags_add"]))
        done.append(f"set {len(p['tags_add'])} tag(s)")
    if p.get("tags_remove"):
        ctx.ram.untag_resource(resourceShareArn=p["share_arn"], tagKeys=list(p["tags_remove"]))
        done.append(f"removed {len(p['tags_remove'])} tag(s)")
    return "; ".join(done)


def set_permission(ctx: StepContext, change: Change) -> str:
    p = change.params
    ctx.ram.associate_resource_share_permission(
        resourceShareArn=p["share_arn"],
        permissionArn=p["permission_arn"],
        replace=True,
        clientToken=ctx.token,
    )
    return f"permission set to {p['permission_arn']}"


def associate_resources(ctx: StepContext, change: Change) -> str:
    return _change_members(ctx, change, "resources", "resourceArns", "RESOURCE", True)


def associate_principals(ctx: StepContext, change: Change) -> str:
    return _change_members(ctx, change, "principals", "principals", "PRINCIPAL", True)


def disassociate_resources(ctx: StepContext, change: Change) -> str:
    return _change_members(ctx, change, "resources", "resourceArns", "RESOURCE", False)


def disassociate_principals(ctx: StepContext, change: Change) -> str:
    return _change_members(ctx, change, "principals", "principals", "PRINCIPAL", False)


def _change_members(
    ctx: StepContext, change: Change, key: str, member: str, kind: str, add: bool
) -> str:
    arn, entities = change.params["share_arn"], list(change.params[key])
    call = ctx.ram.associate_resource_share if add else ctx.ram.disassociate_resource_share
    for i, chunk in enumerate(chunks(entities, PER_CALL)):
        call(resourceShareArn=arn, **{member: chunk}, clientToken=ctx.sub_token(i))
    target = "ASSOCIATED" if add else "DISASSOCIATED"
    return associations_settled(ctx.ram, arn, kind, entities, target, ctx.waits)


def delete_share(ctx: StepContext, change: Change) -> str:
    ctx.ram.delete_resource_share(
        resourceShareArn=change.params["share_arn"], clientToken=ctx.token
    )
    return f"deleted {change.params['name']}"
