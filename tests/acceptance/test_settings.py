"""The environment decides where the acceptance suite runs: nothing set means the sandbox;
RECONCILER_ACCEPTANCE=1 needs the three target accounts' roles, and names what is missing."""

from __future__ import annotations

import pytest

from tests.acceptance.settings import ROLE_VARIABLES, from_environment

ROLES = {
    variable: f"arn:aws:iam::{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}:role/ReconcilerAcceptanceReader"
    for n, variable in zip("234", ROLE_VARIABLES.values(), strict=True)
}


def test_without_the_switch_the_suite_runs_on_a_sandbox() -> None:
    assert from_environment({**ROLES}) is None


def test_on_aws_every_role_is_needed() -> None:
    with pytest.raises(ValueError, match="RECONCILER_ACC_TEST_ROLE_ARN"):
        from_environment({"RECONCILER_ACCEPTANCE": "1", **ROLES, ROLE_VARIABLES["test"]: ""})


def test_on_aws_names_and_tags_are_the_runs_own() -> None:
    env = {"RECONCILER_ACCEPTANCE": "1", "RECONCILER_ACC_RUN_ID": "abc123", **ROLES}
    accounts = from_environment(env)
    assert accounts is not None and accounts.on_aws
    assert accounts.prefix == "reconciler-acc-abc123-"
    assert accounts.tag_value == "acceptance-abc123"
    assert accounts.account_of("prod") == "444444444444"
    assert accounts.invited == {"dev", "test", "prod"} and accounts.region == "us-east-1"
    other = from_environment({**env, "RECONCILER_ACC_RUN_ID": ""})
    assert other is not None and other.run_id != accounts.run_id


def test_invited_accounts_are_target_names() -> None:
    env = {"RECONCILER_ACCEPTANCE": "1", "RECONCILER_ACC_INVITED": "dev,staging", **ROLES}
    with pytest.raises(ValueError, match="RECONCILER_ACC_INVITED"):
        from_environment(env)
    none = from_environment({**env, "RECONCILER_ACC_INVITED": "none"})
    assert none is not None and none.invited == frozenset()


def test_a_run_id_keeps_names_within_ram_s_limits() -> None:
    env = {"RECONCILER_ACCEPTANCE": "1", "RECONCILER_ACC_RUN_ID": "gha-1234567890", **ROLES}
    with pytest.raises(ValueError, match="RECONCILER_ACC_RUN_ID"):
        from_environment(env)


def test_the_docs_name_every_variable_and_the_trust_policy_the_code_builds() -> None:
    import json
    import re

    from reconciler.iam.trust import GitHubRepository, WorkflowRole, trust_policy
    from tests.acceptance import settings
    from tests.conftest import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "acceptance.md").read_text(encoding="utf-8")
    named = [settings.ENABLE, *settings.ROLE_VARIABLES.values(), settings.CARD_ROLE]
    named += [settings.INVITED, settings.BUCKET, settings.REGION, settings.ENDPOINT]
    for variable in (*named, settings.RUN_ID):
        assert f"`{variable}`" in text, variable
    block = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    assert block is not None
    repository = GitHubRepository(name="OWNER/REPO")
    built = trust_policy(WorkflowRole.ACCEPTANCE, repository, partition="aws", account_id="1" * 12)
    assert json.loads(block.group(1)) == built
