"""STS ``GetCallerIdentity``, answered by the sandbox from the identity it resolved.

moto answers from its own STS records, which ``reset()`` wipes, and names keys it never
issued ``arn:aws:sts::<acct>:user/moto``. The sandbox knows better: the caller it
resolved for the key (``identity``), so this is answered here in STS's query protocol
(XML); every other STS call still goes to moto.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.http.wire import request_id

_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def query_action(body: bytes, query_string: str) -> str | None:
    """The ``Action`` of a query-protocol request (form body or query string)."""
    form = parse_qs(body.decode("utf-8", "replace")) or parse_qs(query_string)
    values = form.get("Action")
    return values[0] if values else None


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
