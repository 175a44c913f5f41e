"""Reporting a Celery configuration finding at a Value's source, and the numbers rules compare."""

from __future__ import annotations

from workerlint.core.diagnostics import Level, Span
from workerlint.formats.values import Source, Value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.commands import WorkerCommand
from workerlint.project.frameworks.celery.pyvalues import plain


def report_at(
    ctx: ProjectContext, source: Source | None, message: str, level: Level | None = None
) -> bool:
    """Report at ``source`` when it is in a file of the project (not Celery's own default)."""
    if source is None or not source.relpath:
        return False
    ctx.report_at(source.relpath, Span(source.start, source.end), message, level=level)
    return True


def number(value: Value | None) -> float | None:
    """A known (or default) number, else None (``True`` is not a number)."""
    got = plain(value)
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return None
    return got


def seconds(value: float) -> str:
    return f"{int(value)} s" if float(value).is_integer() else f"{value} s"


def origin_beside(value: Value, command: WorkerCommand | None) -> str:
    """`` (where value is set)`` after a worker setting in a message, or nothing when it is set
    on the worker command's own line (``-c 64``): the command's label names that place already."""
    origin = f" ({value.origin()})"
    return "" if command is not None and origin.strip() in command.label else origin
