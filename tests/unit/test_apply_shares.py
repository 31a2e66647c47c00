"""apply.shares: the RAM step handlers called directly against stubbed RAM, for what the
executor's table does not show: the policy a permission gets, RAM's refusal of a
customer-managed permission in words of what to do, a full permission whose old
versions are all in use, share updates that change little, more than 100 accounts in a
new share, and the apply time stamped on the shares apply changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.apply import shares
from reconciler.plan.payloads import CreatePermission, CreateShare, UpdatePermission, UpdateShare
from tests.unit.stubs import PERMISSION, SHARE, TOKEN, Call, Stubbed, associations, poll, sub_token

ACTIONS = ("sagemaker:ListModelCardVersions", "sagemaker:DescribeModelCard")
OWNED = {"managed-by": "reconciler"}


def ram(
    method: str, response: dict[str, Any] | None = None, error: str | None = None, **params: Any
) -> Call:
    return Call(service="ram", method=method, params=params, response=response or {}, error=error)


@pytest.mark.parametrize(
    ("actions", "policy"),
    [
        pytest.param(ACTIONS, {"Effect": "Allow", "Action": sorted(ACTIONS)}, id="sorted"),
        pytest.param((), {"Effect": "Allow", "Action": []}, id="none"),
    ],
)
def test_a_permissions_policy_allows_its_actions_sorted_and_compact(
    actions: tuple[str, ...], policy: dict[str, Any]
) -> None:
    template = shares.policy_template(actions)
    assert json.loads(template) == policy
    assert " " not in template


def create(error: str | None = None) -> Call:
    return ram(
        "create_permission",
        {"permission": {"arn": PERMISSION}},
        error,
        name="read-only",
        resourceType="sagemaker:ModelCard",
        policyTemplate=shares.policy_template(ACTIONS),
        tags=[{"key": "managed-by", "value": "reconciler"}],
        clientToken=TOKEN,
    )


NEW = CreatePermission(
    name="read-only",
    arn=PERMISSION,
    actions=ACTIONS,
    resource_type="sagemaker:ModelCard",
    tags=OWNED,
)


@pytest.mark.parametrize("code", sorted(shares.REFUSED_TYPE))
def test_rams_refusal_of_a_permission_for_model_cards_says_what_to_do_instead(
    stubs: Stubbed, code: str
) -> None:
    stubs.expect(create(code))
    with pytest.raises(ClientError) as refused:
        shares.create_permission(stubs.ctx, NEW)
    message = refused.value.response["Error"]["Message"]
    assert message.startswith("RAM refused a customer-managed permission for sagemaker:ModelCard")
    assert f"({code} (stubbed))" in message, "RAM's own words are kept"
    assert "reconciler iam-policy --role consumer-guard" in message
    assert refused.value.response["Error"]["Code"] == code


def test_another_refusal_keeps_rams_message(stubs: Stubbed) -> None:
    stubs.expect(create("MalformedPolicyTemplateException"))
    with pytest.raises(ClientError) as refused:
        shares.create_permission(stubs.ctx, NEW)
    assert (
        refused.value.response["Error"]["Message"] == "MalformedPolicyTemplateException (stubbed)"
    )


def versions(*numbers: int, default: int) -> Call:
    found = [
        {"arn": PERMISSION, "version": str(n), "defaultVersion": n == default} for n in numbers
    ]
    return ram("list_permission_versions", {"permissions": found}, permissionArn=PERMISSION)


def delete_version(number: int, error: str | None = None) -> Call:
    return ram(
        "delete_permission_version",
        {"returnValue": True},
        error,
        permissionArn=PERMISSION,
        permissionVersion=number,
        clientToken=sub_token(number),
    )


def new_version(number: int) -> Call:
    return ram(
        "create_permission_version",
        {"permission": {"arn": PERMISSION, "version": str(number)}},
        permissionArn=PERMISSION,
        policyTemplate=shares.policy_template(ACTIONS),
        clientToken=TOKEN,
    )


UPDATE = UpdatePermission(name="read-only", arn=PERMISSION, actions=ACTIONS)


def test_a_full_permission_whose_old_versions_are_all_attached_deletes_none(
    stubs: Stubbed,
) -> None:
    """RAM refuses to delete a version a share still uses; the new version is asked for
    anyway, and RAM's answer to that is the step's."""
    in_use = [delete_version(n, "OperationNotPermittedException") for n in (1, 2, 3, 4)]
    stubs.expect(versions(5, 3, 1, 4, 2, default=5), *in_use, new_version(6))
    done = shares.update_permission(stubs.ctx, UPDATE)
    assert done == "created version 6 of read-only (now the default)"


def test_another_refusal_to_delete_an_old_version_fails_the_step(stubs: Stubbed) -> None:
    stubs.expect(versions(1, 2, 3, 4, 5, default=1), delete_version(2, "AccessDeniedException"))
    with pytest.raises(ClientError, match="AccessDeniedException"):
        shares.update_permission(stubs.ctx, UPDATE)


UPDATES = [
    pytest.param(UpdateShare(share_arn=SHARE), [], "", id="nothing"),
    pytest.param(
        UpdateShare(share_arn=SHARE, allow_external_principals=False),
        [
            ram(
                "update_resource_share",
                {"resourceShare": {}},
                resourceShareArn=SHARE,
                clientToken=TOKEN,
                allowExternalPrincipals=False,
            )
        ],
        "updated allowExternalPrincipals",
        id="closing-to-outside-principals-is-a-change",
    ),
    pytest.param(
        UpdateShare(share_arn=SHARE, name="churn-staging", tags_remove=("a", "b")),
        [
            ram(
                "update_resource_share",
                {"resourceShare": {}},
                resourceShareArn=SHARE,
                clientToken=TOKEN,
                name="churn-staging",
            ),
            ram("untag_resource", resourceShareArn=SHARE, tagKeys=["a", "b"]),
        ],
        "updated name; removed 2 tag(s)",
        id="renamed-and-untagged",
    ),
    pytest.param(
        UpdateShare(share_arn=SHARE, tags_add={}),
        [],
        "",
        id="no-tag-to-add",
    ),
]


@pytest.mark.parametrize(("update", "calls", "done"), UPDATES)
def test_update_share(stubs: Stubbed, update: UpdateShare, calls: list[Call], done: str) -> None:
    stubs.expect(*calls)
    assert shares.update_share(stubs.ctx, update) == done


def test_a_share_for_more_than_a_hundred_accounts_invites_them_a_hundred_a_call(
    stubs: Stubbed,
) -> None:
    accounts = [f"{i:012d}" for i in range(1, 151)]
    share = CreateShare(
        name="churn-dev",
        principals=tuple(accounts),
        resource_arns=(),
        permission_arn=PERMISSION,
        tags=OWNED,
        allow_external_principals=False,
    )
    stubs.expect(
        ram(
            "create_resource_share",
            {"resourceShare": {"resourceShareArn": SHARE, "name": "churn-dev"}},
            name="churn-dev",
            resourceArns=[],
            principals=accounts[:100],
            permissionArns=[PERMISSION],
            tags=[{"key": "managed-by", "value": "reconciler"}],
            allowExternalPrincipals=False,
            clientToken=TOKEN,
        ),
        ram(
            "associate_resource_share",
            resourceShareArn=SHARE,
            principals=accounts[100:],
            clientToken=sub_token("principals/0"),
        ),
        poll("PRINCIPAL", associations("PRINCIPAL", *accounts)),
    )
    assert shares.create_share(stubs.ctx, share) == f"created {SHARE}; associated"


def stamp(arn: str, error: str | None = None) -> Call:
    return ram(
        "tag_resource",
        {},
        error,
        resourceShareArn=arn,
        tags=[{"key": "reconciler-applied-at", "value": "2026-11-20T10:00:00Z"}],
    )


def test_the_apply_time_is_stamped_on_each_share_and_a_refusal_is_a_warning(
    stubs: Stubbed,
) -> None:
    other = SHARE.replace("churn-dev", "churn-prod")
    stubs.expect(stamp(SHARE, "AccessDeniedException"), stamp(other))
    warnings = shares.stamp_applied(
        stubs.ctx.ram, [SHARE, other], "reconciler-applied-at", "2026-11-20T10:00:00Z"
    )
    assert warnings == [
        f"could not record the apply time on {SHARE} (AccessDeniedException): drift will "
        "look for who changed this share over CloudTrail's 90 days"
    ]


def test_no_share_changed_nothing_is_stamped(stubs: Stubbed) -> None:
    assert shares.stamp_applied(stubs.ctx.ram, [], "k", "t") == []
