"""What a probe run may leave in the sandbox: nothing named reconciler-probe-* (no model
package group or version either) but cards whose deletion runs and deleted shares."""

from __future__ import annotations

from typing import Any

from tests.probe.conftest import BUCKET, OWNER

PREFIX = "reconciler-probe-"


def assert_clean(sandbox: Any) -> None:
    sagemaker, ram = sandbox.client("sagemaker", OWNER), sandbox.client("ram", OWNER)
    for card in sagemaker.list_model_cards(NameContains="reconciler-probe")["ModelCardSummaries"]:
        try:
            found = sagemaker.describe_model_card(ModelCardName=card["ModelCardName"])
        except sagemaker.exceptions.ResourceNotFound:
            continue  # its deletion ended between the listing and this call
        assert found.get("ModelCardProcessingStatus"), f"{card['ModelCardName']} is not deleted"
    shares = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    live = [s["name"] for s in shares if s["name"].startswith(PREFIX)]
    live = [
        s["name"]
        for s in shares
        if s["name"] in live and s["status"] not in ("DELETING", "DELETED")
    ]
    assert live == [], live
    own = ram.list_permissions(permissionType="CUSTOMER_MANAGED")["permissions"]
    assert [p["name"] for p in own if p["name"].startswith(PREFIX)] == []
    groups = sagemaker.list_model_package_groups(NameContains=PREFIX)
    assert groups["ModelPackageGroupSummaryList"] == []
    objects = sandbox.client("s3", OWNER).list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert [o["Key"] for o in objects if PREFIX in o["Key"]] == []
