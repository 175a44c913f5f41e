"""The taint engine's spec for Python job arguments (RULES.md, "Job arguments"; PYTHON.md §2,
§9; WL401, WL402).

Sources: the parameters of the function a task runs, minus the bound ``self`` (a method, or a
``bind=True`` Celery task) and arq's ``ctx``. Derivations (:mod:`.derivations`), sanitizers
(:mod:`.sanitizers`) and sinks (:mod:`.sinks`) are Python's; the module's functions and the
class's methods are lowered (:mod:`workerlint.lang.python.lower`) when the engine enters them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from workerlint.lang.python.job_arguments import sanitizers
from workerlint.lang.python.job_arguments.derivations import Derivations
from workerlint.lang.python.job_arguments.sinks import Sinks
from workerlint.lang.python.lower import Lowering
from workerlint.taint import Call, Facts, Finding, Method, Op, Peek, Taint

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task

ARQ = "arq"


def lowering(ctx: PythonContext) -> Lowering:
    """The file's lowering, built once (every task of the file shares it)."""
    key = ("python-lowering", 0, 0)
    found: Lowering | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = Lowering(ctx.tree.root_node)
    return found


def bound_parameters(task: Task, function: Node, names: list[str]) -> int:
    """How many leading parameters of the task's function are not job arguments."""
    if not names:
        return 0
    if names[0] in ("self", "cls") or task.options.get("bind") is True:
        return 1
    return 1 if task.framework == ARQ and names[0] == "ctx" else 0


class PythonSpec:
    """The spec of one task (it lowers the module's functions as the engine asks)."""

    kinds = (sanitizers.INJECTION, sanitizers.SIZE)
    keywords_as_positional = False
    observed: frozenset[str] = frozenset()

    def __init__(self, task: Task, function: Node, ctx: PythonContext) -> None:
        self.task = task
        self.function = function
        self.ctx = ctx
        self.lowering = lowering(ctx)
        self.derivations = Derivations(ctx.semantic.qualified_name)
        self.sink_checks = Sinks(ctx)

    def sources(self) -> list[tuple[Method, list[str]]]:
        from workerlint.lang.python import nodes

        names = [name for name, _, _ in nodes.parameters(self.function)]
        drop = bound_parameters(self.task, self.function, names)
        method = self.lowering.lower_function(self.function, drop)
        return [(method, [p.name for p in method.params])]

    def method(self, name: str) -> Method | None:
        return self.lowering.method(name)

    def shared(self, name: str) -> bool:
        return name.startswith("self.")

    def guards(self, guard: object) -> tuple[Facts, Facts]:
        return sanitizers.guards(guard)  # type: ignore[arg-type]  # refs are tree-sitter nodes

    def asserts(self, call: Call) -> Facts:
        return self.derivations.asserts(call)

    def derive(self, call: Call, receiver: Taint, args: Sequence[Taint]) -> Taint:
        return self.derivations.derive(call, receiver, args)

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        return self.derivations.operate(op, operands)

    def block_values(self, call: Call, receiver: Taint, count: int) -> list[Taint]:
        return []

    def sinks(
        self, call: Call, receiver: Taint, args: Sequence[Taint], peek: Peek
    ) -> Iterable[Finding]:
        def peek_node(node: Node | None) -> Taint:  # the node's IR, evaluated again
            return peek(self.lowering.ir(node)) if node is not None else peek(None)

        return self.sink_checks.check(call, receiver, args, peek_node)
