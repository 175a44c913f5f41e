"""Text output with code frames and fix diffs (Ruff and rustc are the models)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workerlint.core.diagnostics import Applicability, Edit, Fix, Level, SourceText
from workerlint.core.fixes import apply as apply_edits
from workerlint.core.output import Located, Summary, fix_label, locate, visible
from workerlint.core.records import record
from workerlint.core.results import RunResult

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


@record(frozen=True)
class Hunk:
    """The whole lines one group of a fix's edits changes: their old and new text."""

    old_line: int  # 1-based number of the first old line
    new_line: int  # its number once the fix's earlier hunks are applied
    old: list[str]
    new: list[str]


def hunks(fix: Fix, source: SourceText) -> list[Hunk]:
    """A fix's edits grouped by the lines they touch, hunk by hunk, in file order."""
    groups: list[tuple[int, int, list[Edit]]] = []
    for edit in sorted(fix.edits):
        first = source.line_index(edit.start)
        last = source.line_index(edit.end - 1) if edit.end > edit.start else first
        if groups and first <= groups[-1][1]:
            groups[-1] = (groups[-1][0], max(groups[-1][1], last), [*groups[-1][2], edit])
        else:
            groups.append((first, last, [edit]))
    out = []
    shift = 0
    for first, last, group in groups:
        start = source.line_starts[first]
        end = source.line_starts[last + 1] if last + 1 < source.line_count else len(source.data)
        old = source.data[start:end]
        shifted = tuple(Edit(e.start - start, e.end - start, e.content) for e in group)
        new = apply_edits(old, [Fix(fix.applicability, fix.title, shifted)])
        old_lines = old.decode("utf-8", "replace").splitlines()
        new_lines = new.decode("utf-8", "replace").splitlines()
        out.append(Hunk(first + 1, first + 1 + shift, old_lines, new_lines))
        shift += len(new_lines) - len(old_lines)
    return out


def _shown(line: str) -> str:
    """A source line as the frame prints it: one space per tab, controls escaped."""
    return visible(line.replace("\t", " "))


def _frame(item: Located, paint: _Painter) -> list[str]:
    source = item.source
    d = item.diagnostic
    if source is None:
        return []
    line_no = item.start.line
    fix_hunks = hunks(d.fix, source) if d.fix is not None else []
    numbers = [line_no, *(h.old_line + len(h.old) for h in fix_hunks)]
    numbers += [h.new_line + len(h.new) for h in fix_hunks]
    gutter = len(str(max(numbers)))
    pad = " " * gutter
    bar = paint("|", "blue")
    line = source.line_text(line_no - 1)
    start = item.start.column - 1
    end = item.end.column - 1 if item.end.line == line_no else len(line)
    # Carets sit under the text as printed: measure the escaped text before and inside the range.
    indent = len(_shown(line[:start]))
    width = max(1, len(_shown(line[start:end])))
    carets = " " * indent + "^" * width
    style = _LEVEL_STYLE[d.level]
    lines = [
        f"{pad} {bar}",
        f"{paint(str(line_no).rjust(gutter), 'blue')} {bar} {_shown(line)}".rstrip(),
        f"{pad} {bar} {paint(carets, style)} {paint(d.code, style)} {d.name}",
        f"{pad} {bar}",
    ]
    if d.fix is not None:
        lines.append(f"{pad} {paint('=', 'blue')} {fix_label(d.fix)}: {visible(d.fix.title)}")
        for i, hunk in enumerate(fix_hunks):
            if i:
                lines.append(f"{pad} {paint('...', 'blue')}")
            lines.extend(_diff_lines(hunk, gutter, paint))
    return lines


def _diff_lines(hunk: Hunk, gutter: int, paint: _Painter) -> list[str]:
    """``12 - old`` and ``12 + new`` lines: each side numbered as in its own version of the file."""
    out = []
    for sign, first, texts, colour in (
        ("-", hunk.old_line, hunk.old, "red"),
        ("+", hunk.new_line, hunk.new, "green"),
    ):
        for offset, text in enumerate(texts):
            number = paint(str(first + offset).rjust(gutter), "blue")
            out.append(f"{number} {paint(f'{sign} {_shown(text)}'.rstrip(), colour)}")
    return out


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


def header(item: Located, paint: _Painter | None = None) -> str:
    """``path:line:col: level: CODE [*] message``, the first line of a finding in text and concise.

    The ``path:line:col: `` prefix is what editors parse; the level after it is what tells an
    error from a warning in a log without colour.
    """
    paint = paint or _Painter(False)
    d = item.diagnostic
    style = _LEVEL_STYLE[d.level]
    mark = " [*]" if d.fix and d.fix.applicability is Applicability.SAFE else ""
    return (
        f"{paint(visible(item.path), 'bold')}:{item.start.line}:{item.start.column}: "
        f"{paint(d.level.label, style)}: {paint(d.code, style)}{mark} {visible(d.message)}"
    )


def render(
    result: RunResult,
    cwd: Path | None = None,
    *,
    colour: bool = False,
    show_fixes: bool = False,
    quiet: bool = False,
) -> str:
    paint = _Painter(colour)
    blocks = [
        "\n".join([header(item, paint), *_frame(item, paint)]) for item in locate(result, cwd)
    ]
    if not quiet:
        blocks.append(summary_line(result, show_fixes=show_fixes))
    return "\n\n".join(blocks) + "\n" if blocks else ""
