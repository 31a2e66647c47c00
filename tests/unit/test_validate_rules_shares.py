"""validate.rules.shares: principals that resolve and stay inside the Organization unless
the share allows otherwise, cards that exist, shares that select something, permissions
that resolve, and outside accounts that would edit the cards. Each row is one share file
checked against the example's reconciler.yaml (dev is external there)."""

from __future__ import annotations

import pytest

from reconciler.validate.rules import shares
from reconciler.validate.rules.base import Rule
from reconciler.validate.rules.shares import is_external, principal_kind
from tests.unit.builders import Found, example, example_config, found, rule_input

S = "shares/s.yaml"
ORG_ID = "o-abcdefghij"
ORG = f"arn:aws:organizations::111111111111:organization/{ORG_ID}"
OU = f"arn:aws:organizations::111111111111:ou/{ORG_ID}/ou-ab12-abcdefgh"
OTHER_ORG = "arn:aws:organizations::999999999999:organization/o-zzzzzzzzzz"
IN_ORG = example_config() + f"organization: {{id: {ORG_ID}}}\n"
CARD = "cards/Churn.yaml"
CHURN = "name: Churn\nstatus: Draft\ncontent: {}\n"


def share(*principals: str, cards: str = "{status: [Draft]}", more: str = "", **keys: str) -> str:
    lines = [
        "name: s",
        f"principals: [{', '.join(repr(p) for p in principals)}]",
        f"cards: {cards}",
        f"permission: {keys.get('permission', 'read-only')}",
    ]
    return "\n".join(lines) + "\n" + more


def at_principal(index: int, code: str = "principal") -> Found:
    return Found(S, f"$.principals[{index}]", code, 2)


EXTERNAL = "allow_external_principals: true\n"

PRINCIPALS = [
    pytest.param(share("test", "prod"), None, [], id="declared-accounts-by-name"),
    pytest.param(share("333333333333"), None, [], id="a-declared-account-by-id"),
    pytest.param(share("dev"), None, [at_principal(0)], id="an-external-account-needs-the-flag"),
    pytest.param(share("dev", more=EXTERNAL), None, [], id="an-external-account-with-the-flag"),
    pytest.param(
        share("test", "999999999999"), None, [at_principal(1)], id="an-undeclared-account-id"
    ),
    pytest.param(share("999999999999", more=EXTERNAL), None, [], id="undeclared-but-allowed"),
    pytest.param(share("111111111111"), None, [at_principal(0)], id="the-card-account-itself"),
    pytest.param(
        share("111111111111", more=EXTERNAL), None, [at_principal(0)], id="never-the-card-account"
    ),
    pytest.param(
        share("*", "public", "Everyone", "12345678901*"),
        None,
        [at_principal(i) for i in range(4)],
        id="public-in-any-spelling",
    ),
    pytest.param(share("tset", "nobody"), None, [at_principal(0), at_principal(1)], id="unknown"),
    pytest.param(share(ORG), None, [at_principal(0)], id="an-organization-needs-organization-id"),
    pytest.param(share(ORG, OU), IN_ORG, [], id="the-card-accounts-organization-and-ou"),
    pytest.param(share(OTHER_ORG), IN_ORG, [at_principal(0)], id="another-organization"),
]


@pytest.mark.parametrize(("text", "config", "expected"), PRINCIPALS)
def test_principals_valid(text: str, config: str | None, expected: list[Found]) -> None:
    assert found(shares.principals_valid(rule_input({S: text}, config))) == expected


def problem(text: str, config: str | None = None) -> str:
    (diagnostic,) = shares.principals_valid(rule_input({S: text}, config))
    return diagnostic.message


@pytest.mark.parametrize(
    ("text", "config", "says"),
    [
        pytest.param(
            share("tset"), None, "unknown principal 'tset': did you mean 'test'?", id="close"
        ),
        pytest.param(share("nobody"), None, "a 12-digit account ID, or an organization", id="far"),
        pytest.param(share("dev"), None, "set allow_external_principals: true", id="external"),
        pytest.param(
            share("333333333334"),
            None,
            "(did you mean 333333333333, 'test'?)",
            id="an-id-two-digits-from-a-declared-one",
        ),
        pytest.param(share("111111111111"), None, "is the card account itself", id="card-account"),
        pytest.param(share(ORG), None, f"(id: {ORG_ID}) so that only it is used", id="org"),
        pytest.param(
            share(OTHER_ORG), IN_ORG, f"not to the card account's {ORG_ID}", id="other-org"
        ),
        pytest.param(share("*"), None, "would share publicly", id="public"),
    ],
)
def test_a_principal_problem_says_what_to_do(text: str, config: str | None, says: str) -> None:
    assert says in problem(text, config)


TARGETS = """targets:
  us: {region: us-east-1, card_account: {id: "111111111111"}}
  eu: {region: eu-west-1, card_account: {id: "333333333333"}}
accounts:
  test: {id: "333333333333"}
"""


def test_with_targets_a_principal_is_checked_in_each_target_of_the_share() -> None:
    """test is a share target in us, but the card account of eu: one problem, for eu."""
    (diagnostic,) = shares.principals_valid(rule_input({S: share("test")}, TARGETS))
    assert diagnostic.path == "$.principals[0]"
    assert diagnostic.message == (
        "'test' is the card account of target 'eu' itself, which already owns the cards"
    )
    only_us = share("test", more="targets: [us]\n")
    assert list(shares.principals_valid(rule_input({S: only_us}, TARGETS))) == []


HUB = """targets:
  hub: {region: us-east-1, card_account: {id: "111111111111"}}
  eu: {region: eu-west-1, card_account: {id: "555555555555"}, hub: hub}
accounts:
  test: {id: "333333333333"}
"""

