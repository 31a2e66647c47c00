"""The RAM error codes the sandbox raises, with the HTTP status botocore's model gives each.

Codes are the exception shape names of ``ram/2018-01-04/service-2.json``; every one is a
400 except those listed in ``_STATUS``. Messages follow AWS's wording where it is known
(moto's RAM and public Terraform issues quote it) and otherwise say what to do.
"""

from __future__ import annotations

from reconciler.sandbox.errors import AwsError

_STATUS = {
    "ThrottlingException": 429,
    "PermissionAlreadyExistsException": 409,
    "ServerInternalException": 500,
    "ServiceUnavailableException": 503,
}


def ram_error(code: str, message: str) -> AwsError:
    """An AwsError for a RAM exception shape, with the status from the shape's error trait."""
    return AwsError(code, message, _STATUS.get(code, 400))


def invalid_parameter(message: str) -> AwsError:
    return ram_error("InvalidParameterException", message)


def malformed_arn(message: str) -> AwsError:
    return ram_error("MalformedArnException", message)


def unknown_resource(message: str) -> AwsError:
    return ram_error("UnknownResourceException", message)


def not_permitted(message: str) -> AwsError:
    return ram_error("OperationNotPermittedException", message)


def invalid_state(message: str) -> AwsError:
    return ram_error("InvalidStateTransitionException", message)


def unknown_share(arn: str) -> AwsError:
    return unknown_resource(f"ResourceShare {arn} could not be found.")


def invitation_not_found(arn: str) -> AwsError:
    return ram_error(
        "ResourceShareInvitationArnNotFoundException",
        f"ResourceShareInvitation {arn} could not be found.",
    )


# Quoted from hashicorp/terraform-provider-aws#7769: AWS's answer when a principal needs
# an invitation but the share does not allow external principals, or when org sharing
# is not enabled.
ONLY_WITHIN_ORG = (
    "The resource you are attempting to share can only be shared within your AWS "
    "Organization. This error may also occur if you have not enabled sharing with your "
    "AWS organization, or that onboarding process is still in progress."
)
