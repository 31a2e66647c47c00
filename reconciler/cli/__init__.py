"""The `reconciler` command line: each command registers itself on ``app``. The only
place that parses options, prints and exits (``load.early`` reads the command line once
more at start-up, before this package is imported: it names the one exception). It may
import anything; the sandbox only lazily, in ``local`` (the `sandbox` command) and the
demo it runs (the ``demo`` package), which drives the same commands end to end.
"""

from reconciler.cli import read  # noqa: I001 - registration order is the help order
from reconciler.cli import describe
from reconciler.cli import bootstrap
from reconciler.cli import write
from reconciler.cli import fill
from reconciler.cli import audit
from reconciler.cli import site
from reconciler.cli import probe
from reconciler.cli import local
from reconciler.cli.base import app, main

__all__ = [
    "app",
    "audit",
    "bootstrap",
    "describe",
    "fill",
    "local",
    "main",
    "probe",
    "read",
    "site",
    "write",
]
