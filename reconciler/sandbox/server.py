"""``reconciler sandbox``: run one sandbox in the foreground and tell the user how to reach it.

The HTTP transport itself (keep-alive, connection tracking) is ``http/server.py``; this
module only starts a ``Sandbox`` on a chosen host and port and prints the environment
variables that point AWS SDKs and the CLI at it: a session of the default account's first
declared all-powerful role (``SandboxAdmin``), so that assuming the example's roles works
as in AWS (the root user may not assume roles).
"""

from __future__ import annotations

import time

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.instance import Sandbox


def serve(host: str, port: int, config: SandboxConfig, verbose: bool = False) -> None:
    """Run the sandbox in the foreground until Ctrl-C, printing how to point clients at it."""
    with Sandbox(config=config, host=host, port=port, verbose=verbose) as sandbox:
        print(f"Sandbox for SageMaker model cards and AWS RAM listening on {sandbox.endpoint}")
        admin = next(r for r in config.roles if r.admin and r.exists_in(config.default_account))
        creds = sandbox.credentials(config.default_account, admin.name)
        print(f"Point AWS SDKs and the CLI at it, as {admin.name} of {config.default_account}:")
        print(f"  export AWS_ENDPOINT_URL={sandbox.endpoint}")
        print(f"  export AWS_ACCESS_KEY_ID={creds['AccessKeyId']}")
        print(f"  export AWS_SECRET_ACCESS_KEY={creds['SecretAccessKey']}")
        print(f"  export AWS_SESSION_TOKEN={creds['SessionToken']}")
        print(f"  export AWS_DEFAULT_REGION={config.region}")
        org = config.organization
        print(
            f"Organization: managed by {org.management_account}, members "
            f"{', '.join(sorted(org.members)) or 'none'}"
            if org
            else "No Organization: every cross-account share goes through an invitation."
        )
        roles = ", ".join(sorted({r.name for r in config.roles}))
        print(
            f"Declared roles: {roles}. Act as another account by assuming a role that exists "
            "there (POST /_sandbox/credentials gives a session of one). Ctrl-C stops.",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Sandbox stopped.")
