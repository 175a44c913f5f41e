"""Worker processes for a parallel run, each file parsed once (ARCHITECTURE.md, data flow).

A run of N jobs is this process and N - 1 single-process pools, and every file always goes to the
same one of them (by a stable hash of its path). So the process that reads and parses a file for
the project index keeps its unit and lints it later from that unit: nothing is parsed twice. This
process takes its own part (the index's facts and the linters are here already: only the other
parts' facts cross to here, and the linters to the other parts). The configuration files the
Sidekiq setup reads are read here too (it builds the setup), and linted here from the same units.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.app.source import UnitStore
from workerlint.core.digest import content_digest
from workerlint.core.fs import DISK
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


def _extract(items: list[Pending], keep: list[Path], budget: int | None) -> list[Extracted]:
    _keep.update(keep)
    _store.budget = budget
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
        self.parts = jobs
        self.pools = [ProcessPoolExecutor(1) for _ in range(jobs - 1)]
        self.linted = set(linted)

    def part(self, path: Path) -> int:
        """Which process takes ``path``: 0 is this one, ``i`` the pool ``i - 1``."""
        return zlib.crc32(str(path).encode()) % self.parts

    def here(self, path: Path) -> bool:
        """Whether this process reads, parses and lints ``path``."""
        return self.part(path) == 0

    def _pool_of(self, path: Path) -> int:
        part = self.part(path)
        if part == 0:
            raise ValueError(f"{path} is this process's to read")
        return part - 1

    def extract(self, pending: list[Pending], budget: int | None) -> Callable[[], list[Extracted]]:
        """Read and parse the pending files of the index that other processes lint, each in
        the process that lints it; started now, and the returned function waits for what they
        found (this process reads its own part meanwhile). ``budget``: the trees each worker holds
        (app/source.py)."""
        groups: list[list[Pending]] = [[] for _ in self.pools]
        for item in pending:
            groups[self._pool_of(item.path)].append(item)
        futures = [
            pool.submit(_extract, group, [i.path for i in group if i.path in self.linted], budget)
            for pool, group in zip(self.pools, groups, strict=True)
            if group
        ]
        return lambda: [found for future in futures for found in future.result()]

    def lint(
        self,
        work: list[Work],
        linters: dict[tuple[str, ...], Linter],
        advance: Callable[[int], None] | None = None,
    ) -> Callable[[], list[FileOutcome]]:
        """Lint each file of another process's part in the process that parsed it (or that
        will parse it, if the index came from the cache); started now, and the returned function
        waits for the outcomes, in the order asked (this process lints its own part meanwhile)."""
        if not work:
            return list
        ready = [pool.submit(_set_linters, linters) for pool in self.pools]
        groups: list[list[Work]] = [[] for _ in self.pools]
        for item in work:
            groups[self._pool_of(item[0].path)].append(item)
        futures: list[Future[list[FileOutcome]]] = []
        for pool, group in zip(self.pools, groups, strict=True):
            size = max(8, len(group) // 8)
            for start in range(0, len(group), size):
                futures.append(pool.submit(_lint, group[start : start + size]))

        # The linters are pickled by the pools' threads: they must be sent before this process
        # lints with them (their memos change). Each pool then lints on; this one may too.
        for future in ready:
            future.result()

        def outcomes() -> list[FileOutcome]:
            done: dict[Path, FileOutcome] = {}
            for future in futures:
                result = future.result()
                done.update((outcome.file.path, outcome) for outcome in result)
                if advance is not None:
                    advance(len(result))
            return [done[file.path] for file, _, _ in work]

        return outcomes

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown()
