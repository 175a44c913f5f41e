"""WL203's Python check: an HTTP request, a mail or an enqueue inside a database transaction
(PYTHON.md §2, §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.lang.python import nodes
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
    locked and the app's task class is Django's ``DjangoTask``; else the display-only
    ``transaction.on_commit(lambda: ...)``. None outside a Django transaction."""
    if holder.kind != "django":
        return None
    call = found.call
    shown = " ".join(text(call).split())
    later = Fix(
        Applicability.DISPLAY_ONLY,
        f"send it at the commit: `transaction.on_commit(lambda: {shown})`",
        (),
    )
    method = _ON_COMMIT.get(found.method)
    if method is None or call.parent is None or call.parent.type != "expression_statement":
        return later
    reason = _django_task_missing(found, ctx)
    if reason is not None:
        ctx.skip(f"{ctx.relpath}:{nodes.line_of(call)}: no `.{method}` fix: {reason}")
        return later
    function = nodes.callee(call)
    attribute = function.child_by_field_name("attribute") if function is not None else None
    if attribute is None:
        return later
    edit = Edit(attribute.start_byte, attribute.end_byte, method)
    return Fix(
        Applicability.UNSAFE, f"use `.{method}(...)`, sent when the transaction commits", (edit,)
    )


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
