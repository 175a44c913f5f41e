"""Text output with code frames and fix diffs (Ruff and rustc are the models)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workerlint.diagnostics import Applicability, Fix, Level, SourceText
from workerlint.engine import RunResult
from workerlint.fixes import apply as apply_edits
from workerlint.output import Located, Summary, locate

_STYLES = {
    "bold": "1",
    "red": "1;31",
    "yellow": "1;33",
    "blue": "1;34",
    "cyan": "36",
    "green": "32",
    "dim": "2",
}
_LEVEL_STYLE = {Level.ERROR: "red", Level.WARNING: "yellow", Level.NOTE: "blue"}


def use_colour(stream: object = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, style: str) -> str:
        if not self.colour or not text:
            return text
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


def _fix_label(fix: Fix) -> str:
    if fix.applicability is Applicability.SAFE:
        return "fix (safe, with --fix)"
    if fix.applicability is Applicability.UNSAFE:
        return "fix (unsafe, with --fix --unsafe-fixes)"
    return "suggestion (display-only, not applied)"


def _diff_lines(fix: Fix, source: SourceText) -> list[tuple[str, str]]:
    """The lines a fix changes, as ("-", old) and ("+", new) pairs, hunk by hunk."""
    out: list[tuple[str, str]] = []
    edits = sorted(fix.edits)
    groups: list[list] = []
    for edit in edits:
        first = source.line_index(edit.start)
        last = source.line_index(
            max(edit.start, edit.end - 1) if edit.end > edit.start else edit.start
        )
        if groups and first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], last)
            groups[-1][2].append(edit)
        else:
            groups.append([first, last, [edit]])
    for first, last, group in groups:
        start = source.line_starts[first]
        end = source.line_starts[last + 1] if last + 1 < source.line_count else len(source.data)
        old = source.data[start:end]
        shifted = [type(e)(e.start - start, e.end - start, e.content) for e in group]
        new = apply_edits(old, [Fix(fix.applicability, fix.title, tuple(shifted))])
        for line in old.decode("utf-8", "replace").splitlines():
            out.append(("-", line))
        for line in new.decode("utf-8", "replace").splitlines():
            out.append(("+", line))
    return out


def _frame(item: Located, paint: _Painter) -> list[str]:
    source = item.source
    d = item.diagnostic
    if source is None:
        return []
    line_no = item.start.line
    gutter = len(str(line_no))
    pad = " " * gutter
    text = source.line_text(line_no - 1).expandtabs(1)
    start_col = item.start.column
    if item.end.line == line_no:
        width = max(1, item.end.column - start_col)
    else:
        width = max(1, len(text) - start_col + 1)
    carets = " " * (start_col - 1) + "^" * width
    style = _LEVEL_STYLE[d.level]
    lines = [
        f"{pad} {paint('|', 'blue')}",
        f"{paint(str(line_no), 'blue')} {paint('|', 'blue')} {text}",
        f"{pad} {paint('|', 'blue')} {paint(carets, style)} {paint(d.code, style)} {d.name}",
        f"{pad} {paint('|', 'blue')}",
    ]
    if d.fix is not None:
        lines.append(f"{pad} {paint('=', 'blue')} {_fix_label(d.fix)}: {d.fix.title}")
        for sign, diff_line in _diff_lines(d.fix, source):
            colour = "red" if sign == "-" else "green"
            lines.append(f"{pad} {paint(sign + ' ' + diff_line, colour)}")
    return lines


def summary_line(result: RunResult, *, show_fixes: bool = False) -> str:
    s = Summary.of(result)
    fixed = f"Fixed {s.fixed} problem{'s' * (s.fixed != 1)}. " if s.fixed else ""
    if not s.problems:
        return f"{fixed}All checks passed ({s.files} file{'s' * (s.files != 1)} checked)."
    parts = [
        f"{n} {word}{'s' * (n != 1)}"
        for n, word in ((s.errors, "error"), (s.warnings, "warning"), (s.notes, "note"))
        if n
    ]
    line = (
        f"{fixed}Found {s.problems} problem{'s' * (s.problems != 1)} ({', '.join(parts)}) "
        f"in {s.files} file{'s' * (s.files != 1)}."
    )
    if s.fixable:
        line += f" {s.fixable} fixable with --fix."
    if s.unsafe_fixable and not show_fixes:
        more = "more " if s.fixable else ""
        line += f" {s.unsafe_fixable} {more}fixable with --fix --unsafe-fixes."
    return line


def render(
    result: RunResult, cwd: Path | None = None, *, colour: bool = False, show_fixes: bool = False
) -> str:
    paint = _Painter(colour)
    blocks = []
    for item in locate(result, cwd):
        d = item.diagnostic
        mark = " [*]" if d.fix and d.fix.applicability is Applicability.SAFE else ""
        header = (
            f"{paint(item.path, 'bold')}:{item.start.line}:{item.start.column}: "
            f"{paint(d.code, _LEVEL_STYLE[d.level])}{mark} {d.message}"
        )
        blocks.append("\n".join([header, *_frame(item, paint)]))
    blocks.append(summary_line(result, show_fixes=show_fixes))
    return "\n\n".join(blocks) + "\n"
