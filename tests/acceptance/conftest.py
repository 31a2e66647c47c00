"""The acceptance run's accounts: real ones when ``RECONCILER_ACCEPTANCE=1`` (see
``settings``), else a sandbox set up as `reconciler bootstrap --acceptance` sets up AWS
(docs/acceptance.md): the card account acts as a role holding the suite's card account
policy, each target account's role holds its target account policy and trusts only that
role (``reconciler/bootstrap/policies``), and the sandbox enforces both. Either way the
run's resources are swept after the test, whether it passed or not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from reconciler.bootstrap.operators import acceptance_policy
from reconciler.iam.trust import principals_statement
from tests.acceptance.settings import ROLE_VARIABLES, Accounts, from_environment
from tests.acceptance.world import Cloud, Names, model_package, sweep

CARD_ACCOUNT = "111111111111"
TARGETS = {"dev": "222222222222", "test": "333333333333", "prod": "444444444444"}
CARD_ROLE, TARGET_ROLE = "ReconcilerAcceptance", "ReconcilerAcceptanceReader"
SANDBOX_BUCKET = "reconciler-acceptance-exports"


def _trusting(principal: str) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [principals_statement("Run", [principal])]}
    )


def _role(sandbox: Any, account: str, name: str, *, policy: str, trusted: str) -> str:
    iam = sandbox.client("iam", account)
    trust = _trusting(trusted)
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    document = json.dumps(acceptance_policy(policy))
    iam.put_role_policy(RoleName=name, PolicyName="acceptance", PolicyDocument=document)
    return arn


def in_sandbox(sandbox: Any) -> Accounts:
    """The sandbox's accounts with the documented roles and an exports bucket."""
    sandbox.client("s3", CARD_ACCOUNT).create_bucket(Bucket=SANDBOX_BUCKET)
    operator = f"arn:aws:iam::{CARD_ACCOUNT}:role/SandboxAdmin"
    card = _role(sandbox, CARD_ACCOUNT, CARD_ROLE, policy="card-account", trusted=operator)
    consumers = {
        n: _role(sandbox, a, TARGET_ROLE, policy="target-account", trusted=card)
        for n, a in TARGETS.items()
    }
    return Accounts(
        on_aws=False,
        region="us-east-1",
        consumers=consumers,
        invited=frozenset({"dev"}),  # test and prod are in the Organization (card_account_env)
        card_role_arn=card,
        bucket=SANDBOX_BUCKET,
        endpoint_url=str(sandbox.endpoint),
    )


@pytest.fixture
def accounts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Accounts:
    """Real accounts when the environment asks for them, else the sandbox's; the
    reconciler finds the endpoint in AWS_ENDPOINT_URL."""
    try:
        found = from_environment(os.environ)
    except ValueError as e:
        pytest.fail(f"{e} (variables: {', '.join(ROLE_VARIABLES.values())})")
    if found is not None:
        if found.endpoint_url:
            monkeypatch.setenv("AWS_ENDPOINT_URL", found.endpoint_url)
        return found
    sandbox = request.getfixturevalue("sandbox")
    request.getfixturevalue("card_account_env")  # the caller: the card account's admin
    return in_sandbox(sandbox)


@pytest.fixture
def cloud(accounts: Accounts) -> Cloud:
    return Cloud(accounts)


@pytest.fixture
def run_resources(cloud: Cloud) -> Iterator[tuple[Names, str]]:
    """The run's names and its model package; everything of the run is swept afterwards."""
    names = Names.of(cloud.accounts)
    package = None
    try:
        package = model_package(cloud, names)
        yield names, package
    finally:
        problems = sweep(cloud, names, package)
        assert not problems, "the acceptance run could not delete: " + "; ".join(problems)
