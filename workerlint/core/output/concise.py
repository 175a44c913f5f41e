"""One line per finding: the header line of the text format, without the frame."""

from __future__ import annotations

from pathlib import Path

from workerlint.core.output import locate
from workerlint.core.output.text import header, summary_line
from workerlint.core.results import RunResult


def render(
    result: RunResult, cwd: Path | None = None, *, show_fixes: bool = False, quiet: bool = False
) -> str:
    lines = [header(item) for item in locate(result, cwd)]
    if not quiet:
        lines.append(summary_line(result, show_fixes=show_fixes))
    return "".join(line + "\n" for line in lines)
