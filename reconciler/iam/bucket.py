"""The exports bucket's policy (``reconciler.yaml``'s ``exports:``). Pure.

SageMaker writes an export job's PDF with the credentials of whoever created the job (the
apply role; docs/audit-trail.md), not as a service principal, so the bucket needs no grant
to ``sagemaker.amazonaws.com`` and no ``aws:SourceArn`` / ``aws:SourceAccount`` condition
(those keys exist only for a service principal acting for a resource owner). The bucket is
in the card account, where the apply role's identity policy already allows ``s3:PutObject``
under ``<prefix>/<card>/`` for each card in git; an Allow here would only widen it. So the
bucket policy only denies:

- ``DenyInsecureTransport``: every request over plain HTTP (``aws:SecureTransport``);
- ``WriteOnlyUnderThePrefix``: ``s3:PutObject`` outside ``<prefix>/`` by anyone, so the
  bucket holds exports and nothing else, whatever an identity policy allows.
"""

from __future__ import annotations

from typing import Any

from reconciler.common.regions import partition_for
from reconciler.desired.model import Config, Exports


def exports_bucket_policy(config: Config, exports: Exports) -> dict[str, Any]:
    """The bucket policy of ``exports.bucket``."""
    bucket = f"arn:{partition_for(config.region)}:s3:::{exports.bucket}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket, f"{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "WriteOnlyUnderThePrefix",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "NotResource": f"{bucket}/{exports.prefix}/*",
            },
        ],
    }
