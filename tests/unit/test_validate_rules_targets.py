"""validate.rules.targets: targets declared instead of (not beside) the top-level account,
target names that exist, hubs that are other targets and no spokes, one target per
account and region, shares whose cards are in their targets, and replica names a hub
can hold."""

from __future__ import annotations

import pytest

from reconciler.desired.model import TargetSpec
from reconciler.validate.rules import targets
from reconciler.validate.rules.base import Rule
from reconciler.validate.rules.targets import replica_problem
from tests.unit.builders import Found, example_config, found, rule_input

Y = "reconciler.yaml"
TWO = """targets:
  us: {region: us-east-1, card_account: {id: "111111111111"}}
  eu: {region: eu-west-1, card_account: {id: "555555555555"}, hub: us}
accounts:
  test: {id: "333333333333"}
"""


def yaml(*targets: str) -> str:
    return "targets:\n" + "".join(f"  {t}\n" for t in targets)


def card(name: str, *where: str, previous: str = "") -> str:
    lines = [f"name: {name}", "status: Draft", "content: {}"]
    lines += [f"targets: [{', '.join(where)}]"] if where else []
    lines += [f"previous_names: [{previous}]"] if previous else []
    return "\n".join(lines) + "\n"


def share(names: str, *where: str) -> str:
    lines = ["name: s", "principals: [test]", f"cards: {{names: [{names}]}}", "permission: p"]
    lines += [f"targets: [{', '.join(where)}]"] if where else []
    return "\n".join(lines) + "\n"


US = 'us: {region: us-east-1, card_account: {id: "111111111111"}}'
CASES = [
    pytest.param(targets.targets_or_top_level, {}, TWO, [], id="targets-alone"),
    pytest.param(targets.targets_or_top_level, {}, None, [], id="top-level-alone"),
    pytest.param(
        targets.targets_or_top_level,
        {},
        example_config() + yaml(US),
        [Found(Y, "$.region", "targets", 2), Found(Y, "$.card_account", "targets", 3)],
        id="both",
    ),
    pytest.param(
        targets.target_names_known,
        {"cards/A.yaml": card("A", "us", "eu"), "shares/s.yaml": share("A", "us")},
        TWO,
        [],
        id="declared-targets",
    ),
    pytest.param(
        targets.target_names_known,
        {"cards/A.yaml": card("A", "us", "usa")},
        TWO,
        [Found("cards/A.yaml", "$.targets[1]", "target", 4)],
        id="an-unknown-target",
    ),
    pytest.param(
        targets.target_names_known,
        {"shares/s.yaml": share("A", "us")},
        None,
        [Found("shares/s.yaml", "$.targets[0]", "target", 5)],
        id="targets-in-a-repository-without-them",
    ),
    pytest.param(targets.hubs_valid, {}, TWO, [], id="a-hub"),
    pytest.param(
        targets.hubs_valid,
        {},
        yaml(US[:-1] + ", hub: us}"),
        [Found(Y, "$.targets.us.hub", "hub", 2)],
        id="its-own-hub",
    ),
    pytest.param(
        targets.hubs_valid,
        {},
        yaml(US[:-1] + ", hub: ue}"),
        [Found(Y, "$.targets.us.hub", "hub", 2)],
        id="an-unknown-hub",
    ),
    pytest.param(
        targets.hubs_valid,
        {},
        yaml(
            US[:-1] + ", hub: eu}",
            'eu: {region: eu-west-1, card_account: {id: "5"}, hub: ap}',
            'ap: {region: ap-south-1, card_account: {id: "6"}}',
        ),
        [Found(Y, "$.targets.us.hub", "hub", 2)],
        id="a-hub-that-is-a-spoke",
    ),
    pytest.param(
        targets.target_accounts_unique,
        {},
        yaml(US, 'eu: {region: eu-west-1, card_account: {id: "111111111111"}}'),
        [],
        id="one-account-in-two-regions",
    ),
    pytest.param(
        targets.target_accounts_unique,
        {},
        yaml(US, 'us2: {region: us-east-1, card_account: {id: "111111111111"}}'),
        [Found(Y, "$.targets.us2.card_account.id", "target-account", 3)],
        id="one-account-and-region-twice",
    ),
    pytest.param(
        targets.share_cards_in_target,
        {"cards/A.yaml": card("A", "us"), "shares/s.yaml": share("A", "us")},
        TWO,
        [],
        id="a-shared-card-in-the-shares-target",
    ),
    pytest.param(
        targets.share_cards_in_target,
        {"cards/A.yaml": card("A", "eu"), "shares/s.yaml": share("A")},
        TWO,
        [Found("shares/s.yaml", "$.cards.names[0]", "target-card", 3)],
        id="a-share-of-every-target-naming-a-card-of-one",
    ),
    pytest.param(
        targets.share_cards_in_target,
        {"cards/eu-A.yaml": card("eu-A", "eu"), "shares/s.yaml": share("eu-A", "us")},
        TWO,
        [],
        id="a-name-that-is-also-a-replica-in-the-hub",
    ),
    pytest.param(
        targets.share_cards_in_target,
        {"cards/A.yaml": card("A", "eu"), "shares/s.yaml": share("A", "us")},
        example_config(),
        [],
        id="without-targets-no-check",
    ),
    pytest.param(
        targets.replica_names_fit,
        {"cards/A.yaml": card("A", "eu"), "cards/B.yaml": card("B", "us")},
        TWO,
        [],
        id="replicas-that-fit",
    ),
    pytest.param(
        targets.replica_names_fit,
        {"cards/A.yaml": card("A", "eu"), "cards/eu-A.yaml": card("eu-A", "us")},
        TWO,
        [Found("cards/A.yaml", "$.name", "replica-name", 1)],
        id="the-hub-has-a-card-of-the-replicas-name",
    ),
    pytest.param(
        targets.replica_names_fit,
        {"cards/A.yaml": card("A", "eu"), "cards/B.yaml": card("B", "us", previous="eu-A")},
        TWO,
        [Found("cards/A.yaml", "$.name", "replica-name", 1)],
        id="the-hub-had-a-card-of-that-name",
    ),
    pytest.param(
        targets.replica_names_fit,
        {"cards/" + "A" * 61 + ".yaml": card("A" * 61, "eu")},
        TWO,
        [Found("cards/" + "A" * 61 + ".yaml", "$.name", "replica-name", 1)],
        id="a-replica-name-over-63-characters",
    ),
]


