"""WL203's Python check: an HTTP request, a mail or an enqueue inside a database transaction
(PYTHON.md §2, §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.python import imports, nodes
from workerlint.lang.python.libraries import enqueues, http
from workerlint.lang.python.nodes import text
from workerlint.lang.python.transactions import holder_around

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Enqueue
    from workerlint.lang.python.transactions import Holder
    from workerlint.project.context import PythonFileContext

_MAIL_CLIENTS = frozenset({"smtplib", "django_mail"})
_HELD = {
    "django": "the transaction keeps its row locks and its database connection",
    "sqlalchemy": "the transaction keeps its row locks and its database connection",
}
_SENT = (
    "the task is sent to the broker at once, not at the commit: a worker can run it before its "
    "rows are committed, or after a rollback"
)
_SCHEDULED = (
    "the task is sent to the broker at once, not at the commit: it still runs if the "
    "transaction rolls back (a note: its delay makes running before the commit unlikely)"
)
_ON_COMMIT = {"delay": "delay_on_commit", "apply_async": "apply_async_on_commit"}


class ExternalCallInTransactionCheck(LanguageCheck):
    worker_code_only = False  # enqueues count anywhere; requests and mail in task code
    call_names = http.REQUEST_NAMES | enqueues.NAMES
    # The gate: outside task code only an enqueue is reported, and a module making one names
    # an enqueue method (or, as a wrapper's body or an import, what it calls): core/rule.py.
    gate_words_without_worker_code = enqueues.NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if ctx.in_worker_code:
            request = http.classify(node, ctx)
            if request is not None:
                holder = holder_around(node, ctx)
                if holder is not None:
                    self._request(node, request.label, request.client, holder, ctx)
                return
        found = enqueues.classify(node, ctx)
        if found is None or found.method in enqueues.ON_COMMIT:
            return
        holder = holder_around(node, ctx)
        if holder is None:
            return
        scheduled = found.schedule is not None
        what = _SCHEDULED if scheduled else _SENT
        message = f"`{found.label}` inside {holder.label}: {what}"
        level = Level.NOTE if scheduled else Level.WARNING
        fix = _fix(found, holder, ctx)
        ctx.report(Span(*nodes.call_span(node)), message, level=level, fix=fix)

    def _request(
        self, node: Node, label: str, client: str, holder: Holder, ctx: PythonFileContext
    ) -> None:
        held = _HELD[holder.kind]
        if client in _MAIL_CLIENTS:
            tail = " while the mail is sent, and a rollback cannot unsend it"
        else:
            tail = " for the whole HTTP round trip, and a rollback cannot undo the request"
        message = f"`{label}` inside {holder.label}: {held}{tail}"
        ctx.report(Span(*nodes.call_span(node)), message)


def _fix(found: Enqueue, holder: Holder, ctx: PythonFileContext) -> Fix | None:
    """``.delay(`` -> ``.delay_on_commit(`` (unsafe) for a statement call when Celery >= 5.4 is
    locked and the app's task class is Django's ``DjangoTask``; else, for a Celery ``.delay``
    statement, ``transaction.on_commit(task.s(...).delay)`` (unsafe; the arguments are bound now,
    as a lambda would not bind a loop variable); else a display-only suggestion. None outside a
    Django transaction."""
    if holder.kind != "django":
        return None
    call = found.call
    statement = call.parent is not None and call.parent.type == "expression_statement"
    method = _ON_COMMIT.get(found.method)
    if method is not None and statement:
        reason = _django_task_missing(found, ctx)
        if reason is None:
            function = nodes.callee(call)
            attribute = function.child_by_field_name("attribute") if function else None
            if attribute is not None:
                edit = Edit(attribute.start_byte, attribute.end_byte, method)
                title = f"use `.{method}(...)`, sent when the transaction commits"
                return Fix(Applicability.UNSAFE, title, (edit,))
        ctx.skip(f"{ctx.relpath}:{nodes.line_of(call)}: no `.{method}` fix: {reason}")
    if statement and found.method == "delay" and enqueues.framework_of(found) == "celery":
        wrapped = _on_commit_fix(call, ctx)
        if wrapped is not None:
            return wrapped
    function = nodes.callee(call)
    arguments = call.child_by_field_name("arguments")
    inner = text(arguments)[1:-1].strip() if arguments is not None else ""
    target = " ".join(text(function).split()) if function is not None else "..."
    bound = f"{target}, {inner}" if inner else target
    return Fix(
        Applicability.DISPLAY_ONLY,
        f"send it at the commit: `transaction.on_commit(functools.partial({bound}))`",
        (),
    )


def _on_commit_fix(call: Node, ctx: PythonFileContext) -> Fix | None:
    """``task.delay(a, b)`` -> ``transaction.on_commit(task.s(a, b).delay)``, with Django's
    ``transaction`` imported when the module has no name for it (the one fix that edits
    structure: lang/python/imports.py)."""
    function = nodes.callee(call)
    task = function.child_by_field_name("object") if function is not None else None
    arguments = call.child_by_field_name("arguments")
    if task is None or arguments is None or arguments.type != "argument_list":
        return None
    edits: list[Edit] = []
    name = imports.bound_name(ctx, "django.db.transaction")
    on_commit = (
        f"{name}.on_commit" if name else imports.bound_name(ctx, "django.db.transaction.on_commit")
    )
    if on_commit is None:
        if not imports.is_free(ctx, "transaction"):
            return None
        added = imports.add_import(ctx.data, "django.db", "transaction", ctx.tree)
        if added is None:
            return None
        edits.append(added)
        on_commit = "transaction.on_commit"
    wrapped = f"{on_commit}({text(task)}.s{text(arguments)}.delay)"
    edits.append(Edit(call.start_byte, call.end_byte, wrapped))
    shown = " ".join(wrapped.split())
    return Fix(Applicability.UNSAFE, f"send it at the commit: `{shown}`", tuple(edits))


def _django_task_missing(found: Enqueue, ctx: PythonFileContext) -> str | None:
    """Why ``delay_on_commit`` may not exist on the task, or None when it does."""
    if enqueues.framework_of(found) != "celery":
        return "not a Celery task"
    setup = ctx.celery
    locked = setup.versions.get("celery")
    if locked is None:
        return "the Celery version is not locked"
    if locked.number < (5, 4):
        return f"Celery {locked.text} ({locked.source}) predates `delay_on_commit` (5.4)"
    if setup.django_settings is None or not any(
        (app.config_object or "").startswith("django.conf") for app in setup.apps
    ):
        return "the Celery app does not configure Django before `Celery()`"
    if any(app.task_cls is not None for app in setup.apps):
        return "the app's `task_cls` replaces `DjangoTask`"
    task = ctx.index.task_named(found.job) if found.job else None
    if task is None:
        return "the task is not resolved"
    if "base" in task.options:
        return "the task's `base=` replaces `DjangoTask`"
    return None
