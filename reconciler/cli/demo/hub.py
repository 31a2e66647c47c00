"""The demo's hub-and-spoke part: two spoke accounts in two regions keep their own cards,
and the hub (the card account) holds a replica of each with its provenance.

A repository of three targets is written; the spokes' data scientists create a card each
through the SageMaker API; one apply over every target replicates both; a spoke edit
shows in the hub's plan as replicate_card, and the next apply gives the replica the new
version and its provenance. Every step runs the real fan-out, plan and apply code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reconciler.apply.safety import Flags
from reconciler.cli.demo.checks import expect
from reconciler.common.names import REPLICA_OF, REPLICA_VERSION
from reconciler.common.status import CardStatus
from reconciler.diff.compose import PlanOptions
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Plan
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.run.apply_run import ApplyHooks, ApplyRequest, apply_run
from reconciler.run.fanout import for_each_target
from reconciler.run.pipeline import RunSettings, Target, load_valid, plan_run

HUB, EU, US = "111111111111", "555555555555", "666666666666"
HUB_REGION = "eu-central-1"
SPOKES = {"eu": (EU, "eu-west-1", "Credit-Risk"), "us": (US, "us-west-2", "Fraud-Detection")}
SPOKE_ROLE = "ReconcilerSpoke"


def hub_repository(root: Path) -> Path:
    """A repository whose hub is the card account and whose spokes are eu and us."""
    lines = ["targets:", f'  hub: {{card_account: {{id: "{HUB}"}}, region: {HUB_REGION}}}']
    for name, (account, region, _) in SPOKES.items():
        role = f"arn:aws:iam::{account}:role/{SPOKE_ROLE}"
        lines.append(
            f'  {name}: {{card_account: {{id: "{account}", role_arn: "{role}"}}, '
            f"region: {region}, hub: hub}}"
        )
    root.mkdir(parents=True)
    (root / "reconciler.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def trusting(account: str) -> str:
    """A trust policy letting ``account``'s principals assume the role (with their own
    permission to)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def write_cards(cards: str) -> dict[str, Any]:
    actions = ["sagemaker:CreateModelCard", "sagemaker:DescribeModelCard"]
    actions.append("sagemaker:UpdateModelCard")
    statement = {"Effect": "Allow", "Action": actions, "Resource": cards}
    return {"Version": "2012-10-17", "Statement": [statement]}


