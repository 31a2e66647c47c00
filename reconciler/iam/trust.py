"""Trust policies of the roles the GitHub workflows assume through OIDC. Pure.

Each role is assumed by exactly one workflow file on the default branch, named by the
token's ``job_workflow_ref`` (``<owner>/<repo>/.github/workflows/<file>@refs/heads/<branch>``)
and its ``sub``; a job that runs a workflow file from any other ref (a pull request's
branch, which its author can rewrite) carries another ``job_workflow_ref`` and is refused:

- ``plan``: ``plan-run.yml``, a ``workflow_run`` workflow GitHub always runs from the
  default branch; its ``sub`` is the default branch's ref. Never ``:pull_request``.
- ``drift``: ``drift.yml`` (schedule, or a manual run on the default branch).
- ``apply``: ``apply.yml``, from the ``production`` environment only (its ``sub``), which
  the repository settings hold for approval and restrict to the default branch.
- ``acceptance``: ``acceptance.yml`` (a manual run on the default branch), which runs the
  acceptance suite on a set of accounts kept for it (docs/acceptance.md).

AWS documents ``aud`` and ``sub`` as condition keys for every OIDC provider, and, for
GitHub's provider, also ``job_workflow_ref``, ``ref``, ``repository`` and the other claims
listed in docs/iam.md (with the source). A repository that cannot use ``job_workflow_ref``
in a trust policy can put it into ``sub`` instead with GitHub's subject claim template;
docs/ci.md shows both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

GITHUB_ISSUER = "token.actions.githubusercontent.com"
AUDIENCE = "sts.amazonaws.com"
ENVIRONMENT = "production"  # the GitHub environment that holds applies for approval


class WorkflowRole(str, Enum):
    """The roles a workflow assumes, with the one workflow file each trusts."""

    PLAN = "plan"
    DRIFT = "drift"
    APPLY = "apply"
    ACCEPTANCE = "acceptance"

    @property
    def workflow(self) -> str:
        files = {
            "plan": "plan-run.yml",
            "drift": "drift.yml",
            "apply": "apply.yml",
            "acceptance": "acceptance.yml",
        }
        return files[self.value]


@dataclass(frozen=True, kw_only=True)
class GitHubRepository:
    """``owner/name`` on GitHub, and the branch reviewed commits land on."""

    name: str
    default_branch: str = "main"

    def workflow_ref(self, role: WorkflowRole) -> str:
        """The ``job_workflow_ref`` of a job of ``role``'s workflow on the default branch."""
        return f"{self.name}/.github/workflows/{role.workflow}@refs/heads/{self.default_branch}"

    def subject(self, role: WorkflowRole) -> str:
        """The ``sub`` of that job's token: the environment for apply, else the branch."""
        if role is WorkflowRole.APPLY:
            return f"repo:{self.name}:environment:{ENVIRONMENT}"
        return f"repo:{self.name}:ref:refs/heads/{self.default_branch}"


def provider_arn(partition: str, account_id: str) -> str:
    """The IAM OIDC provider for GitHub's tokens in ``account_id``."""
    return f"arn:{partition}:iam::{account_id}:oidc-provider/{GITHUB_ISSUER}"


def trust_policy(
    role: WorkflowRole, repository: GitHubRepository, *, partition: str, account_id: str
) -> dict[str, Any]:
    """The role's trust policy: only its workflow file on the default branch may assume it."""
    claims = {
        f"{GITHUB_ISSUER}:aud": AUDIENCE,
        f"{GITHUB_ISSUER}:sub": repository.subject(role),
        f"{GITHUB_ISSUER}:job_workflow_ref": repository.workflow_ref(role),
    }
    if role is WorkflowRole.APPLY:  # the environment's job runs the default branch's commit
        claims[f"{GITHUB_ISSUER}:ref"] = f"refs/heads/{repository.default_branch}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"GitHub{role.value.capitalize()}WorkflowOnDefaultBranch",
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn(partition, account_id)},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": claims},
            }
        ],
    }


def reader_trust_policy(apply_role_arn: str) -> dict[str, Any]:
    """The trust policy of a reader role in a target account (``accounts.<name>.role_arn``):
    only the apply role, which checks after each apply what every account sees (docs/ci.md).
    Naming the role, not its account, keeps every other principal of the card account out."""
    return {
        "Version": "2012-10-17",
        "Statement": [principals_statement("ReconcilerApplyRoleVerifies", [apply_role_arn])],
    }


def principals_statement(sid: str, principals: list[str]) -> dict[str, Any]:
    """A trust statement letting exactly ``principals`` (IAM role or user ARNs) assume the
    role: named one by one, never by their account, which would let the account's policies
    decide."""
    named: str | list[str] = principals[0] if len(principals) == 1 else principals
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": named},
        "Action": "sts:AssumeRole",
    }
