"""Job arguments through a task (RULES.md, "Job arguments"; WL401, WL402): the taint engine
(workerlint/taint.py) run with Python's spec (:mod:`.spec`) once per task and file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python.job_arguments.spec import PythonSpec
from workerlint.taint import Engine, Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task


def analyse_task(task: Task, function: Node, ctx: PythonContext) -> list[Finding]:
    """The findings of the job-argument data flow of a task whose body is ``function``
    (computed once per file: WL401 and WL402 share them)."""
    key = ("python-job-arguments", function.start_byte, function.end_byte)
    found: list[Finding] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = Engine(PythonSpec(task, function, ctx)).run()
    return found
