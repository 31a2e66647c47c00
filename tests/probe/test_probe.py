"""`reconciler probe` against the sandbox: every assumption matches the sandbox it was
written from; a sandbox with one switch flipped is reported as differing in exactly that
switch, and the accounts file --sandbox-config writes reproduces it. The list covers every
behaviour switch of SandboxConfig, and repeats its defaults.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from reconciler.probe.assumptions import ASSUMPTIONS, BY_KEY
from reconciler.reports.probe import Compare, canonical
from reconciler.sandbox.config import SandboxConfig
from tests.probe.conftest import OWNER, Probe, expired_invitation
from tests.probe.scratch import assert_clean

# SandboxConfig fields that describe the sandbox itself, not a behaviour of AWS.
NOT_BEHAVIOURS = frozenset(
    {
        "default_account",
        "region",
        "organization",
        "roles",
        "oidc_providers",
        "oidc_issuers",
        "iam_enforcement",
        "export_delay_seconds",  # documented as asynchronous; the reconciler waits for it
    }
)
_EXPORT = "AWSRAMPermissionSageMakerModelCardsAllowExport"
_FEWER_EXPORT_ACTIONS = {
    **dict(SandboxConfig().ram_managed_permissions),
    _EXPORT: tuple(
        a
        for a in SandboxConfig().ram_managed_permissions[_EXPORT]
        if a != "sagemaker:DescribeModelCardExportJob"
    ),
}
# Each switch, flipped to a value an account could show.
FLIPPED: dict[str, Any] = {
    "search_sorts_by_name": False,
    "iam_star_resource_in_caller_account": False,
    "iam_secure_transport_always": False,
    "ram_resource_types": tuple(
        t for t in SandboxConfig().ram_resource_types if t != "sagemaker:Pipeline"
    ),
    "ram_managed_permissions": _FEWER_EXPORT_ACTIONS,
    "ram_group_permissions": {
        **dict(SandboxConfig().ram_group_permissions),
        "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy": (
            "sagemaker:DescribeModelPackage",
            "sagemaker:UpdateModelPackage",
        ),
    },
    "ram_customer_permissions_for_model_cards": False,
    "cloudtrail_lookups_per_second": 4,
    "cloudtrail_cross_account_events": False,
    "invitation_ttl_seconds": 7 * 24 * 3600.0,
    "list_delay_seconds": 2.0,
    "search_index_delay_seconds": 2.0,
    "content_returned_as_sent": False,
    "identical_update_makes_version": True,
    "export_denial_fails_job": False,
    "iam_ram_omitted_external_is_true": False,
    "iam_ram_needs_put_resource_policy": False,
    "iam_ram_resources_one_by_one": False,
    "iam_ram_needs_get_resource_policy": False,
    "ram_concurrent_associations": False,
    "association_delay_seconds": 2.0,
    "iam_ram_needs_delete_resource_policy": False,
    "archived_refuses_content": False,
    "archived_refuses_status": False,
    "kms_delete_needs_retire_grant": False,
    "name_reserved_while_deleting": False,
    "deletion_delay_seconds": 2.0,
    "ram_group_permission_before_groups": False,
    "ram_customer_permissions_for_groups": True,
    "ram_group_default_permission": "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy",
    "group_policy_absent_error": "ResourceNotFound",
    "cloudtrail_package_card_content": False,
    "package_card_schema_enforced": False,
    "package_card_content_and_status_together": False,
    "package_card_archived_refuses_status": False,
    "archived_cards_deletable": False,
    "ram_share_names_unique": True,
}
KEY_OF = {a.switch: a.key for a in ASSUMPTIONS if a.switch}
CHECKABLE = tuple(a for a in ASSUMPTIONS if a.checkable)
# A flipped switch that leaves a scratch resource the probe cannot delete: an account that
# refuses to delete Archived cards keeps the archived scratch card.
LEAVES = frozenset({"archived_cards_deletable"})
# Set beside a flipped switch: two association calls sent at once meet while the first is
# still ASSOCIATING only if it lasts longer than a loaded machine's scheduling jitter
# (still within the association delay's tolerance, so that check keeps matching).
WITH_FLIPPED: dict[str, dict[str, object]] = {
    "ram_concurrent_associations": {"association_delay_seconds": 0.8}
}


def test_the_list_covers_every_behaviour_switch_with_its_default() -> None:
    behaviours = {f.name for f in dataclasses.fields(SandboxConfig)} - NOT_BEHAVIOURS
    assert {a.switch for a in CHECKABLE} == behaviours
    assert set(FLIPPED) == behaviours
    defaults = SandboxConfig()
    for a in CHECKABLE:
        assert a.switch is not None
        assert canonical(getattr(defaults, a.switch)) == canonical(a.assumed), a.key


def test_what_no_account_can_show_is_listed_with_why() -> None:
    for a in ASSUMPTIONS:
        assert a.checkable == (a.switch is not None) == (not a.why_not), a.key


def test_every_assumption_matches_the_sandbox(probe: Probe) -> None:
    expired_invitation(probe.sandbox)
    code, found = probe()
    assert code == 0
    report = found.pop("")
    assert report["leftovers"] == [] and report["write"] is True
    expected = {a.key: "matches" if a.checkable else "unchecked" for a in ASSUMPTIONS}
    assert {k: f["outcome"] for k, f in found.items()} == expected
    written = probe.written()
    for a in CHECKABLE:
        assert a.switch is not None and a.agrees(getattr(written, a.switch)), a.key
    for a in ASSUMPTIONS:
        if not a.checkable:
            assert found[a.key]["shown"] == f"not checkable here: {a.why_not}"
    assert_clean(probe.sandbox)


def test_read_only_by_default(probe: Probe) -> None:
    """Without --write nothing is made: the write checks wait for --write, unless the
    account's own records settle them."""
    before = len(probe.sandbox.trail.events(OWNER, "us-east-1"))
    code, found = probe(write=False)
    assert code == 0
    assert len(probe.sandbox.trail.events(OWNER, "us-east-1")) == before  # no write at all
    for a in ASSUMPTIONS:
        expected = (
            "matches" if a.mode.value == "read-only" and a.key != "invitation-ttl" else "unchecked"
        )
        assert found[a.key]["outcome"] == expected, a.key
    assert found["list-delay"]["shown"] == "not checked: needs --write"


