"""The taint engine's spec for Ruby job arguments (RULES.md, "Job arguments"; WL401, WL402).

Sources: ``perform``'s parameters (``each_iteration``'s after the item, unless
``build_enumerator`` iterates a job argument, and ``build_enumerator``'s but ``cursor``, for
Sidekiq::IterableJob). Derivations (:mod:`.derivations`), sanitizers (:mod:`.sanitizers`) and
sinks (:mod:`.sinks`) are Ruby's and the rules'; the methods of the class are lowered
(:mod:`workerlint.lang.ruby.lower`) when the engine first enters them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_arguments import derivations, sanitizers, sinks
from workerlint.lang.ruby.lower import Lowering
from workerlint.lang.ruby.nodes import method_name
from workerlint.taint import Call, Facts, Finding, Method, Op, Peek, Taint

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.model import ClassScope

ENTRIES = ("perform", "each_iteration", "build_enumerator")


class RubySpec:
    """The spec of one worker class (it lowers the class's methods as the engine asks)."""

    kinds = (sanitizers.INJECTION, sanitizers.SIZE)
    keywords_as_positional = True  # keyword arguments to a method without keywords: a Hash
    observed: frozenset[str] = frozenset()  # sinks are asked only where taint reaches

    def __init__(self, scope: ClassScope, ctx: RubyContext) -> None:
        self.scope = scope
        self.ctx = ctx
        self.lowering = Lowering(scope, ctx.semantic)

    def sources(self) -> list[tuple[Method, list[str]]]:
        found: list[tuple[Method, list[str]]] = []
        for name in ENTRIES:
            for node in self.scope.methods.get(name, [])[-1:]:
                if node.type != "method":
                    continue
                method = self.lowering.lower_method(node)
                names = [p.name for p in method.params]
                if name == "each_iteration" and names and not self._items_are_arguments():
                    names = names[1:]  # the item comes from the enumerator, not the job
                if name == "build_enumerator":
                    names = [n for n in names if n != "cursor"]
                found.append((method, names))
        return found

    def _items_are_arguments(self) -> bool:
        """Whether ``build_enumerator`` iterates a job argument (``array_enumerator(ids, ...)``)."""
        for method in self.scope.methods.get("build_enumerator", [])[-1:]:
            for node in nodes.descendants(method):
                if node.type == "call" and method_name(node) == "array_enumerator":
                    return True
        return False

    def method(self, name: str) -> Method | None:
        if name in sinks.KERNEL_SINKS:  # `send` is a sink, not a method to follow
            return None
        return self.lowering.method(name)

    def shared(self, name: str) -> bool:
        return name.startswith("@")  # instance (and class) variables

    def guards(self, guard: object) -> tuple[Facts, Facts]:
        return sanitizers.guards(_node(guard))

    def asserts(self, call: Call) -> Facts:
        return derivations.asserts(call)

    def derive(self, call: Call, receiver: Taint, args: Sequence[Taint]) -> Taint:
        return derivations.derive_call(call, receiver, args)

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        return derivations.operate(op, operands)

    def block_values(self, call: Call, receiver: Taint, count: int) -> list[Taint]:
        return derivations.block_values(call, receiver, count)

    def sinks(
        self, call: Call, receiver: Taint, args: Sequence[Taint], peek: Peek
    ) -> Iterable[Finding]:
        def peek_node(node: Node | None) -> Taint:  # the node's IR, evaluated again
            return peek(self.lowering.ir(node))

        return sinks.check(call, receiver, args, sinks.Probe(self.ctx, peek_node))


def _node(ref: object) -> Node:
    return ref  # type: ignore[return-value]  # the IR's refs are tree-sitter nodes
