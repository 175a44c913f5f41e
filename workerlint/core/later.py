"""Work a run does only for the runs after it: recording its manifest (app/manifest.py) and
writing the caches it changed (the index's layers, the results).

A run in its own process does it at once, where it is asked for, as it always did: the process
ends when it is done. A run served by the resident server (app/server.py) holds it until the
client has its answer (the output, then the exit code), and does it after: the client, a
pre-commit hook waiting on it, does not wait for files only the next run reads. The server
reads what a run wrote (decoding ahead) only once its process has ended, so after this work;
a run that starts meanwhile finds the caches as they were, which is exact (each entry is
checked against the files it stands for, and every file is written whole, atomically).

What may be held: work that reads only what no later step of the run changes, and writes only
under the cache folder, which no other step of the run reads after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

Work = Callable[[], None]

# The work held until the answer is given; None: do it at once (a run in its own process).
_held: list[Work] | None = None
_holder = 0  # the process that holds it (a worker forked from it does its own at once)


def after_answer(work: Work) -> None:
    """Do ``work`` now, or once the answer is given when the run holds it (``hold``)."""
    if _held is None or os.getpid() != _holder:
        work()
    else:
        _held.append(work)


def hold() -> None:
    """From now on, keep the work ``after_answer`` is given, in this process, until
    ``run_held``."""
    global _held, _holder
    _held = []
    _holder = os.getpid()


def run_held() -> int:
    """Do the held work, in the order it was given, and hold no more; how many failed. The
    answer is given by then, so a failure has no one to tell: it loses that work only (a cache
    or manifest not written, which the next run finds missing and writes)."""
    global _held
    work, _held = _held or [], None
    failed = 0
    for item in work:
        try:
            item()
        except Exception:
            failed += 1
    return failed
