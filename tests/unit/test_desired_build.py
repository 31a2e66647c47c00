"""desired.build: typed values from schema-valid documents, with the defaults a document
leaves out. Each row is one reconciler.yaml (as loaded data) and what the Config says."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.common.status import CardStatus
from reconciler.desired.build import card_from, config_from, share_from
from reconciler.desired.model import (
    DEFAULT_APPROVAL_MAPPING,
    DEFAULT_TRANSITIONS,
    Account,
    Config,
    CustomPermission,
    Exports,
    Ownership,
    Registry,
    Safety,
    TargetSpec,
)

DRAFT, REVIEW, APPROVED, ARCHIVED = list(CardStatus)
MINIMAL: dict[str, Any] = {"region": "us-east-1", "card_account": {"id": "111111111111"}}
ROLE = "arn:aws:iam::111111111111:role/Apply"


def config(**more: Any) -> Config:
    return config_from({**MINIMAL, **more})


def test_a_minimal_reconciler_yaml_is_one_implicit_target_with_every_default() -> None:
    found = config()
    assert found.targets == {
        "default": TargetSpec(name="default", region="us-east-1", card_account_id="111111111111")
    }
    assert (found.target, found.region, found.card_account_id) == (
        "default",
        "us-east-1",
        "111111111111",
    )
    assert not found.declares_targets
    assert (found.accounts, found.permissions, found.unmanaged_cards) == ({}, {}, ())
    assert (found.safety, found.ownership) == (Safety(), Ownership())
    assert found.transitions is DEFAULT_TRANSITIONS
    assert (found.organization_id, found.parallelism, found.exports) == (None, None, None)
    assert (found.retry_mode, found.max_attempts) == (None, None)
    assert found.registry == Registry(sync_approval=False, mapping=DEFAULT_APPROVAL_MAPPING)


CONFIGS = [
    pytest.param(
        {"card_account": {"id": "111111111111", "role_arn": ROLE, "plan_role_arn": ROLE + "Plan"}},
        lambda c: (c.card_role_arn, c.targets["default"].plan_role_arn),
        (ROLE, ROLE + "Plan"),
        id="card-account-roles",
    ),
    pytest.param(
        {"accounts": {"dev": {"id": "2" * 12, "external": True}, "prod": {"id": "4" * 12}}},
        lambda c: c.accounts,
        {
            "dev": Account(name="dev", id="2" * 12, external=True),
            "prod": Account(name="prod", id="4" * 12),
        },
        id="accounts-inside-unless-external",
    ),
    pytest.param(
        {"accounts": None, "permissions": None, "safety": None, "unmanaged": None},
        lambda c: (c.accounts, c.permissions, c.safety, c.unmanaged_cards),
        ({}, {}, Safety(), ()),
        id="null-sections-are-empty",
    ),
    pytest.param(
        {
            "permissions": {
                "ro": {"actions": ["a", "b"], "description": "read"},
                "x": {"actions": ["c"]},
            }
        },
        lambda c: c.permissions,
        {"ro": CustomPermission("ro", ("a", "b"), "read"), "x": CustomPermission("x", ("c",))},
        id="permissions",
    ),
    pytest.param(
        {"safety": {"max_delete_percent": 0}, "ownership": {"tag_key": "owner"}},
        lambda c: (c.safety, c.ownership),
        (Safety(max_delete_percent=0), Ownership(tag_key="owner")),
        id="safety-and-ownership-override-their-defaults",
    ),
    pytest.param(
        {"lifecycle": {"transitions": {"Draft": ["Approved"], "Approved": ["Draft", "Archived"]}}},
        lambda c: dict(c.transitions),
        {
            DRAFT: frozenset({APPROVED}),
            REVIEW: frozenset(),
            APPROVED: frozenset({DRAFT, ARCHIVED}),
            ARCHIVED: frozenset(),
        },
        id="declared-transitions-replace-the-lifecycle",
    ),
    pytest.param(
        {"lifecycle": {}},
        lambda c: c.transitions,
        DEFAULT_TRANSITIONS,
        id="a-lifecycle-without-transitions-keeps-the-default",
    ),
    pytest.param(
        {"organization": {"id": "o-abcdefghij"}, "apply": {"parallelism": 4}},
        lambda c: (c.organization_id, c.parallelism),
        ("o-abcdefghij", 4),
        id="organization-and-parallelism",
    ),
    pytest.param(
        {"aws": {"retry_mode": "adaptive", "max_attempts": 3}},
        lambda c: (c.retry_mode, c.max_attempts),
        ("adaptive", 3),
        id="aws-retries",
    ),
    pytest.param(
        {"unmanaged": {"cards": ["scratch-*", "Old"]}},
        lambda c: c.unmanaged_cards,
        ("scratch-*", "Old"),
        id="unmanaged-cards",
    ),
    pytest.param(
        {"exports": {"bucket": "audit"}},
        lambda c: c.exports,
        Exports(bucket="audit", prefix="model-cards", statuses=(APPROVED,)),
        id="exports-default-to-approved-cards-under-model-cards",
    ),
    pytest.param(
        {
            "exports": {
                "bucket": "audit",
                "prefix": "pdf",
                "statuses": ["PendingReview", "Approved"],
            }
        },
        lambda c: c.exports,
        Exports(bucket="audit", prefix="pdf", statuses=(REVIEW, APPROVED)),
        id="exports-declared",
    ),
    pytest.param(
        {"exports": {"bucket": "audit", "statuses": None}},
        lambda c: c.exports.statuses,
        (APPROVED,),
        id="exports-with-null-statuses",
    ),
    pytest.param(
        {"registry": {"sync_approval": True, "mapping": {"PendingReview": None}}},
        lambda c: (c.registry.sync_approval, dict(c.registry.mapping)),
        (True, {**DEFAULT_APPROVAL_MAPPING, REVIEW: None}),
        id="registry-mapping-overrides-one-status",
    ),
    pytest.param(
        {"registry": None},
        lambda c: c.registry,
        Registry(),
        id="null-registry",
    ),
]


@pytest.mark.parametrize(("more", "read", "expected"), CONFIGS)
def test_config_from(more: dict[str, Any], read: Any, expected: Any) -> None:
    assert read(config(**more)) == expected


def test_a_registry_mapping_is_read_only() -> None:
    mapping = config(registry={"mapping": {"Draft": "Rejected"}}).registry.mapping
    with pytest.raises(TypeError):
        mapping[DRAFT] = "Approved"  # type: ignore[index]


def test_with_targets_the_first_by_name_gives_the_top_level_region_and_account() -> None:
    data = {
        "targets": {
            "us": {"region": "us-east-1", "card_account": {"id": "1" * 12}},
            "eu": {
                "region": "eu-west-1",
                "card_account": {"id": "5" * 12, "role_arn": "r", "plan_role_arn": "p"},
                "hub": "us",
                "replica_name": "{card}-from-{spoke}",
            },
        }
    }
    found = config_from(data)
    assert found.declares_targets
    assert (found.target, found.region, found.card_account_id, found.card_role_arn) == (
        "eu",
        "eu-west-1",
        "5" * 12,
        "r",
    )
    assert found.targets["eu"] == TargetSpec(
        name="eu",
        region="eu-west-1",
        card_account_id="5" * 12,
        card_role_arn="r",
        plan_role_arn="p",
        hub="us",
        replica_name="{card}-from-{spoke}",
        path=("targets", "eu"),
    )
    assert found.targets["us"].replica_name == "{spoke}-{card}"
    assert found.targets["us"].path == ("targets", "us")


def test_an_empty_targets_mapping_is_the_implicit_target() -> None:
    assert list(config(targets={}).targets) == ["default"]


def test_a_card_gets_its_defaults_and_a_typed_status() -> None:
    card = card_from(
        {"name": "Churn", "status": "Approved", "content": {"a": 1}}, "cards/Churn.yaml"
    )
    assert card.status is APPROVED
    assert (card.name, card.file, card.content) == ("Churn", "cards/Churn.yaml", {"a": 1})
    assert (card.kms_key_id, dict(card.tags), card.ignore) == (None, {}, ())
    assert (card.previous_names, card.targets) == ((), ())


def test_a_card_with_every_field() -> None:
    data = {
        "name": "Churn",
        "status": "Draft",
        "content": {},
        "kms_key_id": "alias/k",
        "tags": {"team": "ml"},
        "ignore": ["evaluation_details"],
        "previous_names": ["Old"],
        "targets": ["eu"],
    }
    card = card_from(data, "cards/Churn.yaml")
    assert (card.kms_key_id, dict(card.tags), card.ignore) == (
        "alias/k",
        {"team": "ml"},
        ("evaluation_details",),
    )
    assert (card.previous_names, card.targets) == (("Old",), ("eu",))
    data["tags"]["team"] = "changed"
    assert card.tags == {"team": "ml"}, "the card keeps its own copy of the tags"


@pytest.mark.parametrize(
    ("cards", "names", "statuses"),
    [
        pytest.param({"status": ["Approved"]}, (), (APPROVED,), id="by-status"),
        pytest.param({"names": ["A", "B"]}, ("A", "B"), (), id="by-name"),
        pytest.param({"names": ["A"], "status": ["Draft"]}, ("A",), (DRAFT,), id="both"),
        pytest.param({"names": None, "status": None}, (), (), id="nulls"),
    ],
)
def test_a_share_selects_cards_by_name_and_status(
    cards: dict[str, Any], names: tuple[str, ...], statuses: tuple[CardStatus, ...]
) -> None:
    data = {"name": "s", "principals": ["dev"], "cards": cards, "permission": "read-only"}
    share = share_from(data, "shares/s.yaml")
    assert (share.card_names, share.card_statuses) == (names, statuses)
    assert all(isinstance(s, CardStatus) for s in share.card_statuses)


def test_a_share_gets_its_defaults() -> None:
    data = {"name": "s", "principals": ["dev", "test"], "cards": {}, "permission": "p"}
    share = share_from(data, "shares/s.yaml")
    assert (share.principals, share.permission, share.file) == (
        ("dev", "test"),
        "p",
        "shares/s.yaml",
    )
    assert (share.allow_external_principals, share.allow_external_edits) == (False, False)
    assert (dict(share.tags), share.previous_names, share.targets) == ({}, (), ())
