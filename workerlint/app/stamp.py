"""workerlint's own identity for its caches: its version and the stamps of its code files.

Kept apart from the caches that use it (app/results_cache.py, app/manifest.py) so that a run the
manifest replays imports nothing of the rule API to compute it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workerlint import __version__
from workerlint.core.fs import content_digest


@cache
def tool_stamp() -> str:
    """workerlint's version and the stamps of its code (an edited rule in a development
    checkout changes findings without changing the version)."""
    import importlib.util

    import workerlint

    package = Path(workerlint.__file__).parent
    folders = [(package, "")]
    spec = importlib.util.find_spec("workerlint.rules")  # found, not imported (it is large)
    for rules in map(Path, (spec.submodule_search_locations or ()) if spec else ()):
        if not rules.is_relative_to(package):  # an editable install's catalogue
            folders.append((rules, "rules/"))
    stamps = [__version__]
    for folder, prefix in folders:
        for source in sorted(folder.rglob("*.py")):
            try:
                info = source.stat()
            except OSError:
                continue
            stamps.append(f"{prefix}{source.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}")
    return content_digest("\0".join(stamps).encode())
