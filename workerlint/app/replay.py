"""Replaying an unchanged run before the command line loads (the Speed issue's warm target).

The whole-run manifest (app/manifest.py records it) keeps a run's output with the stamps of
everything the run read. A run asked again with the same arguments, from the same folder, by the
same workerlint, prints that output while every stamp is unchanged. This module is that replay,
and it is light (os, sys, json and core/cache.py's reading): the console command (app/entry.py)
asks it first, before argparse, the CLI or anything of the linter is imported. A run it cannot
answer goes on to the CLI as if it had not been asked; the CLI's own replay (``Manifest.replay``)
uses the same functions once it knows the project root.

Without the arguments parsed, the project root is not known. ``fast`` looks for this run's
manifest in the cache folder of the current folder and of each folder above it. The manifest's
key holds the arguments and the current folder, so a manifest found there was stored by a run
with the same arguments from here, in its project root; and its inputs hold every path that root
was found by (what the first path is, the ``.git`` and marker files probed), so while they are
unchanged the CLI would find the same root and the same manifest.
"""

from __future__ import annotations

import json
import os
import sys

from workerlint.app.stamp import tool_stamp
from workerlint.core import cache
from workerlint.core.digest import content_digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

PREFIX = "run-"
HEADER = {"format": cache.FORMAT, "shape": "manifest"}

# A stored run: what it printed on standard output and standard error, and its exit code.
Answer = tuple[str, str, int]


def run_key(argv: Sequence[str]) -> str:
    """The key of a run: workerlint and Python, where it is asked from, its arguments, and
    whether its output may be coloured (the environment's say and the terminal's)."""
    colour = (os.environ.get("NO_COLOR"), os.environ.get("FORCE_COLOR"), sys.stdout.isatty())
    parts = [tool_stamp(), sys.version, os.getcwd(), json.dumps(list(argv)), repr(colour)]
    return digest_text("\0".join(parts))


def header() -> dict[str, Any]:
    return {**HEADER, "tool": tool_stamp()}


def digest_text(text: str) -> str:
    return content_digest(text.encode())


def folder_names(folder: str | os.PathLike[str]) -> str:
    """A digest of a folder's entries (the cache folder left out: runs create it)."""
    names = sorted(e.name for e in os.scandir(folder) if e.name != cache.CACHE_DIR)
    return digest_text("\n".join(names))


def _file_digest(path: str) -> str:
    with open(path, "rb") as file:
        return content_digest(file.read())


def unchanged(inputs: Any) -> bool:
    """Whether every stored input (path, how it was asked, its stamp, the digest of its content
    when its stamp was racy) is as it was."""
    if not isinstance(inputs, list):
        return False
    stamp = cache.stamp
    for entry in inputs:
        if not (isinstance(entry, list) and len(entry) == 4):
            return False
        path, how, stored, content = entry
        if not (isinstance(path, str) and isinstance(how, str)):
            return False
        if stamp(path, how) != stored:
            return False
        if content is not None:
            now = folder_names(path) if stored[0] == "d" else _file_digest(path)
            if now != content:
                return False
    return True


def stored(path: str | os.PathLike[str], key: str) -> Answer | None:
    """The output of the run stored at ``path`` under ``key``, while every input it read is
    unchanged; None when there is none, or it cannot be trusted (core/cache.py)."""
    if not os.path.isfile(path):
        return None
    try:
        payload = cache.read(path, header())
    except cache.CacheError:
        return None
    try:
        if payload["key"] != key or not unchanged(payload["inputs"]):
            return None
        out, err, code = payload["stdout"], payload["stderr"], payload["code"]
        if not (isinstance(out, str) and isinstance(err, str) and code in (0, 1)):
            return None
    except (KeyError, TypeError, ValueError, OSError):
        return None
    return out, err, int(code)


def emit(answer: Answer) -> int:
    """Print a stored run's output; its exit code."""
    out, err, code = answer
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


def fast(argv: Sequence[str], stale: set[str]) -> int | None:
    """The stored run of these arguments from this folder, printed (its exit code); None when
    the CLI must run (``stale`` is then told the manifests found out of date: the CLI does not
    check them again)."""
    if sys.stderr.isatty():  # a run that shows progress is never stored (manifest.eligible)
        return None
    if "check" not in argv:  # explain, rules, --help, --version: never stored
        return None
    try:
        key = run_key(argv)
        here = os.getcwd()
    except (OSError, ValueError):
        return None
    name = f"{PREFIX}{key}.json"
    while True:
        path = os.path.join(here, cache.CACHE_DIR, name)
        if os.path.isfile(path):
            answer = stored(path, key)
            if answer is not None:
                return emit(answer)
            stale.add(path)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
