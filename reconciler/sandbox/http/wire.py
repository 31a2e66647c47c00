"""How requests and responses look on the wire for the services the sandbox owns.

Reads the service, region and access key from the SigV4 credential scope, finds the
operation (``X-Amz-Target`` for JSON 1.1, method + path from botocore's model for
rest-json) and renders results and errors the way each protocol does.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from botocore.model import OperationModel
from werkzeug.wrappers import Response

from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.validation import service_model

_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


def credential_scope(environ: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(access key id, region, signing service) of a SigV4-signed request, else None."""
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match is not None:
        return match.group(1), match.group(2), match.group(3)
    presigned = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
    if presigned:  # presigned URL: the scope travels in the query string
        parts = presigned[0].split("/")
        if len(parts) == 5:
            return parts[0], parts[2], parts[3]
    return None


def json_operation(environ: Mapping[str, Any]) -> str | None:
    """The operation of a JSON 1.1 request, from ``X-Amz-Target: Prefix.Operation``."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return target.rpartition(".")[2] or None


@cache
def _rest_routes(service: str) -> dict[tuple[str, str], str]:
    model = service_model(service)
    routes = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = http["requestUri"].split("?")[0].rstrip("/") or "/"
        routes[(http["method"].upper(), path.lower())] = name
    return routes


def rest_operation(service: str, method: str, path: str) -> str | None:
    """The rest-json operation for a method and path (RAM's URIs have no path labels)."""
    key = (method.upper(), (path.rstrip("/") or "/").lower())
    return _rest_routes(service).get(key)


def rest_params(op: OperationModel, body: bytes, query_string: str) -> dict[str, Any]:
    """Wire members of a rest-json request: the JSON body plus query-string members."""
    params: dict[str, Any] = json.loads(body) if body.strip() else {}
    if not isinstance(params, dict):
        raise AwsError("SerializationException", "The request body must be a JSON object.")
    query = parse_qs(query_string, keep_blank_values=True)
    shape = op.input_shape
    for member, member_shape in shape.members.items() if shape else []:
        if member_shape.serialization.get("location") != "querystring":
            continue
        values = query.get(member_shape.serialization.get("name", member))
        if values:
            params[member] = values if member_shape.type_name == "list" else values[0]
    return params


def json_params(body: bytes) -> dict[str, Any]:
    """Wire members of a JSON 1.1 request body."""
    try:
        params = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        raise AwsError("SerializationException", f"Request body is not JSON: {exc}") from exc
    if not isinstance(params, dict):
        raise AwsError("SerializationException", "The request body must be a JSON object.")
    return params


def request_id() -> str:
    return str(uuid.uuid4())


def render_result(protocol: str, payload: Mapping[str, Any]) -> Response:
    """A 200 response carrying ``payload`` as JSON."""
    mimetype = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
    return Response(
        json.dumps(payload),
        status=200,
        headers={"x-amzn-RequestId": request_id()},
        content_type=mimetype,
    )


def render_error(protocol: str, error: AwsError) -> Response:
    """An error response: JSON 1.1 carries ``__type`` in the body, rest-json only the header."""
    if protocol == "json":
        body: dict[str, str] = {"__type": error.code, "message": error.message}
        mimetype = "application/x-amz-json-1.1"
    else:
        body = {"message": error.message}
        mimetype = "application/json"
    headers = {"x-amzn-RequestId": request_id(), "x-amzn-ErrorType": error.code}
    return Response(json.dumps(body), status=error.status, headers=headers, content_type=mimetype)


def render_query_error(namespace: str, error: AwsError) -> Response:
    """An error of a query-protocol service (STS, CloudFormation): XML ``ErrorResponse``."""
    kind = "Sender" if error.status < 500 else "Receiver"
    xml = (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>{kind}</Type>'
        f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{request_id()}</RequestId></ErrorResponse>"
    )
    return Response(xml, status=error.status, content_type="text/xml")
