"""The `reconciler` command (its console script and ``python -m reconciler``).

A command that loads a repository starts parsing its cards on a second CPU before the rest
of the tool is imported (``load.early``); then the command line runs as usual. When it is
done, the process leaves at once: its output is flushed, every file it wrote is closed
and every pool it started has ended, so tearing down the interpreter object by object
(tens of milliseconds after a large plan) would change nothing.
"""

import os
import sys


def main() -> None:
    from reconciler.load.early import abandon, start_for

    start_for(sys.argv[1:])
    from reconciler.cli import main as run

    try:
        run()
    except SystemExit as e:
        abandon()
        code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
        try:
            if isinstance(e.code, str):
                sys.stderr.write(f"{e.code}\n")
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            code = code or 1
        os._exit(code)
    except BaseException:
        abandon()
        raise


if __name__ == "__main__":
    main()
