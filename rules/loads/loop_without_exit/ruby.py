"""WL303's Ruby check: a loop in worker code with nothing that can end it holds its thread forever."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import constant_path, method_name

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext

KEYWORD_LOOPS = frozenset({"while", "until", "while_modifier", "until_modifier"})
# Constructs that own a `break` written inside them.
BREAK_OWNERS = KEYWORD_LOOPS | {"for", "block", "do_block", "lambda"}
# Definitions: nothing inside them runs as part of the loop.
DEFINITIONS = frozenset({"method", "singleton_method", "class", "module", "singleton_class"})
RAISING = frozenset({"raise", "fail", "throw", "exit", "exit!", "abort"})
TRUTHY = frozenset({"true", "integer", "float", "string", "simple_symbol", "array", "hash"})
FALSY = frozenset({"false", "nil"})
TIMEOUT_BLOCKS = frozenset({"timeout"})


class RubyLoopWithoutExitCheck(LanguageCheck):
    call_names = frozenset({"loop"})
    node_types = KEYWORD_LOOPS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type == "call":
            keyword, body, shown = self._loop_call(node)
        else:
            keyword, body, shown = self._keyword_loop(node)
        if keyword is None or _inside_timeout(node):
            return
        if body is not None and _has_exit(body, is_loop_call=node.type == "call"):
            return
        ctx.report(keyword, f"`{shown}` {_MSG}")

    def _loop_call(self, node: Node) -> tuple[Node | None, Node | None, str]:
        recv = nodes.receiver(node)
        if recv is not None and constant_path(recv) != "Kernel":
            return None, None, ""
        if [a for a in nodes.arguments(node) if a.type != "block_argument"]:
            return None, None, ""
        block = nodes.block(node)
        if block is None:
            return None, None, ""
        shown = "loop do" if block.type == "do_block" else "loop { }"
        return node.child_by_field_name("method"), block, shown

    def _keyword_loop(self, node: Node) -> tuple[Node | None, Node | None, str]:
        word = "while" if node.type.startswith("while") else "until"
        condition = node.child_by_field_name("condition")
        while condition is not None and condition.type == "parenthesized_statements":
            kids = condition.named_children
            condition = kids[0] if len(kids) == 1 else None
        if condition is None:
            return None, None, ""
        endless = TRUTHY if word == "while" else FALSY
        if condition.type not in endless:
            return None, None, ""
        keyword = next((c for c in node.children if c.type == word), None)
        written = nodes.text(node.child_by_field_name("condition"))
        return keyword, node.child_by_field_name("body"), f"{word} {written}"


def _has_exit(body: Node, *, is_loop_call: bool) -> bool:
    stack = [body]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in DEFINITIONS and node != body:
            continue
        if kind == "break" and _owner(node, body) is None:
            return True
        if kind == "return" and not _in_lambda(node, body):
            return True
        if kind in ("call", "identifier"):
            name = method_name(node)
            if name in RAISING:
                return True
            if kind == "call" and is_loop_call and name == "next" and nodes.receiver(node):
                return True
        stack.extend(node.children)
    return False


def _owner(node: Node, body: Node) -> Node | None:
    """The construct below ``body`` that owns a ``break`` (None: the loop itself)."""
    current = node.parent
    while current is not None and current != body:
        if current.type in BREAK_OWNERS:
            return current
        current = current.parent
    return None


def _in_lambda(node: Node, body: Node) -> bool:
    current = node.parent
    while current is not None and current != body:
        if current.type == "lambda":
            return True
        if current.type in ("block", "do_block"):
            call = current.parent
            if call is not None and method_name(call) in ("lambda", "define_method"):
                return True
        current = current.parent
    return False


def _inside_timeout(node: Node) -> bool:
    """Inside ``Timeout.timeout(n) { }``: the timeout ends the loop."""
    current = node.parent
    while current is not None and current.type not in DEFINITIONS:
        if current.type in ("block", "do_block"):
            call = current.parent
            if call is not None and method_name(call) in TIMEOUT_BLOCKS:
                return True
        current = current.parent
    return False


_MSG = (
    "has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and "
    "holds its worker thread until the process stops (then it is pushed back to its queue and "
    "loops again); poll one round per job and re-enqueue instead"
)
