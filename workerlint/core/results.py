"""What a run produced, as the renderers read it: each file's outcome and the run's result."""

from __future__ import annotations

from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from workerlint.core.diagnostics import Diagnostic
from workerlint.core.discovery import SourceFile
from workerlint.core.records import record
from workerlint.core.rule import Rule
from workerlint.core.settings import Settings


@record
class FileOutcome:
    file: SourceFile
    data: bytes | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    fixed: int = 0
    original: bytes | None = None  # before fixes, when fixes changed the file
    # Not asked for: a file holding findings of the project rules, reported because a
    # configuration input was checked (not counted as checked, never fixed).
    context: bool = False
    # The parsed file (a language's unit: tree, facts, semantic model), for the fix loop and the
    # re-check after fixes; never sent between processes.
    unit: Any = field(default=None, compare=False, repr=False)
    # The digest of the bytes linted, kept when a worker process drops the bytes (the results
    # cache keys a file's findings by it: app/results_cache.py).
    digest: str | None = field(default=None, compare=False, repr=False)
    # What the lint asked of the project (app/deps.py), plain data, for the results cache.
    deps: Any = field(default=None, compare=False, repr=False)


@record
class RunResult:
    outcomes: list[FileOutcome]
    diagnostics: list[Diagnostic]
    notes: list[str]  # for --verbose
    roots: list[Path]
    settings: list[Settings] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # always shown, on stderr
    # Every rule there is (for SARIF's rule descriptors), given by the app's registry.
    catalogue: tuple[type[Rule], ...] = ()

    @property
    def internal_errors(self) -> bool:
        return any(d.internal for d in self.diagnostics)

    @cached_property
    def sources(self) -> dict[Path, bytes | None]:
        return {o.file.path: o.data for o in self.outcomes}

    def source(self, path: Path) -> bytes | None:
        return self.sources.get(path)


class Progress(Protocol):
    """Told how many files a project has, then as each is done (a progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...
