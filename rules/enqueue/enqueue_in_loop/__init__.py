from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, Level, Rule, Span
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.libraries.iteration import loop_around
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

# One-off scripts: data migrations and seeds (RULES.md lists db/ among the default excludes).
SKIPPED = ("db/",)


def _loop_label(loop: Node) -> str:
    if loop.type == "call":
        recv = nodes.receiver(loop)
        name = method_name(loop) or ""
        shown = enqueue.describe(recv, 30) if recv is not None else ""
        if recv is None or shown != " ".join(text(recv).split()):
            return f"{'an' if name[:1] in 'aeiou' else 'a'} `{name}` block"
        return f"`{shown}.{name}`"
    keyword = loop.type.removesuffix("_modifier")
    return f"{'an' if keyword == 'until' else 'a'} `{keyword}` loop"


class EnqueueInLoop(Rule):
    """## What it does
    Reports `perform_async`, `perform_in`, `perform_at`, or ActiveJob's `perform_later`, called
    inside the block of an iteration method (`each` and every `each_*`, `each.with_index`,
    `map`, `flat_map`, `select`, `find_each`, `find_in_batches`, `in_batches`, `times`, `upto`,
    `step`, `loop`, ...) or in the body of a `while`, `until` or `for` loop, anywhere in the
    application code (controllers, models and services enqueue as much as workers do).

    Blocks that are not iterations (`transaction do`, `Sidekiq::Client.via(pool) do`, `tap`),
    lambdas and procs defined in a loop, and `perform_bulk` are not reported, nor files under
    `db/` (data migrations and seeds run once).

    ## Why is this bad?
    Each `perform_async` is one round trip to Redis. Enqueueing one job per element of a
    collection costs one round trip per element: thousands of them for a batch that one
    `perform_bulk` call would push 1,000 at a time, and a crash half way leaves half the jobs
    pushed. Pushing in bulk is faster and puts less load on Redis.

    ## Example
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        Account.active.pluck(:id).each { |id| AccountSyncWorker.perform_async(id) }
      end
    end
    ```

    Use instead:
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        AccountSyncWorker.perform_bulk(Account.active.pluck(:id).map { |id| [id] })
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: push the jobs with one `perform_bulk` call (Sidekiq 6.3+;
    `Sidekiq::Client.push_bulk` before 6.3, also for `perform_in`/`perform_at`, with `"at"`), or
    `ActiveJob.perform_all_later` for ActiveJob classes (Rails 7.1+). When the loop is a
    statement `each` whose block only enqueues, the suggestion rewrites it
    (`ids.each { |id| Job.perform_async(id) }` -> `Job.perform_bulk(ids.map { |id| [id] })`;
    a `find_each` becomes `in_batches` with one bulk push per batch). It is never applied by
    `--fix`: a bulk push fails or succeeds for the whole batch, and the block's other effects
    (counters, logging, `set(...)` options) need a person to carry over.
    """

    code = "WL601"
    name = "enqueue-in-loop"
    level = Level.WARNING
    summary = "A job enqueued once per iteration of a loop: one Redis round trip per job."
    fix_availability = "always"
    suggestion_only = True
    tags = ("enqueue", "redis", "performance")
    worker_code_only = False
    call_methods = enqueue.SIDEKIQ_ONE | enqueue.ACTIVE_JOB_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if ctx.relpath.startswith(SKIPPED):
            return
        found = enqueue.classify(node, ctx)
        if found is None:
            return
        around = loop_around(node, ctx)
        if around is None:
            return
        loop = around.node
        span = Span(*nodes.call_span(node))
        bulk = _bulk(found, ctx)
        line = loop.start_point[0] + 1
        where = f"inside {_loop_label(loop)}" + (
            "" if _same_line(loop, node) else f" (line {line})"
        )
        message = (
            f"`{found.label}` {where} enqueues one job per iteration, one Redis round trip "
            f"each; push them together with {bulk}"
        )
        edit = _suggestion(found, loop, node, ctx)
        if edit is not None:
            title = f"push them in one call: `{' '.join(edit.content.split())}`"
            fix = Fix(Applicability.DISPLAY_ONLY, title, (edit,))
        else:
            fix = Fix(Applicability.DISPLAY_ONLY, f"collect the arguments and use {bulk}", ())
        ctx.report(span, message, fix=fix)


def _suggestion(found: enqueue.Enqueue, loop: Node, call: Node, ctx: FileContext) -> Edit | None:
    """``xs.each { |x| Job.perform_async(x) }`` -> ``Job.perform_bulk(xs.map { |x| [x] })``.

    Only for a statement ``each``/``find_each`` whose block does nothing but enqueue; a
    ``find_each`` becomes ``in_batches`` with one bulk push per batch of 1,000.
    """
    name = method_name(loop)
    recv = nodes.receiver(loop)
    parent = loop.parent
    if name not in ("each", "find_each") or recv is None or nodes.arguments(loop):
        return None
    if parent is None or parent.type not in nodes.STATEMENT_PARENTS:
        return None  # the loop's value is used
    block = nodes.block(loop)
    body = nodes.block_body(block)
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    params_node = block.child_by_field_name("parameters") if block is not None else None
    row = enqueue.args_source(call)
    if len(statements) != 1 or statements[0] != call or params_node is None or row is None:
        return None
    params = text(params_node).strip().strip("|").strip()
    if name == "each":
        new = enqueue.bulk_push(found, ctx, text(recv), params, row)
    else:
        batch = "batch" if "batch" not in params else "records"
        inner = enqueue.bulk_push(found, ctx, batch, params, row)
        new = f"{text(recv)}.in_batches {{ |{batch}| {inner} }}" if inner else None
    return Edit(loop.start_byte, loop.end_byte, new) if new else None


def _same_line(a: Node, b: Node) -> bool:
    return a.start_point[0] == b.start_point[0]


def _bulk(found: enqueue.Enqueue, ctx: FileContext) -> str:
    hint = enqueue.bulk_hint(found, ctx, args="args", jobs="jobs", times="times")
    if found.active_job:
        hint += f" (`jobs` = `{found.job or 'Job'}.new(...)` each, Rails 7.1+)"
    return hint
