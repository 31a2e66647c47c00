"""STS ``GetCallerIdentity``, answered by the sandbox from the identity it resolved, and
the identity-policy check of ``AssumeRole``.

moto answers from its own STS records, which ``reset()`` wipes, and names keys it never
issued ``arn:aws:sts::<acct>:user/moto``. The sandbox knows better: the caller it
resolved for the key (``identity``), so this is answered here in STS's query protocol
(XML). ``AssumeRole`` by a role that holds policies needs ``sts:AssumeRole`` on the target
role in them, as on AWS; an allowed call (and every other STS call) goes on to moto.
Trust policies are not evaluated.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from reconciler.sandbox.authz import AccessRequest, IdentityPolicies
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.http.wire import request_id

_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def _form(body: bytes, query_string: str) -> dict[str, list[str]]:
    return parse_qs(body.decode("utf-8", "replace")) or parse_qs(query_string)


def query_action(body: bytes, query_string: str) -> str | None:
    """The ``Action`` of a query-protocol request (form body or query string)."""
    values = _form(body, query_string).get("Action")
    return values[0] if values else None


def refused(
    iam: IdentityPolicies, caller: Caller, body: bytes, query_string: str
) -> Response | None:
    """STS's AccessDenied when the caller's policies do not allow assuming the role; None
    to let moto answer."""
    role = (_form(body, query_string).get("RoleArn") or [""])[0]
    try:
        iam.authorize(caller, [AccessRequest("sts:AssumeRole", {"role": role})])
    except AwsError as error:
        xml = (
            f'<ErrorResponse xmlns="{_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>'
            f"<Message>{escape(error.message)}</Message></Error>"
            f"<RequestId>{request_id()}</RequestId></ErrorResponse>"
        )
        return Response(xml, status=403, content_type="text/xml")
    return None


def caller_identity(caller: Caller) -> Response:
    result = (
        f"<Arn>{escape(caller.arn)}</Arn><UserId>{escape(caller.principal_id)}</UserId>"
        f"<Account>{caller.account_id}</Account>"
    )
    xml = (
        f'<GetCallerIdentityResponse xmlns="{_NS}">'
        f"<GetCallerIdentityResult>{result}</GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    )
    return Response(xml, status=200, content_type="text/xml")
