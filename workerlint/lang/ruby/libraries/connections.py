"""Connections Ruby libraries open: which constructors open a Redis, SQL, RabbitMQ or MongoDB
connection, or build a pool of them (the facts WL501 reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import ConnectionOpen
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

# The library class -> what its constructor opens.
KINDS = {
    "Redis": "redis",
    "RedisClient": "redis",
    "Redis::Cluster": "redis",
    "Redis::Distributed": "redis",
    "ConnectionPool": "pool",
    "ConnectionPool::Wrapper": "pool",
    "Redlock::Client": "redlock",
    "PG": "postgresql",
    "PG::Connection": "postgresql",
    "Mysql2::Client": "mysql",
    "Bunny": "rabbitmq",
    "Bunny::Session": "rabbitmq",
    "Mongo::Client": "mongodb",
}
# Constructors by receiver: method names that open a connection.
METHODS = {
    "new": frozenset(KINDS) - {"PG"},
    "connect": frozenset({"PG", "PG::Connection"}),
    "open": frozenset({"PG::Connection"}),
}
_REDIS_CONFIGS = frozenset({"config", "sentinel"})
CALLS = frozenset({*METHODS, "new_client", "new_pool"})


def connection_open(call: Node, ctx: RubyContext) -> ConnectionOpen | None:
    """The connection a call opens, if it is one of the known constructors (once per call)."""
    key = ("connection", call.start_byte, call.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _connection_open(call, ctx)
    found: ConnectionOpen | None = ctx.memo[key]
    return found


def _connection_open(call: Node, ctx: RubyContext) -> ConnectionOpen | None:
    if call.type != "call":
        return None
    method = nodes.method_name(call) or ""
    receiver = nodes.receiver(call)
    if method in ("new_client", "new_pool") and receiver is not None:
        if nodes.method_name(receiver) not in _REDIS_CONFIGS:
            return None
        if _constant(nodes.receiver(receiver), ctx) != "RedisClient":
            return None
        label = f"RedisClient.{nodes.method_name(receiver)}(...).{method}"
        kind = "redis" if method == "new_client" else "redis-pool"
        return ConnectionOpen(call, "RedisClient", label, kind)
    constant = _constant(receiver, ctx)
    if constant is None or constant not in METHODS.get(method, ()):
        return None
    return ConnectionOpen(call, constant, f"{constant}.{method}", KINDS[constant])


def _constant(node: Node | None, ctx: RubyContext) -> str | None:
    """The constant written, unless it names a project class of another name (`Cache::Redis`)."""
    path = nodes.constant_path(node)
    if path is None:
        return None
    if nodes.text(node).startswith("::"):
        return path
    resolved = ctx.index.resolve(path, lexical(ctx.class_scope))
    return path if resolved in (None, path) else None
