from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workerlint import Level, Rule, Span
from workerlint.lang.ruby import http, nodes, shown
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS, constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

ENQUEUE = frozenset({"perform_async", "perform_in", "perform_at", "perform_bulk"})
# Blocks that run later, not where they are written: after the commit, or when called.
_DEFERRED = frozenset(
    {"after_commit", "after_rollback", "after_save_commit", "after_create_commit",
     "after_update_commit", "after_destroy_commit", "after_transaction_commit", "lambda", "proc",
     "define_method", "define_singleton_method"}
)  # fmt: skip
_BOUNDARIES = frozenset({"method", "singleton_method", "class", "module", "singleton_class"})
# Classes whose `transaction` is not a database transaction.
_NOT_DATABASE = frozenset({"PStore", "YAML::Store", "Redis", "Redis::Namespace"})
_TRANSACTION_AWARE = "Sidekiq::TransactionAwareClient"


@dataclass(frozen=True)
class _Holder:
    kind: str  # "transaction" | "with_lock" | "lock!"
    call: Node
    label: str
    via: str = ""  # the method of the class, called inside the holder, that makes the call

    @property
    def line(self) -> int:
        return self.call.start_point[0] + 1


class ExternalCallInTransaction(Rule):
    """## What it does
    Reports an HTTP request made in worker code inside a database transaction: lexically inside
    a `transaction do` block (`ActiveRecord::Base.transaction`, `Order.transaction`,
    `order.transaction`), a `with_lock do` block, or after `record.lock!` in the same body. Also
    reports `perform_async`, `perform_in`, `perform_at` and `perform_bulk` there, unless
    `Sidekiq.transactional_push!` is configured in `config/**/*.rb` or the enqueued worker's
    `sidekiq_options` (or its base class's) set `client_class: Sidekiq::TransactionAwareClient`
    (`Sidekiq::TransactionAwareClient` made the default client in `config/**/*.rb` counts as
    transactional push).

    Not reported: calls in blocks that run later (`after_commit { }`, lambdas and procs), calls
    after the transaction block closes, calls through the `http-wrappers` setting, `transaction`
    on a project class that is not a model or on `PStore`/`YAML::Store`, `with_lock` on a
    constant or with a Symbol key (a Redis mutex, not a row lock), and ActiveJob's
    `perform_later` (Rails 7.2 can defer it to the commit itself). Methods are followed within
    the class: a method called bare or on `self` from inside a transaction (two calls deep)
    counts, and the message names it; methods of other classes and modules are not followed.

    ## Why is this bad?
    A transaction keeps its database connection checked out and its row locks held until it
    commits. An HTTP round trip inside it holds them for as long as the remote server takes:
    other jobs and web requests that need those rows wait, the connection pool drains, and a
    slow partner turns into lock timeouts and deadlocks. If the transaction then rolls back,
    the request has still been sent and cannot be undone.

    A job pushed inside a transaction is in Redis at once, before the commit: another Sidekiq
    thread can pick it up before the rows it needs are visible (`RecordNotFound`), or run it
    after the transaction rolled back.

    ## Example
    ```ruby
    class ShipOrderWorker
      include Sidekiq::Job

      def perform(order_id)
        order = Order.find(order_id)
        Order.transaction do
          order.update!(state: "shipped")
          HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
          ReceiptWorker.perform_async(order.id)
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class ShipOrderWorker
      include Sidekiq::Job

      def perform(order_id)
        order = Order.find(order_id)
        Order.transaction do
          order.update!(state: "shipped")
        end
        HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
        ReceiptWorker.perform_async(order.id)
      end
    end
    ```
    """

    code = "WL203"
    name = "external-call-in-transaction"
    level = Level.WARNING
    summary = "An HTTP request or a Sidekiq push inside a database transaction in worker code."
    tags = ("external-calls", "database")
    call_methods = http.REQUEST_METHODS | ENQUEUE

    def visit(self, node: Node, ctx: FileContext) -> None:
        name = method_name(node) or ""
        if name in ENQUEUE:
            self._enqueue(node, ctx)
            return
        found = http.classify(node, ctx)
        if found is None:
            return
        holder = _holder(node, ctx)
        if holder is None:
            return
        message = f"`{found.label}` {_place(holder)}: {_HELD[holder.kind]}{_UNDO}"
        ctx.report(_span(node), message)

    def _enqueue(self, node: Node, ctx: FileContext) -> None:
        recv = nodes.receiver(node)
        if recv is None and ctx.class_scope is None:
            return
        holder = _holder(node, ctx)
        if holder is None:
            return
        configured = ctx.index.transactional_push
        if configured is not None:
            ctx.skip(
                f"{ctx.relpath}:{node.start_point[0] + 1}: push in a transaction is deferred to "
                f"the commit (transactional push, {configured.path}:{configured.line})"
            )
            return
        worker = _enqueued_class(recv, ctx)
        if worker is not None:
            options = ctx.index.client_class_of(worker)
            written = (options.client_class or "") if options is not None else ""
            if written.removeprefix("::") == _TRANSACTION_AWARE:
                return
        label = f"{text(recv).split('(')[0]}.{method_name(node)}" if recv else method_name(node)
        message = (
            f"`{label}` {_place(holder)}: the job is pushed to Redis at once, not at the commit: "
            "it can run before its rows are committed, or after a rollback "
            "(`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)"
        )
        ctx.report(_span(node), message)


