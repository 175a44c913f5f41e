"""Renderers: turn a run's diagnostics into text, concise lines, JSON, SARIF, GitHub annotations
or a GitLab code-quality report.

No renderer knows a rule; no rule prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from workerlint.core.diagnostics import Applicability, Diagnostic, Fix, Level, Position, SourceText
from workerlint.core.records import record
from workerlint.core.results import RunResult


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as the user would type it: relative to the current folder when under it."""
    cwd = cwd or Path.cwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


@record(frozen=True)
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


@record(frozen=True)
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
            files=sum(not o.context for o in result.outcomes),
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


def fix_label(fix: Fix) -> str:
    """What a fix is and how to apply it, for people."""
    if fix.applicability is Applicability.SAFE:
        return "fix (safe, with --fix)"
    if fix.applicability is Applicability.UNSAFE:
        return "fix (unsafe, with --fix --unsafe-fixes)"
    return "suggestion (display-only, not applied)"


# C0 controls but tab, DEL, and C1 controls: they drive a terminal (ESC starts a sequence that can
# recolour, move the cursor or retitle the window), so text from a linted file never prints them.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with each terminal control character shown as ``\\xNN``."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# -- paths for CI: relative to the repository ----------------------------------------------------


def uri_base(roots: Sequence[Path]) -> Path | None:
    """The folder CI paths are relative to: the repository holding the run's project roots.

    GitHub and GitLab resolve a result's relative path against the checkout, so in a monorepo
    whose app lives in ``backend/`` paths must still start with ``backend/``. The repository is
    the nearest folder, from the common path of the roots up, holding ``.git`` (a folder, or a
    file in a worktree or submodule); without one, the common path itself.
    """
    if not roots:
        return None
    common = Path(os.path.commonpath([str(root.resolve()) for root in roots]))
    for folder in (common, *common.parents):
        if (folder / ".git").exists():
            return folder
    return common


def relative_to_base(path: Path, base: Path | None) -> str | None:
    """``path`` relative to ``base`` as a POSIX path, or None when it is not under it."""
    if base is None:
        return None
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return None
