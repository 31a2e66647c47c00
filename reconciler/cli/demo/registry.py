"""The demo's Model Registry part: the lifecycle's model package group gets version 2 from
a training pipeline, with its card embedded in Draft; a pull request declares the group in
registry/customer-churn.yaml, fills the card and sends it to review, and the test share
takes the group; approval approves the version, moves it to Production, and the prod share
takes the group; prod describes the approved version and cannot change it.

Adding a registry file widens what the roles may do (the group's versions, the group in
the shares), so the pull request also redeploys what `reconciler bootstrap` generates, as
a user updates the stacks. Every step runs the real plan and apply code as the workflow
roles and checks what happened.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from reconciler.cli.demo import stacks
from reconciler.cli.demo.checks import DemoFailed, expect, walk
from reconciler.cli.demo.prepare import ADMIN, CARD_ACCOUNT, PACKAGE_GROUP, PROD, TEST
from reconciler.plan.address import Address
from reconciler.run.pipeline import load_valid

if TYPE_CHECKING:
    from reconciler.cli.demo.steps import Demo

VERSION = 2
REGISTRY_FILE = f"registry/{PACKAGE_GROUP}.yaml"
PIPELINE_CARD = {"model_overview": {"model_creator": "churn-training-pipeline"}}
DECLARED = f"""\
name: {PACKAGE_GROUP}
versions:
  - version: {VERSION}                 # registered by the training pipeline
    approval: PendingManualApproval
    stage: {{name: Staging, status: InProgress}}
    card:
      status: PendingReview
      content:
        model_overview: {{model_creator: churn-training-pipeline}}
        intended_uses:
          intended_uses: Weekly churn scoring of retail customers
          risk_rating: Low
"""
# The training pipeline's holdout evaluation, which reconciler.yaml's Approved gates require
# of a version's card as of any card (holdout AUC at least 0.80).
EVALUATION = """\
        evaluation_details:
          - name: holdout
            metric_groups:
              - name: quality
                metric_data: [{name: auc, type: number, value: 0.91}]
"""
GROUP_PERMISSION = "AWSRAMPermissionSageMakerModelPackageGroup"


def selecting(approval: str) -> str:
    """A share's ``model_package_groups``: the group, once a version reaches ``approval``."""
    return (
        f"model_package_groups:\n  names: [{PACKAGE_GROUP}]\n  approval: [{approval}]\n"
        f"  permission: {GROUP_PERMISSION}\n"
    )