_HELD = {
    "transaction": "the transaction keeps its row locks and its database connection",
    "with_lock": "the row lock, its transaction and its database connection are held",
    "lock!": "the row lock lasts until the transaction commits, so it is held",
}
_UNDO = " for the whole HTTP round trip, and a rollback cannot undo the request"


def _place(holder: _Holder) -> str:
    where = "after" if holder.kind == "lock!" else "inside"
    place = f"{where} `{holder.label}` (line {holder.line})"
    return f"in `{holder.via}`, called {place}" if holder.via else place


def _span(call: Node) -> Span:
    return Span(*nodes.call_span(call))


def _label(call: Node) -> str:
    recv = nodes.receiver(call)
    name = method_name(call) or ""
    head = f"{text(recv)}.{name}" if recv is not None else name
    return shown.shorten(head, 60)


_HOLDER_WORDS = re.compile(rb"transaction|with_lock|lock!")


def _holder(call: Node, ctx: FileContext, depth: int = 0) -> _Holder | None:
    """The transaction, row lock or `lock!` the call is inside: lexically within its method, or
    through the method being called (bare or on self) from inside one in the same class."""
    scope = ctx.class_scope
    if depth == 0 and scope is not None and not _HOLDER_WORDS.search(scope.node.text or b""):
        return None  # no transaction or lock anywhere in the class: nothing can hold the call
    found = _lexical_holder(call, ctx)
    if found is not None or depth >= 2 or ctx.class_scope is None:
        return found
    method = nodes.enclosing_method(call)
    name = text(method.child_by_field_name("name")) if method is not None else ""
    if not name:
        return None
    sites = ctx.semantic.callers(ctx.class_scope, name, class_method=nodes.is_class_method(method))
    for site in sites:
        outer = _holder(site, ctx, depth + 1)
        if outer is not None:
            return _Holder(outer.kind, outer.call, outer.label, name)
    return None


def _lexical_holder(call: Node, ctx: FileContext) -> _Holder | None:
    """The innermost holder around the call; for a push, the block holding it first."""
    pushing = method_name(call) in ENQUEUE
    locked: _Holder | None = None
    current = call
    while (parent := current.parent) is not None and parent.type not in _BOUNDARIES:
        if parent.type == "lambda":
            return locked
        if parent.type in ("block", "do_block"):
            owner = parent.parent
            if owner is not None and owner.type == "call":
                name = method_name(owner) or ""
                if name in _DEFERRED or (
                    name == "new" and constant_path(nodes.receiver(owner)) == "Proc"
                ):
                    return locked
                if name == "transaction" and _is_transaction(owner, ctx):
                    return _Holder("transaction", owner, _label(owner))
                if name == "with_lock" and _is_row_lock(owner, ctx):
                    return _Holder("with_lock", owner, _label(owner))
        if parent.type in STATEMENT_PARENTS and locked is None:
            lock = _lock_before(parent, current)
            if lock is not None:
                locked = _Holder("lock!", lock, _label(lock))
                if not pushing:
                    return locked
        current = parent
    return locked


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


_SCOPES = frozenset({"block", "do_block", "lambda", *_BOUNDARIES})


def _is_model_scope(ctx: FileContext) -> bool:
    scope = ctx.class_scope
    return scope is not None and ctx.index.is_model(scope.facts.name)


def _is_transaction(owner: Node, ctx: FileContext) -> bool:
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


def _built_by(name: str, ctx: FileContext) -> str | None:
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


def _is_row_lock(owner: Node, ctx: FileContext) -> bool:
    recv = nodes.receiver(owner)
    if recv is None or text(recv) == "self":
        return _is_model_scope(ctx)
    if constant_path(recv) is not None:
        return False  # `RedisMutex.with_lock(:key)`: AR's with_lock is on a record
    args = nodes.arguments(owner)
    return not (args and args[0].type in ("simple_symbol", "delimited_symbol"))


def _enqueued_class(recv: Node | None, ctx: FileContext) -> str | None:
    if recv is None or text(recv) == "self.class" or text(recv) == "self":
        scope = ctx.class_scope
        return scope.facts.name if scope is not None else None
    root = recv
    while root.type == "call" and (inner := nodes.receiver(root)) is not None:
        root = inner  # `Worker.set(queue: "x").perform_async`
    const = constant_path(root)
    if const is None:
        return None
    return ctx.index.resolve(const.removeprefix("::"), lexical(ctx.class_scope))