@pytest.mark.parametrize("switch", sorted(FLIPPED))
def test_a_flipped_switch_is_reported_and_written_back(probe: Probe, switch: str) -> None:
    probe.configure(**{switch: FLIPPED[switch], **WITH_FLIPPED.get(switch, {})})
    if switch == "invitation_ttl_seconds":
        expired_invitation(probe.sandbox)
    code, found = probe(leaves=switch in LEAVES)
    key = KEY_OF[switch]
    assert found[key]["outcome"] == "differs", found[key]
    assert code == (1 if switch in LEAVES else 2)
    others = {k: f["outcome"] for k, f in found.items() if k not in ("", key)}
    assert "differs" not in others.values(), others
    written = getattr(probe.written(), switch)
    if BY_KEY[key].compare is Compare.DELAY:
        assert FLIPPED[switch] <= written <= FLIPPED[switch] + 1
    else:
        assert canonical(written) == canonical(FLIPPED[switch])
    if switch in LEAVES:
        [left] = found[""]["leftovers"]
        assert left.startswith("model card reconciler-probe-") and "Archived" in left
        return
    assert_clean(probe.sandbox)


def test_the_docs_list_every_assumption_with_its_setting() -> None:
    from tests.conftest import PROJECT_ROOT

    rows = [
        line
        for line in (PROJECT_ROOT / "docs" / "probe.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    listed = [r for r in rows if len(r.split("|")) == 6]  # the table of what it checks
    assert [r.split("|")[1].strip() for r in listed] == [f"`{a.key}`" for a in ASSUMPTIONS]
    switches = [f"`{a.switch}`" if a.switch else "none" for a in ASSUMPTIONS]
    assert [r.split("|")[2].strip() for r in listed] == switches