RULES = [
    pytest.param(
        shares.cards_exist,
        {S: share("test", cards="{names: [Churn]}"), CARD: CHURN},
        None,
        [],
        id="a-card-in-git",
    ),
    pytest.param(
        shares.cards_exist,
        {S: share("test", cards="{names: [Churn, Chrun, Other]}"), CARD: CHURN},
        None,
        [
            Found(S, "$.cards.names[1]", "unknown-card", 3),
            Found(S, "$.cards.names[2]", "unknown-card", 3),
        ],
        id="cards-not-in-git",
    ),
    pytest.param(
        shares.cards_exist,
        {S: share("test", cards="{names: [eu-Risk]}", more="targets: [hub]\n")},
        HUB,
        [],
        id="a-replica-in-the-shares-hub",
    ),
    pytest.param(
        shares.cards_exist,
        {S: share("test", cards="{names: [eu-Risk]}", more="targets: [eu]\n")},
        HUB,
        [Found(S, "$.cards.names[0]", "unknown-card", 3)],
        id="a-replica-name-in-a-share-of-no-hub",
    ),
    pytest.param(
        shares.selects_something,
        {S: share("test", cards="{}")},
        None,
        [Found(S, "$.cards", "empty-share", 3, "warning")],
        id="a-share-that-selects-no-card-is-a-warning",
    ),
    pytest.param(
        shares.selects_something,
        {S: share("test", cards="{names: [X]}")},
        None,
        [],
        id="names-select",
    ),
    pytest.param(
        shares.permission_resolves,
        {S: share("test", permission="AWSRAMPermissionSageMakerModelCardsAllowExport")},
        None,
        [],
        id="an-aws-managed-permission",
    ),
    pytest.param(
        shares.permission_resolves,
        {S: share("test", permission="read-onyl")},
        None,
        [Found(S, "$.permission", "unknown-permission", 4)],
        id="an-unknown-permission",
    ),
    pytest.param(
        shares.outside_accounts_read_only,
        {S: share("dev", permission="AWSRAMPermissionSageMakerModelCards", more=EXTERNAL)},
        None,
        [Found(S, "$.permission", "external-edits", 4, "warning")],
        id="an-outside-account-that-could-edit-is-a-warning",
    ),
    pytest.param(
        shares.outside_accounts_read_only,
        {
            S: share(
                "dev",
                permission="AWSRAMPermissionSageMakerModelCards",
                more=EXTERNAL + "allow_external_edits: true\n",
            )
        },
        None,
        [],
        id="unless-the-share-says-so",
    ),
    pytest.param(
        shares.outside_accounts_read_only,
        {S: share("dev", more=EXTERNAL)},
        None,
        [],
        id="a-read-only-permission",
    ),
    pytest.param(
        shares.outside_accounts_read_only,
        {S: share("test", "prod", permission="AWSRAMPermissionSageMakerModelCards")},
        None,
        [],
        id="accounts-inside-may-edit",
    ),
]


@pytest.mark.parametrize(("rule", "files", "config", "expected"), RULES)
def test_rule(rule: Rule, files: dict[str, str], config: str | None, expected: list[Found]) -> None:
    assert found(rule(rule_input(files, config))) == expected


def test_unknown_names_get_the_closest_known_one() -> None:
    data = rule_input(
        {S: share("test", cards="{names: [Chrun]}", permission="read-onyl"), CARD: CHURN}
    )
    (card,) = shares.cards_exist(data)
    (permission,) = shares.permission_resolves(data)
    assert card.message == "unknown card 'Chrun': did you mean 'Churn'?"
    assert permission.message == "unknown permission 'read-onyl': did you mean 'read-only'?"


def test_without_a_close_name_the_remedy_or_the_known_names() -> None:
    data = rule_input({S: share("test", cards="{names: [Zzz]}", permission="zzz")})
    (card,) = shares.cards_exist(data)
    (permission,) = shares.permission_resolves(data)
    assert card.message == "unknown card 'Zzz': add cards/Zzz.yaml or remove it from the share"
    assert permission.message.endswith(
        "; known: AWSRAMPermissionSageMakerModelCards, "
        "AWSRAMPermissionSageMakerModelCardsAllowExport, read-only"
    )


def test_the_edit_warning_names_the_accounts_the_actions_and_the_read_only_alternative() -> None:
    text = share("dev", "prod", permission="AWSRAMPermissionSageMakerModelCards", more=EXTERNAL)
    (warning,) = shares.outside_accounts_read_only(rule_input({S: text}))
    assert warning.message.startswith(
        "dev outside the Organization would get sagemaker:UpdateModelCard through "
        "AWSRAMPermissionSageMakerModelCards"
    )
    assert "allow_external_edits: true" in warning.message


CONFIG = example().config
KINDS = [
    pytest.param("dev", "name", True, id="an-account-name-external-in-yaml"),
    pytest.param("test", "name", False, id="an-account-name"),
    pytest.param("222222222222", "account", True, id="the-id-of-an-external-account"),
    pytest.param("444444444444", "account", False, id="the-id-of-a-declared-account"),
    pytest.param("999999999999", "account", True, id="an-undeclared-id-is-outside"),
    pytest.param(ORG, "organization", False, id="an-organization"),
    pytest.param(OU, "ou", False, id="an-ou"),
    pytest.param("12345", "invalid", False, id="too-short-for-an-id"),
    pytest.param("arn:aws:organizations::1:organization/o-x", "invalid", False, id="bad-org-arn"),
]


@pytest.mark.parametrize(("principal", "kind", "external"), KINDS)
def test_principal_kind_and_is_external(principal: str, kind: str, external: bool) -> None:
    assert principal_kind(CONFIG, principal) == kind
    assert is_external(CONFIG, principal) is external
