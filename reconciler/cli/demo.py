"""`reconciler demo`: the model card lifecycle end to end on an embedded sandbox.

A shared-services account owns the Customer Churn card and shares it as it moves from
Draft to Approved; a data scientist in dev edits it through the SageMaker API; the card
account sees that edit as drift. Approval exports the card as a PDF to S3 and approves the
model package the card documents in the Model Registry. Every step runs the real plan and
apply code against the sandbox over HTTP and checks what happened; the demo fails at the
first surprise.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from reconciler.apply.safety import Flags
from reconciler.aws.waits import WaitSettings
from reconciler.cli.demo_hub import HubDemo
from reconciler.common.status import CardStatus
from reconciler.diff.compose import PlanOptions
from reconciler.iam.policy import policy_document
from reconciler.plan.address import Address
from reconciler.plan.model import Plan
from reconciler.render import plan_text  # noqa: F401 (registers the text renderer)
from reconciler.render.apply import REPORTS, RunReport
from reconciler.render.audit import EXPORTS
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.run.apply_run import ApplyHooks, ApplyOutcome, ApplyRequest, apply_run
from reconciler.run.pipeline import RunSettings, connect, load_valid, plan_run
from reconciler.workflows.audit import export_pdf

CARD_ACCOUNT, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
APPLY_ROLE, READER_ROLE = "ReconcilerApply", "ModelCardReader"
EDITED_OWNER = "churn-data-science"
EXPORT_BUCKET = "model-card-exports"
PACKAGE_GROUP = "customer-churn"
EXAMPLE_PARTS = ("reconciler.yaml", "cards", "shares")


class DemoFailed(Exception):
    """A step did not behave as expected."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(what)


