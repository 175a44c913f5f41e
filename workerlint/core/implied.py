"""Inputs a cache need not stamp one by one: the probes that a folder's listing answers.

Kept with the run manifest (app/manifest.py) and the project's listing (project/listing.py):
each stands for what a run asked the file system, as a list of inputs ``[path, how, stamp,
...]`` (core/cache.py ``stamp``), and is trusted while every input's stamp is as stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

# How a folder's listing names an entry's kind (core/fs.py RecordingFileSystem.scandir: is a
# folder, is a file, is a link), and the probe stamp of that kind when it is not a link.
_KIND = {"100": "d", "010": "f"}


def without_implied(
    found: list[Any],
    names_of: Callable[[str], Sequence[str] | None],
    sep: str = os.sep,
) -> list[Any]:
    """The inputs less the probes that the stamp of their folder's listing already answers.

    A folder's time stamp changes when an entry is added, removed or renamed, so while a folder
    listed by the run keeps its (not racy) stamp, a name that was not in it is still absent and
    one that was a file or a folder, not a link, still is one. Discovery probes six names in
    every folder it lists (markers, settings, ``.gitignore``): on gumroad 2,603 of 4,520 inputs,
    which a replay would otherwise stat one by one.

    ``found``: inputs ``[path, how, stamp]``, or ``[path, how, stamp, content]`` where a content
    digest stands in for a racy stamp (such a listing answers nothing); ``names_of(path)``: the
    entries the run's listing of a folder gave (``name/flags``), None when it listed none;
    ``sep``: the separator of the paths (a folder's path is its entries' prefix before it).
    """
    entries: dict[str, dict[str, str]] = {}
    for entry in found:
        path, how, now = entry[0], entry[1], entry[2]
        content = entry[3] if len(entry) > 3 else None
        if how == "list" and now[0] == "d" and content is None:
            listing = names_of(path)
            if listing is not None:
                entries[path] = dict(n.rpartition("/")[::2] for n in listing)
    kept = []
    for entry in found:
        path, how, now = entry[0], entry[1], entry[2]
        if how == "probe":
            folder, _, name = path.rpartition(sep)
            names = entries.get(folder)
            if names is not None:
                flags = names.get(name)  # is a folder, is a file, is a link: "100", "010", ...
                if now == ["-"] and flags is None:
                    continue
                if flags is not None and now == [_KIND.get(flags), False]:
                    continue
        kept.append(entry)
    return kept
