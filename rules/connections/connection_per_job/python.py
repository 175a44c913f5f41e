"""WL501's Python check: a connection (or a client with a pool of its own) built on every run
of task code (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries.connections import NAMES, connection_open
from workerlint.lang.python.lifetime import Lifetime, lifetime, where_it_runs

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

_ONCE = "build it once per process, at module level or in a memoised function"
# kind -> (what the call builds, the consequence, the alternative)
_PHRASES = {
    "redis": (
        "a new Redis client with a connection pool of its own",
        "each run opens a new connection (TCP and AUTH) and leaves it for the garbage collector",
        f"{_ONCE} (redis-py clients are thread-safe), or share one `ConnectionPool`",
    ),
    "postgresql": (
        "a new PostgreSQL connection",
        "each run pays the connection and authentication, and PostgreSQL's "
        "`max_connections` is reached under load",
        f"use the framework's connection (Django's `connection`, a SQLAlchemy engine) or {_ONCE}",
    ),
    "mysql": (
        "a new MySQL connection",
        "each run pays the connection and authentication, and MySQL's `max_connections` is "
        "reached under load",
        f"use the framework's connection or {_ONCE}",
    ),
    "mongodb": (
        "a new `MongoClient`, with a connection pool and monitoring threads of its own",
        "each run opens new connections and threads",
        f"{_ONCE} (a `MongoClient` is thread-safe and meant to be shared)",
    ),
    "rabbitmq": (
        "a new AMQP connection",
        "each run pays the TCP and AMQP handshakes",
        f"{_ONCE}, or publish through Celery's producer pool",
    ),
    "engine": (
        "a new SQLAlchemy `Engine` with a connection pool of its own",
        "each run opens new connections that the old pools keep until collected",
        f"create the engine {_ONCE.removeprefix('build it ')}",
    ),
    "boto3": (
        "a new boto3 client, loading its service model and credentials",
        "each run pays tens of milliseconds and a new connection pool",
        f"{_ONCE} (boto3 clients are thread-safe; resources are not, keep one per thread)",
    ),
    "http-session": (
        "a new HTTP session whose connection pool ends with the run",
        "no connection is reused between runs",
        "keep one session per process if the task calls the same hosts often",
    ),
}


class ConnectionPerJobCheck(LanguageCheck):
    call_names = NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = connection_open(node, ctx)
        if found is None:
            return
        held = lifetime(node, ctx)
        line = nodes.line_of(node)
        if held.lifetime is Lifetime.UNKNOWN:
            ctx.skip(
                f"{ctx.relpath}:{line}: `{found.label}` is kept in {held.holder}: how long it "
                "lives is unknown"
            )
            return
        if held.lifetime is Lifetime.PROCESS:
            return
        builds, effect, instead = _PHRASES[found.kind]
        message = f"`{found.label}` builds {builds} {where_it_runs(ctx)}: {effect}; {instead}"
        level = Level.NOTE if found.kind == "http-session" else None
        span = Span(*nodes.call_span(node))
        if level is None:
            ctx.report(span, message)
        else:
            ctx.report(span, message, level=level)
