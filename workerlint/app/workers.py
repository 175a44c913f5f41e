"""Worker processes for a parallel run, each file parsed once (ARCHITECTURE.md, data flow).

One single-process pool per job, and every file always goes to the same one (by a stable hash of
its path). So the process that reads and parses a file for the project index keeps its unit and
lints it later from that unit: the parent reads and parses none of the files the workers lint.
The configuration files the Sidekiq setup reads are read by the parent (it builds the setup), and
the parent lints those itself from the same units.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.app.source import UnitStore
from workerlint.core.fs import DISK, content_digest
from workerlint.project.index import Extracted, Pending, extract_pending

if TYPE_CHECKING:
    from workerlint.app.linter import Linter
    from workerlint.core.diagnostics import Diagnostic
    from workerlint.core.discovery import SourceFile
    from workerlint.core.results import FileOutcome

Work = tuple["SourceFile", tuple[str, ...], list["Diagnostic"]]

# State of one worker process: the files it will lint, their units, the linters.
_keep: set[Path] = set()
_store = UnitStore(lambda path, _data: path in _keep)
_linters: dict[tuple[str, ...], Linter] = {}


def _extract(items: list[Pending], keep: list[Path]) -> list[Extracted]:
    _keep.update(keep)
    return extract_pending(items, DISK, _store.unit)


def _set_linters(linters: dict[tuple[str, ...], Linter]) -> None:
    global _linters
    _linters = linters


def _lint(chunk: list[Work]) -> list[FileOutcome]:
    results = []
    for file, chain, extra in chunk:
        outcome = _linters[chain].lint_safely(file, extra=extra, unit=_store.take(file.path))
        outcome.unit = None  # trees do not cross processes
        if outcome.data is not None:
            outcome.digest = content_digest(outcome.data)
        if not outcome.diagnostics:
            outcome.data = None  # not needed for rendering: do not send it back
        results.append(outcome)
    _keep.difference_update(file.path for file, _, _ in chunk)
    return results


class Workers:
    def __init__(self, jobs: int, linted: Iterable[Path]) -> None:
        self.pools = [ProcessPoolExecutor(1) for _ in range(jobs)]
        self.linted = set(linted)

    def part(self, path: Path) -> int:
        return zlib.crc32(str(path).encode()) % len(self.pools)

    def extract(self, pending: list[Pending]) -> list[Extracted]:
        """Read and parse the pending files of the index, each in the process that lints it."""
        groups: list[list[Pending]] = [[] for _ in self.pools]
        for item in pending:
            groups[self.part(item.path)].append(item)
        futures = [
            pool.submit(_extract, group, [i.path for i in group if i.path in self.linted])
            for pool, group in zip(self.pools, groups, strict=True)
            if group
        ]
        return [found for future in futures for found in future.result()]

    def lint(
        self,
        work: list[Work],
        linters: dict[tuple[str, ...], Linter],
        advance: Callable[[int], None] | None = None,
    ) -> list[FileOutcome]:
        """Lint each file in the process that parsed it (or that will parse it, if the index
        came from the cache)."""
        for pool in self.pools:
            pool.submit(_set_linters, linters).result()
        groups: list[list[Work]] = [[] for _ in self.pools]
        for item in work:
            groups[self.part(item[0].path)].append(item)
        futures: list[Future[list[FileOutcome]]] = []
        for pool, group in zip(self.pools, groups, strict=True):
            size = max(8, len(group) // 8)
            for start in range(0, len(group), size):
                futures.append(pool.submit(_lint, group[start : start + size]))
        done: dict[Path, FileOutcome] = {}
        for future in futures:
            result = future.result()
            done.update((outcome.file.path, outcome) for outcome in result)
            if advance is not None:
                advance(len(result))
        return [done[file.path] for file, _, _ in work]  # in the order asked

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown()
