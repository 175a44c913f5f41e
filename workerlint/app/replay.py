"""Replaying an unchanged run before the command line loads (the Speed issue's warm target).

The whole-run manifest (app/manifest.py records it) keeps a run's output with the stamps of
everything the run read. A run asked again with the same arguments, from the same folder, by the
same workerlint, prints that output while every stamp is unchanged. This module is that replay,
and it is light (os, sys and core/cache.py's reading): the console command (app/entry.py)
asks it first, before argparse, the CLI or anything of the linter is imported. A run it cannot
answer goes on to the CLI as if it had not been asked; the CLI's own replay (``Manifest.replay``)
uses the same functions once it knows the project root.

A manifest is not JSON: importing ``json`` (and ``re``, which it imports) was a tenth of a
replayed run's instructions (hcb: 125M -> 112M). Its first line is ``workerlint-manifest``, the
cache format, workerlint's stamp and the checksum of the rest; the rest is text (UTF-8, a lone
surrogate kept: a name the file system gave undecoded) of fields apart by NUL, which no path
holds: the run's key, its exit code, the number of inputs, each input's four fields (path, how
it was asked, its stamp as ``cache.stamp_text`` writes it, the digest of its content or
nothing), the lengths of the standard output and error, then both, one after the other (they
may hold anything).

Without the arguments parsed, the project root is not known. ``fast`` looks for this run's
manifest in the cache folder of the current folder and of each folder above it. The manifest's
key holds the arguments and the current folder, so a manifest found there was stored by a run
with the same arguments from here, in its project root; and its inputs hold every path that root
was found by (what the first path is, the ``.git`` and marker files probed), so while they are
unchanged the CLI would find the same root and the same manifest.
"""

from __future__ import annotations

import os
import sys

from workerlint.app.stamp import tool_stamp
from workerlint.core import cache, warm
from workerlint.core.digest import checksum, content_digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

PREFIX = "run-"
SUFFIX = ".manifest"
MAGIC = "workerlint-manifest"
_TEXT = ("utf-8", "surrogatepass")  # any text, a lone surrogate too (os.fsdecode makes them)

# A stored run: what it printed on standard output and standard error, and its exit code.
Answer = tuple[str, str, int]
# One input: its path, how it was asked, its stamp (``cache.stamp``, or as ``cache.stamp_text``
# writes it) and the digest of its content when that was racy (else None).
Input = tuple[str, str, "list[Any] | str", "str | None"]
# A manifest as read: workerlint's stamp, the run's key, its inputs, its answer.
Stored = tuple[str, str, list[Input], Answer]


def run_key(argv: Sequence[str]) -> str:
    """The key of a run: workerlint and Python, where it is asked from, its arguments, and
    whether its output may be coloured (the environment's say and the terminal's)."""
    colour = (os.environ.get("NO_COLOR"), os.environ.get("FORCE_COLOR"), sys.stdout.isatty())
    parts = [tool_stamp(), sys.version, os.getcwd(), repr(list(argv)), repr(colour)]
    return digest_text("\0".join(parts))


def file_name(key: str) -> str:
    """The name of the manifest of the run ``key`` in its project's cache folder."""
    return f"{PREFIX}{key}{SUFFIX}"


def encoded(key: str, inputs: Sequence[Input], answer: Answer) -> tuple[str, bytes]:
    """The header line and the rest of the manifest of the run ``key`` (the module's text)."""
    out, err, code = answer
    fields = [key, str(code), str(len(inputs))]
    for path, how, found, content in inputs:
        fields += [path, how, cache.stamp_text(found), content or ""]
    fields += [str(len(out)), str(len(err)), out + err]
    body = "\0".join(fields).encode(*_TEXT)
    return f"{MAGIC} {cache.FORMAT} {tool_stamp()} {checksum(body)}", body


@warm.decoder("manifest")
def decoded(data: bytes) -> Stored | None:
    """A manifest's bytes as stored (``encoded``); None when they are not one, or damaged."""
    first, _, body = data.partition(b"\n")
    words = first.split(b" ")
    if len(words) != 4 or words[:2] != [MAGIC.encode(), str(cache.FORMAT).encode()]:
        return None
    if checksum(body) != words[3].decode("ascii", "replace"):
        return None
    try:
        key, code, count, rest = body.decode(*_TEXT).split("\0", 3)
        number = int(count)
        if number < 0 or code not in ("0", "1"):
            return None
        fields = rest.split("\0", 4 * number + 2)
        if len(fields) != 4 * number + 3:
            return None
        sizes = int(fields[-3]), int(fields[-2])
        both = fields[-1]
        if min(sizes) < 0 or len(both) != sum(sizes):
            return None
    except ValueError:
        return None
    inputs: list[Input] = [
        (fields[at], fields[at + 1], fields[at + 2], fields[at + 3] or None)
        for at in range(0, 4 * number, 4)
    ]
    answer = (both[: sizes[0]], both[sizes[0] :], int(code))
    return words[2].decode("ascii", "replace"), key, inputs, answer


def digest_text(text: str) -> str:
    return content_digest(text.encode())


def folder_names(folder: str | os.PathLike[str]) -> str:
    """A digest of a folder's entries (the cache folder left out: runs create it)."""
    names = sorted(e.name for e in os.scandir(folder) if e.name != cache.CACHE_DIR)
    return digest_text("\n".join(names))


def _file_digest(path: str) -> str:
    with open(path, "rb") as file:
        return content_digest(file.read())


def unchanged(inputs: Sequence[Input]) -> bool:
    """Whether every stored input (path, how it was asked, its stamp, the digest of its content
    when its stamp was racy) is as it was."""
    stamp_now, text = cache.stamp_text_now, cache.stamp_text
    for path, how, stored, content in inputs:
        if stamp_now(path, how) != text(stored):
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
        found: Stored | None = cache.value_of("manifest", path)
    except cache.CacheError:
        return None
    if found is None:
        return None
    tool, stored_key, inputs, answer = found
    if tool != tool_stamp() or stored_key != key:
        return None
    try:
        return answer if unchanged(inputs) else None
    except OSError:
        return None


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
    name = file_name(key)
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
