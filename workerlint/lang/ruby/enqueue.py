"""Enqueue calls: which job class a call pushes, whether through Sidekiq or ActiveJob, and which
of its arguments reach the job (RULES.md, WL4 and WL6).

Shapes: ``Job.perform_async(a, b)``, ``Job.perform_in(5.minutes, a)`` and ``perform_at(t, a)`` (the
first argument is the schedule), ``Job.perform_bulk([[a], [b]])``, ``Job.set(queue: q).perform_*``,
``Sidekiq::Client.push("class" => Job, "args" => [a])`` and ``push_bulk``, and ActiveJob's
``Job.perform_later(a)`` / ``Job.set(wait: w).perform_later(a)``. A bare ``perform_async`` or
``self.perform_async`` / ``self.class.perform_async`` enqueues the enclosing class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Enqueue
from workerlint.lang.ruby import nodes, shown
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

SIDEKIQ_ONE = frozenset({"perform_async", "perform_in", "perform_at"})
SIDEKIQ_METHODS = SIDEKIQ_ONE | {"perform_bulk"}
CLIENT_METHODS = frozenset({"push", "push_bulk"})
ACTIVE_JOB_METHODS = frozenset({"perform_later"})
ENQUEUE_METHODS = SIDEKIQ_METHODS | CLIENT_METHODS | ACTIVE_JOB_METHODS
SCHEDULED = frozenset({"perform_in", "perform_at"})
_CLIENT = frozenset({"Sidekiq::Client", "::Sidekiq::Client"})


def _enqueue(
    call: Node,
    method: str,
    active_job: bool,
    target: str | None,
    resolved: str | None,
    job_args: tuple[Node, ...],
    keywords: tuple[Node, ...],
    schedule: Node | None,
    collection: Node | None,
) -> Enqueue:
    job = _job(call, method, target)
    if method in CLIENT_METHODS:
        label = f"Sidekiq::Client.{method}"
    else:
        label = f"{job}.{method}" if job else method
    bulk = method in ("perform_bulk", "push_bulk")
    return Enqueue(
        call,
        method,
        active_job,
        target,
        resolved,
        job_args,
        keywords,
        schedule,
        collection,
        bulk,
        job,
        label,
    )


def _job(call: Node, method: str, target: str | None) -> str | None:
    """The job class as written, else the receiver's source when short (``worker``)."""
    if target or method in CLIENT_METHODS:
        return target
    recv = nodes.receiver(call)
    while recv is not None and recv.type == "call" and method_name(recv) == "set":
        recv = nodes.receiver(recv)
    if recv is None:
        return None
    written = describe(recv, 30)
    return written if written == shown.one_line(text(recv)) else None


def _positional(call: Node) -> list[Node]:
    return [a for a in nodes.arguments(call) if a.type != "block_argument"]


def _current_class(ctx: RubyContext) -> tuple[str | None, str | None]:
    scope = ctx.class_scope
    if scope is None:
        return None, None
    name = scope.facts.name
    return name, name


def _target(recv: Node | None, ctx: RubyContext) -> tuple[str | None, str | None]:
    """(as written, resolved project class) of perform_*'s receiver, looking through ``set``."""
    if recv is None or recv.type == "self":
        return _current_class(ctx)
    if recv.type == "call":
        name = method_name(recv)
        inner = nodes.receiver(recv)
        if name == "set":
            return _target(inner, ctx)
        if name == "class" and inner is not None and inner.type == "self":
            return _current_class(ctx)
        return None, None
    const = constant_path(recv)
    if const is None:
        return None, None
    return const, ctx.index.resolve(const.removeprefix("::"), lexical(ctx.class_scope))


def _client_item(call: Node, ctx: RubyContext) -> tuple[str | None, str | None, Node | None]:
    """The ``"class"`` and ``"args"`` of a ``Sidekiq::Client.push`` item hash."""
    args = _positional(call)
    pairs, _ = nodes.option_pairs(args)
    target = resolved = None
    klass = pairs.get("class")
    value = nodes.pair_value(klass) if klass is not None else None
    if value is not None:
        const = constant_path(value)
        literal = nodes.literal_value(value)
        written = const or (literal if isinstance(literal, str) else None)
        if written:
            target = written
            resolved = ctx.index.resolve(written.removeprefix("::"), lexical(ctx.class_scope))
    job_args = pairs.get("args")
    return target, resolved, nodes.pair_value(job_args) if job_args is not None else None


def _is_client(recv: Node | None) -> bool:
    if recv is None:
        return False
    if recv.type == "call" and method_name(recv) == "new":
        recv = nodes.receiver(recv)
    return constant_path(recv) in _CLIENT


def _rows(collection: Node | None) -> list[Node]:
    """The argument nodes of each job in a literal list of argument lists (or a map to them)."""
    if collection is None:
        return []
    if collection.type == "array":
        return [
            item
            for row in collection.named_children
            if row.type == "array"
            for item in row.named_children
        ]
    if collection.type == "call" and method_name(collection) in ("map", "collect"):
        body = nodes.block_body(nodes.block(collection))
        last = body.named_children[-1] if body is not None and body.named_children else None
        if last is not None and last.type == "array":
            return list(last.named_children)
    return []


