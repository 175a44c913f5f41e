"""Where code runs inside a database transaction or a row lock (WL203).

A **holder** keeps a database connection checked out and, for a lock, rows locked, until it
ends: the block of ``X.transaction do`` (on a model, ``ActiveRecord::Base``, a record, or bare in
a model), of ``record.with_lock do``, and the statements after ``record.lock!`` in the same body
(the lock lasts until the transaction around it commits). Blocks that run later are not inside
it: ``after_commit { }`` and friends, lambdas and procs, ``define_method``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes, shown
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS, constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

HOLDER_METHODS = frozenset({"transaction", "with_lock", "lock!"})
# Blocks that run later, not where they are written: after the commit, or when called.
DEFERRED = frozenset(
    {"after_commit", "after_rollback", "after_save_commit", "after_create_commit",
     "after_update_commit", "after_destroy_commit", "after_transaction_commit", "lambda", "proc",
     "define_method", "define_singleton_method"}
)  # fmt: skip
BOUNDARIES = frozenset({"method", "singleton_method", "class", "module", "singleton_class"})
# Classes whose `transaction` is not a database transaction.
_NOT_DATABASE = frozenset({"PStore", "YAML::Store", "Redis", "Redis::Namespace"})
_HOLDER_WORDS = re.compile(rb"transaction|with_lock|lock!")
_SCOPES = frozenset({"block", "do_block", "lambda", *BOUNDARIES})


@record(frozen=True)
class Holder:
    kind: str  # "transaction" | "with_lock" | "lock!"
    call: Node
    label: str

    @property
    def line(self) -> int:
        return self.call.start_point[0] + 1

    def place(self) -> str:
        """``inside `Order.transaction` (line 6)`` / ``after `order.lock!` (line 9)``."""
        where = "after" if self.kind == "lock!" else "inside"
        return f"{where} `{self.label}` (line {self.line})"


def may_hold(ctx: RubyContext) -> bool:
    """False when nothing in the class around the walk can hold a transaction or a lock."""
    scope = ctx.class_scope
    if scope is None:
        return True
    key = ("may-hold", scope.node.start_byte, scope.node.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = bool(_HOLDER_WORDS.search(scope.node.text or b""))
    return bool(ctx.memo[key])


def holder_around(node: Node, ctx: RubyContext, *, pushing: bool = False) -> Holder | None:
    """The innermost holder around ``node`` within its method; for a push (``pushing``), the
    transaction or lock block holding it first, then a ``lock!`` before it."""
    if not may_hold(ctx):
        return None
    locked: Holder | None = None
    locks = _has_lock(node, ctx)
    current = node
    while (parent := current.parent) is not None and parent.type not in BOUNDARIES:
        if parent.type == "lambda":
            return locked
        if parent.type in ("block", "do_block"):
            owner = parent.parent
            if owner is not None and owner.type == "call":
                name = method_name(owner) or ""
                if name in DEFERRED or (
                    name == "new" and constant_path(nodes.receiver(owner)) == "Proc"
                ):
                    return locked
                held = block_holder(owner, ctx)
                if held is not None:
                    return held
        if locks and parent.type in STATEMENT_PARENTS and locked is None:
            lock = _lock_before(parent, current)
            if lock is not None:
                locked = Holder("lock!", lock, label(lock))
                if not pushing:
                    return locked
        current = parent
    return locked


def _has_lock(node: Node, ctx: RubyContext) -> bool:
    """Whether the method (or top-level code) around ``node`` calls ``lock!`` anywhere."""
    scope = node
    while scope.parent is not None and scope.type not in BOUNDARIES:
        scope = scope.parent
    key = ("has-lock", scope.start_byte, scope.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = b"lock!" in (scope.text or b"")
    return bool(ctx.memo[key])


def block_holder(call: Node, ctx: RubyContext) -> Holder | None:
    """The holder a ``transaction``/``with_lock`` call with a block is, if it is one."""
    name = method_name(call) or ""
    if name == "transaction" and is_transaction(call, ctx):
        return Holder("transaction", call, label(call))
    if name == "with_lock" and is_row_lock(call, ctx):
        return Holder("with_lock", call, label(call))
    return None


def label(call: Node) -> str:
    recv = nodes.receiver(call)
    name = method_name(call) or ""
    head = f"{text(recv)}.{name}" if recv is not None else name
    return shown.shorten(head, 60)


def _lock_before(body: Node, statement: Node) -> Node | None:
    """A ``x.lock!`` call in a statement before ``statement`` in the same body."""
    found = None
    for sibling in body.named_children:
        if sibling.start_byte >= statement.start_byte:
            break
        for node in _outside_blocks(sibling):
            if node.type == "call" and method_name(node) == "lock!":
                recv = nodes.receiver(node)
                if recv is not None and constant_path(recv) is None:
                    found = node
    return found


def _outside_blocks(node: Node) -> list[Node]:
    """``node`` and its descendants, not entering blocks (a lock taken in a transaction block
    is released when the block ends) or nested definitions."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if current.type in _SCOPES:
            continue
        stack.extend(c for c in current.named_children if c.type not in _SCOPES)
    return found


def _is_model_scope(ctx: RubyContext) -> bool:
    scope = ctx.class_scope
    return scope is not None and ctx.index.is_model(scope.facts.name)


def is_transaction(owner: Node, ctx: RubyContext) -> bool:
    recv = nodes.receiver(owner)
    if recv is None or text(recv) == "self":
        return _is_model_scope(ctx)
    const = constant_path(recv)
    if const is not None:
        bare = const.removeprefix("::")
        if bare in ("ActiveRecord::Base", "ApplicationRecord"):
            return True
        resolved = ctx.index.resolve(bare, lexical(ctx.class_scope))
        if resolved is not None:
            return ctx.index.is_model(resolved)
        return bare not in _NOT_DATABASE
    if recv.type in ("identifier", "instance_variable"):
        built = _built_by(text(recv), ctx)
        if built is not None and built in _NOT_DATABASE:
            return False
    return True


def _built_by(name: str, ctx: RubyContext) -> str | None:
    """``store = PStore.new(...)`` in the class: the constant ``name`` was built from."""
    scope = ctx.class_scope
    if scope is None:
        return None
    for node in nodes.descendants(scope.node):
        if node.type not in ("assignment", "operator_assignment"):
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or text(left) != name or right.type != "call":
            continue
        if method_name(right) == "new":
            return constant_path(nodes.receiver(right))
    return None


def is_row_lock(owner: Node, ctx: RubyContext) -> bool:
    recv = nodes.receiver(owner)
    if recv is None or text(recv) == "self":
        return _is_model_scope(ctx)
    if constant_path(recv) is not None:
        return False  # `RedisMutex.with_lock(:key)`: AR's with_lock is on a record
    args = nodes.arguments(owner)
    return not (args and args[0].type in ("simple_symbol", "delimited_symbol"))
