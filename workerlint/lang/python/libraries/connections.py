"""Calls that open a connection (or a client with a pool of its own) in Python, as
``ConnectionOpen`` facts (PYTHON.md §2 WL501), and calls that start threads or processes (WL502).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import ConnectionOpen
from workerlint.lang.python import nodes

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

# qualified name -> kind
OPENERS = {
    **{
        name: "redis"
        for name in (
            "redis.Redis", "redis.StrictRedis", "redis.client.Redis", "redis.client.StrictRedis",
            "redis.Redis.from_url", "redis.StrictRedis.from_url", "redis.from_url",
            "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
        )
    },
    **{
        name: "postgresql"
        for name in ("psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect")
    },
    **{name: "mysql" for name in ("pymysql.connect", "MySQLdb.connect", "mysql.connector.connect")},
    "pymongo.MongoClient": "mongodb",
    "pymongo.mongo_client.MongoClient": "mongodb",
    "pika.BlockingConnection": "rabbitmq",
    "kombu.Connection": "rabbitmq",
    "sqlalchemy.create_engine": "engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "engine",
    "boto3.client": "boto3",
    "boto3.resource": "boto3",
    "requests.Session": "http-session",
    "requests.session": "http-session",
    "httpx.Client": "http-session",
    "httpx.AsyncClient": "http-session",
}  # fmt: skip
NAMES = frozenset(name.rsplit(".", 1)[1] for name in OPENERS)

THREADS = {
    "threading.Thread": "thread",
    "threading.Timer": "thread",
    "concurrent.futures.ThreadPoolExecutor": "thread",
    "concurrent.futures.thread.ThreadPoolExecutor": "thread",
    "multiprocessing.pool.ThreadPool": "thread",
    "multiprocessing.Process": "multiprocessing",
    "multiprocessing.Pool": "multiprocessing",
    "multiprocessing.pool.Pool": "multiprocessing",
    "concurrent.futures.ProcessPoolExecutor": "multiprocessing",
    "concurrent.futures.process.ProcessPoolExecutor": "multiprocessing",
    "os.fork": "fork",
}
THREAD_NAMES = frozenset(name.rsplit(".", 1)[1] for name in THREADS)


def connection_open(call: Node, ctx: PythonContext) -> ConnectionOpen | None:
    qualified = ctx.semantic.qualified_name(nodes.callee(call))
    kind = OPENERS.get(qualified or "")
    if kind is None or qualified is None:
        return None
    label = nodes.dotted(nodes.callee(call)) or qualified
    return ConnectionOpen(call, qualified, label, kind)


def thread_start(call: Node, ctx: PythonContext) -> tuple[str, str] | None:
    """(kind, label as written) of a call that starts a thread or a process."""
    qualified = ctx.semantic.qualified_name(nodes.callee(call))
    kind = THREADS.get(qualified or "")
    if kind is None:
        return None
    return kind, nodes.dotted(nodes.callee(call)) or qualified or ""
