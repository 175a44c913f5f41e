"""The ``workerlint`` command: a ``check --server`` is handed to the resident server
(app/client.py), an unchanged run is replayed before the CLI loads (app/replay.py), anything
else is the CLI's (app/cli.py)."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main() -> int:
    from workerlint.app import client

    served, argv = client.wants_server(sys.argv[1:])
    if served:
        code = client.run(argv)
        if code is not None:
            return code
        client.start_in_background()
    return run(argv)


def run(argv: Sequence[str]) -> int:
    """The command for ``argv`` (without the server flags), in this process."""
    from workerlint.app import replay

    stale: set[str] = set()
    try:
        code = replay.fast(argv, stale)
    except BrokenPipeError:  # as the CLI: a reader that stops early is not an error
        return 0
    if code is not None:
        return code
    from workerlint.app.cli import main as cli

    return cli(list(argv), checked=frozenset(stale))
