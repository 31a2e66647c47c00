"""The `reconciler` command line: each command registers itself on ``app``. The only
place that parses options, prints and exits. It may import anything; the sandbox only
lazily, in ``local`` (the `sandbox` and `demo` commands).
"""

from reconciler.cli import read  # noqa: I001 - registration order is the help order
from reconciler.cli import write
from reconciler.cli import audit
from reconciler.cli import local
from reconciler.cli.base import app, main

__all__ = ["app", "audit", "local", "main", "read", "write"]
