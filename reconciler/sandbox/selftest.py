"""Start-up check that the moto and werkzeug internals the sandbox relies on still exist.

The front uses private moto API (pinned ``moto==5.2.5``). After an upgrade, this fails
at ``Sandbox()`` with a list of what moved, instead of odd errors mid-test.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

# (module, dotted attribute path, why the sandbox needs it)
SEAMS: tuple[tuple[str, str, str], ...] = (
    ("moto.moto_server.werkzeug_app", "DomainDispatcherApplication", "moto's WSGI app"),
    ("moto.moto_server.werkzeug_app", "create_backend_app", "moto's per-service apps"),
    ("moto.moto_server.werkzeug_app", "MotoRequestHandler", "request handler base"),
    ("moto.iam.models", "get_account_id_from", "access key -> account"),
    ("moto.iam.models", "iam_backends", "IAM users' access keys"),
    ("moto.iam.models", "IAMBackend.get_user_from_access_key_id", "IAM user identity"),
    ("moto.sts.models", "sts_backends", "assumed roles per account"),
    ("moto.sts.models", "STSBackend.get_assumed_role_from_access_key", "assumed-role lookup"),
    ("moto.sts.models", "AssumedRole.arn", "assumed-role ARN"),
    ("moto.sts.models", "AssumedRole.user_id", "assumed-role principal id"),
    ("moto.iam.models", "IAMBackend.get_roles", "roles whose policies are enforced"),
    ("moto.iam.models", "Role.permissions_boundary", "a role's permissions boundary"),
    ("moto.kms.models", "kms_backends", "KMS keys of encrypted cards"),
    ("moto.kms.models", "KmsBackend.any_id_to_key_id", "KMS alias -> key"),
    ("moto.s3.models", "s3_backends", "export PDFs go to S3"),
    ("moto.s3.models", "S3Backend.put_object", "writing export PDFs"),
    ("moto.moto_api._internal.models", "moto_api_backend.reset", "reset()"),
    ("moto.cloudformation.parsing", "get_model_map", "CloudFormation's resource types"),
    ("moto.core.common_models", "CloudFormationModel", "CloudFormation resource models"),
    ("moto.cloudformation.models", "ChangeSet.apply", "executing change sets"),
    ("moto.cloudformation.models", "Stack._create_output_map", "a change set's outputs"),
    ("moto.iam.models", "Role.create_from_cloudformation_json", "stack roles"),
    ("moto.iam.models", "IAMBackend.create_open_id_connect_provider", "stack OIDC providers"),
    ("moto.s3.models", "FakeBucket.create_from_cloudformation_json", "stack buckets"),
    ("moto.s3.models", "S3Backend.put_bucket_policy", "stack bucket policies"),
    ("moto.s3.models", "FakeBucket.get_permission", "moto's bucket-policy check, turned off"),
    ("moto.s3.models", "S3Backend.put_public_access_block", "stack buckets' public access"),
    ("moto.s3.models", "S3Backend.put_bucket_ownership_controls", "stack buckets' ownership"),
    ("werkzeug.serving", "ThreadedWSGIServer", "HTTP server"),
    ("werkzeug.serving", "WSGIRequestHandler.run_wsgi", "keep-alive handling"),
)


class SeamMissing(RuntimeError):
    """A moto/werkzeug internal the sandbox depends on has moved or gone."""


def _missing(module_name: str, path: str) -> str | None:
    try:
        obj: object = importlib.import_module(module_name)
    except ImportError as exc:
        return f"module {module_name} cannot be imported ({exc})"
    for part in path.split("."):
        if not hasattr(obj, part):
            return f"{module_name}.{path} is gone (no attribute {part!r})"
        obj = getattr(obj, part)
    return None


@lru_cache(maxsize=1)
def check() -> None:
    """Raise ``SeamMissing`` listing every moved seam; cached after the first success."""
    problems = [
        f"{msg} — needed for {why}"
        for mod, path, why in SEAMS
        if (msg := _missing(mod, path)) is not None
    ]
    s3_models = importlib.import_module("moto.s3.models")
    if not hasattr(getattr(s3_models, "s3_backends", None), "bucket_accounts"):
        problems.append(
            "moto.s3.models.s3_backends.bucket_accounts is gone — needed to find "
            "the account that owns an export bucket"
        )
    if problems:
        raise SeamMissing(
            "The sandbox needs moto==5.2.5 internals that moved:\n  "
            + "\n  ".join(problems)
            + "\nPin moto==5.2.5 (the 'sandbox' extra) or update the sandbox."
        )
