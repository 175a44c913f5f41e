"""One line per finding: ``path:line:col: CODE [*] message``."""

from __future__ import annotations

from pathlib import Path

from workerlint.diagnostics import Applicability
from workerlint.engine import RunResult
from workerlint.output import locate
from workerlint.output.text import summary_line


def render(result: RunResult, cwd: Path | None = None, show_fixes: bool = False) -> str:
    lines = []
    for item in locate(result, cwd):
        d = item.diagnostic
        mark = " [*]" if d.fix and d.fix.applicability is Applicability.SAFE else ""
        lines.append(
            f"{item.path}:{item.start.line}:{item.start.column}: {d.code}{mark} "
            f"{d.message} ({d.level.label})"
        )
    lines.append(summary_line(result, show_fixes=show_fixes))
    return "\n".join(lines) + "\n"