class HubDemo:
    """The hub-and-spoke steps, narrated through ``say`` and checked."""

    def __init__(self, sandbox: Any, root: Path, say: Callable[[str], None]) -> None:
        self.sandbox, self.say = sandbox, say
        self.repo = hub_repository(root)
        self.settings = RunSettings(repo=self.repo, endpoint_url=sandbox.endpoint)

    def run(self) -> None:
        self.spoke_roles()
        self.spokes_create()
        self.apply_everywhere()
        self.spoke_edits()
        self.hub_replicates()

    def spoke_roles(self) -> None:
        """Each spoke's roles, made as users make them: the reconciler's, trusted by the hub
        account and holding `reconciler iam-policy --role apply --target <spoke>`, and a
        data scientist's, who writes the spoke's own cards."""
        from reconciler.desired.targets import for_target
        from reconciler.iam.policy import policy_document

        whole = load_valid(self.repo)
        for name, (account, _, _) in SPOKES.items():
            policy = policy_document("apply", for_target(whole, name))
            self.role(account, SPOKE_ROLE, trusting(HUB), policy)
            cards = f"arn:aws:sagemaker:*:{account}:model-card/*"
            self.role(account, "DataScientist", trusting(account), write_cards(cards))

    def role(self, account: str, name: str, trust: str, policy: dict[str, Any]) -> None:
        iam = self.sandbox.client("iam", account)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=name, PolicyName="main", PolicyDocument=json.dumps(policy))

    def spokes_create(self) -> None:
        for name, (account, region, card) in SPOKES.items():
            self.spoke(name).create_model_card(
                ModelCardName=card,
                ModelCardStatus=CardStatus.DRAFT.value,
                Content=owner(f"{name}-team"),
            )
            self.say(f"a data scientist in spoke {name} ({account}, {region}) creates {card}")

    def apply_everywhere(self) -> None:
        """One apply over every target: the spokes first, then the hub replicates."""
        results = for_each_target(load_valid(self.repo), self.settings, None, self.apply)
        expect(all(r.error is None and r.value is False for r in results), "all apply")
        replicas = sorted(n for n in self.hub_cards() if n.startswith(("eu-", "us-")))
        expect(replicas == ["eu-Credit-Risk", "us-Fraud-Detection"], "both are replicated")
        self.say(f"$ reconciler apply --auto-approve  (targets eu, us, then hub): {replicas}")

    def spoke_edits(self) -> None:
        _, _, card = SPOKES["eu"]
        self.spoke("eu").update_model_card(ModelCardName=card, Content=owner("risk-office"))
        self.say(f"a data scientist in eu sets {card}'s model_owner to 'risk-office'")

    def hub_replicates(self) -> None:
        plan = self.plan()
        self.say("$ reconciler plan --target hub\n" + PLANS.get("text")(PlanReport(plan=plan)))
        expect(
            [(c.address, c.action, c.reason.value) for c in plan.changes]
            == [(Address.card("eu-Credit-Risk"), Action.REPLICATE_CARD, "source_updated")],
            "the hub's plan replicates the new version",
        )
        results = for_each_target(load_valid(self.repo), self.settings, ["hub"], self.apply)
        expect(results[0].error is None and results[0].value is False, "the hub applies")
        self.replica_has_the_new_version()

    def replica_has_the_new_version(self) -> None:
        """eu's replica in the hub holds version 2 of eu's card, and its provenance."""
        card, tags = self.replica("eu-Credit-Risk")
        source = self.spoke("eu").describe_model_card(ModelCardName="Credit-Risk")
        expect(
            json.loads(card["Content"]) == json.loads(source["Content"])
            and tags[REPLICA_VERSION] == str(source["ModelCardVersion"]) == "2"
            and tags[REPLICA_OF] == source["ModelCardArn"],
            "the replica holds version 2 and its provenance",
        )
        self.say(
            f"eu-Credit-Risk in the hub: {REPLICA_OF}={tags[REPLICA_OF]}, "
            f"{REPLICA_VERSION}={tags[REPLICA_VERSION]}"
        )

    # -- helpers --------------------------------------------------------------------

    def apply(self, target: Target) -> bool:
        request = ApplyRequest(options=PlanOptions(), flags=Flags(), verify=False)
        outcome = apply_run(target, request, ApplyHooks(confirm=lambda plan: True))
        return outcome.failed

    def plan(self) -> Plan:
        results = for_each_target(
            load_valid(self.repo), self.settings, ["hub"], lambda t: plan_run(t, PlanOptions())
        )
        expect(results[0].value is not None, "the hub plans")
        assert results[0].value is not None
        return results[0].value.plan

    def spoke(self, name: str) -> Any:
        account, region, _ = SPOKES[name]
        return self.sandbox.client("sagemaker", account, "DataScientist", region=region)

    def hub_cards(self) -> list[str]:
        hub = self.sandbox.client("sagemaker", HUB, region=HUB_REGION)
        return [c["ModelCardName"] for c in hub.list_model_cards()["ModelCardSummaries"]]

    def replica(self, name: str) -> tuple[dict[str, Any], dict[str, str]]:
        hub = self.sandbox.client("sagemaker", HUB, region=HUB_REGION)
        card = hub.describe_model_card(ModelCardName=name)
        tags = hub.list_tags(ResourceArn=card["ModelCardArn"])["Tags"]
        return card, {t["Key"]: t["Value"] for t in tags}


def owner(name: str) -> str:
    return json.dumps({"model_overview": {"model_owner": name}})