def classify(call: Node, ctx: RubyContext) -> Enqueue | None:
    """The enqueue ``call`` is, or None (also for an ActiveJob enqueue while the project's
    ActiveJob adapter is not Sidekiq: that job never reaches Sidekiq); computed once per call
    and file."""
    key = ("enqueue", call.start_byte, call.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _classify(call, ctx)
    found: Enqueue | None = ctx.memo[key]
    if found is not None and found.active_job and not ctx.index.active_job_counts:
        return None
    return found


def _classify(call: Node, ctx: RubyContext) -> Enqueue | None:
    if call.type != "call":
        return None
    name = method_name(call) or ""
    if name not in ENQUEUE_METHODS:
        return None
    recv = nodes.receiver(call)
    args = _positional(call)
    if name in CLIENT_METHODS:
        if not _is_client(recv):
            return None
        target, resolved, listed = _client_item(call, ctx)
        active = resolved is not None and ctx.index.is_active_job(resolved)
        if name == "push":
            items = tuple(listed.named_children) if listed and listed.type == "array" else ()
            return _enqueue(call, name, active, target, resolved, items, (), None, None)
        return _enqueue(
            call, name, active, target, resolved, tuple(_rows(listed)), (), None, listed
        )
    target, resolved = _target(recv, ctx)
    if name in ACTIVE_JOB_METHODS:
        return _enqueue(call, name, True, target, resolved, tuple(args), (), None, None)
    active = resolved is not None and ctx.index.is_active_job(resolved)
    if name == "perform_bulk":
        collection = args[0] if args else None
        rows = tuple(_rows(collection))
        return _enqueue(call, name, active, target, resolved, rows, (), None, collection)
    keywords = tuple(a for a in args if a.type in ("pair", "hash_splat_argument"))
    positional = [a for a in args if a.type not in ("pair", "hash_splat_argument")]
    schedule = None
    if name in SCHEDULED:
        if not positional:
            return None
        schedule, positional = positional[0], positional[1:]
    return _enqueue(
        call, name, active, target, resolved, tuple(positional), keywords, schedule, None
    )


def is_sidekiq_job(enqueue: Enqueue, ctx: RubyContext) -> bool:
    """Whether the job's arguments go through Sidekiq's JSON (not ActiveJob's serializer).

    A project class that is neither a worker nor an ActiveJob class defines its own
    ``perform_async``: what it does with the arguments is not known, so it does not count.
    """
    if enqueue.active_job:
        return False
    resolved = enqueue.resolved
    return resolved is None or ctx.index.is_worker(resolved)


def describe(node: Node, limit: int = 40) -> str:
    """Source text of a node on one line, shortened at a token boundary past ``limit``
    characters (lang/ruby/shown.py)."""
    return shown.describe(node, limit)


BULK_FROM = (6, 3)  # perform_bulk (SIDEKIQ-FACTS.md)


def args_source(call: Node) -> str | None:
    """The source of a call's arguments without the parentheses (None with a block argument)."""
    args = nodes.arguments(call)
    if not args or any(a.type == "block_argument" for a in args):
        return None if args else ""
    data = call.text or b""
    start = args[0].start_byte - call.start_byte
    end = args[-1].end_byte - call.start_byte
    return data[start:end].decode("utf-8", errors="replace")


def bulk_hint(found: Enqueue, ctx: RubyContext, args: str, jobs: str, times: str) -> str:
    """How to push ``found``'s jobs in one call, for a message: ``ActiveJob.perform_all_later``
    for ActiveJob, ``Sidekiq::Client.push_bulk`` for scheduled jobs and before Sidekiq 6.3,
    ``perform_bulk`` otherwise. ``args``/``jobs``/``times`` are the Ruby shown as arguments."""
    if found.active_job:
        return f"`ActiveJob.perform_all_later({jobs})`"
    job = found.job
    if job is None:  # `Sidekiq::Client.push(item)` of a class the code does not show
        at = f', "at" => {times}' if found.method in SCHEDULED else ""
        return (
            f'`Sidekiq::Client.push_bulk("class" => klass, "args" => {args}{at})`, one call '
            "per job class"
        )
    if found.method in SCHEDULED:
        return f'`Sidekiq::Client.push_bulk("class" => {job}, "args" => {args}, "at" => {times})`'
    if ctx.setup.at_least(*BULK_FROM):
        return f"`{job}.perform_bulk({args})`"
    return (
        f'`Sidekiq::Client.push_bulk("class" => {job}, "args" => {args})` '
        f"(`perform_bulk` needs Sidekiq 6.3, this is {ctx.setup.version_label})"
    )


def bulk_push(
    found: Enqueue, ctx: RubyContext, collection: str, params: str, row: str
) -> str | None:
    """One bulk push of ``collection.map { |params| [row] }`` replacing ``found``'s call.

    ``Job.perform_bulk(...)`` from Sidekiq 6.3, ``Sidekiq::Client.push_bulk(...)`` before, and
    ``ActiveJob.perform_all_later(... Job.new(row) ...)`` for ActiveJob. None when the shape has
    no plain bulk form: ``set(...)`` options, a schedule, or a push through ``Sidekiq::Client``.
    """
    if found.method not in ("perform_async", "perform_later"):
        return None
    recv = nodes.receiver(found.call)
    if recv is not None and recv.type == "call" and method_name(recv) == "set":
        return None
    written = text(recv) if recv is not None else found.target
    if written is None:
        return None
    if found.active_job:
        return (
            f"ActiveJob.perform_all_later({collection}.map {{ |{params}| {written}.new({row}) }})"
        )
    rows = f"{collection}.map {{ |{params}| [{row}] }}"
    if ctx.setup.at_least(*BULK_FROM):
        prefix = f"{text(recv)}." if recv is not None else ""
        return f"{prefix}perform_bulk({rows})"
    return f'Sidekiq::Client.push_bulk("class" => {written}, "args" => {rows})'
