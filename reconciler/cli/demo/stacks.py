"""The demo's infrastructure, set up as a user sets it up on AWS (docs/real-aws.md):
`reconciler bootstrap` builds the templates from the repository; the card account's stack
is deployed as `aws cloudformation deploy` deploys it (a change set with
``CAPABILITY_NAMED_IAM``, then its execution), and the target accounts' template as a
StackSet with one instance per account. The reconciler then acts as the roles the stacks
created, each reached as its workflow reaches it: with a GitHub-like OIDC token the sandbox
signs, through ``AssumeRoleWithWebIdentity`` and the role's printed trust policy
(``acting_as``). Tests deploy the same way (tests/test_bootstrap_deploy.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reconciler.bootstrap.build import bootstrap
from reconciler.bootstrap.model import (
    BOOTSTRAPPED,
    CARD_STACK,
    READERS_STACK_SET,
    Bootstrap,
    BootstrapSettings,
    output_key,
)
from reconciler.cli.demo.checks import DemoFailed, expect
from reconciler.desired.model import DesiredState
from reconciler.iam.trust import ENVIRONMENT, GitHubRepository, WorkflowRole

GITHUB = GitHubRepository(name="acme/model-cards")
CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
ADMIN = "SandboxAdmin"
# The event that starts each role's workflow (docs/ci.md).
EVENTS = {WorkflowRole.PLAN: "workflow_run", WorkflowRole.DRIFT: "schedule"}
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@dataclass(frozen=True, kw_only=True)
class Deployed:
    """What the stacks created: each workflow role's ARN (from the card account stack's
    outputs) and the accounts the StackSet reached."""

    roles: dict[WorkflowRole, str]
    readers: tuple[str, ...]
    outputs: dict[str, str]  # the card account stack's outputs, by key


def generate(state: DesiredState, consumer_guard: bool = True, **asked: Any) -> Bootstrap:
    """`reconciler bootstrap --github acme/model-cards [--consumer-guard]`, and the other
    options of ``BootstrapSettings`` by name (``operators``, ``acceptance``)."""
    settings = BootstrapSettings(github=GITHUB, consumer_guard=consumer_guard, **asked)
    return bootstrap(state, settings)


def deploy(sandbox: Any, generated: Bootstrap, state: DesiredState) -> Deployed:
    """Both templates deployed as NEXT.md deploys them, from the card account."""
    config = state.config
    cfn = sandbox.client("cloudformation", config.card_account_id, ADMIN)
    files = generated.files()
    outputs = deploy_stack(cfn, CARD_STACK, files["card-account.yaml"])
    readers = generated.stack_set_accounts
    if readers:
        body = files["target-accounts.yaml"]
        deploy_stack_set(cfn, READERS_STACK_SET, body, readers, config.region)
    roles = {role: outputs[output_key(role)] for role in BOOTSTRAPPED}
    return Deployed(roles=roles, readers=readers, outputs=outputs)


def deploy_stack(cfn: Any, name: str, body: str) -> dict[str, str]:
    """`aws cloudformation deploy --no-fail-on-empty-changeset`: a change set that creates
    the stack, or updates it when it exists, executed and waited for; the stack's outputs."""
    kind = "UPDATE" if _exists(cfn, name) else "CREATE"
    change_set = f"reconciler-bootstrap-{uuid.uuid4().hex[:12]}"
    cfn.create_change_set(
        StackName=name,
        ChangeSetName=change_set,
        ChangeSetType=kind,
        TemplateBody=body,
        Capabilities=CAPABILITIES,
    )
    described = cfn.describe_change_set(StackName=name, ChangeSetName=change_set)
    if described["Status"] != "FAILED":  # FAILED: "didn't contain changes"
        cfn.execute_change_set(StackName=name, ChangeSetName=change_set)
        waiter = "stack_create_complete" if kind == "CREATE" else "stack_update_complete"
        cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def _exists(cfn: Any, name: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        cfn.describe_stacks(StackName=name)
    except ClientError:
        return False
    return True


def deploy_stack_set(
    cfn: Any, name: str, body: str, accounts: tuple[str, ...], region: str
) -> None:
    """`aws cloudformation create-stack-set` and `create-stack-instances`, waited for. A
    StackSet that exists with another template is updated in place (`update-stack-set`:
    every instance gets the new template), then instances are created for accounts it
    does not reach yet."""
    current = _stack_set_template(cfn, name)
    if current is None:
        cfn.create_stack_set(StackSetName=name, TemplateBody=body, Capabilities=CAPABILITIES)
    elif current != body:
        updated = cfn.update_stack_set(
            StackSetName=name, TemplateBody=body, Capabilities=CAPABILITIES
        )
        _succeeded(cfn, name, updated["OperationId"], "the new template reaches every account")
    created = cfn.create_stack_instances(
        StackSetName=name, Accounts=list(accounts), Regions=[region]
    )
    _succeeded(cfn, name, created["OperationId"], "the StackSet reaches every account")


def _succeeded(cfn: Any, name: str, operation: str, what: str) -> None:
    status = cfn.describe_stack_set_operation(StackSetName=name, OperationId=operation)
    done = status["StackSetOperation"]["Status"]
    expect(done == "SUCCEEDED", f"{what} (it is {done})")


def _stack_set_template(cfn: Any, name: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        return str(cfn.describe_stack_set(StackSetName=name)["StackSet"]["TemplateBody"])
    except ClientError:
        return None


def workflow_claims(role: WorkflowRole, repository: str = GITHUB.name) -> dict[str, Any]:
    """The OIDC claims of a job of ``role``'s workflow on the default branch, as GitHub
    signs them; apply's jobs run in the production environment."""
    from reconciler.sandbox.iam.oidc import github_claims

    environment = ENVIRONMENT if role is WorkflowRole.APPLY else None
    return github_claims(
        repository,
        workflow=role.workflow,
        environment=environment,
        event_name=EVENTS.get(role, "push"),
    )


def web_identity(sandbox: Any, role_arn: str, claims: dict[str, Any]) -> dict[str, str]:
    """A session of ``role_arn`` for a token carrying ``claims`` (as
    aws-actions/configure-aws-credentials gets one); the role's trust policy decides."""
    import boto3

    sts = boto3.client("sts", endpoint_url=sandbox.endpoint, region_name=sandbox.config.region)
    answer = sts.assume_role_with_web_identity(
        RoleArn=role_arn,
        RoleSessionName="github-actions",
        WebIdentityToken=sandbox.oidc_token(claims),
    )
    creds = answer["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


@contextmanager
def acting_as(sandbox: Any, role_arn: str, claims: dict[str, Any]) -> Iterator[None]:
    """This process's ambient credentials are a web identity session of ``role_arn``."""
    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(web_identity(sandbox, role_arn, claims))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def set_up(sandbox: Any, state: DesiredState, say: Callable[[str], None]) -> Deployed:
    """Generate the templates, deploy them as NEXT.md says, and show that a pull request's
    token reaches none of the roles; narrated through ``say``."""
    generated = generate(state)
    say(
        f"$ reconciler bootstrap --github {GITHUB.name} --consumer-guard --out bootstrap\n"
        + "".join(f"wrote bootstrap/{name}\n" for name in generated.files()).rstrip()
    )
    deployed = deploy(sandbox, generated, state)
    names = ", ".join(arn.rsplit("/", 1)[1] for arn in deployed.roles.values())
    say(
        f"$ aws cloudformation deploy --stack-name {CARD_STACK} --template-file "
        f"card-account.yaml --capabilities CAPABILITY_NAMED_IAM\n"
        f"CREATE_COMPLETE: GitHub's OIDC provider, {names}, and the exports bucket"
    )
    say(
        f"$ aws cloudformation create-stack-set --stack-set-name {READERS_STACK_SET} ...; "
        f"create-stack-instances --accounts {' '.join(deployed.readers)}\n"
        "SUCCEEDED: each target account's ModelCardReader, trusted by ReconcilerApply and "
        "bounded by the consumer guard"
    )
    say(pull_request_refused(sandbox, deployed))
    return deployed


def pull_request_refused(sandbox: Any, deployed: Deployed) -> str:
    """A pull request's own copy of plan-run.yml asks for the plan role, and STS refuses."""
    from botocore.exceptions import ClientError

    from reconciler.sandbox.iam.oidc import github_claims

    claims = github_claims(
        GITHUB.name, workflow="plan-run.yml", ref="refs/pull/7/merge", event_name="pull_request"
    )
    try:
        web_identity(sandbox, deployed.roles[WorkflowRole.PLAN], claims)
    except ClientError as e:
        code = e.response["Error"]["Code"]
        expect(code == "AccessDenied", "STS refuses a pull request's token")
        return (
            f"A pull request's own plan-run.yml asks for ReconcilerPlan and STS answers {code}: "
            "each role trusts only its workflow on main (apply only in production)."
        )
    raise DemoFailed("a pull request's token assumed the plan role")
