"""WL501's Ruby check: a connection opened in worker code, anew on every job run."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Span
from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.connections import CALLS, connection_open
from workerlint.lang.ruby.lifetime import Lifetime, lifetime, where_it_runs
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext


@record(frozen=True)
class _Kind:
    opens: str  # what the call opens, after "opens a new" / "builds a new"
    instead: str  # the alternative, for the message and the suggestion


_REDIS = _Kind(
    "opens a new Redis connection",
    "borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one "
    "`ConnectionPool` for the process in a constant",
)
_SQL = "use ActiveRecord's pool if it is the app's database, or keep one `ConnectionPool` for the "
_POOL = _Kind(
    "builds a new connection pool, whose connections are opened anew,",
    "build the pool once, in a constant or an initializer",
)
# What each kind of connection (lang/ruby/libraries/connections.py) opens, and what to do.
_PHRASES = {
    "redis": _REDIS,
    "pool": _POOL,
    "redlock": _Kind(
        "builds a new Redlock client, with Redis connections of its own,",
        "build the client once, in a constant or an initializer",
    ),
    "postgresql": _Kind("opens a new PostgreSQL connection", _SQL + "process in a constant"),
    "mysql": _Kind("opens a new MySQL connection", _SQL + "process in a constant"),
    "rabbitmq": _Kind(
        "opens a new RabbitMQ connection",
        "open one connection per process (a constant or an initializer) and a channel per thread",
    ),
    "mongodb": _Kind(
        "builds a new MongoDB client, with a connection pool of its own,",
        "build one client per process, in a constant or an initializer",
    ),
    "redis-pool": _Kind(
        "builds a new pool of Redis connections",
        "build the pool once, in a constant or an initializer",
    ),
}
_SUGGESTIONS = {
    "redis": "use `Sidekiq.redis { |conn| ... }` for Sidekiq's Redis, or one pool per process: "
    "`REDIS = ConnectionPool.new(size: 5) { Redis.new(...) }` and `REDIS.with { |conn| ... }`",
    "sql": "keep one pool per process: `DB = ConnectionPool.new(size: 5) { ... }` and "
    "`DB.with { |conn| ... }` (or ActiveRecord's pool for the app's own database)",
}


@record(frozen=True)
class Connection:
    label: str  # `Redis.new`, `RedisClient.config(...).new_client`
    kind: _Kind
    constant: str


def classify(call: Node, ctx: FileContext) -> Connection | None:
    """The connection a call opens (the fact), with what WL501 says of its kind."""
    found = connection_open(call, ctx)
    if found is None:
        return None
    return Connection(found.label, _PHRASES[found.kind], found.constant)


class RubyConnectionPerJobCheck(LanguageCheck):
    call_names = CALLS

    def visit(self, node: Node, ctx: FileContext) -> None:
        found = classify(node, ctx)
        if found is None:
            return
        held = lifetime(node, ctx, builds=lambda call: classify(call, ctx) is not None)
        where = where_it_runs(ctx)
        kept = ""
        line = node.start_point[0] + 1
        if held.lifetime is Lifetime.INSTANCE:
            scope = ctx.class_scope
            if scope is None or not ctx.index.is_worker(scope.facts.name):
                ctx.skip(
                    f"{ctx.relpath}:{line}: `{found.label}` is kept in `{held.holder}` of an "
                    "object that is not a job: how long it lives is unknown"
                )
                return
            kept = f" (`{held.holder}` lives only as long as the job instance)"
        elif held.lifetime is Lifetime.UNKNOWN:
            ctx.skip(f"{ctx.relpath}:{line}: `{found.label}`: how long it is kept is unknown")
            return
        elif held.lifetime is not Lifetime.CALL:
            return
        method = node.child_by_field_name("method")
        args = nodes.argument_list(node)
        assert method is not None
        span = Span(method.start_byte, (args or method).end_byte)
        message = f"`{found.label}` {found.kind.opens} {where}{kept}: {found.kind.instead}"
        ctx.report(span, message, fix=_suggestion(node, found, held.holder, ctx))


# How a shared object replaces the per-job one: the constant's name, and whether the connection
# is wrapped in a pool (a Redis client is used by one thread at a time) or shared as it is (pools
# and clients that pool their own connections). PostgreSQL, MySQL and RabbitMQ connections get no
# edit: code that closes them would close the shared one.
_SHARED = {
    "Redis": ("REDIS", True),
    "RedisClient": ("REDIS", True),
    "Redis::Cluster": ("REDIS", True),
    "Redis::Distributed": ("REDIS", True),
    "ConnectionPool": ("POOL", False),
    "ConnectionPool::Wrapper": ("POOL", False),
    "Redlock::Client": ("LOCK_MANAGER", False),
    "Mongo::Client": ("MONGO", False),
}
_STATIC_LEAVES = frozenset(
    {"string", "string_content", "escape_sequence", "integer", "float", "simple_symbol",
     "hash_key_symbol", "true", "false", "nil", "constant", "comment", "heredoc_body",
     "heredoc_content", "heredoc_end", "heredoc_beginning"}
)  # fmt: skip
_STATIC_INNER = frozenset(
    {"scope_resolution", "pair", "hash", "array", "argument_list", "interpolation",
     "element_reference", "call", "block", "block_body", "body_statement"}
)  # fmt: skip
POOL_SIZE = 5  # when the Sidekiq setup does not tell how many job threads share the pool


def _pool_size(ctx: FileContext) -> tuple[int, str]:
    """The pool size to suggest: the most job threads of any Sidekiq process, when known."""
    totals = [t for p in ctx.setup.processes if (t := p.total_threads) is not None]
    if totals:
        return max(totals), "one connection per job thread"
    return POOL_SIZE, "size it to Sidekiq's concurrency"


_DEFINITIONS = frozenset({"method", "singleton_method", "singleton_class"})


def _suggestion(node: Node, found: Connection, holder: str | None, ctx: FileContext) -> Fix:
    if found.kind is _REDIS or found.kind is _PHRASES["redis-pool"]:
        title = _SUGGESTIONS["redis"]
    elif found.label.startswith(("PG", "Mysql2")):
        title = _SUGGESTIONS["sql"]
    else:
        title = found.kind.instead
    edits, name, wrapped = _shared_constant(node, found, ctx)
    if edits and holder is not None and ctx.method is not None:
        edits = (*edits, *_close_edits(ctx.method, holder, ctx))
    if wrapped:
        size, why = _pool_size(ctx)
        title = (
            f"share one pool per process, `{name} = ConnectionPool::Wrapper.new(size: "
            f"{size}) {{ ... }}` ({why}); for Sidekiq's own "
            "Redis, `Sidekiq.redis { |conn| ... }` is simpler"
        )
    elif edits:
        title = f"build it once for the process, in `{name}`, and use that in the job"
    return Fix(Applicability.DISPLAY_ONLY, title, edits)


def _shared_constant(
    node: Node, found: Connection, ctx: FileContext
) -> tuple[tuple[Edit, ...], str, bool]:
    """Move the construction to a constant of the class body (when it uses only constants):
    the edits, the constant's name, and whether the connection is wrapped in a pool."""
    root = found.label.split(".", 1)[0]
    shared = _SHARED.get(root)
    scope = ctx.class_scope
    written = nodes.text(node)
    anchor = _anchor(scope.node, ctx) if scope is not None else None
    if shared is None or scope is None or anchor is None or "\n" in written or not _static(node):
        return (), "", False
    base, wrap = shared
    size, _ = _pool_size(ctx)
    value = f"ConnectionPool::Wrapper.new(size: {size}) {{ {written} }}" if wrap else written
    start, indent = anchor
    name = _free_name(scope.node, base, value)
    replace = Edit(node.start_byte, node.end_byte, name)
    if name in _assigned_constants(scope.node):
        return (replace,), name, wrap  # an earlier suggestion already made it
    newline = "\r\n" if b"\r\n" in ctx.data[:start] else "\n"
    insert = Edit(start, start, f"{indent}{name} = {value}{newline}{newline}")
    return (insert, replace), name, wrap


