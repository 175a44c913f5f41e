"""WL602's Ruby check: a `sleep` in worker code, holding a worker thread while doing nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.iteration import is_iteration
from workerlint.lang.ruby.lifetime import BARE_CONTAINERS, bare_identifiers, defines_method
from workerlint.lang.ruby.rescues import SCOPES, ErrorPath, clause_of

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext


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


@record(frozen=True)
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


class RubySleepInJobCheck(LanguageCheck):
    call_names = frozenset({"sleep"})
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
