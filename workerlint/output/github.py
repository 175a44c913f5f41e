"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from pathlib import Path

from workerlint.diagnostics import Level
from workerlint.engine import RunResult
from workerlint.output import locate

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, cwd: Path | None = None) -> str:
    lines = []
    for item in locate(result, cwd):
        d = item.diagnostic
        props = (
            f"file={_property(item.path)},line={item.start.line},col={item.start.column},"
            f"endLine={item.end.line},endColumn={item.end.column},"
            f"title={_property(f'{d.code} {d.name}')}"
        )
        lines.append(f"::{_COMMANDS[d.level]} {props}::{_escape(f'{d.code} {d.message}')}")
    return "".join(line + "\n" for line in lines)
