"""The consumer guard (``reconciler iam-policy --role consumer-guard``) attached as a service
control policy to a consumer account keeps the card account's model versions read-only
there: no registering into, nor updating versions of, the card account's groups, even
through a RAM share whose permission allows it. Other groups are not its business: the
consumer's own, and another account's shared with it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from reconciler.iam.guard import guard_for
from reconciler.run.pipeline import load_valid
from reconciler.sandbox.config import Organization
from tests.conftest import copy_example
from tests.sandbox.conftest import DEV, OWNER, PROD
from tests.sandbox.shared_groups import (
    GROUP,
    READS,
    REGISTER,
    owner_group,
    share_group,
    versions,
)
from tests.sandbox.test_registry import error_of

EXPLICIT = "with an explicit deny in a service control policy"
_STAGE = {"Stage": "Production", "StageStatus": "Approved"}


def _guard(tmp_path: Path) -> dict[str, Any]:
    """The guard printed for dev by a repository whose registry declares the shared group."""
    repo = copy_example(tmp_path / "repo")
    (repo / "registry").mkdir()
    (repo / "registry" / f"{GROUP}.yaml").write_text(f"name: {GROUP}\nversions: []\n")
    return guard_for(load_valid(repo), DEV)


def _attach(sandbox: Any, guard: dict[str, Any]) -> None:
    org = Organization(
        management_account=OWNER,
        members=frozenset({DEV}),
        ram_sharing_enabled=False,  # dev accepts invitations
        scps={DEV: (guard,)},
    )
    sandbox.configure(replace(sandbox.config, organization=org))


def _register_and_update(sandbox: Any) -> None:
    """The share's permission grants registering and updating versions."""
    allowing = dict(sandbox.config.ram_group_permissions)
    allowing["AWSRAMPermissionSageMakerModelPackageGroupAllowRegister"] = (
        "sagemaker:CreateModelPackage",
        "sagemaker:UpdateModelPackage",
        *READS,
    )
    sandbox.configure(replace(sandbox.config, ram_group_permissions=allowing))


def test_the_guard_denies_registering_into_the_card_accounts_shared_group(
    aws, sandbox, tmp_path
) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    consumer = aws("sagemaker", DEV)
    allowed = consumer.create_model_package(ModelPackageGroupName=group)["ModelPackageArn"]
    assert versions(aws, group) == [version, allowed]  # what the share alone allows
    _attach(sandbox, _guard(tmp_path))
    code, message = error_of(consumer.create_model_package, ModelPackageGroupName=group)
    assert code == "AccessDeniedException" and message.endswith(EXPLICIT)
    assert "sagemaker:CreateModelPackage" in message
    assert versions(aws, group) == [version, allowed]
    assert consumer.describe_model_package(ModelPackageName=version)["ModelPackageVersion"] == 1


def test_the_guard_denies_updating_the_card_accounts_shared_versions(
    aws, sandbox, tmp_path
) -> None:
    _register_and_update(sandbox)
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    _attach(sandbox, _guard(tmp_path))
    consumer = aws("sagemaker", DEV)
    for change in ({"ModelApprovalStatus": "Approved"}, {"ModelLifeCycle": _STAGE}):
        code, message = error_of(consumer.update_model_package, ModelPackageArn=version, **change)
        assert code == "AccessDeniedException" and message.endswith(EXPLICIT)
    described = aws("sagemaker").describe_model_package(ModelPackageName=version)
    assert described["ModelApprovalStatus"] == "PendingManualApproval"
    assert "ModelLifeCycle" not in described


def test_outside_the_card_accounts_groups_the_consumer_still_registers(
    aws, sandbox, tmp_path
) -> None:
    _register_and_update(sandbox)
    _attach(sandbox, _guard(tmp_path))
    consumer = aws("sagemaker", DEV)
    own, _ = owner_group(aws, DEV)
    consumer.update_model_package(
        ModelPackageArn=consumer.create_model_package(ModelPackageGroupName=GROUP)[
            "ModelPackageArn"
        ],
        ModelApprovalStatus="Approved",
    )
    assert len(versions(aws, own, DEV)) == 2
    # The same name in a third account, shared with the consumer: not the card account's.
    theirs, their_version = owner_group(aws, PROD)
    share_group(aws, sandbox, theirs, REGISTER, owner=PROD)
    consumer.create_model_package(ModelPackageGroupName=theirs)
    consumer.update_model_package(ModelPackageArn=their_version, ModelApprovalStatus="Approved")
    assert len(versions(aws, theirs, PROD)) == 2
