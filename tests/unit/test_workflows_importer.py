"""workflows.importer: live cards and shares that git lacks, written as YAML files in the
schemas' key order with only the tags people set; a share that the repository cannot
express is refused by name; cards that must not be imported say why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.cli.demo import copy_example
from reconciler.common.arns import Arns
from reconciler.common.errors import ReconcilerError
from reconciler.common.names import REPLICA_OF
from reconciler.common.status import CardStatus
from reconciler.desired.model import Config, TargetSpec
from reconciler.diff.compose import PlanOptions
from reconciler.live.model import LiveCard, LiveState
from reconciler.load.yamlsource import load_text
from reconciler.run.pipeline import compare
from reconciler.run.repository import load_repository
from reconciler.validate.schema_check import check
from reconciler.validate.schemas import Kind
from reconciler.workflows.importer import (
    ImportResult,
    card_document,
    import_live,
    schema_ordered,
    share_document,
)
from reconciler.workflows.yamlwrite import dump, styled
from tests.unit.builders import (
    ARNS,
    DEV,
    MANAGED,
    READ_ONLY,
    ROOT,
    TEST,
    applied,
    associated,
    example,
    live_with,
    owned,
    share_arn,
    share_as_applied,
)

CONFIG = example().config


def live_card(name: str = "Fraud", **changes: Any) -> LiveCard:
    card = LiveCard(
        name=name,
        arn=ARNS.card(name),
        status=CardStatus.APPROVED,
        version=2,
        content={"model_overview": {"model_owner": "ana", "model_description": "d"}},
        tags={"team": "fraud", "aws:cloudformation:stack-name": "s"},
    )
    return replace(card, **changes)


def test_a_card_document_keeps_only_the_tags_people_set() -> None:
    card = live_card(
        tags={**owned("x"), "team": "fraud", "aws:x": "y", "reconciler-applied-at": "t"}
    )
    assert card_document(card, CONFIG) == {
        "name": "Fraud",
        "status": "Approved",
        "tags": {"team": "fraud"},
        "content": {"model_overview": {"model_description": "d", "model_owner": "ana"}},
    }


def test_a_card_document_names_its_key_and_leaves_out_empty_tags() -> None:
    card = live_card(tags={}, kms_key_id="alias/cards")
    assert list(card_document(card, CONFIG)) == ["name", "status", "kms_key_id", "content"]


def test_with_targets_an_imported_card_belongs_to_the_target_read() -> None:
    eu = TargetSpec(name="eu", region="eu-west-1", card_account_id="5", path=("targets", "eu"))
    config: Config = replace(CONFIG, targets={"eu": eu}, target="eu")
    assert list(card_document(live_card(), config))[:3] == ["name", "targets", "status"]
    assert card_document(live_card(), config)["targets"] == ["eu"]


def test_a_card_document_passes_the_card_schema() -> None:
    text = dump(styled(card_document(live_card(kms_key_id="alias/cards"), CONFIG)))
    loaded = load_text(text, "cards/Fraud.yaml")
    assert loaded.document is not None
    assert check(loaded.document, Kind.CARD) == []


@pytest.mark.parametrize(
    ("content", "order"),
    [
        pytest.param(
            {"model_overview": {}, "intended_uses": {}, "business_details": {}},
            ["model_overview", "intended_uses", "business_details"],
            id="as-the-schema-lists-them",
        ),
        pytest.param(
            {"zeta": 1, "intended_uses": {}, "alpha": 2, "model_overview": {}},
            ["model_overview", "intended_uses", "alpha", "zeta"],
            id="unknown-keys-after-sorted",
        ),
    ],
)
def test_content_keys_are_in_the_content_schemas_order(
    content: dict[str, Any], order: list[str]
) -> None:
    assert list(schema_ordered(content)) == order


def test_content_is_ordered_deep_inside_objects_and_lists() -> None:
    content = {
        "model_overview": {"model_owner": "a", "model_description": "d", "model_id": "i"},
        "evaluation_details": [{"metric_groups": [], "name": "e"}],
    }
    ordered = schema_ordered(content)
    assert list(ordered) == ["model_overview", "evaluation_details"]
    assert list(ordered["model_overview"]) == ["model_id", "model_description", "model_owner"]
    assert list(ordered["evaluation_details"][0]) == ["name", "metric_groups"]
    assert ordered == content


GIT = example()


def share(**changes: Any) -> Any:
    return share_as_applied(GIT, GIT.shares["churn-test"], name="x", arn=share_arn("x"), **changes)


def test_a_share_document_names_declared_accounts_and_cards_of_the_account() -> None:
    live = share(
        principals=associated(TEST, "999999999999") + associated(DEV, status="FAILED"),
        resources=associated(ARNS.card("B"), ARNS.card("A")),
        permission_arns=(READ_ONLY,),
        allow_external_principals=True,
        tags={**owned("x"), "purpose": "qa"},
    )
    assert share_document(live, CONFIG, ARNS) == {
        "name": "x",
        "principals": ["999999999999", "test"],
        "cards": {"names": ["A", "B"]},
        "permission": "read-only",
        "allow_external_principals": True,
        "tags": {"purpose": "qa"},
    }


def test_a_share_inside_the_organization_without_tags_says_neither() -> None:
    document = share_document(share(tags={}, allow_external_principals=False), CONFIG, ARNS)
    assert "allow_external_principals" not in document and "tags" not in document
    assert document["permission"] == "AWSRAMPermissionSageMakerModelCards"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        pytest.param(
            {"resources": associated(Arns("aws", "eu-west-1", "111111111111").card("A"))},
            "share x holds resources that are not this account's model cards or model "
            "package groups in this region",
            id="a-card-of-another-region",
        ),
        pytest.param({"permission_arns": ()}, "share x uses permission none", id="no-permission"),
        pytest.param(
            {"permission_arns": (MANAGED, READ_ONLY)},
            f"share x uses permission {MANAGED}, {READ_ONLY}",
            id="two-permissions",
        ),
        pytest.param(
            {"permission_arns": (ARNS.permission("other"),)},
            f"share x uses permission {ARNS.permission('other')}",
            id="a-permission-reconciler-yaml-does-not-declare",
        ),
    ],
)
def test_a_share_the_repository_cannot_express_is_refused(
    changes: dict[str, Any], says: str
) -> None:
    with pytest.raises(ReconcilerError) as refused:
        share_document(share(**changes), CONFIG, ARNS)
    assert refused.value.message == says


def test_a_share_holding_groups_names_them_as_git_does_under_their_permission() -> None:
    register = "AWSRAMPermissionSageMakerModelPackageGroupAllowRegister"
    live = share(
        resources=associated(ARNS.card("A"), ARNS.group("Churn-Models"), ARNS.group("other")),
        group_permission_arns=(ARNS.permission(register),),
    )
    document = share_document(live, CONFIG, ARNS, {"churn-models": "Churn-Models"})
    assert document["cards"] == {"names": ["A"]}
    assert document["model_package_groups"] == {
        "names": ["Churn-Models", "other"],
        "permission": register,
    }


@pytest.mark.parametrize(
    "attached",
    [(), (ARNS.permission("AWSRAMPermissionSageMakerModelCards"),)],
    ids=["none", "a-card-permission"],
)
def test_a_share_whose_groups_have_no_group_permission_is_refused(
    attached: tuple[str, ...],
) -> None:
    live = share(resources=associated(ARNS.group("g")), group_permission_arns=attached)
    with pytest.raises(ReconcilerError, match="for its model package groups"):
        share_document(live, CONFIG, ARNS)


def test_a_group_of_another_account_is_refused() -> None:
    other = Arns("aws", "us-east-1", "222222222222")
    with pytest.raises(ReconcilerError, match="model package groups in this region"):
        share_document(share(resources=associated(other.group("g"))), CONFIG, ARNS)


# -- import_live, into a copy of the example -----------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    copy_example(ROOT, tmp_path)
    (tmp_path / "reconciler.yaml").write_text(
        (ROOT / "reconciler.yaml").read_text() + "unmanaged:\n  cards: [scratch-*]\n"
    )
    return tmp_path


def imported(
    repo: Path, live: LiveState, names: list[str], everything: bool = False, shares: bool = False
) -> ImportResult:
    state = load_repository(repo).state
    assert state is not None
    return import_live(compare(state, live, PlanOptions()), repo, names, everything, shares)


def test_a_live_card_is_written_and_the_shares_it_will_join_are_noted(repo: Path) -> None:
    live = live_with(applied(example()), cards=(live_card(),))
    result = imported(repo, live, ["Fraud"])
    assert result.written == ["cards/Fraud.yaml"]
    assert result.notes == [
        "Fraud (Approved) will join churn-dev, churn-prod, churn-test, which select Approved "
        "cards: the next plan shows the association"
    ]
    text = (repo / "cards" / "Fraud.yaml").read_text()
    assert text.startswith(f"# Imported from {ARNS.card('Fraud')} (version 2) on ")
    state = load_repository(repo).state
    assert state is not None and state.cards["Fraud"].content == live_card().content


NOT_IMPORTED = [
    pytest.param(
        "Customer-Churn-Model-Card",
        {},
        "already declared in cards/Customer-Churn-Model-Card.yaml",
        True,
        id="in-git",
    ),
    pytest.param("Nothing", None, "no such model card in the account", False, id="not-live"),
    pytest.param(
        "scratch-1",
        {},
        "kept out of git by reconciler.yaml (unmanaged.cards: 'scratch-*')",
        False,
        id="kept-out",
    ),
    pytest.param(
        "Fraud",
        {"processing_status": "DeleteInProgress"},
        "being deleted (DeleteInProgress)",
        False,
        id="deleting",
    ),
    pytest.param(
        "eu-Fraud",
        {"tags": {**owned("reconciler.yaml"), REPLICA_OF: ARNS.card("Fraud")}},
        f"a replica of {ARNS.card('Fraud')}, kept from its spoke",
        False,
        id="a-replica",
    ),
]


@pytest.mark.parametrize(("name", "changes", "why", "nothing_to_do"), NOT_IMPORTED)
def test_a_card_that_is_not_imported_says_why(
    repo: Path, name: str, changes: dict[str, Any] | None, why: str, nothing_to_do: bool
) -> None:
    live = applied(example())
    if changes is not None and name not in live.cards:
        live = live_with(live, cards=(live_card(name, **changes),))
    result = imported(repo, live, [name])
    assert result.written == []
    assert (result.skipped if nothing_to_do else result.failed) == [f"{name}: {why}"]
    everything = imported(repo, live, [], everything=True)
    assert everything.failed == [], "importing everything skips what it cannot import"


def test_an_existing_file_is_never_overwritten(repo: Path) -> None:
    """Another target's card of the same name, say: the file is there, git's state for
    this target does not declare it."""
    state = load_repository(repo).state
    assert state is not None
    run = compare(state, live_with(applied(example()), cards=(live_card(),)), PlanOptions())
    (repo / "cards" / "Fraud.yaml").write_text("# someone else's\n")
    result = import_live(run, repo, ["Fraud"], False, False)
    assert (result.written, result.skipped) == ([], ["Fraud.yaml: file exists; not overwritten"])
    assert (repo / "cards" / "Fraud.yaml").read_text() == "# someone else's\n"


def test_shares_git_lacks_are_imported_and_those_it_cannot_express_are_skipped(repo: Path) -> None:
    odd = share_as_applied(
        GIT, GIT.shares["churn-test"], name="odd", arn=share_arn("odd"), permission_arns=()
    )
    qa = share_as_applied(GIT, GIT.shares["churn-test"], name="qa", arn=share_arn("qa"), tags={})
    live = live_with(applied(example()), shares=(odd, qa))
    result = imported(repo, live, [], shares=True)
    assert result.written == ["shares/qa.yaml"]
    assert result.skipped == [
        "share odd: share odd uses permission none: "
        "declare it under permissions: in reconciler.yaml first"
    ]
    written = load_text((repo / "shares" / "qa.yaml").read_text(), "shares/qa.yaml").document
    assert written is not None and check(written, Kind.SHARE) == []
    assert written.data["principals"] == ["test"]
