"""Read the card account's AWS Organization: the fact that ``organization.id`` in
reconciler.yaml is checked against. Read-only."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code
from reconciler.live.model import OrganizationFact

NOT_IN_USE = "AWSOrganizationsNotInUseException"
DENIED = frozenset({"AccessDeniedException", "AccessDenied"})


def read_organization(client: Any) -> OrganizationFact:
    """The Organization the card account is in, as Organizations says; unknown when the
    identity may not ask (the plan then warns instead of checking)."""
    with aws_errors("describing the card account's Organization"):
        try:
            found = client.describe_organization()["Organization"]
        except ClientError as e:
            if error_code(e) == NOT_IN_USE:
                return OrganizationFact(readable=True, id=None)
            if error_code(e) in DENIED:
                return OrganizationFact(readable=False, id=None)
            raise
    return OrganizationFact(readable=True, id=str(found["Id"]))
