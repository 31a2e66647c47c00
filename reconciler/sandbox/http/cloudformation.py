"""CloudFormation requests on their way to moto's engine: each template is checked first
(``cloudformation.templates``; a refusal is CloudFormation's XML error), and a request that
may create or delete IAM resources tells the identity-policy cache that policies may have
changed, since the engine writes to IAM without going through IAM's API."""

from __future__ import annotations

from werkzeug.wrappers import Response

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.cloudformation import templates
from reconciler.sandbox.cloudformation.resources import stack_template
from reconciler.sandbox.cloudformation.stack_sets import stack_set_template
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.http.sts import Form, form
from reconciler.sandbox.http.wire import render_query_error

_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
_READS = ("Describe", "List", "Get", "Validate", "Estimate", "Detect")


def _first(data: Form, name: str) -> str | None:
    values = data.get(name)
    return values[0] if values else None


def action_of(body: bytes, query: str) -> str:
    return _first(form(body, query), "Action") or ""


def writes(action: str) -> bool:
    """Whether ``action`` may create, change or delete a stack's resources."""
    return not action.startswith(_READS)


def refusal(caller: Caller, body: bytes, query: str) -> Response | None:
    """CloudFormation's error for a request the sandbox refuses; None to let moto run it."""
    data = form(body, query)
    capabilities = [v[0] for k, v in data.items() if k.startswith("Capabilities.member.")]
    action = _first(data, "Action") or ""
    current = stack_set_template if action == "UpdateStackSet" else stack_template
    request = templates.Request(
        action=action,
        field=lambda name: _first(data, name),
        capabilities=tuple(capabilities),
        current=lambda name: current(caller.account_id, caller.region, name),
    )
    try:
        templates.check(request)
    except AwsError as error:
        return error_response(error)
    return None


def error_response(error: AwsError) -> Response:
    return render_query_error(_NS, error)
