"""Organizations ``DescribeOrganization``, answered from the sandbox's configured
Organization (moto's Organizations backend knows nothing of it): a member or the
management account gets the Organization; any other account gets
``AWSOrganizationsNotInUseException``, as AWS answers an account in no Organization. A
role holding policies needs ``organizations:DescribeOrganization``. Every other
Organizations call still goes to moto.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from reconciler.sandbox.authz import AccessRequest, IdentityPolicies
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.http import wire

TARGET = "AWSOrganizationsV20161128.DescribeOrganization"


def describe(
    environ: dict[str, Any], config: SandboxConfig, iam: IdentityPolicies, caller: Caller
) -> Response | None:
    """The answer to DescribeOrganization; None for any other Organizations call."""
    if environ.get("HTTP_X_AMZ_TARGET") != TARGET:
        return None
    try:
        iam.authorize(caller, [AccessRequest("organizations:DescribeOrganization")])
        org = config.organization
        if org is None or caller.account_id not in {org.management_account, *org.members}:
            raise AwsError(
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.",
            )
    except AwsError as error:
        return wire.render_error("json", error)
    management = f"arn:aws:organizations::{org.management_account}:account/{org.org_id}/"
    return wire.render_result(
        "json",
        {
            "Organization": {
                "Id": org.org_id,
                "Arn": org.arn,
                "FeatureSet": "ALL",
                "MasterAccountArn": management + org.management_account,
                "MasterAccountId": org.management_account,
                "MasterAccountEmail": f"{org.management_account}@example.com",
                "AvailablePolicyTypes": [],
            }
        },
    )
