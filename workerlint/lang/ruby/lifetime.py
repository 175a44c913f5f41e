"""How long something built in worker code lives, and bare Kernel calls (`sleep`, `fork`).

Used by the WL5 rules: a connection or thread built in a method is kept as long as what holds it.
``lifetime(node, ctx)`` follows the value of ``node`` up the tree to where it is stored:

- ``PROCESS``: a constant, a class variable, a global, a class-level instance variable (assigned in
  a class method), an element of one of those, `Thread.current[...]`, or a
  `compute_if_absent`/`fetch_or_store` block on one of those: built once per process (or thread).
- ``INSTANCE``: an `@ivar` assigned in an instance method (or an `initialize` parameter default):
  it lives as long as the object; a job instance lives for one job.
- ``CALL``: a local, an argument, a discarded value (or one used as the receiver of a call whose
  result is kept instead), or the return value of a method whose callers in the class use it per
  call: built every time the code runs.
- ``UNKNOWN``: in a lambda, in an attribute or element of an unknown object, or returned from a
  class method the class never calls.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import enclosing_method, is_class_method
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.semantic import SemanticModel

    Builds = Callable[[Node], bool]


class Lifetime(Enum):
    CALL = "call"
    INSTANCE = "instance"
    PROCESS = "process"
    UNKNOWN = "unknown"
    INSIDE = "inside"  # built inside another builder (a pool's block): the outer one is judged


@record(frozen=True)
class Held:
    """Where a built value ends up: its lifetime, and the variable holding it (if any)."""

    lifetime: Lifetime
    holder: str | None = None  # `@redis`, `redis`: for messages


METHODS = frozenset({"method", "singleton_method"})
_DEFINITIONS = frozenset({"class", "module", "singleton_class", "program"})
# Statement lists: the value passes through only when it is the last statement.
_SEQUENCES = frozenset({"body_statement", "begin", "then", "else", "block_body", "do"})
# Expressions whose value may be the value of their operand.
_PASS_THROUGH = frozenset(
    {"if", "unless", "conditional", "case", "when", "binary", "rescue_modifier", "if_modifier",
     "unless_modifier", "argument_list", "pair", "array", "hash", "splat_argument",
     "hash_splat_argument", "block_argument", "parenthesized_statements"}
)  # fmt: skip
# Methods returning their receiver: `Bunny.new.tap(&:start)` is still the connection.
_RETURNS_SELF = frozenset({"tap", "start", "itself", "freeze"})
_PROCESS_TARGETS = frozenset({"class_variable", "global_variable", "constant", "scope_resolution"})
_MEMO_BLOCK_CALLS = frozenset({"compute_if_absent", "fetch_or_store"})
_CALLABLES = frozenset({"lambda", "proc"})
MAX_DEPTH = 4


def lifetime(node: Node, ctx: RubyContext, builds: Builds | None = None) -> Held:
    """Where the value of ``node`` (a call building something) is kept.

    ``builds`` tells calls that build a holder themselves (a connection pool around a
    connection): a value built in the arguments or block of one of them is ``INSIDE``.
    """
    return _lifetime(node, ctx, builds or _never, 0, set())


def _never(call: Node) -> bool:
    return False


def _lifetime(node: Node, ctx: RubyContext, builds: Builds, depth: int, seen: set[int]) -> Held:
    current = node
    in_block = False  # climbed out of a block: a class-level call's block runs later
    discarded = False  # used as a receiver: what follows holds a result, not the object
    while True:
        parent = current.parent
        if parent is None:
            return Held(Lifetime.UNKNOWN)
        kind = parent.type
        if kind in ("assignment", "operator_assignment"):
            if parent.child_by_field_name("right") != current:
                return Held(Lifetime.UNKNOWN)
            held = _target(parent.child_by_field_name("left"), parent)
            if discarded and held.lifetime is not Lifetime.PROCESS:
                return Held(Lifetime.CALL)
            return held
        if kind in METHODS:
            return _returned(parent, ctx, builds, depth, seen, discarded)
        if kind in _DEFINITIONS:
            return _class_body(in_block)
        if kind == "lambda":
            return Held(Lifetime.UNKNOWN)
        if kind in ("optional_parameter", "keyword_parameter"):
            method = enclosing_method(parent)
            name = method.child_by_field_name("name") if method is not None else None
            if name is not None and nodes.text(name) == "initialize":
                return Held(Lifetime.INSTANCE)
            return Held(Lifetime.CALL)
        if kind in _SEQUENCES:
            if _last_statement(parent) != current:
                return Held(Lifetime.CALL)  # a statement whose value is dropped
            if kind == "body_statement" and parent.parent is not None:
                owner = parent.parent
                if owner.type in METHODS:
                    return _returned(owner, ctx, builds, depth, seen, discarded)
                if owner.type in _DEFINITIONS:
                    return _class_body(in_block)
            current = parent
            continue
        if kind in ("block", "do_block"):
            call = parent.parent
            if call is None or call.type != "call":
                return Held(Lifetime.UNKNOWN)
            name = nodes.method_name(call)
            if name in _CALLABLES or (
                name == "new" and nodes.constant_path(nodes.receiver(call)) == "Proc"
            ):
                return Held(Lifetime.UNKNOWN)
            if builds(call):
                return Held(Lifetime.INSIDE)
            if name in _MEMO_BLOCK_CALLS and _process_receiver(nodes.receiver(call)):
                return Held(Lifetime.PROCESS)
            in_block = True
            current = call
            continue
        if kind == "call":
            if parent.child_by_field_name("method") == current:
                return Held(Lifetime.UNKNOWN)
            if builds(parent):
                return Held(Lifetime.INSIDE)
            if (
                parent.child_by_field_name("receiver") == current
                and nodes.method_name(parent) not in _RETURNS_SELF
            ):
                discarded = True
            current = parent
            continue
        if kind in _PASS_THROUGH:
            owner = parent.parent
            if kind == "argument_list" and owner is not None and builds(owner):
                return Held(Lifetime.INSIDE)
            current = parent
            continue
        return Held(Lifetime.CALL)


def _target(left: Node | None, assignment: Node) -> Held:
    if left is None:
        return Held(Lifetime.UNKNOWN)
    kind = left.type
    label = nodes.text(left)
    if kind == "identifier":
        return Held(Lifetime.CALL, label)
    if kind in _PROCESS_TARGETS:
        return Held(Lifetime.PROCESS, label)
    if kind == "instance_variable":
        method = enclosing_method(assignment)
        if method is None or is_class_method(method):
            return Held(Lifetime.PROCESS, label)
        return Held(Lifetime.INSTANCE, label)
    if kind == "element_reference" and _process_receiver(left.named_children[0]):
        return Held(Lifetime.PROCESS, label)
    return Held(Lifetime.UNKNOWN, label)


def _process_receiver(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type in _PROCESS_TARGETS:
        return True
    return nodes.text(node).removeprefix("::") == "Thread.current"


def _last_statement(sequence: Node) -> Node | None:
    children = [c for c in sequence.named_children if c.type != "comment"]
    if sequence.type == "begin":
        children = [c for c in children if c.type not in ("rescue", "else", "ensure")]
    return children[-1] if children else None


def _class_body(in_block: bool) -> Held:
    """A statement of a class body: run once at load, unless it is in a (callback) block."""
    return Held(Lifetime.CALL if in_block else Lifetime.PROCESS)


def _returned(
    method: Node, ctx: RubyContext, builds: Builds, depth: int, seen: set[int], discarded: bool
) -> Held:
    """The value is what ``method`` returns: judged by how the class calls it."""
    name_node = method.child_by_field_name("name")
    scope = ctx.class_scope
    if name_node is None or scope is None or depth >= MAX_DEPTH or method.id in seen:
        return Held(Lifetime.UNKNOWN)
    seen.add(method.id)
    name = nodes.text(name_node)
    class_method = is_class_method(method)
    helds = [
        _lifetime(call, ctx, builds, depth + 1, seen)
        for call in ctx.semantic.callers(scope, name, class_method=class_method)
    ]
    seen.discard(method.id)
    if not helds:
        return Held(Lifetime.UNKNOWN if class_method and not discarded else Lifetime.CALL)
    if discarded and all(h.lifetime is not Lifetime.PROCESS for h in helds):
        return Held(Lifetime.CALL)
    for wanted in (Lifetime.CALL, Lifetime.INSTANCE, Lifetime.UNKNOWN):
        if any(h.lifetime is wanted for h in helds):
            return Held(wanted)
    return Held(Lifetime.PROCESS)


def bare_call(identifier: Node, model: SemanticModel) -> bool:
    """A bare identifier that Ruby runs as a method call (`sleep`, `pid = fork`, `x if y`)."""
    parent = identifier.parent
    if parent is None or identifier.type != "identifier":
        return False
    if parent.type in ("assignment", "operator_assignment"):
        if parent.child_by_field_name("right") != identifier:
            return False
    elif parent.type not in _BARE_PARENTS:
        return False
    return not model.is_local(identifier)


_BARE_PARENTS = frozenset(
    {*nodes.STATEMENT_PARENTS, "if_modifier", "unless_modifier", "while_modifier",
     "until_modifier", "rescue_modifier", "binary", "conditional"}
)  # fmt: skip
# Node types a rule subscribes to so that bare identifiers outside statement position are seen.
BARE_CONTAINERS = frozenset(
    {"if_modifier", "unless_modifier", "while_modifier", "until_modifier", "rescue_modifier",
     "binary", "conditional", "assignment"}
)  # fmt: skip


def bare_identifiers(container: Node, name: str, model: SemanticModel) -> Iterator[Node]:
    """Identifiers named ``name`` directly under ``container`` that Ruby runs as calls."""
    for child in container.named_children:
        if child.type == "identifier" and nodes.text(child) == name and bare_call(child, model):
            yield child


def where_it_runs(ctx: RubyContext) -> str:
    """`on every job run` in a worker class; `on every call of `X.m`` in helper code."""
    scope = ctx.class_scope
    method = ctx.method
    if scope is None or method is None or ctx.index.is_worker(scope.facts.name):
        return "on every job run"
    name = nodes.text(method.child_by_field_name("name"))
    separator = "." if is_class_method(method) else "#"
    return f"on every call of `{scope.facts.name}{separator}{name}`"


def defines_method(ctx: RubyContext, name: str) -> bool:
    """Whether the class in scope defines a method ``name`` (a bare call then calls it)."""
    scope = ctx.class_scope
    return scope is not None and name in scope.methods


def core_constant(receiver: Node | None, ctx: RubyContext) -> str | None:
    """The constant ``receiver`` names (`Thread`, `Process`), unless the project defines a class
    it resolves to instead: `Forum::Thread`, or a model `class Thread < ApplicationRecord` (a
    reopening of the core class, with no superclass written, still counts)."""
    path = nodes.constant_path(receiver)
    if path is None:
        return None
    bare = path.removeprefix("::")
    rooted = nodes.text(receiver).startswith("::")
    resolved = ctx.index.resolve(bare, () if rooted else lexical(ctx.class_scope))
    if resolved is None:
        return bare
    if resolved != bare:
        return None
    _, written = ctx.index.superclass_of(resolved)
    return None if written else bare
