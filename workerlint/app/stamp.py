"""workerlint's own identity for its caches: its version and the stamps of its code files.

Kept apart from the caches that use it (app/results_cache.py, app/manifest.py) and light (no
pathlib), because a run the manifest replays (app/replay.py) computes it before anything else
loads.
"""

from __future__ import annotations

import os
from functools import cache

from workerlint import __version__
from workerlint.core.digest import content_digest


def _code_files(folder: str, prefix: str, found: list[str]) -> None:
    """``prefix`` + the path below ``folder`` of each ``*.py`` file there, with its size and
    time stamp (folders followed as ``Path.rglob`` follows them: not through links). The
    ``__pycache__`` folders hold no ``*.py`` file: not listed (half of the folders, and the
    listing of a folder is most of the time this takes)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _code_files(entry.path, f"{prefix}{entry.name}/", found)
        elif entry.name.endswith(".py"):
            try:
                info = entry.stat()
            except OSError:
                continue
            found.append(f"{prefix}{entry.name}:{info.st_size}:{info.st_mtime_ns}")


@cache
def tool_stamp() -> str:
    """workerlint's version and the stamps of its code (an edited rule in a development
    checkout changes findings without changing the version)."""
    import importlib.util

    import workerlint

    package = os.path.dirname(os.path.abspath(workerlint.__file__))
    stamps: list[str] = []
    _code_files(package, "", stamps)
    spec = importlib.util.find_spec("workerlint.rules")  # found, not imported (it is large)
    for rules in (spec.submodule_search_locations or ()) if spec else ():
        rules = os.path.abspath(rules)
        if os.path.commonpath([rules, package]) != package:  # an editable install's catalogue
            _code_files(rules, "rules/", stamps)
    stamps.sort()
    return content_digest("\0".join([__version__, *stamps]).encode())
