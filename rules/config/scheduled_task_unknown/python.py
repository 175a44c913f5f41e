"""WL113's check: a Celery beat entry (error) or ``send_task("name")`` (note) naming a task no
module of the project registers (PYTHON.md §3, §9)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.index import PythonIndex
    from workerlint.project.context import ProjectContext, PythonFileContext

BUILTIN_PREFIX = "celery."  # celery.backend_cleanup, celery.chord_unlock, ...
DISCARDED = (
    "the worker logs \"Received unregistered task of type '{name}'\" and discards the message"
)


@record(frozen=True)
class Unknown:
    """Why a task name is not registered, for the message."""

    name: str
    detail: str  # `shop/tasks.py` defines no `send_digests`; ...
    suggestion: str | None  # the nearest registered name


def unknown_task(name: str, index: PythonIndex) -> tuple[Unknown | None, str | None]:
    """(why ``name`` is unregistered, None) or (None, why it cannot be told: a reason for
    ``--verbose``); (None, None) when it is registered."""
    if name.startswith(BUILTIN_PREFIX):
        return None, None
    celery = [t for t in index.tasks if t.framework == CELERY]
    names = {t.name for t in celery}
    if name in names:
        return None, None
    if any(t.options.get("name") is NOT_LITERAL for t in celery):
        return None, "a task's `name=` is not a literal: it may be this one"
    top = name.split(".", 1)[0]
    if "." not in name or not any(m.split(".", 1)[0] == top for m in index.modules):
        return None, f"`{name}` is not in a module of this project (an installed package's task?)"
    module, _, function = name.rpartition(".")
    relpath = index.modules.get(module)
    if relpath is not None:
        facts = index.files[relpath]
        named = next((t for t in celery if t.relpath == relpath and t.qualname == function), None)
        if named is not None:
            detail = f"`{function}` in `{relpath}` is registered as `{named.name}`"
            return Unknown(name, detail, named.name), None
        if facts.function(function) is not None or facts.cls(function) is not None:
            return None, (
                f"`{relpath}` defines `{function}`, which is not recognised as a task (a "
                "decorator from a package? see the `task-decorators` setting)"
            )
        detail = f"`{relpath}` defines no `{function}`"
    else:
        detail = f"there is no module `{module}`"
    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.75)
    return Unknown(name, detail, close[0] if close else None), None


def _hint(found: Unknown) -> str:
    return f" (did you mean `{found.suggestion}`?)" if found.suggestion else ""


class ScheduleCheck(LanguageCheck):
    call_names = frozenset({"send_task"})
    worker_code_only = False

    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        index = ctx.python_index
        celery = ctx.celery
        if index is None or not celery.found:
            return
        for entry in celery.beat_entries:
            task = entry.task
            if task is None or task.source is None:
                continue
            if task.status == "unknown" or not isinstance(task.value, str):
                ctx.skip(f"{task.source.where}: beat entry `{entry.name}`: task name unknown")
                continue
            found, why = unknown_task(task.value, index)
            if why is not None:
                ctx.skip(f"{task.source.where}: beat entry `{entry.name}`: {why}")
            if found is None:
                continue
            source = task.source
            ctx.report_at(
                source.relpath,
                Span(source.start, source.end),
                f"the beat entry `{entry.name}` runs `{found.name}`, which no task of this "
                f"project is registered as ({found.detail}){_hint(found)}: each time it is due "
                f"{DISCARDED.format(name=found.name)}, so it never runs",
            )

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        args = nodes.arguments(node)
        name = nodes.string_value(args[0]) if args else None
        if name is None:
            return
        owner = nodes.receiver(node)
        qualified = ctx.semantic.qualified_name(owner) if owner is not None else None
        if qualified is None or ctx.index.app_framework(qualified) != CELERY:
            return
        found, why = unknown_task(name, ctx.index)
        if why is not None:
            ctx.skip(f"{ctx.relpath}:{nodes.line_of(node)}: `send_task({name!r})`: {why}")
        if found is None:
            return
        ctx.report(
            args[0],
            f"`send_task` names `{found.name}`, which no task of this project is registered as "
            f"({found.detail}){_hint(found)}: unless another service's worker registers it, "
            f"{DISCARDED.format(name=found.name)}",
            level=Level.NOTE,
        )
