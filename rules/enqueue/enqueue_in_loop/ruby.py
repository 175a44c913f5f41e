"""WL601's Ruby check: a job enqueued once per iteration of a loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.rules.enqueue.enqueue_in_loop import FLOODING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.facts import Size
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.libraries.loops import loops_around
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.rescues import error_path
from workerlint.lang.ruby.senders import admin_controller, authenticated_sender
from workerlint.lang.ruby.shown import one_line
from workerlint.project import onetime

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Loop
    from workerlint.lang.ruby.rescues import ErrorPath
    from workerlint.project.context import FileContext


# One-off scripts: data migrations and seeds (RULES.md lists db/ among the default excludes).
SKIPPED = ("db/",)
LEVELS = {Size.REQUEST: Level.ERROR, Size.LARGE: Level.WARNING, Size.UNKNOWN: Level.NOTE}
MAILER_BASES = frozenset({"ApplicationMailer", "ActionMailer::Base"})


def _loop_label(loop: Node) -> str:
    if loop.type == "call":
        recv = nodes.receiver(loop)
        name = method_name(loop) or ""
        shown = enqueue.describe(recv, 30) if recv is not None else ""
        if recv is None or shown != one_line(text(recv)):
            return f"{'an' if name[:1] in 'aeiou' else 'a'} `{name}` block"
        return f"`{shown}.{name}`"
    keyword = loop.type.removesuffix("_modifier")
    return f"{'an' if keyword == 'until' else 'a'} `{keyword}` loop"


class RubyEnqueueInLoopCheck(LanguageCheck):
    worker_code_only = False
    call_names = enqueue.SIDEKIQ_ONE | enqueue.ACTIVE_JOB_METHODS | {"push", "deliver_later"}

    def visit(self, node: Node, ctx: FileContext) -> None:
        if ctx.relpath.startswith(SKIPPED):
            return
        found = enqueue.classify(node, ctx)
        mailer = _mailer(node, ctx) if found is None else None
        if found is None and mailer is None:
            return
        if found is not None and (found.bulk or found.method == "push_bulk"):
            return
        loops = loops_around(node, ctx)
        if not loops:
            return
        deciding = max(loops, key=lambda loop: loop.evidence.size)  # the innermost on a tie
        evidence = deciding.evidence
        level = LEVELS.get(evidence.size)
        stagger = found is not None and _stagger(found, loops, ctx)
        if stagger and evidence.size is not Size.REQUEST and level is not None:
            level = Level.NOTE
        if level is None:
            return
        failing = None
        if level is not None and evidence.size in (Size.LARGE, Size.UNKNOWN):
            failing = error_path(node, loops[0].node)
        if failing is not None:
            level = Level.NOTE  # once per failing step, not once per step
        no_bulk_mail = mailer is not None and _no_bulk_mail(ctx)
        no_bulk_job = found is not None and found.active_job and _before(ctx, BULK_JOBS_FROM)
        if (no_bulk_mail or no_bulk_job) and level is Level.WARNING:
            level = Level.NOTE  # one job per element is all this Rails can do
        inner = loops[0].node
        line = inner.start_point[0] + 1
        where = f"inside {_loop_label(inner)}" + (
            "" if _same_line(inner, node) else f" (line {line})"
        )
        if deciding is not loops[0]:
            outer = deciding.node
            where += f" within {_loop_label(outer)} (line {outer.start_point[0] + 1})"
        label = found.label if found is not None else mailer or "deliver_later"
        bulk = _bulk(found, ctx) if found is not None else None
        message = _message(label, where, evidence.size, evidence.reason, stagger, bulk)
        if failing is not None:
            message = _failing_message(label, where, evidence.reason, failing, bulk)
        if no_bulk_mail:
            message = message.removesuffix(_MAILS) + _mails_before(ctx)
        elif no_bulk_job and bulk is not None:
            message = message.removesuffix(f"push them together with {bulk}") + _jobs_before(ctx)
        span = Span(*nodes.call_span(node))
        edit = (
            _suggestion(found, loops, node, ctx) if found is not None and not no_bulk_job else None
        )
        if edit is not None:
            title = f"push them in one call: `{one_line(edit.content)}`"
            fix = Fix(Applicability.DISPLAY_ONLY, title, (edit,))
        elif no_bulk_job:
            fix = Fix(Applicability.DISPLAY_ONLY, _ONE_JOB_JOBS, ())
        elif bulk is not None:
            fix = Fix(Applicability.DISPLAY_ONLY, f"collect the arguments and use {bulk}", ())
        elif no_bulk_mail:
            fix = Fix(Applicability.DISPLAY_ONLY, _ONE_JOB, ())
        else:
            fix = Fix(Applicability.DISPLAY_ONLY, _MAILS, ())
        cwe = FLOODING if evidence.size is Size.REQUEST else None
        if evidence.size is Size.REQUEST and level is Level.ERROR:
            sender = authenticated_sender(node)
            admin = admin_controller(node, ctx.relpath) if sender is None else None
            if sender is not None:  # a flood needs the verified sender: a warning
                level = Level.WARNING
                message += f"; only an authenticated sender can send it ({sender.reason})"
            elif admin is not None:  # it floods only when an administrator asks it to
                level = Level.NOTE
                message += (
                    f"; only an administrator can send it (`{admin}`), so it floods only if an "
                    "administrator asks for it: a note"
                )
        if level is Level.WARNING and onetime.folder(ctx.relpath) is not None:
            level = Level.NOTE  # run once, by hand: one pass of round trips, watched
            message += onetime.note(ctx.relpath)
        ctx.report(span, message, fix=fix, level=level, cwe=cwe)


_MAILS = (
    "collect the mails and enqueue them together with `ActionMailer.deliver_all_later(mails)` "
    "(Rails 8.1+), or send them from one job that loops over the recipients"
)


BULK_MAIL_FROM = (8, 1)  # ActionMailer.deliver_all_later (Rails 8.1.0 CHANGELOG)
_ONE_JOB = "send the mails from one job that loops over the recipients"


BULK_JOBS_FROM = (7, 1)  # ActiveJob.perform_all_later (Rails 7.1.0)
_ONE_JOB_JOBS = "enqueue one job that loops over the elements"


def _before(ctx: FileContext, version: tuple[int, ...]) -> bool:
    """Whether the project's Rails (Gemfile.lock) is known and older than ``version``."""
    found = ctx.setup.active_job_version
    return found is not None and found < version


