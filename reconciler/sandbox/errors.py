"""Errors the sandbox returns to callers, carrying the AWS error code and HTTP status.

Service modules raise ``AwsError``; the WSGI front renders it in the protocol of the
service that was called (JSON 1.1 for SageMaker, rest-json for RAM).
"""

from __future__ import annotations


class AwsError(Exception):
    """An error response as AWS would send it: error code, message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def validation(message: str) -> AwsError:
    """SageMaker's unmodeled ValidationException (HTTP 400)."""
    return AwsError("ValidationException", message)


def access_denied(message: str) -> AwsError:
    """The AccessDeniedException both services return for an unauthorised caller."""
    return AwsError("AccessDeniedException", message, 400)
