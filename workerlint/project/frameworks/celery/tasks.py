"""Celery tasks with their options as the configuration rules need them: a decorator keyword's
literal value and where it is written (``@shared_task(acks_late=True, time_limit=600)``).

Options given by ``task_annotations``, a ``base=`` class's attributes or ``task_cls`` are not
read: a rule that needs an option treats such a task by the global setting (and says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.facts import NOT_LITERAL
from workerlint.formats.values import Source, Value
from workerlint.lang.python import nodes
from workerlint.lang.python.index import CELERY, PythonIndex, Task
from workerlint.lang.python.unit import PythonUnit
from workerlint.project.frameworks.celery.pyvalues import source_of

if TYPE_CHECKING:
    from tree_sitter import Node


@record(frozen=True)
class TaskOption:
    task: Task
    value: Value  # a literal (known) or unknown, with the keyword value's source


def celery_tasks(index: PythonIndex) -> list[Task]:
    return tasks_of(index, CELERY)


def tasks_of(index: PythonIndex, framework: str) -> list[Task]:
    return [t for t in index.tasks if t.framework == framework]


class TaskOptions:
    """Decorator keywords of tasks, each file parsed once (through ``read``)."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self.read = read
        self._units: dict[str, PythonUnit | None] = {}

    def _unit(self, relpath: str) -> PythonUnit | None:
        if relpath not in self._units:
            data = self.read(relpath)
            self._units[relpath] = PythonUnit(relpath, data) if data is not None else None
        return self._units[relpath]

    def option(self, task: Task, name: str) -> TaskOption | None:
        """The keyword ``name`` of the task's decorator call, or None when not given."""
        decorator = task.decorator
        if decorator is None or decorator.call is None or not decorator.call.has_keyword(name):
            return None
        literal = decorator.call.keyword(name, NOT_LITERAL)
        source = self._source(task, name)
        if source is None:
            return None
        if literal is NOT_LITERAL:
            return TaskOption(task, Value(None, "unknown", source))
        return TaskOption(task, Value(literal, "known", source, literal=True))

    def argument(self, task: Task, position: int) -> TaskOption | None:
        """The positional argument of the task's decorator call (RQ's ``@job("emails")``)."""
        decorator = task.decorator
        if decorator is None or decorator.call is None or len(decorator.call.args) <= position:
            return None
        call = self._call(task)
        if call is None:
            return None
        node = nodes.arguments(call)[position]
        literal = decorator.call.args[position]
        source = source_of(task.relpath, node)
        if literal is NOT_LITERAL:
            return TaskOption(task, Value(None, "unknown", source))
        return TaskOption(task, Value(literal, "known", source, literal=True))

    def _call(self, task: Task) -> Node | None:
        decorator = task.decorator
        unit = self._unit(task.relpath)
        if decorator is None or unit is None:
            return None
        node = unit.tree.root_node.descendant_for_byte_range(decorator.start, decorator.end)
        while node is not None and node.type != "decorator":
            node = node.parent
        if node is None:
            return None
        return next((c for c in node.named_children if c.type == "call"), None)

    def _source(self, task: Task, name: str) -> Source | None:
        call = self._call(task)
        value = nodes.keywords(call).get(name) if call is not None else None
        return source_of(task.relpath, value) if value is not None else None
