from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workerlint import FolderCheck, Level, Rule, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.iteration import is_iteration
from workerlint.lang.ruby.lifetime import BARE_CONTAINERS, bare_identifiers, defines_method
from workerlint.lang.ruby.rescues import SCOPES, ErrorPath, clause_of
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

_INSTEAD = (
    "counted against Sidekiq's concurrency while it waits: schedule the work for later with "
    "`perform_in`, or raise and let Sidekiq's retry wait"
)


_THREAD_STARTS = frozenset({"Thread.new", "Thread.start", "Thread.fork", "Process.fork", "fork"})


_LOOP_NODES = {
    "while": "the `while` loop",
    "until": "the `until` loop",
    "while_modifier": "the `while` loop",
    "until_modifier": "the `until` loop",
    "for": "the `for` loop",
}


@dataclass(frozen=True)
class _Place:
    in_thread: bool  # in the block of `Thread.new`/`fork`: not on the job's thread
    loop: str | None  # the innermost loop the sleep repeats in, inside its error path if any
    error: ErrorPath | None


def _context(node: Node) -> _Place:
    """Where a `sleep` runs: in a thread, in a loop, on an error path (a `rescue` clause)."""
    loop: str | None = None
    error: ErrorPath | None = None
    child = node
    current = node.parent
    while current is not None and current.type not in ("method", "singleton_method", "class"):
        if error is None:
            error = clause_of(child, current, node)
        if error is None and loop is None and current.type in _LOOP_NODES:
            loop = _LOOP_NODES[current.type]
        if current.type in ("block", "do_block") and current.parent is not None:
            call = current.parent
            receiver = nodes.receiver(call)
            name = nodes.method_name(call) or ""
            constant = (nodes.constant_path(receiver) or "").removeprefix("::")
            if (f"{constant}.{name}" if constant else name) in _THREAD_STARTS:
                return _Place(True, None, None)
            if error is None and loop is None and is_iteration(name):
                written = nodes.text(receiver)
                short = receiver is None or (len(written) <= 30 and "\n" not in written)
                loop = f"`{written}.{name}`" if receiver is not None and short else f"`{name}`"
        child = current
        current = current.parent
    return _Place(False, loop, error)