_CLOSERS = frozenset({"close", "quit", "disconnect!"})


def _close_edits(method: Node, holder: str, ctx: FileContext) -> tuple[Edit, ...]:
    """Delete `holder.close` statements (on lines of their own): the shared one stays open. An
    `ensure` left empty goes with them."""
    edits = []
    data = ctx.data
    for call in nodes.descendants(method):
        if (
            call.type != "call"
            or nodes.method_name(call) not in _CLOSERS
            or nodes.text(nodes.receiver(call)) != holder
            or nodes.arguments(call)
            or call.parent is None
        ):
            continue
        parent = call.parent
        statements = [c for c in parent.named_children if c.type != "comment"]
        first = parent if parent.type == "ensure" and statements == [call] else call
        start = data.rfind(b"\n", 0, first.start_byte) + 1
        end = data.find(b"\n", call.end_byte)
        if parent.type not in STATEMENT_PARENTS | {"ensure"} or end == -1:
            continue
        if data[start : first.start_byte].strip() or data[call.end_byte : end].strip():
            continue
        edits.append(Edit(start, end + 1, ""))
    return tuple(edits)


def _static(node: Node) -> bool:
    """Made only of literals, constants and calls on them (`ENV.fetch("URL")`): no locals."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in _STATIC_LEAVES or not current.is_named:
            continue
        if kind not in _STATIC_INNER:
            return False
        if kind == "call" and nodes.receiver(current) is None:
            return False
        if kind == "block" and current.child_by_field_name("parameters") is not None:
            return False
        for child in current.children:
            if current.type == "call" and child == current.child_by_field_name("method"):
                continue
            stack.append(child)
    return True


def _anchor(scope: Node, ctx: FileContext) -> tuple[int, str] | None:
    """Where a constant goes: the start of the line of the class body's first method (or of the
    comments right above it), and that line's indentation."""
    body = scope.child_by_field_name("body")
    if body is None:
        return None
    children = list(body.named_children)
    first = next(
        (i for i, c in enumerate(children) if c.type in _DEFINITIONS),
        None,
    )
    if first is None:
        return None
    target = children[first]
    while (
        first > 0
        and children[first - 1].type == "comment"
        and children[first - 1].end_point[0] == target.start_point[0] - 1
    ):
        first -= 1
        target = children[first]
    data = ctx.data
    line_start = data.rfind(b"\n", 0, target.start_byte) + 1
    indent = data[line_start : target.start_byte]
    if indent.strip():
        return None
    return line_start, indent.decode()


def _assigned_constants(scope: Node) -> dict[str, str]:
    body = scope.child_by_field_name("body")
    found: dict[str, str] = {}
    for child in body.named_children if body is not None else ():
        left = child.child_by_field_name("left") if child.type == "assignment" else None
        if left is not None and left.type == "constant":
            found[nodes.text(left)] = nodes.text(child.child_by_field_name("right"))
    return found


def _free_name(scope: Node, base: str, value: str) -> str:
    """``base``, or ``base_2``...: a name the class does not use, or that already holds ``value``."""
    assigned = _assigned_constants(scope)
    used = set(re.findall(r"\b[A-Z][A-Z0-9_]*\b", nodes.text(scope)))
    for n in range(1, 100):
        name = base if n == 1 else f"{base}_{n}"
        if assigned.get(name) == value or name not in used:
            return name
    return f"{base}_SHARED"