def _no_bulk_mail(ctx: FileContext) -> bool:
    """Whether the project's Rails is older than 8.1: it has no way to enqueue mails in bulk,
    so one job per mail is inherent."""
    return _before(ctx, BULK_MAIL_FROM)


def _jobs_before(ctx: FileContext) -> str:
    rails = ctx.setup.active_job_version_text
    return (
        f"Rails {rails} has no bulk enqueue for ActiveJob (`ActiveJob.perform_all_later` is "
        f"Rails 7.1+), so one push per job is inherent; if the count grows, {_ONE_JOB_JOBS}"
    )


def _mails_before(ctx: FileContext) -> str:
    rails = ctx.setup.active_job_version_text
    return (
        f"Rails {rails} has no bulk mail enqueue (`ActionMailer.deliver_all_later` is Rails 8.1+), "
        f"so one job per mail is inherent; if the count grows, {_ONE_JOB}"
    )


def _message(
    label: str, where: str, size: Size, reason: str, stagger: bool, bulk: str | None
) -> str:
    push = f"push them together with {bulk}" if bulk is not None else _MAILS
    if size is Size.REQUEST:
        return (
            f"`{label}` {where} enqueues one job per element of {reason}: one request can push "
            f"any number of jobs (job flooding); cap its size where the request is read, and "
            f"{push}"
        )
    if stagger:
        return (
            f"`{label}` {where} schedules one job per iteration over {reason}, each later than "
            f"the last (a stagger), one Redis round trip each; {push}"
        )
    return f"`{label}` {where} enqueues one job per iteration over {reason}, one Redis round trip each; {push}"


