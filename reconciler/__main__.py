"""The `reconciler` command (its console script and ``python -m reconciler``).

A command that loads a repository starts parsing its cards on a second CPU before the rest
of the tool is imported (``load.early``); then the command line runs (``cli.base.run``),
which turns every outcome into the process's exit.
"""

import sys


def main() -> None:
    from reconciler.load.early import start_for

    start_for(sys.argv[1:])
    from reconciler.cli.base import run

    run()


if __name__ == "__main__":
    main()
