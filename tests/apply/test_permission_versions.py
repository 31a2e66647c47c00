"""Customer-managed permission versions: new actions in git reach the shares that use the
permission, and verify reads the version a share uses, not the default.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import (
    CARD,
    DESCRIBE,
    LIST_VERSIONS,
    PROD,
    READ_ONLY,
    READER,
    UPDATE,
    Aws,
    Cli,
    apply,
    card_arn,
    consumer,
    error_code,
    set_status,
    share_arn,
    steps,
    verify,
)


def test_changed_permission_actions_reach_the_shares_that_use_it(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    sagemaker = aws("sagemaker")
    for status in ("PendingReview", "Approved"):  # promoted by hand, then declared in git
        sagemaker.update_model_card(ModelCardName=CARD, ModelCardStatus=status)
    set_status(applied, "Approved")
    config = applied / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            f"actions: [{DESCRIBE}, {LIST_VERSIONS}]", f"actions: [{DESCRIBE}]"
        )
    )
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [
        ("permission.read-only", "update_permission", "done"),
        ("share.churn-prod", "set_permission", "done"),
        ("share.churn-prod", "associate_resources", "done"),
        ("share.churn-test", "associate_resources", "done"),
    ]
    assert report["steps"][0]["detail"] == "created version 2 of read-only (now the default)"
    in_force = aws("ram").list_resource_share_permissions(
        resourceShareArn=share_arn(aws, "churn-prod")
    )["permissions"]
    assert [(p["arn"], p["version"]) for p in in_force] == [(READ_ONLY, "2")]
    prod = aws("sagemaker", PROD, role=READER)
    assert prod.describe_model_card(ModelCardName=card_arn())["ModelCardStatus"] == "Approved"
    assert (
        error_code(lambda: prod.list_model_card_versions(ModelCardName=card_arn()))
        == "AccessDeniedException"
    )
    checked = consumer(report, "prod")
    assert (checked["actions"], checked["ok"]) == ([DESCRIBE], True)


def test_verify_reads_the_permission_version_a_share_uses_not_the_default(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    widened = {"Effect": "Allow", "Action": [DESCRIBE, LIST_VERSIONS, UPDATE]}
    aws("ram").create_permission_version(
        permissionArn=READ_ONLY, policyTemplate=json.dumps(widened)
    )  # by hand
    code, checked = verify(cli, applied)
    assert code == 0
    prod = consumer(checked, "prod")
    assert (prod["permission"], prod["actions"]) == ("read-only", [DESCRIBE, LIST_VERSIONS])
    code, report, _ = apply(cli, applied)
    assert (code, steps(report)) == (
        0,
        [
            ("permission.read-only", "update_permission", "done"),
            ("share.churn-prod", "set_permission", "done"),
        ],
    )
    assert consumer(report, "prod")["actions"] == [DESCRIBE, LIST_VERSIONS]
