"""Renderers: turn a run's diagnostics into text, concise lines, JSON or SARIF.

No renderer knows a rule; no rule prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workerlint.diagnostics import Applicability, Diagnostic, Level, Position, SourceText
from workerlint.engine import RunResult


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as the user would type it: relative to the current folder when under it."""
    cwd = cwd or Path.cwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class Located:
    diagnostic: Diagnostic
    path: str
    start: Position
    end: Position
    source: SourceText | None


def locate(result: RunResult, cwd: Path | None = None) -> list[Located]:
    sources: dict[Path, SourceText | None] = {}
    located = []
    for diagnostic in result.diagnostics:
        if diagnostic.path not in sources:
            data = result.source(diagnostic.path)
            sources[diagnostic.path] = SourceText(data) if data is not None else None
        source = sources[diagnostic.path]
        if source is None:
            start = end = Position(1, 1, 1)
        else:
            start = source.position(diagnostic.span.start)
            end = source.position(diagnostic.span.end)
        located.append(Located(diagnostic, display_path(diagnostic.path, cwd), start, end, source))
    return located


@dataclass(frozen=True)
class Summary:
    files: int
    problems: int
    errors: int
    warnings: int
    notes: int
    fixable: int
    unsafe_fixable: int
    fixed: int

    @classmethod
    def of(cls, result: RunResult) -> Summary:
        diagnostics = result.diagnostics
        return cls(
            files=len(result.outcomes),
            problems=len(diagnostics),
            errors=sum(d.level is Level.ERROR for d in diagnostics),
            warnings=sum(d.level is Level.WARNING for d in diagnostics),
            notes=sum(d.level is Level.NOTE for d in diagnostics),
            fixable=sum(_applicability(d) is Applicability.SAFE for d in diagnostics),
            unsafe_fixable=sum(_applicability(d) is Applicability.UNSAFE for d in diagnostics),
            fixed=sum(o.fixed for o in result.outcomes),
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "problems": self.problems,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.notes,
            "fixable": self.fixable,
            "unsafe_fixable": self.unsafe_fixable,
            "fixed": self.fixed,
        }


def _applicability(diagnostic: Diagnostic) -> Applicability | None:
    return diagnostic.fix.applicability if diagnostic.fix else None
