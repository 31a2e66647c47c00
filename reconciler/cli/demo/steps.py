"""The demo's lifecycle steps: a shared-services account owns the Customer Churn card and
shares it as it moves from Draft to Approved; a data scientist in dev edits it through the
SageMaker API; the card account sees that edit as drift. Approval exports the card as a
PDF to S3 and approves the model package the card documents in the Model Registry. Each
step runs the real plan and apply code against the sandbox, narrates what it did, and
checks what happened.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply.safety import Flags
from reconciler.aws.waits import WaitSettings
from reconciler.cli.demo import prepare, stacks
from reconciler.cli.demo.checks import DemoFailed, expect, walk
from reconciler.cli.demo.prepare import ADMIN, CARD, CARD_ACCOUNT, DEV, EXPORT_BUCKET, PROD
from reconciler.common.status import CardStatus
from reconciler.desired.model import Uses
from reconciler.diff.compose import PlanOptions
from reconciler.iam.trust import WorkflowRole
from reconciler.plan.address import Address
from reconciler.plan.model import Plan
from reconciler.render import plan_text  # noqa: F401 (registers the text renderer)
from reconciler.render.apply import REPORTS
from reconciler.render.apply_report import RunReport
from reconciler.render.audit import EXPORTS
from reconciler.render.drift import DRIFT
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.reports.audit import ExportReport
from reconciler.run.apply_run import ApplyHooks, ApplyOutcome, ApplyRequest, apply_run
from reconciler.run.drift_run import drift_run
from reconciler.run.pipeline import RunSettings, connect, load_valid, plan_run
from reconciler.workflows.audit import export_pdf

EDITED_OWNER = "churn-data-science"


class Demo:
    """The nine steps, each narrated through ``say`` and checked."""

    def __init__(self, sandbox: Any, repo: Path, say: Callable[[str], None]) -> None:
        self.sandbox, self.repo, self.say = sandbox, repo, say
        self.settings = RunSettings(repo=repo, endpoint_url=sandbox.endpoint)
        self.card_arn = f"arn:aws:sagemaker:us-east-1:{CARD_ACCOUNT}:model-card/{CARD}"
        self.package_arn = ""
        self.roles: dict[WorkflowRole, str] = {}

    def run(self) -> None:
        self.audit_trail()
        self.bootstrap()
        steps = [
            self.create_and_share,
            self.dev_accepts,
            self.dev_edits,
            self.drift_shows,
            self.promote_to_review,
            self.promote_to_approved,
            self.exported_and_registered,
            self.pruned,
            self.nothing_left,
        ]
        walk(steps, self.say, "Step")

    def audit_trail(self) -> None:
        """The card documents a model package in the registry, and approved cards are
        exported as PDFs."""
        self.package_arn = prepare.audit_trail(self.sandbox, self.repo)
        self.say(
            f"The card documents model package {self.package_arn} (PendingManualApproval); "
            f"approved cards are exported to s3://{EXPORT_BUCKET}/model-cards."
        )

    def bootstrap(self) -> None:
        """The roles, bucket and OIDC provider, generated from the repository and deployed
        as on AWS; every command below runs as the role its workflow assumes."""
        self.say("\n━━ Set-up: `reconciler bootstrap`, deployed with CloudFormation")
        self.roles = stacks.set_up(self.sandbox, load_valid(self.repo), self.say).roles

    def acting(self, role: WorkflowRole) -> Any:
        """Ambient credentials of ``role``, reached as its workflow reaches it (OIDC)."""
        return stacks.acting_as(self.sandbox, self.roles[role], stacks.workflow_claims(role))

    def create_and_share(self) -> None:
        """the card account creates the Customer Churn card in Draft, shared with dev"""
        plan = self.show_plan()
        expect(
            [c.action.value for c in plan.changes]
            == ["create_permission", "create_card", "create_share", "create_share", "create_share"],
            "the first plan creates the permission, the card and 3 shares",
        )
        self.say("dev is outside the Organization, so its share needs --force.")
        report = self.apply(force=True, verify=False)
        expect(report.report.converged is True, "the first apply converges")

    def dev_accepts(self) -> None:
        """dev, outside the Organization, accepts the invitation and reads the card"""
        ram = self.client("ram", DEV)
        invitations = ram.get_resource_share_invitations()["resourceShareInvitations"]
        pending = [i for i in invitations if i["status"] == "PENDING"]
        expect(len(pending) == 1, "dev has one pending invitation")
        ram.accept_resource_share_invitation(
            resourceShareInvitationArn=pending[0]["resourceShareInvitationArn"]
        )
        self.sandbox.advance(5)
        card = self.client("sagemaker", DEV).describe_model_card(ModelCardName=self.card_arn)
        self.say(
            f"dev accepted '{pending[0]['resourceShareName']}' and reads {CARD}: status "
            f"{card['ModelCardStatus']}, version {card['ModelCardVersion']}"
        )

    def dev_edits(self) -> None:
        """a data scientist in dev updates the card's content through the SageMaker API"""
        sagemaker = self.client("sagemaker", DEV, role="DataScientist")
        content = json.loads(sagemaker.describe_model_card(ModelCardName=self.card_arn)["Content"])
        content["model_overview"]["model_owner"] = EDITED_OWNER
        sagemaker.update_model_card(ModelCardName=self.card_arn, Content=json.dumps(content))
        self.say(f"dev set model_overview.model_owner to '{EDITED_OWNER}' (a new card version)")

    def drift_shows(self) -> None:
        """the card account's next plan shows that edit, field by field, as drift from git"""
        plan = self.show_plan()
        fields = [(f.path, f.before, f.after) for c in plan.changes for f in c.fields]
        expect(
            fields == [("$.content.model_overview.model_owner", EDITED_OWNER, "model-owner")],
            "the plan shows exactly the field dev edited, back to git's value",
        )
        expect(
            f"arn:aws:sts::{DEV}:assumed-role/DataScientist/" in plan.changes[0].detail,
            "the plan names dev's data scientist as the last editor",
        )
        self.show_drift()
        self.say("The team accepts the edit: the YAML takes dev's value (a reviewed change).")
        self.edit_card("model_owner: model-owner", f"model_owner: {EDITED_OWNER}")
        expect(not self.plan().changes, "with the edit in git, nothing differs")

    def promote_to_review(self) -> None:
        """promoted to PendingReview in YAML: the status changes and the card goes to test"""
        self.edit_card("status: Draft", "status: PendingReview")
        plan = self.show_plan()
        expect(
            [(c.address, c.action.value) for c in plan.changes]
            == [
                (Address.card(CARD), "update_status"),
                (Address.share("churn-test"), "associate_resources"),
            ],
            "the plan changes the status and shares the card with test",
        )
        self.apply()

    def promote_to_approved(self) -> None:
        """promoted to Approved: the prod share gets the card, read-only"""
        self.edit_card("status: PendingReview", "status: Approved")
        plan = self.show_plan()
        expect(
            [(c.address, c.action.value) for c in plan.changes]
            == [
                (Address.card(CARD), "update_status"),
                (Address.card(CARD), "update_package_approval"),
                (Address.card(CARD), "export_card"),
                (Address.share("churn-prod"), "associate_resources"),
            ],
            "the plan approves the card and its model package, exports the card as a PDF "
            "and shares the card with prod",
        )
        self.prod_permission_is_read_only(self.apply())
        self.prove_read_only()

    def exported_and_registered(self) -> None:
        """the approved card is exported to S3 and the registry's model package is approved"""
        report, text = self.export()
        self.say(f"$ reconciler export {CARD}\n{EXPORTS.get('text')(report).rstrip()}")
        expect(not report.exported, "apply exported the approved version already")
        expect(
            f"Model card {CARD}" in text and "Status: Approved" in text,
            "the PDF shows the approved card",
        )
        self.package_approved()

    def pruned(self) -> None:
        """dev's share leaves git: only apply --prune deletes it from the account"""
        (self.repo / "shares" / "churn-dev.yaml").unlink()
        self.say("$ git rm shares/churn-dev.yaml")
        expect(not self.plan().changes, "without --prune the plan deletes nothing it does not own")
        plan = self.show_plan(prune=True)
        expect(
            [(c.address, c.action.value) for c in plan.changes]
            == [(Address.share("churn-dev"), "delete_share")],
            "the pruning plan deletes dev's share, and nothing else",
        )
        self.apply(prune=True)

    def nothing_left(self) -> None:
        """a second apply changes nothing"""
        report = self.apply()
        expect(
            not report.report.steps and report.report.converged is True,
            "the second apply is a no-op",
        )

    # -- checks ---------------------------------------------------------------------

    def prod_permission_is_read_only(self, outcome: ApplyOutcome) -> None:
        checks = outcome.verification.checks if outcome.verification else ()
        prod = [c for c in checks if c.account == "prod"]
        expect(
            bool(prod) and "sagemaker:UpdateModelCard" not in prod[0].actions,
            "prod's permission in force has no UpdateModelCard",
        )

    def prove_read_only(self) -> None:
        sagemaker = self.client("sagemaker", PROD)
        card = sagemaker.describe_model_card(ModelCardName=self.card_arn)
        self.say(
            f"prod describes the card: {card['ModelCardStatus']}, "
            f"version {card['ModelCardVersion']}"
        )
        try:
            sagemaker.update_model_card(
                ModelCardName=self.card_arn, ModelCardStatus=CardStatus.DRAFT.value
            )
        except ClientError as e:
            code = e.response["Error"]["Code"]
            self.say(f"prod tries to update it and AWS answers {code}: read-only holds")
            expect(code == "AccessDeniedException", "prod's update is denied")
            return
        raise DemoFailed("prod could update an Approved card shared read-only")

    def package_approved(self) -> None:
        package = self.client("sagemaker", CARD_ACCOUNT).describe_model_package(
            ModelPackageName=self.package_arn
        )
        self.say(
            f"The model package is {package['ModelApprovalStatus']}: "
            f"{package.get('ApprovalDescription', '')}"
        )
        expect(package["ModelApprovalStatus"] == "Approved", "the model package is approved")

    # -- commands -------------------------------------------------------------------

    def plan(self, prune: bool = False) -> Plan:
        with self.acting(WorkflowRole.PLAN):
            return plan_run(connect(self.settings), PlanOptions(prune=prune)).plan

    def show_drift(self) -> None:
        """`reconciler drift`, as drift.yml runs it."""
        with self.acting(WorkflowRole.DRIFT):
            report, _ = drift_run(connect(replace(self.settings, uses=Uses.DRIFT)))
        self.say("$ reconciler drift  (as ReconcilerDrift)\n" + DRIFT.get("text")(report).rstrip())
        expect(len(report.items) == 1, "drift reports dev's edit")

    def show_plan(self, prune: bool = False) -> Plan:
        plan = self.plan(prune)
        command = "$ reconciler plan --prune\n" if prune else "$ reconciler plan\n"
        self.say(command + PLANS.get("text")(PlanReport(plan=plan)).rstrip())
        expect(not plan.errors, "the plan has no errors")
        return plan

    def apply(self, force: bool = False, verify: bool = True, prune: bool = False) -> ApplyOutcome:
        request = ApplyRequest(
            options=PlanOptions(prune=prune), flags=Flags(force=force, prune=prune), verify=verify
        )
        with self.acting(WorkflowRole.APPLY):
            outcome = apply_run(
                connect(self.settings), request, ApplyHooks(confirm=lambda plan: True)
            )
        report = RunReport.of_apply(outcome)
        flags = " --force" if force else " --prune" if prune else ""
        self.say(
            f"$ reconciler apply --auto-approve{flags}\n" + REPORTS.get("text")(report).rstrip()
        )
        expect(not report.failed, "the apply succeeds and consumers see what git declares")
        return outcome

    def catalogue(self, out: Path) -> None:
        """`reconciler site --live`, as drift.yml publishes it: the final state's cards."""
        from reconciler.render.site import render_site
        from reconciler.workflows.files import write_site
        from reconciler.workflows.site import from_live_state

        with self.acting(WorkflowRole.DRIFT):
            source = from_live_state(replace(self.settings, uses=Uses.DRIFT), None)
        pages = {path: page.encode() for path, page in render_site(source.catalogue).items()}
        write_site(out, {**pages, **source.files})
        expect(bool(source.files), "the catalogue holds the Approved card's PDF")
        index = (out / "index.html").resolve()
        self.say(f"$ reconciler site --live --out {out}\nOpen {index.as_uri()}")

    def export(self) -> tuple[ExportReport, str]:
        """`reconciler export` of the card's current version, and the text of its PDF."""
        from pypdf import PdfReader  # the sandbox extra's PDF reader

        with (
            self.acting(WorkflowRole.APPLY),
            tempfile.TemporaryDirectory(prefix="reconciler-export-") as folder,
        ):
            target = connect(self.settings)
            pdf = Path(folder) / f"{CARD}.pdf"
            report = export_pdf(
                target.session, target.state, CARD, version=None, out=pdf, waits=WaitSettings()
            )
            text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        return report, text

    def edit_card(self, old: str, new: str) -> None:
        path = self.repo / "cards" / f"{CARD}.yaml"
        text = path.read_text(encoding="utf-8")
        expect(old in text, f"{path.name} contains '{old}'")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.say(f"$ edit cards/{CARD}.yaml: {old.strip()} → {new.strip()}")

    def client(self, service: str, account: str, role: str = ADMIN) -> Any:
        return self.sandbox.client(service, account, role)