@pytest.mark.parametrize(("rule", "files", "config", "expected"), CASES)
def test_rule(rule: Rule, files: dict[str, str], config: str | None, expected: list[Found]) -> None:
    assert found(rule(rule_input(files, config))) == expected


@pytest.mark.parametrize(
    ("config", "says"),
    [
        pytest.param(yaml(US[:-1] + ", hub: us}"), "a target cannot be its own hub", id="self"),
        pytest.param(
            yaml(US[:-1] + ", hub: uss}"), "unknown target 'uss' (did you mean 'us'?)", id="close"
        ),
        pytest.param(yaml(US[:-1] + ", hub: zz}"), "unknown target 'zz': name a hub", id="far"),
    ],
)
def test_a_hub_problem_says_what_is_wrong(config: str, says: str) -> None:
    (problem,) = targets.hubs_valid(rule_input({}, config))
    assert says in problem.message


@pytest.mark.parametrize(
    ("name", "known", "says"),
    [
        pytest.param("usa", TWO, "unknown target 'usa': did you mean 'us'?", id="close"),
        pytest.param("zz", TWO, "unknown target 'zz': known: eu, us", id="far"),
        pytest.param(
            "us",
            None,
            "unknown target 'us': reconciler.yaml declares no targets: remove targets: here",
            id="no-targets",
        ),
    ],
)
def test_an_unknown_target_name_says_which_are_known(
    name: str, known: str | None, says: str
) -> None:
    (problem,) = targets.target_names_known(rule_input({"cards/A.yaml": card("A", name)}, known))
    assert problem.message == says


EU = TargetSpec(name="eu", region="eu-west-1", card_account_id="5", hub="us")
REPLICAS = [
    pytest.param(EU, "Churn", {}, None, id="fits"),
    pytest.param(EU, "C" * 60, {}, None, id="exactly-63-characters"),
    pytest.param(
        EU,
        "C" * 61,
        {},
        "would be named 'eu-" + "C" * 61 + "' (64 characters); SageMaker allows 63",
        id="too-long",
    ),
    pytest.param(
        TargetSpec(name="eu", region="r", card_account_id="5", replica_name="{spoke}_{card}"),
        "Churn",
        {},
        "would be named 'eu_Churn', which is not a model card name",
        id="a-replica-name-pattern-that-makes-bad-names",
    ),
    pytest.param(
        EU, "Churn", {"eu-Churn": "the hub's card in x"}, "like the hub's card in x", id="taken"
    ),
]


@pytest.mark.parametrize(("spoke", "card_name", "taken", "says"), REPLICAS)
def test_replica_problem(
    spoke: TargetSpec, card_name: str, taken: dict[str, str], says: str | None
) -> None:
    found_problem = replica_problem(spoke, card_name, "us", taken)
    if says is None:
        assert found_problem is None
    else:
        assert found_problem is not None and says in found_problem
        assert found_problem.endswith(
            f"shorten the card's name, or set replica_name for target '{spoke.name}'"
        )
