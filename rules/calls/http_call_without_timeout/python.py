"""WL201's Python check: an HTTP (or SMTP) request in task code with no timeout (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Span
from workerlint.facts import HttpRequest
from workerlint.lang.python import imports, nodes
from workerlint.lang.python.edits import add_keyword
from workerlint.lang.python.libraries import http

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class TimeoutCheck(LanguageCheck):
    call_names = http.REQUEST_NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = http.classify(node, ctx)
        if found is None or found.has_timeout:
            return
        if not found.unknown and self._bounded_elsewhere(found, ctx):
            return
        if found.unknown:
            line = node.start_point[0] + 1
            ctx.skip(
                f"{ctx.relpath}:{line}: `{found.label}` takes its options from `*args` or "
                "`**kwargs`: its timeout cannot be known"
            )
            return
        message = self._message(found, _stopped_by(ctx))
        ctx.report(Span(*nodes.call_span(node)), message, fix=self._fix(found, ctx))

    def _bounded_elsewhere(self, found: HttpRequest, ctx: PythonFileContext) -> bool:
        """Whether a setting bounds the request: a process-wide ``socket.setdefaulttimeout(N)``
        (for the clients that use the socket default; never requests), or, for Django mail,
        ``EMAIL_TIMEOUT`` or an ``EMAIL_BACKEND`` that is not SMTP. True also when that cannot
        be known (the request is skipped, with the reason)."""
        line = nodes.line_of(found.node)
        where = f"{ctx.relpath}:{line}: `{found.label}`"
        if found.nil_value is not None:
            return False  # an explicit None is not the socket default
        setup = ctx.celery
        socket = setup.socket_timeout
        if found.client in http.SOCKET_DEFAULT and socket is not None:
            if socket.status != "known":
                ctx.skip(f"{where}: the process-wide `socket.setdefaulttimeout(...)` is not known")
                return True
            if socket.value is not None:
                return True
        if found.client != "django_mail":
            return False
        if setup.django_settings is None:
            ctx.skip(
                f"{where}: the Django settings module is not found, so `EMAIL_TIMEOUT` is not known"
            )
            return True
        backend = setup.email_backend
        if backend is not None:
            if backend.status != "known":
                ctx.skip(f"{where}: `EMAIL_BACKEND` is not known")
                return True
            if backend.value != SMTP_BACKEND:
                ctx.skip(f"{where}: `EMAIL_BACKEND` is `{backend.value}`, not SMTP")
                return True
        timeout = setup.email_timeout
        if timeout is not None and timeout.status != "known":
            ctx.skip(f"{where}: `EMAIL_TIMEOUT` is not known")
            return True
        return timeout is not None and timeout.value is not None

    def _message(self, found: HttpRequest, stopped: str | None) -> str:
        wait = http.DEFAULT_WAIT[found.client]
        if stopped is not None:
            wait = wait.replace("forever", stopped, 1)
        hold = f"a hung server holds this worker {wait}"
        if found.client == "django_mail":
            return (
                f"`{found.label}` has no timeout (the settings set no `EMAIL_TIMEOUT`, so "
                f"Django's SMTP backend connects with none): {hold}"
            )
        if found.nil_value is not None:
            return f"`{found.label}` has `timeout` set to None, which waits forever: {hold}"
        where = ""
        builder = found.builder
        if builder is not None and found.option_call is builder.call:
            line = builder.call.start_point[0] + 1
            where = f" (its connection, built by `{builder.kind}` on line {line}, sets none)"
        elif builder is not None and found.client == "requests":
            where = f" (a `{builder.kind.removesuffix('()')}` has no default timeout)"
        return f"`{found.label}` has no timeout{where}: {hold}"

    def _fix(self, found: HttpRequest, ctx: PythonFileContext) -> Fix | None:
        seconds = int(self.options["timeout-seconds"])
        unsafe = Applicability.UNSAFE
        nil = found.nil_value
        if found.client == "django_mail" and nil is None:
            title = f"set `EMAIL_TIMEOUT = {seconds}` in the Django settings"
            return Fix(Applicability.DISPLAY_ONLY, title, ())
        if nil is not None:
            if found.client == "aiohttp":
                return _aiohttp_fix(nil, seconds, ctx)
            edit = Edit(nil.start_byte, nil.end_byte, str(seconds))
            return Fix(unsafe, f"set it to {seconds} seconds instead of None", (edit,))
        call = found.option_call
        if call is None:
            return None
        if found.positional and _has_positional(call, found.positional):
            return None
        edit = add_keyword(call, f"timeout={seconds}")
        if edit is None:
            return None
        target = nodes.dotted(nodes.callee(call)) or nodes.text(nodes.callee(call))
        return Fix(unsafe, f"add `timeout={seconds}` to `{target}`", (edit,))


def _stopped_by(ctx: PythonFileContext) -> str | None:
    """What ends a task whose request hangs, in its body, or None when nothing does: RQ's job
    timeout (the task's ``timeout``/``job_timeout`` option, else rq's DEFAULT_JOB_TIMEOUT of
    180 s), enforced by SIGALRM in the work horse, which interrupts a blocked socket read.
    Not Dramatiq's TimeLimit (an async exception cannot interrupt a system call, as its docs
    say), nor Celery's limits (not enforced by every pool), nor arq's (a blocking call holds the
    event loop that would cancel it)."""
    task = ctx.task
    if task is None or task.framework != "rq":
        return None
    own = task.options.get("timeout") or task.options.get("job_timeout")
    if isinstance(own, int | float) and not isinstance(own, bool) and own > 0:
        return f"until RQ kills the job at its {own:g} s timeout"
    return "until RQ kills the job at its default 180 s timeout"


def _has_positional(call: Node, position: int) -> bool:
    return len(nodes.arguments(call)) > position


def _aiohttp_fix(nil: Node, seconds: int, ctx: PythonFileContext) -> Fix | None:
    """``timeout=aiohttp.ClientTimeout(total=10)`` (a bare number is deprecated), written with
    the name the module has here, or with ``from aiohttp import ClientTimeout`` added when the
    module binds neither it nor the name ``ClientTimeout``; display-only when neither works."""
    name = imports.bound_name(ctx, "aiohttp.ClientTimeout")
    edits: tuple[Edit, ...] = ()
    if name is None and imports.is_free(ctx, "ClientTimeout"):
        added = imports.add_import(ctx.data, "aiohttp", "ClientTimeout", ctx.tree)
        if added is not None:
            name, edits = "ClientTimeout", (added,)
    value = f"{name}(total={seconds})" if name else f"aiohttp.ClientTimeout(total={seconds})"
    title = f"pass `timeout={value}`"
    if name is None:
        return Fix(Applicability.DISPLAY_ONLY, title, ())
    if edits:
        title += " (and import `ClientTimeout` from aiohttp)"
    return Fix(Applicability.UNSAFE, title, (*edits, Edit(nil.start_byte, nil.end_byte, value)))
