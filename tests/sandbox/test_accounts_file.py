"""The example's accounts file: the roles and OIDC provider it declares exist in the sandbox,
and the reader role holds exactly what `reconciler iam-policy --role verify` prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.desired.model import DesiredState
from reconciler.iam.policy import policy_document
from reconciler.run.pipeline import load_valid
from reconciler.sandbox.config import declared_role, load_config
from reconciler.sandbox.declared import DEFAULT_ROLES

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "sandbox" / "accounts.yaml"


def test_the_reader_role_holds_the_printed_verify_policy() -> None:
    config = load_config(ACCOUNTS)
    state: DesiredState = load_valid(ROOT)
    for account in ("222222222222", "333333333333", "444444444444"):
        reader = declared_role(config, account, "ModelCardReader")
        assert reader is not None
        assert reader.documents()["verify"] == policy_document("verify", state)


def test_the_file_declares_sandbox_admin_and_the_github_provider() -> None:
    config = load_config(ACCOUNTS)
    admin = declared_role(config, "999999999999", "SandboxAdmin")
    assert admin is not None and admin.admin
    [provider] = config.oidc_providers
    assert provider.arn("111111111111").endswith(
        ":oidc-provider/token.actions.githubusercontent.com"
    )


def test_without_roles_the_sandbox_declares_sandbox_admin_only(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text('default_account: "111111111111"\n')
    assert load_config(path).roles == DEFAULT_ROLES


@pytest.mark.parametrize(
    "text",
    [
        "roles: [{accounts: ['1']}]\n",
        "roles: [{name: R, trusts: x}]\n",
        "oidc_providers: [{uri: x}]\n",
    ],
)
def test_a_malformed_declaration_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(text)
    with pytest.raises(ValueError):
        load_config(path)


def test_a_declared_role_is_a_role_of_the_sandbox(sandbox: Any) -> None:
    reader = sandbox.client("sts", "111111111111").assume_role(
        RoleArn="arn:aws:iam::222222222222:role/ModelCardReader", RoleSessionName="verify"
    )
    assert reader["AssumedRoleUser"]["Arn"].endswith(":assumed-role/ModelCardReader/verify")
