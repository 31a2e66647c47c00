"""``reconciler sandbox``: run one sandbox in the foreground and tell the user how to reach it.

The HTTP transport itself (keep-alive, connection tracking) is ``http/server.py``; this
module only starts a ``Sandbox`` on a chosen host and port and prints the environment
variables that point AWS SDKs and the CLI at it.
"""

from __future__ import annotations

import time

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.instance import Sandbox


def serve(host: str, port: int, config: SandboxConfig, verbose: bool = False) -> None:
    """Run the sandbox in the foreground until Ctrl-C, printing how to point clients at it."""
    with Sandbox(config=config, host=host, port=port, verbose=verbose) as sandbox:
        print(f"Sandbox for SageMaker model cards and AWS RAM listening on {sandbox.endpoint}")
        print("Point AWS SDKs and the CLI at it with:")
        print(f"  export AWS_ENDPOINT_URL={sandbox.endpoint}")
        print("  export AWS_ACCESS_KEY_ID=testing")
        print("  export AWS_SECRET_ACCESS_KEY=testing")
        print(f"  export AWS_DEFAULT_REGION={config.region}")
        org = config.organization
        print(
            f"Organization: managed by {org.management_account}, members "
            f"{', '.join(sorted(org.members)) or 'none'}"
            if org
            else "No Organization: every cross-account share goes through an invitation."
        )
        print(
            f"Default account {config.default_account}; act as another account by "
            "assuming arn:aws:iam::<account>:role/<any-name>. Ctrl-C stops.",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Sandbox stopped.")
