"""One-time code: scripts a person runs once, by hand, and watches (a backfill, a data fix).

A file is one-time code when a folder of its path is named ``onetime``, ``one_time``,
``one_time_jobs``, ``oneoffs``, ``one_offs``, ``backfills`` or ``data_migrations``, or when it is a
``lib/tasks`` file whose name contains ``one_time``/``onetime``. The convention is the folder's
name, as Rails apps write it (``app/services/onetime/``, ``app/jobs/one_time_jobs/``,
``app/jobs/backfills/``, ``lib/tasks/data_migrations/``).
"""

from __future__ import annotations

FOLDERS = frozenset(
    {"onetime", "one_time", "one_time_jobs", "oneoffs", "one_offs", "backfills", "data_migrations"}
)
TASK_NAMES = ("one_time", "onetime")


def folder(relpath: str) -> str | None:
    """The folder that makes ``relpath`` one-time code (``app/services/onetime/``), or None."""
    parts = relpath.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in FOLDERS:
            return "/".join(parts[: i + 1]) + "/"
    if relpath.startswith("lib/tasks/") and any(n in parts[-1] for n in TASK_NAMES):
        return relpath
    return None


def note(relpath: str) -> str:
    """What a message says about a finding in one-time code."""
    where = folder(relpath) or relpath
    return (
        f"; this is one-time code (`{where}`): it runs once, by hand, and someone watches it, "
        "so this is a note"
    )
