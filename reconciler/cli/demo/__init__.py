"""`reconciler demo`: the model card lifecycle end to end on an embedded sandbox.

``run_demo`` starts a sandbox shaped like the example's accounts (``prepare`` names them
and gives the copied example what the steps need), deploys the infrastructure `reconciler
bootstrap` generates as on AWS (``stacks``), walks the lifecycle as the roles it created
(``steps``), then the Model Registry part (``registry``) and the hub-and-spoke part
(``hub``). Every step runs the real plan and
apply code against the sandbox over HTTP and checks what happened; the demo fails at the
first surprise (``checks``). Only this package imports the sandbox, and only inside
functions.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconciler.cli.demo.checks import DemoFailed
from reconciler.cli.demo.hub import HubDemo
from reconciler.cli.demo.prepare import CARD_ACCOUNT, DEV, PROD, READER_ROLE, TEST
from reconciler.cli.demo.registry import RegistryDemo
from reconciler.cli.demo.steps import Demo

if TYPE_CHECKING:
    from reconciler.sandbox import SandboxConfig

EXAMPLE_PARTS = ("reconciler.yaml", "cards", "shares")
# The ambient AWS settings the demo replaces while it runs, and puts back after.
AMBIENT = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_REGION",
)

__all__ = ["DemoFailed", "card_account_credentials", "copy_example", "run_demo"]


def run_demo(source: Path, say: Callable[[str], None], site: Path) -> None:
    """Start a sandbox shaped like the example's accounts and walk the lifecycle; end by
    writing the catalogue of the lifecycle's final state into ``site``."""
    from reconciler.sandbox import Sandbox

    with (
        tempfile.TemporaryDirectory(prefix="reconciler-demo-") as tmp,
        Sandbox(_accounts(source)) as sandbox,
        card_account_credentials(sandbox),
    ):
        say(
            f"Sandbox at {sandbox.endpoint}: card account {CARD_ACCOUNT}; Organization "
            f"members test {TEST} and prod {PROD}; dev {DEV} is outside."
        )
        lifecycle = Demo(sandbox, copy_example(source, Path(tmp)), say)
        lifecycle.run()
        say(
            "\n━━ The Model Registry: version 2 of the model, its card embedded, approved "
            "and shared through git"
        )
        RegistryDemo(lifecycle).run()
        say(
            "\n━━ Hub and spoke: two spoke accounts keep their own cards; the card account, "
            "their hub, holds a replica of each"
        )
        HubDemo(sandbox, Path(tmp) / "hub-and-spoke", say).run()
        say("\n━━ The catalogue: every card of the lifecycle as a static site")
        lifecycle.catalogue(site)


def _accounts(source: Path) -> SandboxConfig:
    """The example's accounts file (``sandbox/accounts.yaml``): the card account manages an
    Organization with test and prod, dev is outside, and the roles that exist there (such
    as dev's DataScientist), without what the stacks create (the reader roles and GitHub's
    OIDC provider, which the file declares for `reconciler sandbox`). Without the file,
    that Organization and SandboxAdmin only."""
    from reconciler.sandbox import Organization, SandboxConfig, load_config

    accounts = source / "sandbox" / "accounts.yaml"
    if accounts.is_file():
        config = load_config(accounts)
        roles = tuple(r for r in config.roles if r.name != READER_ROLE)
        return replace(config, roles=roles, oidc_providers=())
    org = Organization(management_account=CARD_ACCOUNT, members=frozenset({TEST, PROD}))
    return SandboxConfig(default_account=CARD_ACCOUNT, organization=org)


@contextmanager
def card_account_credentials(sandbox: Any) -> Iterator[None]:
    """Ambient credentials of the sandbox's card account, for this process only: a session
    of its SandboxAdmin role, as CI's are a role session (the root user may not assume the
    roles the demo creates)."""
    saved = {k: os.environ.get(k) for k in AMBIENT}
    for key in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(key, None)
    creds = sandbox.credentials(CARD_ACCOUNT)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": sandbox.endpoint,
            "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"],
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    try:
        yield
    finally:
        _restore(saved)


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def copy_example(source: Path, target: Path) -> Path:
    """Copy a repository's reconciler.yaml, cards/ and shares/ into ``target``."""
    for part in EXAMPLE_PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        else:
            shutil.copy(src, target / part)
    return target
