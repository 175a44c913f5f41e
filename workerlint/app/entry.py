"""The ``workerlint`` command: an unchanged run is replayed before the CLI loads (app/replay.py),
anything else is the CLI's (app/cli.py)."""

from __future__ import annotations

import sys


def main() -> int:
    from workerlint.app import replay

    stale: set[str] = set()
    try:
        code = replay.fast(sys.argv[1:], stale)
    except BrokenPipeError:  # as the CLI: a reader that stops early is not an error
        return 0
    if code is not None:
        return code
    from workerlint.app.cli import main as cli

    return cli(checked=frozenset(stale))