class Demo:
    """The eight steps, each narrated through ``say`` and checked."""

    def __init__(self, sandbox: Any, repo: Path, say: Callable[[str], None]) -> None:
        self.sandbox, self.repo, self.say = sandbox, repo, say
        self.settings = RunSettings(repo=repo, endpoint_url=sandbox.endpoint)
        self.card_arn = f"arn:aws:sagemaker:us-east-1:{CARD_ACCOUNT}:model-card/{CARD}"

    def run(self) -> None:
        self.audit_trail()
        self.least_privilege()
        steps = [
            self.create_and_share,
            self.dev_accepts,
            self.dev_edits,
            self.drift_shows,
            self.promote_to_review,
            self.promote_to_approved,
            self.exported_and_registered,
            self.nothing_left,
        ]
        for number, step in enumerate(steps, 1):
            self.say(f"\n━━ Step {number}/{len(steps)}: {(step.__doc__ or '').strip()}")
            step()

    def audit_trail(self) -> None:
        """The card documents a model package in the registry, and approved cards are
        exported as PDFs: a bucket, a package awaiting approval, and reconciler.yaml
        declaring both."""
        self.client("s3", CARD_ACCOUNT).create_bucket(Bucket=EXPORT_BUCKET)
        sagemaker = self.client("sagemaker", CARD_ACCOUNT)
        sagemaker.create_model_package_group(ModelPackageGroupName=PACKAGE_GROUP)
        self.package_arn = sagemaker.create_model_package(ModelPackageGroupName=PACKAGE_GROUP)[
            "ModelPackageArn"
        ]
        with (self.repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
            config.write(
                f"exports: {{bucket: {EXPORT_BUCKET}, prefix: model-cards}}\n"
                "registry: {sync_approval: true}\n"
            )
        with (self.repo / "cards" / f"{CARD}.yaml").open("a", encoding="utf-8") as card:
            card.write(f"  model_package_details:\n    model_package_arn: {self.package_arn}\n")
        self.say(
            f"The card documents model package {self.package_arn} (PendingManualApproval); "
            f"approved cards are exported to s3://{EXPORT_BUCKET}/model-cards."
        )

    def least_privilege(self) -> None:
        """Roles made the way users make them, with exactly what `iam-policy` prints: the
        card account's steps run as the apply role, which the sandbox holds to its policy."""
        state = load_valid(self.repo)
        roles = [(CARD_ACCOUNT, APPLY_ROLE, "apply")]
        roles += [(account, READER_ROLE, "verify") for account in (DEV, TEST, PROD)]
        for account, name, role in roles:
            iam = self.client("iam", account)
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{CARD_ACCOUNT}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
            iam.put_role_policy(
                RoleName=name,
                PolicyName="reconciler",
                PolicyDocument=json.dumps(policy_document(role, state)),
            )
        config = self.repo / "reconciler.yaml"
        anchor = f'  id: "{CARD_ACCOUNT}"'
        text = config.read_text(encoding="utf-8")
        expect(anchor in text, "reconciler.yaml names the card account")
        role_arn = f"arn:aws:iam::{CARD_ACCOUNT}:role/{APPLY_ROLE}"
        config.write_text(text.replace(anchor, f'{anchor}\n  role_arn: "{role_arn}"', 1))
        self.say(
            f"The card account acts as {APPLY_ROLE}, holding exactly `reconciler iam-policy "
            f"--role apply`; each target account's {READER_ROLE} holds `--role verify`. "
            "The sandbox enforces both."
        )

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
        report = self.apply()
        checks = report.verification.checks if report.verification else ()
        prod = [c for c in checks if c.account == "prod"]
        expect(
            bool(prod) and "sagemaker:UpdateModelCard" not in prod[0].actions,
            "prod's permission in force has no UpdateModelCard",
        )
        self.prove_read_only()

    def exported_and_registered(self) -> None:
        """the approved card is exported to S3 and the registry's model package is approved"""
        from pypdf import PdfReader  # the sandbox extra's PDF reader

        target = connect(self.settings)
        with tempfile.TemporaryDirectory(prefix="reconciler-export-") as folder:
            pdf = Path(folder) / f"{CARD}.pdf"
            report = export_pdf(
                target.session,
                target.state,
                CARD,
                version=None,
                out=pdf,
                waits=WaitSettings(),
            )
            text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        self.say(f"$ reconciler export {CARD}\n{EXPORTS.get('text')(report).rstrip()}")
        expect(not report.exported, "apply exported the approved version already")
        expect(
            f"Model card {CARD}" in text and "Status: Approved" in text,
            "the PDF shows the approved card",
        )
        package = self.client("sagemaker", CARD_ACCOUNT).describe_model_package(
            ModelPackageName=self.package_arn
        )
        self.say(
            f"The model package is {package['ModelApprovalStatus']}: "
            f"{package.get('ApprovalDescription', '')}"
        )
        expect(package["ModelApprovalStatus"] == "Approved", "the model package is approved")

    def nothing_left(self) -> None:
        """a second apply changes nothing"""
        report = self.apply()
        expect(
            not report.report.steps and report.report.converged is True,
            "the second apply is a no-op",
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

    # -- helpers --------------------------------------------------------------------

    def plan(self) -> Plan:
        return plan_run(connect(self.settings), PlanOptions()).plan

    def show_plan(self) -> Plan:
        plan = self.plan()
        self.say("$ reconciler plan\n" + PLANS.get("text")(PlanReport(plan=plan)).rstrip())
        expect(not plan.errors, "the plan has no errors")
        return plan

    def apply(self, force: bool = False, verify: bool = True) -> ApplyOutcome:
        request = ApplyRequest(options=PlanOptions(), flags=Flags(force=force), verify=verify)
        outcome = apply_run(connect(self.settings), request, ApplyHooks(confirm=lambda plan: True))
        report = RunReport(
            kind="apply",
            apply=outcome.report,
            verification=outcome.verification,
            context=outcome.report.context,
        )
        flags = " --force" if force else ""
        self.say(
            f"$ reconciler apply --auto-approve{flags}\n" + REPORTS.get("text")(report).rstrip()
        )
        expect(not report.failed, "the apply succeeds and consumers see what git declares")
        return outcome

    def edit_card(self, old: str, new: str) -> None:
        path = self.repo / "cards" / f"{CARD}.yaml"
        text = path.read_text(encoding="utf-8")
        expect(old in text, f"{path.name} contains '{old}'")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.say(f"$ edit cards/{CARD}.yaml: {old.strip()} → {new.strip()}")

    def client(self, service: str, account: str, role: str = "SandboxAdmin") -> Any:
        return self.sandbox.client(service, account, role)


@contextmanager
def card_account_credentials(endpoint: str) -> Iterator[None]:
    """Ambient credentials of the sandbox's card account, for this process only."""
    keys = (
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
    )
    saved = {k: os.environ.get(k) for k in keys}
    for key in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(key, None)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def copy_example(source: Path, target: Path) -> Path:
    """Copy a repository's reconciler.yaml, cards/ and shares/ into ``target``."""
    for part in EXAMPLE_PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        else:
            shutil.copy(src, target / part)
    return target


def run_demo(source: Path, say: Callable[[str], None]) -> None:
    """Start a sandbox shaped like the example's accounts and walk the lifecycle."""
    from reconciler.sandbox import Organization, Sandbox, SandboxConfig

    org = Organization(management_account=CARD_ACCOUNT, members=frozenset({TEST, PROD}))
    config = SandboxConfig(default_account=CARD_ACCOUNT, organization=org)
    with (
        tempfile.TemporaryDirectory(prefix="reconciler-demo-") as tmp,
        Sandbox(config) as sandbox,
        card_account_credentials(sandbox.endpoint),
    ):
        say(
            f"Sandbox at {sandbox.endpoint}: card account {CARD_ACCOUNT}; Organization "
            f"members test {TEST} and prod {PROD}; dev {DEV} is outside."
        )
        Demo(sandbox, copy_example(source, Path(tmp)), say).run()
        say(
            "\n━━ Hub and spoke: two spoke accounts keep their own cards; the card account, "
            "their hub, holds a replica of each"
        )
        HubDemo(sandbox, Path(tmp) / "hub-and-spoke", say, expect).run()
