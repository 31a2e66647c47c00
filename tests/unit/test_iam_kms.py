"""iam.kms: the apply role's KMS statements exist only for the keys cards in git name, each
key named as IAM authorises it (an alias by kms:ResourceAliases), with a key of another
account or region also readable."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.desired.model import DesiredState, TargetSpec
from reconciler.iam.kms import key_statements, named_keys
from reconciler.iam.scope import Scope
from tests.unit.builders import example, with_card

OWN_KEYS = "arn:aws:kms:us-east-1:111111111111:key/*"


def keyed(*keys: str) -> DesiredState:
    state = example()
    card = next(iter(state.cards.values()))
    cards = {f"Card-{i}": replace(card, name=f"Card-{i}", kms_key_id=k) for i, k in enumerate(keys)}
    return replace(state, cards=cards)


def statements(state: DesiredState) -> dict[str, dict[str, object]]:
    return {s["Sid"]: s for s in key_statements(Scope.for_state(state), state)}


def test_no_key_named_no_statement() -> None:
    plain = with_card(example(), kms_key_id=None)
    assert named_keys(plain) == []
    assert statements(plain) == {}
    assert named_keys(keyed("alias/b", "alias/a", "alias/b")) == ["alias/a", "alias/b"]


@pytest.mark.parametrize(
    ("key", "resource", "aliases"),
    [
        pytest.param("1234abcd", "arn:aws:kms:us-east-1:111111111111:key/1234abcd", None, id="id"),
        pytest.param(
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd",
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd",
            None,
            id="key-arn",
        ),
        pytest.param("alias/model-cards", OWN_KEYS, ["alias/model-cards"], id="alias"),
        pytest.param(
            "arn:aws:kms:eu-west-1:555555555555:alias/cards",
            "arn:aws:kms:eu-west-1:555555555555:key/*",
            ["alias/cards"],
            id="alias-arn-elsewhere",
        ),
    ],
)
def test_each_way_of_naming_a_key_scopes_the_statements(
    key: str, resource: str, aliases: list[str] | None
) -> None:
    found = statements(keyed(key))
    suffix = "ByAlias" if aliases else ""
    assert set(found) == {
        f"DescribeModelCardKeys{suffix}",
        f"LetSageMakerGrantModelCardKeys{suffix}",
        f"EncryptModelCards{suffix}",
        f"RetireModelCardKeyGrants{suffix}",
    }
    for statement in found.values():
        assert statement["Resource"] == resource
        condition = statement["Condition"]
        assert isinstance(condition, dict)
        assert condition["StringEquals"]["kms:ViaService"] == "sagemaker.us-east-1.amazonaws.com"
        if aliases:
            assert condition["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": aliases}
    grant = found[f"LetSageMakerGrantModelCardKeys{suffix}"]["Condition"]
    assert isinstance(grant, dict) and grant["Bool"] == {"kms:GrantIsForAWSResource": "true"}


def test_a_key_of_another_account_is_also_readable_and_one_of_ours_is_not_repeated() -> None:
    theirs = statements(keyed("arn:aws:kms:us-east-1:555555555555:key/k"))["EncryptModelCards"]
    ours = statements(keyed("1234abcd"))["EncryptModelCards"]
    assert theirs["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert ours["Action"] == ["kms:GenerateDataKey"]  # Decrypt: policy.py, every own key


def test_several_aliases_of_one_account_share_a_statement_and_other_accounts_get_their_own() -> (
    None
):
    found = statements(
        keyed("alias/a", "alias/b", "arn:aws:kms:eu-west-1:555555555555:alias/c", "1234abcd")
    )
    assert (
        found["DescribeModelCardKeysByAlias1"]["Resource"]
        == "arn:aws:kms:eu-west-1:555555555555:key/*"
    )
    own = found["DescribeModelCardKeysByAlias2"]
    assert own["Resource"] == OWN_KEYS
    assert own["Condition"]["ForAnyValue:StringEquals"] == {
        "kms:ResourceAliases": ["alias/a", "alias/b"]
    }  # type: ignore[index]
    assert (
        found["DescribeModelCardKeys"]["Resource"]
        == "arn:aws:kms:us-east-1:111111111111:key/1234abcd"
    )


def test_a_hub_writes_replicas_under_the_keys_its_spokes_name_and_no_other_target_does() -> None:
    plain = with_card(example(), kms_key_id=None)
    hub = TargetSpec(name="hub", region="us-east-1", card_account_id="111111111111")
    eu = replace(hub, name="eu", card_account_id="666666666666", hub="hub")
    spokes = {
        "hub": hub,
        "eu": replace(eu, replica_kms_key_id="alias/replicas"),
        "us": replace(eu, name="us"),  # encrypts nothing, names no key
        "far": replace(eu, name="far", hub="other", replica_kms_key_id="alias/other"),
    }
    config = replace(plain.config, targets=spokes, target="hub")
    assert named_keys(replace(plain, config=config)) == ["alias/replicas"]
    assert "DescribeModelCardKeysByAlias" in statements(replace(plain, config=config))
    spoke = replace(plain, config=replace(config, target="eu"))
    assert named_keys(spoke) == [] and statements(spoke) == {}