class SleepInJob(Rule):
    """## What it does
    Reports `sleep` in worker code: with or without a duration, written bare (`sleep 2`,
    `sleep(rand)`, `sleep if busy?`) or as `Kernel.sleep`.

    Not reported: `sleep` called on another object (`throttle.sleep`), a local variable or a method
    of the class named `sleep`, other names (`sleep_time`), `sleep 0` (which only yields the
    thread), and a `sleep` inside the block of `Thread.new`/`Thread.start`/`fork`, which does not
    run on the job's thread (WL502 reports the thread). The message names the duration, the
    loop the `sleep` repeats in (`on each pass of 20.times`), and, when the `sleep` is in a
    `rescue` clause (or a `rescue` modifier), that it runs only on that error path: which errors
    the clause rescues, and whether it retries after the `sleep` (a loop around the `rescue`
    is then not named: the `sleep` does not run on each of its passes).

    A **short, bounded wait** is a note: a `sleep` of a known duration that repeats at most 10
    times, because a `retry` after it is bounded by a counter compared with a number of at
    most 10 in its rescue clause (`raise if tries == 10`, `retry if attempts < 3`), or because
    it is in `N.times` or a `while`/`until` compared with such a number, and whose repeats add
    up to at most 10 s (`sleep 1` ten times, `sleep RETRY_DELAY` of 2 s three times). The
    duration and the number are each a literal, a local assigned one, or a constant of the
    project holding one. At worst the thread waits 10 s, a deliberate back-off (an
    Elasticsearch version conflict, a gateway timeout) rather than a thread parked. The
    message says how many tries and how long.

    ## Python
    In task code: `time.sleep(n)` (through any import of it) in a sync function. Not reported:
    `asyncio.sleep` and any sleep in an `async def` (it waits on the task's event loop; a
    blocking call there is Ruff's ASYNC251), `time.sleep(0)`, and other objects' `sleep`. The
    message names the duration, the loop it repeats in, and, in an `except` clause, that it runs
    only on that error path (and whether a loop around tries again); the advice names the
    framework's delayed form (`self.retry(countdown=...)`/`apply_async(countdown=...)` for
    Celery, `enqueue_in` for RQ, `send_with_options(delay=...)` for Dramatiq).

    ```python
    @shared_task(bind=True)
    def poll_export(self, export_id):
        while not Export.objects.get(pk=export_id).ready:
            time.sleep(5)  # WL602
    ```

    ## Why is this bad?
    A Sidekiq process runs at most `concurrency` jobs at once. A job that sleeps holds one of
    those threads doing nothing: a few sleeping jobs (waiting out a rate limit, polling for a
    result) are enough to stop a queue, and a sleep longer than the shutdown timeout is cut off
    by a deploy. `sleep` with no duration blocks until another thread wakes it.

    ## Example
    ```ruby
    class ExportStatusWorker
      include Sidekiq::Job

      def perform(export_id)
        export = Export.find(export_id)
        sleep 30 until export.reload.finished?
        export.notify!
      end
    end
    ```

    Use instead:
    ```ruby
    class ExportStatusWorker
      include Sidekiq::Job

      def perform(export_id)
        export = Export.find(export_id)
        return self.class.perform_in(30, export_id) unless export.finished?

        export.notify!
      end
    end
    ```
    """

    code = "WL602"
    python = FolderCheck("SleepInJobCheck")
    name = "sleep-in-job"
    level = Level.WARNING
    summary = "A `sleep` in worker code holds a worker thread while doing nothing."
    tags = ("threads",)
    call_methods = frozenset({"sleep"})
    node_types = BARE_CONTAINERS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type not in ("call", "identifier"):
            for identifier in bare_identifiers(node, "sleep", ctx.semantic):
                self._check(identifier, ctx)
            return
        receiver = nodes.receiver(node)
        if receiver is not None and nodes.text(receiver).removeprefix("::") != "Kernel":
            return
        self._check(node, ctx)

    def _check(self, node: Node, ctx: FileContext) -> None:
        if nodes.receiver(node) is None and defines_method(ctx, "sleep"):
            return
        place = _context(node)
        if place.in_thread:
            return
        each_pass = f" on each pass of {place.loop}" if place.loop else ""
        if place.error is not None:
            each_pass += (", " if each_pass else " ") + place.error.describe()
        args = [a for a in nodes.arguments(node) if a.type != "block_argument"]
        span = Span(*nodes.call_span(node))
        label = "Kernel.sleep" if nodes.receiver(node) is not None else "sleep"
        if not args:
            message = (
                f"`{label}` with no duration blocks this worker thread until another thread "
                f"wakes it{each_pass}, {_INSTEAD}"
            )
        else:
            value = nodes.literal_value(args[0])
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if value == 0:
                    return
                duration = f"{value:g} s"
            else:
                duration = f"`{nodes.text(args[0])}`"
            message = f"`{label}` blocks this worker thread for {duration}{each_pass}, {_INSTEAD}"
        bounded = _short_bounded_wait(node, args, place, ctx)
        if bounded is not None:
            tries, each = bounded
            written = "" if nodes.literal_value(args[0]) == each else f" of {each:g} s"
            message += (
                f" (a note: a short wait{written} repeated at most {tries} times, "
                f"{tries * each:g} s at worst)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        if _class_method_outside_jobs(ctx):
            message += (
                " (a note: it is in a class method of the worker that no instance method calls, "
                "which may run outside Sidekiq, from a rake task or an enqueue helper)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        ctx.report(span, message)


def _class_method_outside_jobs(ctx: FileContext) -> bool:
    """A class method of a worker class that none of its instance methods calls: the worker's
    own `perform` does not reach it, so it may run anywhere (a rake task, an enqueue helper)."""
    scope, method = ctx.class_scope, ctx.method
    if (
        scope is None
        or not nodes.is_class_method(method)
        or not ctx.index.is_worker(scope.facts.name)
    ):
        return False
    assert method is not None
    name = nodes.text(method.child_by_field_name("name"))
    called = re.compile(rb"(?<![\w@$:])" + re.escape(name.encode()) + rb"(?![\w?!=])")
    return not any(
        called.search(other.text or b"")
        for others in scope.methods.values()
        for other in others
        if other.type == "method" and not nodes.is_class_method(other)
    )


WORST_WAIT = 10  # seconds: a sleep whose repeats add up to at most this long ...
FEW_TRIES = 10  # ... repeated at most this many times is a note


def _short_bounded_wait(
    node: Node, args: list[Node], place: _Place, ctx: FileContext
) -> tuple[int, float] | None:
    """How many times at most a sleep of a known duration (a literal, a local assigned one or a
    project constant) repeats, and that duration, when a count of at most ``FEW_TRIES`` bounds
    it (a ``retry`` whose rescue clause compares a counter with such a number, ``N.times``, or
    a ``while``/``until`` compared with one) and the repeats add up to at most ``WORST_WAIT``
    seconds."""
    each = _number(args[0], ctx) if args else None
    if each is None or each <= 0:
        return None
    tries = _tries(node, place, ctx)
    if tries is None or tries * each > WORST_WAIT:
        return None
    return tries, each


def _tries(node: Node, place: _Place, ctx: FileContext) -> int | None:
    if place.error is not None:
        if not place.error.retries:
            return None
        return _bound_in(place.error.clause, ctx)
    if place.loop is None:
        return None
    current = node.parent
    while current is not None and current.type not in SCOPES:
        if current.type in ("while", "until"):
            condition = current.child_by_field_name("condition")
            return _bound_in(condition, ctx) if condition is not None else None
        if current.type in ("block", "do_block") and current.parent is not None:
            call = current.parent
            if nodes.method_name(call) != "times":
                return None
            count = _small_number(nodes.receiver(call), ctx)
            return count
        current = current.parent
    return None


_COMPARISONS = frozenset({"<", "<=", ">", ">=", "=="})


def _bound_in(scope: Node, ctx: FileContext) -> int | None:
    """The number of tries a counter compared with a small number in ``scope`` allows."""
    found = [scope] if scope.type == "binary" else []
    found += [n for n in nodes.descendants(scope) if n.type == "binary"]
    for binary in found:
        operator = binary.child_by_field_name("operator")
        if operator is None or nodes.text(operator) not in _COMPARISONS:
            continue
        left = binary.child_by_field_name("left")
        right = binary.child_by_field_name("right")
        for counter, bound in ((left, right), (right, left)):
            if counter is None or counter.type not in ("identifier", "instance_variable"):
                continue
            count = _small_number(bound, ctx)
            if count is not None:
                return count
    return None


def _small_number(node: Node | None, ctx: FileContext) -> int | None:
    """A literal integer of at most ``FEW_TRIES`` (see ``_number``)."""
    value = _number(node, ctx)
    if isinstance(value, int) and 0 < value <= FEW_TRIES:
        return value
    return None


def _number(node: Node | None, ctx: FileContext) -> int | float | None:
    """A number written, held by a local assigned it once in the method, or held by a project
    constant."""
    if node is None:
        return None
    value = nodes.literal_value(node)
    if node.type == "identifier":
        value = nodes.literal_value(ctx.semantic.value_of(node))
    elif node.type in ("constant", "scope_resolution"):
        written = nodes.text(node).removeprefix("::")
        known = ctx.index.constants
        names = [f"{outer}::{written}" for outer in ctx.semantic.lexical(node) if outer]
        value = next((known[n] for n in [*names, written] if n in known), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None
