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
    collect_less_often()
    from workerlint.app.cli import main as cli

    return cli(list(argv), checked=frozenset(stale))


def collect_less_often() -> None:
    """A run makes millions of small objects, most of which live to its end: the cyclic
    garbage collector looks at the youngest every 10,000 allocations instead of 700 (cold runs
    5-12% less CPU; peak memory within 6 MB on the corpus, where never collecting cost saleor
    70 MB), and never again at the values decoded from the caches (core/warm.py)."""
    import gc

    from workerlint.core import warm

    gc.set_threshold(10_000, 10, 10)
    warm.freeze_decoded = True