class RegistryDemo:
    """Five steps on the lifecycle's repository and roles, narrated and checked."""

    def __init__(self, lifecycle: Demo) -> None:
        self.lifecycle, self.repo, self.say = lifecycle, lifecycle.repo, lifecycle.say
        self.group_arn = (
            f"arn:aws:sagemaker:us-east-1:{CARD_ACCOUNT}:model-package-group/{PACKAGE_GROUP}"
        )
        self.version_arn = ""

    def run(self) -> None:
        steps = [
            self.registered,
            self.declared,
            self.test_sees_the_group,
            self.approved,
            self.prod_reads_only,
        ]
        walk(steps, self.say, "Registry")

    def registered(self) -> None:
        """a training pipeline registers version 2 of the model, its card in Draft"""
        sagemaker = self.lifecycle.client("sagemaker", CARD_ACCOUNT, ADMIN)
        card = {"ModelCardContent": json.dumps(PIPELINE_CARD), "ModelCardStatus": "Draft"}
        self.version_arn = sagemaker.create_model_package(
            ModelPackageGroupName=PACKAGE_GROUP, ModelCard=card
        )["ModelPackageArn"]
        expect(self.version_arn.endswith(f"/{VERSION}"), "the pipeline registered version 2")
        self.say(f"{self.version_arn}: PendingManualApproval, card Draft")

    def declared(self) -> None:
        """a pull request declares the group: version 2's card filled and sent to review,
        the test share takes the group once a version awaits approval (and keeps it),
        prod's once one is approved"""
        (self.repo / "registry").mkdir(exist_ok=True)
        (self.repo / REGISTRY_FILE).write_text(DECLARED, encoding="utf-8")
        self.append_share("churn-test", selecting("PendingManualApproval, Approved"))
        self.append_share("churn-prod", selecting("Approved"))
        self.say(f"$ git add {REGISTRY_FILE} shares/churn-test.yaml shares/churn-prod.yaml")
        self.redeploy(
            "the apply role may now update the group's versions, to the approvals and "
            "stages the file declares, and share the group"
        )
        plan = self.lifecycle.show_plan()
        expect(
            [(c.address, c.action.value) for c in plan.changes]
            == [
                (Address.version(PACKAGE_GROUP, VERSION), "update_version"),
                (Address.share("churn-test"), "set_permission"),
                (Address.share("churn-test"), "associate_resources"),
            ],
            "the plan fills version 2's card, gives test's share the groups' permission and "
            "shares the group with test",
        )
        self.lifecycle.apply()

    def test_sees_the_group(self) -> None:
        """test lists the group and reads version 2's card; prod does not see it yet"""
        expect(self.listed(TEST) == [self.group_arn], "test lists the shared group")
        expect(self.listed(PROD) == [], "prod does not see the group before approval")
        found = self.lifecycle.client("sagemaker", TEST).describe_model_package(
            ModelPackageName=self.version_arn
        )
        self.say(
            f"test describes version {VERSION}: {found['ModelApprovalStatus']}, card "
            f"{found['ModelCard']['ModelCardStatus']}"
        )

    def approved(self) -> None:
        """approval: the pipeline's holdout evaluation in the card, which the Approved gates
        require; the card Approved, the version approved and moved to Production; prod's
        share takes the group"""
        self.edit("          risk_rating: Low\n", "          risk_rating: Low\n" + EVALUATION)
        self.edit("status: PendingReview", "status: Approved")
        self.edit("approval: PendingManualApproval", "approval: Approved")
        self.edit("{name: Staging, status: InProgress}", "{name: Production, status: Approved}")
        self.redeploy(
            "the apply role may now approve the group's versions and move them to Production"
        )
        plan = self.lifecycle.show_plan()
        expect(
            [(c.address, c.action.value) for c in plan.changes]
            == [
                (Address.version(PACKAGE_GROUP, VERSION), "update_version"),
                (Address.share("churn-prod"), "set_permission"),
                (Address.share("churn-prod"), "associate_resources"),
            ],
            "the plan approves version 2 and shares the group with prod",
        )
        self.lifecycle.apply()

    def prod_reads_only(self) -> None:
        """prod describes the approved version and cannot change it"""
        sagemaker = self.lifecycle.client("sagemaker", PROD)
        found = sagemaker.describe_model_package(ModelPackageName=self.version_arn)
        self.say(
            f"prod describes version {VERSION}: {found['ModelApprovalStatus']}, stage "
            f"{found['ModelLifeCycle']['Stage']}, card {found['ModelCard']['ModelCardStatus']}"
        )
        try:
            sagemaker.update_model_package(
                ModelPackageArn=self.version_arn, ModelApprovalStatus="Rejected"
            )
        except ClientError as e:
            code = e.response["Error"]["Code"]
            self.say(f"prod tries to reject it and AWS answers {code}: read-only holds")
            expect(code in {"AccessDenied", "AccessDeniedException"}, "prod's update is denied")
            return
        raise DemoFailed("prod could change an approved model version shared with it")

    # -- helpers --------------------------------------------------------------------

    def redeploy(self, what: str) -> None:
        """The stacks `reconciler bootstrap` generates from the changed repository, updated
        before the merge's apply: the roles reach only what git declares."""
        state = load_valid(self.repo)
        stacks.deploy(self.lifecycle.sandbox, stacks.generate(state), state)
        self.say(
            f"$ reconciler bootstrap ... && aws cloudformation deploy ...\nUPDATE_COMPLETE: {what}"
        )

    def listed(self, account: str) -> list[str]:
        found = self.lifecycle.client("sagemaker", account).list_model_package_groups(
            CrossAccountFilterOption="CrossAccount"
        )
        return [g["ModelPackageGroupArn"] for g in found["ModelPackageGroupSummaryList"]]

    def append_share(self, share: str, text: str) -> None:
        path = self.repo / "shares" / f"{share}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def edit(self, old: str, new: str) -> None:
        path = self.repo / REGISTRY_FILE
        text = path.read_text(encoding="utf-8")
        expect(old in text, f"{REGISTRY_FILE} contains '{old}'")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.say(f"$ edit {REGISTRY_FILE}: {old} → {new}")
