"""The whole-run manifest (the Speed issue): a run's output, replayed while nothing it read
has changed. This module records it; app/replay.py replays it, before the CLI loads.

A run asked with the same arguments, from the same folder, by the same workerlint, whose every
input is as it was, prints what it printed before. The inputs are whatever the run asked the
file system about (core/fs.py's RecordingFileSystem notes them): each file read or stamped by
its size and time stamp, each folder listed (discovery) by its time stamp (an entry added or
removed changes it; below a folder searched deeply, every folder), and each path only probed
by whether it is a file, a folder or nothing. When anything differs, or the manifest cannot be
trusted (core/cache.py: tracked by git, a symbolic link, damaged), the run is the normal one.

Time stamps are coarse: a file changed in the same tick as the run read it may keep its stamp.
So the run first writes a clock file in the cache folder; an input stamped at or after the
clock's time is racy, and is kept with a digest of what the run read (of its content, or of
its entries), which a replay compares too; a racy input whose content the run did not see
itself means no manifest is written.

Only runs that change nothing and write only to standard output and error are replayed: not
with --fix, --diff, standard input, a baseline, --output-file, --no-cache, the github format
(it appends to the step summary), or a terminal on standard error (the progress bar).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from workerlint.app import replay
from workerlint.core import cache, later
from workerlint.core.fs import DISK, RecordingFileSystem
from workerlint.core.implied import without_implied

KEEP = 8  # manifests kept per project (one per set of arguments)


def eligible(args: argparse.Namespace) -> bool:
    return not (
        args.fix
        or args.diff
        or args.unsafe_fixes
        or args.stdin_filename is not None
        or any(str(p) == "-" for p in args.paths)
        or args.baseline
        or args.write_baseline
        or args.output_file is not None
        or args.no_cache
        or args.output_format == "github"
        or sys.stderr.isatty()
    )


class Manifest:
    """The manifest of one set of arguments in one project (app/replay.py says its format)."""

    def __init__(self, argv: Sequence[str], root: Path) -> None:
        self.folder = cache.folder(root)
        self.key = replay.run_key(argv)
        self.path = self.folder / replay.file_name(self.key)
        self.clock: int | None = None

    def replay(self) -> int | None:
        """Print the stored output and give its exit code, when every input is unchanged."""
        answer = replay.stored(self.path, self.key)
        return None if answer is None else replay.emit(answer)

    # -- recording -------------------------------------------------------------------------

    def start(self) -> bool:
        """Write the clock file (the file system's time when the run starts); False when the
        cache folder cannot hold a manifest."""
        self.clock = cache.clock(self.folder)
        return self.clock is not None

    def inputs(self, recorder: RecordingFileSystem, linted: Sequence[Path]) -> list[Any] | None:
        """The stamps of everything the run read; None when one is racy and unseen."""
        assert self.clock is not None
        touched = dict(recorder.touched)
        for path in linted:
            touched[path] = "read" if touched.get(path) != "tree" else "tree"
        for folder, how in list(touched.items()):
            if how == "tree":
                for below, _dirs, _files in os.walk(folder):
                    touched.setdefault(Path(below), "list")
                touched[folder] = "list"
        found = []
        # The cache folder and what is under it, told by the path's text (a path's parents are
        # its text's prefixes ending at a separator): building every path's parents is slow.
        folder = str(self.folder)
        below = folder.rstrip(os.sep) + os.sep
        # A path the run only stamped is stamped as the run found it (an lstat less each: the
        # index's files), not again now: a change since is then a change at the replay, and
        # a stamp after the clock is as racy as one taken now.
        pairs = recorder.stat_pairs
        for path in sorted(touched, key=str):
            how = touched[path]
            text = str(path)
            if text == folder or text.startswith(below):
                continue  # the cache itself
            pair = pairs.get(path) if how == "stat" else None
            now = cache.stamp(path, how) if pair is None else cache.stamp_of(*pair, how)
            content = None
            if cache.racy(now, how, self.clock):
                if now[0] == "d" and path in recorder.listings:
                    content = replay.folder_names(path)  # racy listings are re-read
                    seen = {n.split("/")[0] for n in recorder.listings[path]} - {cache.CACHE_DIR}
                    if replay.digest_text("\n".join(sorted(seen))) != content:
                        return None
                elif now[0] == "f" and path in recorder.reads:
                    content = recorder.reads[path]
                else:
                    return None
            found.append([text, how, now, content])
        kept = _without_implied(found, recorder.listings)
        # The linted files first: a run of the same files again most often follows an edit of
        # one of them, and the replay (app/replay.py ``unchanged``) stops at the first change.
        first = {str(path) for path in linted}
        return [e for e in kept if e[0] in first] + [e for e in kept if e[0] not in first]

    def store(self, inputs: list[Any], out: str, err: str, code: int) -> None:
        first, body = replay.encoded(self.key, inputs, (out, err, code))
        cache.write_file(self.path, first, [body])
        try:  # (and the JSON manifests of earlier versions, run-*.json: never read)
            runs = sorted(self.folder.glob(f"{replay.PREFIX}*"), key=lambda p: p.stat().st_mtime_ns)
            for old in runs[:-KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


def _without_implied(found: list[Any], listings: dict[Path, tuple[str, ...]]) -> list[Any]:
    """The inputs less the probes that the stamp of their folder's listing already answers
    (core/implied.py, shared with the project's listing)."""
    return without_implied(found, lambda path: listings.get(Path(path)))


class _Tee(io.TextIOBase):
    """A stream that writes through, and keeps a copy."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    @property
    def buffer(self) -> Any:  # bytes written here are not kept: such a run is not stored
        raise AttributeError("buffer")


@contextlib.contextmanager
def _teed() -> Iterator[tuple[_Tee, _Tee]]:
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # type: ignore[type-var]
        yield out, err


Check = Callable[[RecordingFileSystem, list[Path]], int]


def run(
    args: argparse.Namespace, argv: Sequence[str], check: Check, checked: Collection[str] = ()
) -> int:
    """``check`` (the normal run), or its replay; ``check`` reads through the recorder and
    fills in the files it linted. A manifest in ``checked`` was found out of date already."""
    from workerlint.project.roots import find_root

    recorder = RecordingFileSystem(DISK)
    try:
        manifest = Manifest(argv, find_root(args.paths[0]))
    except OSError:
        return check(recorder, [])
    code = None if str(manifest.path) in checked else manifest.replay()
    if code is not None:
        return code
    if not manifest.start():
        return check(recorder, [])
    linted: list[Path] = []
    with _teed() as (out, err):
        code = check(recorder, linted)
    if code in (0, 1):
        stored = code

        def record() -> None:  # exact whenever it runs: ``inputs`` says why (racy stamps)
            inputs = manifest.inputs(recorder, linted)
            if inputs is not None:
                manifest.store(inputs, out.copy.getvalue(), err.copy.getvalue(), stored)

        later.after_answer(record)
    return code
