"""Diagnostics, fixes and positions.

Diagnostics hold byte offsets into the file; only renderers turn them into lines and columns
(through :class:`SourceText`).
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import field
from functools import cached_property
from pathlib import Path

from workerlint.core.records import record


class Level(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares severity."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.strip().upper()]


class Applicability(enum.Enum):
    """Whether a fix may be applied automatically (Ruff's three levels)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@record(frozen=True, order=True)
class Span:
    """A byte range ``[start, end)`` in a file."""

    start: int
    end: int


@record(frozen=True, order=True)
class Edit:
    """Replace the bytes ``[start, end)`` with ``content``."""

    start: int
    end: int
    content: str


@record(frozen=True)
class Fix:
    applicability: Applicability
    title: str
    edits: tuple[Edit, ...]


@record(frozen=True)
class Diagnostic:
    code: str
    name: str
    level: Level
    message: str
    path: Path
    span: Span
    fix: Fix | None = None
    # Internal notes (internal errors) are not suppressible and not subject to selection.
    internal: bool = field(default=False, compare=False)
    # The weakness (a CWE number) of this finding, when its rule covers several (WL401: one per
    # kind of sink). Metadata for SARIF: it takes no part in equality, baselines or sorting.
    cwe: int | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.span.start, self.code)


@record(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in characters
    utf16_column: int  # 1-based, in UTF-16 code units (SARIF)


class SourceText:
    """A file's bytes with a line index, for turning byte offsets into positions."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    @cached_property
    def line_starts(self) -> list[int]:
        """The byte offset of each line's start, built when first asked (most files linted
        report nothing: their positions are never asked)."""
        starts = [0]
        pos = self.data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = self.data.find(b"\n", pos + 1)
        return starts

    def line_index(self, offset: int) -> int:
        """0-based line number of a byte offset."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_bytes(self, index: int) -> bytes:
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.data)
        return self.data[start:end].rstrip(b"\r\n")

    def line_text(self, index: int) -> str:
        return self.line_bytes(index).decode("utf-8", errors="replace")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.data)))
        index = self.line_index(offset)
        prefix = self.data[self.line_starts[index] : offset].decode("utf-8", errors="replace")
        utf16 = len(prefix.encode("utf-16-le")) // 2
        return Position(index + 1, len(prefix) + 1, utf16 + 1)

    def offset(self, line: int, column: int) -> int:
        """Byte offset of a 1-based line and 1-based character column."""
        index = max(0, min(line - 1, len(self.line_starts) - 1))
        start = self.line_starts[index]
        text = self.line_text(index)
        return start + len(text[: column - 1].encode("utf-8"))
