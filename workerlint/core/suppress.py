"""Inline ``workerlint:disable`` comments and per-file ignores.

``# workerlint:disable WL201`` after code silences that line; on its own line it opens a region
closed by ``# workerlint:enable``; ``# workerlint:disable-next-line WL201`` silences the next line.
Rules may be named by code or name; a reason may follow `` -- ``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import field

from workerlint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, SourceText
from workerlint.core.records import record

_DIRECTIVE = re.compile(
    rb"#\s*workerlint:(?P<verb>disable-next-line|disable|enable)\b(?P<rest>[^\r\n]*)"
)


@record
class Suppression:
    line: int  # 1-based line of the comment
    verb: str
    tokens: tuple[str, ...]  # as written; empty = every rule
    codes: tuple[str | None, ...]  # resolved codes (None for an unknown token)
    start: int  # byte offset of the ``#``
    end: int  # end of the comment
    own_line: bool
    first: int = 0  # first line covered (1-based)
    last: int = 0  # last line covered (inclusive)
    used: set[str] = field(default_factory=set)

    def covers(self, line: int, code: str) -> bool:
        if not self.first <= line <= self.last:
            return False
        return not self.tokens or code in self.codes


def directive_starts(data: bytes) -> list[int]:
    """Where each ``# workerlint:`` directive-like text starts (``parse`` keeps those that are
    comments)."""
    return [match.start() for match in _DIRECTIVE.finditer(data)]


def parse(
    source: SourceText,
    resolve: Callable[[str], str | None],
    is_comment: Callable[[int], bool] = lambda _offset: True,
) -> list[Suppression]:
    """Every directive in a file, with the lines it covers."""
    found: list[Suppression] = []
    open_regions: list[Suppression] = []
    data = source.data
    for match in _DIRECTIVE.finditer(data):
        start = match.start()
        if not is_comment(start):
            continue
        index = source.line_index(start)
        line_start = source.line_starts[index]
        own_line = data[line_start:start].strip() == b""
        rest = match.group("rest").decode("utf-8", errors="replace")
        rest = rest.split("--", 1)[0]
        tokens = tuple(t for t in re.split(r"[\s,]+", rest.strip()) if t)
        verb = match.group("verb").decode()
        item = Suppression(
            line=index + 1,
            verb=verb,
            tokens=tokens,
            codes=tuple(resolve(t) for t in tokens),
            start=start,
            end=match.end(),
            own_line=own_line,
        )
        if verb == "enable":
            _close(open_regions, item)
            continue
        if verb == "disable-next-line":
            item.first = item.last = index + 2
        elif own_line:
            item.first, item.last = index + 1, source.line_count
            open_regions.append(item)
        else:
            item.first = item.last = index + 1
        found.append(item)
    return found


def _close(open_regions: list[Suppression], enable: Suppression) -> None:
    for region in reversed(open_regions):
        if not enable.tokens or set(enable.codes) & set(region.codes) or not region.tokens:
            region.last = enable.line
            open_regions.remove(region)
            if enable.tokens:
                return


def apply(
    diagnostics: Iterable[Diagnostic], suppressions: list[Suppression], source: SourceText
) -> list[Diagnostic]:
    """Drop suppressed diagnostics, recording which suppression was used."""
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.internal or not suppressions:
            kept.append(diagnostic)
            continue
        line = source.line_index(diagnostic.span.start) + 1
        hit = next((s for s in suppressions if s.covers(line, diagnostic.code)), None)
        if hit is None:
            kept.append(diagnostic)
        else:
            hit.used.add(diagnostic.code)
    return kept


def per_file_ignored(
    relpath: str, code: str, name: str, table: Iterable[tuple[str, tuple[str, ...]]]
) -> bool:
    for glob, tokens in table:
        if fnmatch.fnmatchcase(relpath, glob) or fnmatch.fnmatchcase(
            relpath, glob.rstrip("/") + "/*"
        ):
            for token in tokens:
                upper = token.upper()
                if (
                    upper == "ALL"
                    or token == name
                    or (upper.startswith("WL") and code.startswith(upper))
                ):
                    return True
    return False


def removal(item: Suppression, source: SourceText, kept: list[str]) -> Fix:
    """The safe fix that removes a suppression comment, or keeps only the codes ``kept``."""
    data = source.data
    if kept:
        text = data[item.start : item.end].decode("utf-8")
        verb_end = text.index(item.verb) + len(item.verb)
        reason = text.split(" -- ", 1)[1] if " -- " in text else None
        new = text[:verb_end] + " " + ", ".join(kept) + (f" -- {reason}" if reason else "")
        edit = Edit(item.start, item.end, new)
        title = f"keep only {', '.join(kept)} in the suppression"
    elif item.own_line:
        index = item.line - 1
        start = source.line_starts[index]
        end = source.line_starts[index + 1] if index + 1 < source.line_count else len(data)
        edit = Edit(start, end, "")
        title = "remove the unused suppression comment"
    else:
        start = item.start
        while start > 0 and data[start - 1 : start] in (b" ", b"\t"):
            start -= 1
        edit = Edit(start, item.end, "")
        title = "remove the unused suppression comment"
    return Fix(Applicability.SAFE, title, (edit,))