def _failing_message(
    label: str, where: str, reason: str, failing: ErrorPath, bulk: str | None
) -> str:
    push = f"push them together with {bulk}" if bulk is not None else _MAILS
    guard = "its `rescue`" if failing.clause.type == "rescue" else "its `rescue` modifier"
    return (
        f"`{label}` {where} enqueues only when the code {guard} (line {failing.line}) guards "
        f"raises {failing.rescued()}: one job per failing iteration over {reason}, not one per "
        f"iteration; if many can fail at once, {push}"
    )


def _mailer(call: Node, ctx: FileContext) -> str | None:
    """``UserMailer.welcome(user).deliver_later``: the mail as messages show it, when the call
    delivers a mail through ActiveJob on Sidekiq (or an adapter that is not known)."""
    if method_name(call) != "deliver_later" or not ctx.index.active_job_counts:
        return None
    message = nodes.receiver(call)
    if message is None or message.type != "call":
        return None
    mail = method_name(message) or ""
    recv = nodes.receiver(message)
    params = ""
    while recv is not None and recv.type == "call" and method_name(recv) == "with":
        params = ".with(...)"
        recv = nodes.receiver(recv)
    const = constant_path(recv)
    if const is None or not _is_mailer(const, call, ctx):
        return None
    args = "(...)" if nodes.arguments(message) else ""
    return f"{const}{params}.{mail}{args}.deliver_later"


def _is_mailer(const: str, at: Node, ctx: FileContext) -> bool:
    resolved = ctx.index.resolve(const.removeprefix("::"), ctx.semantic.lexical(at))
    if resolved is None:
        return const.endswith("Mailer")
    return any(a.removeprefix("::") in MAILER_BASES for a in ctx.index.ancestors(resolved))


def _stagger(found: enqueue.Enqueue, loops: list[Loop], ctx: FileContext) -> bool:
    """A ``perform_in``/``perform_at`` whose delay grows with the loop: it names an index of a
    loop around it, or a local the loop adds to (``delay += 5.seconds``)."""
    schedule = found.schedule
    if schedule is None or found.method not in enqueue.SCHEDULED:
        return False
    indexes = {name for loop in loops for name in loop.index}
    names = [n for n in (schedule, *nodes.descendants(schedule)) if n.type == "identifier"]
    for name_node in names:
        name = text(name_node)
        if name in indexes:
            return True
        binding = ctx.semantic.binding_of(name_node)
        if binding is None:
            continue
        if binding.value is not None and any(
            text(n) in indexes for n in nodes.descendants(binding.value) if n.type == "identifier"
        ):
            return True
        if any(_adds_to(loop.node, name) for loop in loops):
            return True
    return False


def _adds_to(loop: Node, name: str) -> bool:
    for node in nodes.descendants(loop):
        if node.type == "operator_assignment":
            left = node.child_by_field_name("left")
            if left is not None and text(left) == name:
                return True
    return False


def _suggestion(
    found: enqueue.Enqueue, loops: list[Loop], call: Node, ctx: FileContext
) -> Edit | None:
    """``xs.each { |x| Job.perform_async(x) }`` -> ``Job.perform_bulk(xs.map { |x| [x] })``.

    Only for a statement ``each``/``find_each`` whose block does nothing but enqueue; a
    ``find_each`` becomes ``in_batches`` with one bulk push per batch of 1,000, and an ``each``
    over the batch of a ``find_in_batches`` one bulk push of the batch.
    """
    loop = loops[0].node
    name = method_name(loop) if loop.type == "call" else None
    recv = nodes.receiver(loop) if loop.type == "call" else None
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
