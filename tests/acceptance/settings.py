"""Where the acceptance suite runs, from environment variables, in the manner of Terraform
providers' acceptance tests (``TF_ACC``): with ``RECONCILER_ACCEPTANCE=1`` on real AWS,
with the role of each of three target accounts; otherwise on a sandbox the suite starts.

- ``RECONCILER_ACCEPTANCE``: ``1`` runs on AWS (the others are read only then);
- ``RECONCILER_ACC_DEV_ROLE_ARN``, ``RECONCILER_ACC_TEST_ROLE_ARN``,
  ``RECONCILER_ACC_PROD_ROLE_ARN``: the role in each target account (required on AWS);
- ``RECONCILER_ACC_CARD_ROLE_ARN``: a role the card account acts as (default: the caller);
- ``RECONCILER_ACC_INVITED``: the target accounts whose shares go by invitation: outside
  the card account's Organization, or all while RAM sharing with it is off (default:
  ``dev,test,prod``; ``none`` for none);
- ``RECONCILER_ACC_REGION``: the region (default: ``AWS_REGION``, then ``us-east-1``);
- ``RECONCILER_ACC_EXPORT_BUCKET``: a bucket for the PDFs (default: no export step);
- ``RECONCILER_ACC_ENDPOINT_URL``: an endpoint other than AWS's;
- ``RECONCILER_ACC_RUN_ID``: the run's id, 1 to 10 lower-case letters or digits
  (default: random); names and tags carry it.

The card account is the account of the caller's credentials (or of the card role).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

ENABLE = "RECONCILER_ACCEPTANCE"
ROLE_VARIABLES = {
    "dev": "RECONCILER_ACC_DEV_ROLE_ARN",
    "test": "RECONCILER_ACC_TEST_ROLE_ARN",
    "prod": "RECONCILER_ACC_PROD_ROLE_ARN",
}
CARD_ROLE = "RECONCILER_ACC_CARD_ROLE_ARN"
INVITED = "RECONCILER_ACC_INVITED"
REGION = "RECONCILER_ACC_REGION"
BUCKET = "RECONCILER_ACC_EXPORT_BUCKET"
ENDPOINT = "RECONCILER_ACC_ENDPOINT_URL"
RUN_ID = "RECONCILER_ACC_RUN_ID"
PREFIX = "reconciler-acc-"  # every resource the suite makes is named with it
EXPORT_PREFIX = "reconciler-acceptance"  # and its PDFs are under this key prefix
RUN = re.compile(r"^[a-z0-9]{1,10}$")  # short: a RAM permission name has at most 36
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]+$")


@dataclass(frozen=True, kw_only=True)
class Accounts:
    """The accounts, region and names of one acceptance run."""

    on_aws: bool
    region: str
    consumers: Mapping[str, str]  # target account name -> the role the card account assumes
    invited: frozenset[str]  # target accounts whose shares go by invitation
    card_role_arn: str | None = None
    bucket: str | None = None
    endpoint_url: str | None = None
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))

    @property
    def prefix(self) -> str:
        """The start of every name this run gives: unique to the run."""
        return f"{PREFIX}{self.run_id}-"

    @property
    def tag_value(self) -> str:
        """The run's own ownership tag value: apply and prune touch only what carries it."""
        return f"acceptance-{self.run_id}"

    @property
    def export_prefix(self) -> str:
        return f"{EXPORT_PREFIX}/{self.run_id}"

    def account_of(self, name: str) -> str:
        found = ROLE_ARN.match(self.consumers[name])
        assert found, self.consumers[name]
        return found.group(1)


def from_environment(env: Mapping[str, str]) -> Accounts | None:
    """The run on AWS the environment asks for; None without ``RECONCILER_ACCEPTANCE=1``.

    Raises ValueError naming every variable that is missing or malformed."""
    if env.get(ENABLE) != "1":
        return None
    consumers = {name: env.get(variable, "") for name, variable in ROLE_VARIABLES.items()}
    wrong = [ROLE_VARIABLES[n] for n, arn in consumers.items() if not ROLE_ARN.match(arn)]
    card = env.get(CARD_ROLE) or None
    if card is not None and not ROLE_ARN.match(card):
        wrong.append(CARD_ROLE)
    named = env.get(INVITED) or ",".join(ROLE_VARIABLES)
    invited = frozenset() if named == "none" else frozenset(n.strip() for n in named.split(","))
    if not invited <= set(ROLE_VARIABLES):
        wrong.append(INVITED)
    run_id = env.get(RUN_ID) or secrets.token_hex(4)
    if not RUN.match(run_id):
        wrong.append(RUN_ID)
    if wrong:
        raise ValueError(f"{ENABLE}=1 needs valid values in {', '.join(wrong)}")
    return Accounts(
        on_aws=True,
        region=env.get(REGION) or env.get("AWS_REGION") or "us-east-1",
        consumers=consumers,
        invited=invited,
        card_role_arn=card,
        bucket=env.get(BUCKET) or None,
        endpoint_url=env.get(ENDPOINT) or None,
        run_id=run_id,
    )
