"""JSON output: a stable contract other programs read (see README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workerlint import __version__
from workerlint.core.diagnostics import Fix, SourceText
from workerlint.core.output import Summary, locate
from workerlint.core.results import RunResult


def _fix(fix: Fix | None, source: SourceText | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        if source is None:
            continue
        start = source.position(edit.start)
        end = source.position(edit.end)
        edits.append(
            {
                "start_line": start.line,
                "start_column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "content": edit.content,
            }
        )
    return {"applicability": fix.applicability.value, "title": fix.title, "edits": edits}


def render(result: RunResult, cwd: Path | None = None) -> str:
    diagnostics = [
        {
            "code": item.diagnostic.code,
            "name": item.diagnostic.name,
            "level": item.diagnostic.level.label,
            "message": item.diagnostic.message,
            "path": item.path,
            "start_line": item.start.line,
            "start_column": item.start.column,
            "end_line": item.end.line,
            "end_column": item.end.column,
            "fix": _fix(item.diagnostic.fix, item.source),
        }
        for item in locate(result, cwd)
    ]
    document = {
        "version": __version__,
        "diagnostics": diagnostics,
        "summary": Summary.of(result).as_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
