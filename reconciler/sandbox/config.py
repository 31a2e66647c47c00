"""What a sandbox run is configured with: accounts, the Organization, timings.

Loaded from the ``--accounts`` YAML file or built in code by tests. By default no
Organization exists, so every cross-account share needs an invitation, as in AWS. Every
field is also a key of the YAML file (``iam_enforcement: false`` turns identity-policy
enforcement off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_ACCOUNT = "111111111111"
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Organization:
    """An AWS Organization: its id, management account, member accounts and RAM setting."""

    management_account: str
    members: frozenset[str]
    ram_sharing_enabled: bool = True
    org_id: str = "o-sandbox0001"
    root_id: str = "r-sb01"
    # OU id -> member accounts directly or indirectly under it
    units: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:aws:organizations::{self.management_account}:organization/{self.org_id}"

    def ou_arn(self, ou_id: str) -> str:
        return f"arn:aws:organizations::{self.management_account}:ou/{self.org_id}/{ou_id}"

    def contains(self, account: str) -> bool:
        return account == self.management_account or account in self.members


@dataclass(frozen=True)
class SandboxConfig:
    """Settings of one sandbox instance; immutable, replaced as a whole on reconfigure."""

    default_account: str = DEFAULT_ACCOUNT
    region: str = DEFAULT_REGION
    organization: Organization | None = None
    association_delay_seconds: float = 0.2
    invitation_ttl_seconds: float = 12 * 3600.0
    search_index_delay_seconds: float = 0.0
    deletion_delay_seconds: float = 0.2
    export_delay_seconds: float = 0.2
    # Identity policies (reconciler.sandbox.iam): a role with at least one policy is
    # held to IAM's evaluation logic; False restores allow-all for every caller.
    iam_enforcement: bool = True
    # Undocumented by AWS: whether RAM also needs sagemaker:GetResourcePolicy wherever it
    # needs sagemaker:PutResourcePolicy or DeleteResourcePolicy (it reads the card's
    # resource policy before it rewrites it). True is the stricter choice.
    iam_ram_needs_get_resource_policy: bool = True
    # Documented by CloudTrail for KMS keys, not for SageMaker or RAM: a call that names a
    # resource of another account is recorded in both accounts' event history
    # (``reconciler.sandbox.cloudtrail.trail``). False keeps it in the caller's only.
    cloudtrail_cross_account_events: bool = True
    # Undocumented for model cards: which properties Search may sort them by. AWS says only
    # that SortBy names "the resource property used to sort"; the sandbox sorts by any
    # property of the ModelCard record. False refuses SortBy=ModelCardName with a
    # ValidationException, as a service that sorts only by time would.
    search_sorts_by_name: bool = True


def load_config(path: Path) -> SandboxConfig:
    """Read an accounts file (YAML) into a SandboxConfig; unknown keys are an error.

    Raises ValueError with a sentence that names the problem."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError("the file must be a YAML mapping of settings")
    known = {f for f in SandboxConfig.__dataclass_fields__}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; allowed: {sorted(known)}")
    org_raw = raw.pop("organization", None)
    org = None
    if org_raw:
        if "management_account" not in org_raw:
            raise ValueError("organization needs management_account (a 12-digit account ID)")
        org = Organization(
            management_account=str(org_raw["management_account"]),
            members=frozenset(str(a) for a in org_raw.get("members", [])),
            ram_sharing_enabled=bool(org_raw.get("ram_sharing_enabled", True)),
            units={k: frozenset(str(a) for a in v) for k, v in org_raw.get("units", {}).items()},
        )
    return SandboxConfig(organization=org, **{k: raw[k] for k in raw})
