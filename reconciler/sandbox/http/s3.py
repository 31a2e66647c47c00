"""What an S3 request asks IAM before moto answers it (moto keeps S3's data).

Path-style requests (the sandbox's endpoint is an IP address, so botocore never uses
virtual hosts): ``/<bucket>`` and ``/<bucket>/<key>``. Authorised, per the Service
Authorization Reference: GetObject and HeadObject (``s3:GetObject`` on the object),
PutObject (``s3:PutObject``), ListObjects/ListObjectsV2 (``s3:ListBucket`` on the
bucket, with ``s3:prefix``) and CreateBucket (``s3:CreateBucket``). Other S3 calls go to
moto unchecked: the reconciler makes none of them. A bucket's policy is evaluated with the
caller's policies (``iam.enforcer``); moto's own check of bucket policies (statements with
``Principal: "*"`` only, conditions ignored, so a TLS-only Deny would deny everything) is
turned off (``install``). The requests compute ``s3:prefix`` (ListBucket) and no other S3
condition key, so a condition on another one (``s3:x-amz-acl``, ``s3:TlsVersion`` …) is
refused rather than guessed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote

from werkzeug.wrappers import Response

from reconciler.sandbox.authz import AccessRequest
from reconciler.sandbox.errors import AwsError

# Query parameters of ListObjects and ListObjectsV2 (any other makes another bucket call).
_LIST_PARAMETERS = frozenset(
    {
        "list-type",
        "prefix",
        "delimiter",
        "max-keys",
        "continuation-token",
        "start-after",
        "marker",
        "encoding-type",
        "fetch-owner",
    }
)


def _neutral(bucket: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import PermissionResult

    return PermissionResult.NEUTRAL


def install() -> None:
    """Leave bucket policies to the sandbox's IAM evaluation (idempotent)."""
    from moto.s3.models import FakeBucket

    FakeBucket.get_permission = _neutral  # type: ignore[method-assign,assignment]


def object_arn(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


def requests_for(environ: dict[str, Any]) -> list[AccessRequest]:
    """The access requests of one S3 call (none for calls the sandbox leaves unchecked)."""
    method = environ.get("REQUEST_METHOD", "GET")
    bucket, _, key = unquote(environ.get("PATH_INFO", "")).lstrip("/").partition("/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if not bucket:
        return []
    if key:
        if method in ("GET", "HEAD") and not set(query) & {"acl", "tagging", "uploads"}:
            return [AccessRequest("s3:GetObject", {"object": object_arn(bucket, key)})]
        if method == "PUT" and not set(query) & {"acl", "tagging", "partNumber"}:
            return [AccessRequest("s3:PutObject", {"object": object_arn(bucket, key)})]
        return []
    if method == "GET" and not set(query) - _LIST_PARAMETERS:
        facts = {"s3:prefix": tuple(query.get("prefix", [""]))}
        bucket_arn = {"bucket": f"arn:aws:s3:::{bucket}"}
        return [AccessRequest("s3:ListBucket", bucket_arn, facts, modelled=("s3:prefix",))]
    if method == "PUT" and not query:
        return [AccessRequest("s3:CreateBucket", {"bucket": f"arn:aws:s3:::{bucket}"})]
    return []


def render_denied(error: AwsError, method: str) -> Response:
    """S3's own error shape: XML, ``AccessDenied`` with 403 (HEAD has no body)."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>AccessDenied</Code><Message>{_xml(error.message)}</Message></Error>"
    )
    return Response("" if method == "HEAD" else body, status=403, content_type="application/xml")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
