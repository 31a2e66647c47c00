"""The lifecycle of one model card through the real command line, written once for any
endpoint: created in Draft and shared with dev; dev's edit by ARN seen as drift; promoted
to test; approved and shared with prod read-only; exported to S3; its model package
approved; pruned. Against the sandbox in `make test`; on AWS with RECONCILER_ACCEPTANCE=1
(docs/acceptance.md). Each step checks what the accounts see, through their own roles.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.acceptance.world import Cloud, Names, write_repository
from tests.conftest import CliResult

EDITED_OWNER = "acceptance-dev-edit"


class Lifecycle:
    """The steps, each run through the CLI and checked from the accounts that see it."""

    def __init__(self, cli: Callable[..., CliResult], repo: Path, cloud: Cloud, names: Names):
        self.cli, self.repo, self.cloud, self.names = cli, repo, cloud, names
        self.card_arn = cloud.card_arn(names.card)

    def reconciler(self, *args: str, ok: tuple[int, ...] = (0,)) -> CliResult:
        result = self.cli(*args, "--repo", str(self.repo))  # the endpoint: AWS_ENDPOINT_URL
        assert result.exit_code in ok, (
            f"reconciler {' '.join(args)}: {result.stderr}{result.stdout}"
        )
        return result

    def edit_card(self, old: str, new: str) -> None:
        path = self.repo / "cards" / f"{self.names.card}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def seen_by(self, account: str) -> dict[str, Any]:
        card: dict[str, Any] = (
            self.cloud.consumer(account)
            .client("sagemaker")
            .describe_model_card(ModelCardName=self.card_arn)
        )
        return card

    def unseen_by(self, account: str) -> None:
        with pytest.raises(ClientError):
            self.seen_by(account)

    def apply(self, *flags: str) -> None:
        self.reconciler("apply", "--auto-approve", *flags)
        self.reconciler("plan", "--detailed-exitcode")  # converged: nothing left to change

    # -- the steps ------------------------------------------------------------------------

    def create_in_draft_shared_with_dev(self) -> None:
        self.apply("--force")  # shares open to accounts outside the Organization need it
        assert self.seen_by("dev")["ModelCardStatus"] == "Draft"
        self.unseen_by("test")
        self.unseen_by("prod")

    def dev_edit_is_drift(self) -> None:
        sagemaker = self.cloud.consumer("dev").client("sagemaker")
        content = json.loads(sagemaker.describe_model_card(ModelCardName=self.card_arn)["Content"])
        content["model_overview"]["model_owner"] = EDITED_OWNER
        sagemaker.update_model_card(ModelCardName=self.card_arn, Content=json.dumps(content))
        plan = json.loads(
            self.reconciler("plan", "--format", "json", "--detailed-exitcode", ok=(2,)).stdout
        )
        fields = [
            (f["path"], f["before"], f["after"]) for c in plan["changes"] for f in c["fields"]
        ]
        assert fields == [("$.content.model_overview.model_owner", EDITED_OWNER, "model-owner")]
        self.reconciler("drift", ok=(2,))
        self.edit_card("model_owner: model-owner", f"model_owner: {EDITED_OWNER}")
        self.reconciler("plan", "--detailed-exitcode")  # git took dev's edit

    def promote_to_test(self) -> None:
        self.edit_card("status: Draft", "status: PendingReview")
        self.apply()
        assert self.seen_by("test")["ModelCardStatus"] == "PendingReview"
        self.unseen_by("prod")

    def approve_for_prod_read_only(self) -> None:
        self.edit_card("status: PendingReview", "status: Approved")
        self.apply()
        assert self.seen_by("prod")["ModelCardStatus"] == "Approved"
        prod = self.cloud.consumer("prod").client("sagemaker")
        with pytest.raises(ClientError) as denied:  # prod's role may; the share's permission not
            prod.update_model_card(ModelCardName=self.card_arn, ModelCardStatus="Draft")
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"

    def exported(self, tmp_path: Path) -> None:
        if self.cloud.accounts.bucket is None:
            return  # no bucket given: apply exports nothing
        out = tmp_path / "card.pdf"
        result = self.reconciler("export", self.names.card, "--out", str(out), "--format", "json")
        assert json.loads(result.stdout)["exported"] is False  # apply exported it already
        assert out.read_bytes().startswith(b"%PDF")

    def package_approved(self, package: str) -> None:
        sagemaker = self.cloud.card.client("sagemaker")
        assert (
            sagemaker.describe_model_package(ModelPackageName=package)["ModelApprovalStatus"]
            == "Approved"
        )

    def pruned(self) -> None:
        (self.repo / "cards" / f"{self.names.card}.yaml").unlink()
        for share in (self.names.dev, self.names.test, self.names.prod):
            (self.repo / "shares" / f"{share}.yaml").unlink()
        self.apply("--prune", "--force")
        try:
            card = self.cloud.card.client("sagemaker").describe_model_card(
                ModelCardName=self.names.card
            )
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ResourceNotFound"
        else:
            assert card.get("ModelCardProcessingStatus"), "the card is not being deleted"


def test_the_card_lifecycle(
    cli: Callable[..., CliResult],
    tmp_path: Path,
    cloud: Cloud,
    run_resources: tuple[Names, str],
) -> None:
    names, package = run_resources
    repo = tmp_path / "repo"
    write_repository(repo, cloud, names, package)
    run = Lifecycle(cli, repo, cloud, names)
    run.reconciler("validate")
    run.create_in_draft_shared_with_dev()
    run.dev_edit_is_drift()
    run.promote_to_test()
    run.approve_for_prod_read_only()
    run.exported(tmp_path)
    run.package_approved(package)
    run.pruned()
