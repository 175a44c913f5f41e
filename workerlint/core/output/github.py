"""GitHub Actions: one workflow-command annotation per finding, and a Markdown step summary.

GitHub shows only about ten annotations of each level per step, so the step summary
(``$GITHUB_STEP_SUMMARY``) lists every finding. Paths are relative to the repository (see
:func:`workerlint.core.output.uri_base`), which is what GitHub resolves annotation files against.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from workerlint.core.diagnostics import Level
from workerlint.core.output import Located, locate, relative_to_base, uri_base, visible
from workerlint.core.output.counts import statistics
from workerlint.core.output.text import summary_line
from workerlint.core.results import RunResult

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}
# Rows of the findings table in the step summary (GitHub allows 1 MiB per step's summary).
MAX_SUMMARY_ROWS = 1000


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def _repository_path(item: Located, base: Path | None) -> str:
    return relative_to_base(item.diagnostic.path, base) or item.path


def render(result: RunResult, cwd: Path | None = None) -> str:
    base = uri_base(result.roots)
    lines = []
    for item in locate(result, cwd):
        d = item.diagnostic
        props = (
            f"file={_property(_repository_path(item, base))},line={item.start.line},"
            f"col={item.start.column},endLine={item.end.line},endColumn={item.end.column},"
            f"title={_property(f'{d.code} {d.name}')}"
        )
        lines.append(f"::{_COMMANDS[d.level]} {props}::{_escape(f'{d.code} {d.message}')}")
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: code spans kept, everything else inert."""
    text = visible(text).replace("\n", " ")
    parts = text.split("`")
    specials = "\\*_<>[]|#!~&"
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        parts, specials = [text], specials + "`"
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # inside a code span: only the table's pipe needs escaping
            out.append("`" + part.replace("|", "\\|") + "`")
        else:
            for char in specials:
                part = part.replace(char, "\\" + char)
            out.append(part)
    return "".join(out)


def step_summary(
    result: RunResult, cwd: Path | None = None, *, link_base: str | None = None
) -> str:
    """The Markdown a run appends to ``$GITHUB_STEP_SUMMARY``: a line of totals, a table per
    rule, and a table of the findings (the first MAX_SUMMARY_ROWS). ``link_base`` (such as
    ``https://github.com/o/r/blob/<sha>/``) turns each location into a link."""
    base = uri_base(result.roots)
    lines = ["## workerlint", "", summary_line(result), ""]
    stats = statistics(result)
    if stats:
        lines += ["| Rule | Level | Findings | Fixable |", "|---|---|---:|---:|"]
        lines += [
            f"| {s.code} `{s.name}` | {s.level.label} | {s.count} | {s.fixable} |" for s in stats
        ]
        lines += ["", "| Level | Rule | Location | Message |", "|---|---|---|---|"]
    items = locate(result, cwd)
    for item in items[:MAX_SUMMARY_ROWS]:
        d = item.diagnostic
        path = _repository_path(item, base)
        where = f"{path}:{item.start.line}:{item.start.column}"
        location = _cell(where)
        if link_base is not None and relative_to_base(d.path, base) is not None:
            location = f"[{location}]({link_base}{quote(path, safe='/')}#L{item.start.line})"
        lines.append(f"| {d.level.label} | {d.code} | {location} | {_cell(d.message)} |")
    if len(items) > MAX_SUMMARY_ROWS:
        lines += [
            "",
            f"{len(items) - MAX_SUMMARY_ROWS} more findings are not listed here; the job log "
            "or a SARIF report has them all.",
        ]
    return "\n".join(lines) + "\n"
