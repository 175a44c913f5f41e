"""WL203's Ruby check: an HTTP request, a mail or a Sidekiq push inside a database transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.lang.ruby import enqueue, http, mailers, nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.transactions import (
    BOUNDARIES,
    DEFERRED,
    HOLDER_METHODS,
    Holder,
    block_holder,
    holder_around,
)
from workerlint.lang.ruby.transactions import label as holder_label
from workerlint.project import onetime

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope
    from workerlint.project.context import FileContext

_TRANSACTION_AWARE = "Sidekiq::TransactionAwareClient"
_CLIENT = frozenset({"push", "push_bulk"})


@record(frozen=True)
class _External:
    """A call that leaves the database while a transaction may be open."""

    kind: str  # "http" | "mail" | "enqueue"
    label: str
    call: Node
    level: Level = Level.WARNING
    advice: str = ""  # for a push: what defers it to the commit
    scheduled: bool = False  # a push with a delay: it cannot run before the commit in practice

    @property
    def line(self) -> int:
        return self.call.start_point[0] + 1


@record(frozen=True)
class _Reached:
    """An external call a method of the class makes, and the methods it goes through."""

    found: _External
    via: tuple[str, ...]  # the method called at the site first


class RubyExternalCallInTransactionCheck(LanguageCheck):
    worker_code_only = False  # pushes count in all application code; requests in worker code
    call_names = http.REQUEST_METHODS | enqueue.ENQUEUE_METHODS | mailers.METHODS | HOLDER_METHODS
    # The gate: it reports only inside a holder, a `transaction`, `with_lock` or `lock!` call
    # (lang/ruby/transactions.py), so a file without one of those names has nothing to report.
    gate_words = HOLDER_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type != "call":
            return
        if method_name(node) in HOLDER_METHODS:
            self._methods_called_inside(node, ctx)
            return
        found = _external(node, ctx, requests=ctx.in_worker_code)
        if found is None:
            return
        holder = holder_around(node, ctx, pushing=found.kind == "enqueue")
        if holder is None or _exempt(found, ctx):
            return
        _report(ctx, _span(node), _message(f"`{found.label}`", found, holder), found.level)

    def _methods_called_inside(self, call: Node, ctx: FileContext) -> None:
        """Calls of the class's own methods inside this holder that make an external call."""
        holder = _holder_at(call, ctx)
        scope = ctx.class_scope
        if holder is None or scope is None:
            return
        for site, name in _own_calls(_region(call), scope, ctx):
            if holder_around(site, ctx) != holder:
                continue  # a nested holder reports it
            class_method = ctx.semantic.self_is_class(site)
            reached = _reaches(scope, name, class_method, ctx, ctx.in_worker_code, set())
            if reached is None:
                continue
            found = reached.found
            deeper = f", in `{reached.via[-1]}`" if len(reached.via) > 1 else ""
            what = f"`{name}` {_VERB[found.kind]} `{found.label}` (line {found.line}{deeper})"
            _report(ctx, _span(site), _message(what, found, holder), found.level)


_VERB = {"http": "makes the HTTP request", "mail": "sends the mail", "enqueue": "pushes"}
_HELD = {
    "transaction": "the transaction keeps its row locks and its database connection",
    "with_lock": "the row lock, its transaction and its database connection are held",
    "lock!": "the row lock lasts until the transaction commits, so it is held",
}
_FOR = {
    "http": " for the whole HTTP round trip, and a rollback cannot undo the request",
    "mail": " while the mail is sent, and a rollback cannot unsend it",
}
_PUSHED = (
    "the job is pushed to Redis at once, not at the commit: it can run before its rows are "
    "committed, or after a rollback"
)


_SCHEDULED = (
    "the job is scheduled in Redis at once, not at the commit: it still runs if the "
    "transaction rolls back (a note: its delay makes running before the commit unlikely)"
)


def _report(ctx: FileContext, span: Span, message: str, level: Level) -> None:
    """Report, as a note at most in one-time code (a script run once, by hand, and watched)."""
    if onetime.folder(ctx.relpath) is not None and level > Level.NOTE:
        level = Level.NOTE
        message += onetime.note(ctx.relpath)
    ctx.report(span, message, level=level)


def _message(what: str, found: _External, holder: Holder) -> str:
    if found.kind == "enqueue":
        pushed = _SCHEDULED if found.scheduled else _PUSHED
        return f"{what} {holder.place()}: {pushed}{found.advice}"
    return f"{what} {holder.place()}: {_HELD[holder.kind]}{_FOR[found.kind]}"


def _span(call: Node) -> Span:
    return Span(*nodes.call_span(call))


def _holder_at(call: Node, ctx: FileContext) -> Holder | None:
    """The holder a ``transaction``/``with_lock`` block or a ``lock!`` call is, if it is one."""
    if method_name(call) == "lock!":
        recv = nodes.receiver(call)
        if recv is None or nodes.constant_path(recv) is not None:
            return None
        return Holder("lock!", call, holder_label(call))
    if nodes.block(call) is None:
        return None
    return block_holder(call, ctx)


def _region(call: Node) -> Node:
    """Where a holder's calls are: the block, or for ``lock!`` the method (or block) around."""
    if method_name(call) != "lock!":
        return nodes.block(call) or call
    current = call
    while (parent := current.parent) is not None:
        if parent.type in BOUNDARIES or parent.type in ("block", "do_block"):
            return parent
        current = parent
    return current


def _own_calls(region: Node, scope: ClassScope, ctx: FileContext) -> list[tuple[Node, str]]:
    """Calls in ``region`` of methods of the class (bare, or on ``self``), with their names."""
    found = []
    for node in nodes.descendants(region):
        if node.type == "call":
            receiver = nodes.receiver(node)
            if receiver is not None and text(receiver) != "self":
                continue
            name = method_name(node) or ""
        elif node.type == "identifier" and text(node) in scope.methods:
            name = text(node)
            if not ctx.semantic.is_call(node):
                continue
        else:
            continue
        if name in scope.methods:
            found.append((node, name))
    return found


def _reaches(
    scope: ClassScope,
    name: str,
    class_method: bool,
    ctx: FileContext,
    requests: bool,
    active: set[tuple[str, bool]],
) -> _Reached | None:
    """The first external call the method ``name`` makes, itself or through other methods of
    the class (to any depth; a method already being followed is not followed again). Calls
    inside a holder of their own are reported there, not here."""
    if (name, class_method) in active:
        return None
    methods = [m for m in scope.methods.get(name, ()) if nodes.is_class_method(m) == class_method]
    if not methods:
        return None
    method = methods[-1]  # a reopened method: the last definition wins
    key = ("WL203-reaches" if requests else "WL203-pushes", method.start_byte, method.end_byte)
    if key in ctx.memo:
        cached: _Reached | None = ctx.memo[key]
        return cached
    exact = not active  # followed from the site itself: no cycle was cut short above it
    active.add((name, class_method))
    saved = ctx.method
    ctx.method = method  # the recognizers resolve locals in the method being read
    try:
        found = _first_external(method, scope, class_method, ctx, requests, active)
    finally:
        ctx.method = saved
        active.discard((name, class_method))
    result = _Reached(found.found, (name, *found.via)) if found is not None else None
    if exact:
        ctx.memo[key] = result
    return result


def _first_external(
    method: Node,
    scope: ClassScope,
    class_method: bool,
    ctx: FileContext,
    requests: bool,
    active: set[tuple[str, bool]],
) -> _Reached | None:
    for node in _body_calls(method):
        if node.type == "call":
            found = _external(node, ctx, requests=requests)
            if found is not None and not _exempt(found, ctx, quiet=True):
                if holder_around(node, ctx) is None:  # else reported at its own holder
                    return _Reached(found, ())
                continue
            receiver = nodes.receiver(node)
            if receiver is not None and text(receiver) != "self":
                continue
            name = method_name(node) or ""
        else:
            name = text(node)
            if name not in scope.methods or not ctx.semantic.is_call(node):
                continue
        if name in scope.methods and name not in HOLDER_METHODS:
            if holder_around(node, ctx) is not None:
                continue  # inside a holder of the method itself: reported there
            deeper = _reaches(scope, name, class_method, ctx, requests, active)
            if deeper is not None:
                return deeper
    return None


def _body_calls(method: Node) -> list[Node]:
    """The calls and bare identifiers of a method, in source order, not entering blocks that
    run later (``after_commit``, lambdas, procs) or nested definitions."""
    found = []
    stack = [c for c in reversed(method.named_children)]
    while stack:
        current = stack.pop()
        if current.type in BOUNDARIES or current.type == "lambda":
            continue
        if current.type in ("block", "do_block"):
            owner = current.parent
            if owner is not None and (method_name(owner) or "") in DEFERRED:
                continue
        if current.type in ("call", "identifier"):
            found.append(current)
        stack.extend(reversed(current.named_children))
    return found


def _external(call: Node, ctx: FileContext, *, requests: bool) -> _External | None:
    """What leaves the database at ``call``: an HTTP request or a mail sent now (counted only
    in worker code, ``requests``), or a push to Sidekiq (anywhere)."""
    name = method_name(call) or ""
    if name in mailers.METHODS:
        delivery = mailers.delivery(call, ctx)
        if delivery is None:
            return None
        if not delivery.later:
            return _External("mail", delivery.label, call) if requests else None
        if not ctx.index.active_job_counts:
            return None  # mail is delivered through another queue system
        return _later(_active_job(call, delivery.label, ctx, mail=True), _waits(call))
    if name in enqueue.ENQUEUE_METHODS:
        found = enqueue.classify(call, ctx)
        if found is None or (found.target is None and nodes.receiver(call) is None):
            return None
        recv = nodes.receiver(call)
        label = f"{text(recv).split('(')[0]}.{name}" if recv is not None else name
        label = " ".join(label.split())
        if found.method == "perform_later":
            return _later(_active_job(call, label, ctx, mail=False), _waits(call))
        pushed = _sidekiq_push(call, label, found.resolved, found.method, ctx)
        return _later(pushed, found.schedule is not None or _waits(call))
    if requests:
        request = http.classify(call, ctx)
        if request is not None:
            return _External("http", request.label, call)
    return None


_WAIT_KEYS = frozenset({"wait", "wait_until", "in", "at"})


def _waits(call: Node) -> bool:
    """A delay given to the push: ``deliver_later(wait: 1.hour)``, ``X.set(wait: ...)``."""
    current: Node | None = call
    while current is not None and current.type == "call":
        pairs, _ = nodes.option_pairs(nodes.arguments(current))
        if (method_name(current) in ("set", *mailers.LATER, "perform_later")) and (
            _WAIT_KEYS & set(pairs)
        ):
            return True
        current = nodes.receiver(current)
    return False


def _later(found: _External | None, scheduled: bool) -> _External | None:
    """A scheduled push is a note: it can still run after a rollback."""
    if found is None or not scheduled:
        return found
    return _External(found.kind, found.label, found.call, Level.NOTE, found.advice, True)


def _sidekiq_push(
    call: Node, label: str, worker: str | None, method: str, ctx: FileContext
) -> _External | None:
    if method in _CLIENT:
        advice = (
            " (`Sidekiq::Client.push` uses the default client: even `Sidekiq.transactional_push!` "
            "does not defer it; push after the block, or in an `after_commit`)"
        )
        return _External("enqueue", label, call, advice=advice)
    if worker is not None:
        options = ctx.index.client_class_of(worker)
        written = (options.client_class or "") if options is not None else ""
        if written.removeprefix("::") == _TRANSACTION_AWARE:
            return None
    advice = " (`Sidekiq.transactional_push!`, Sidekiq 6.5+, defers the push to the commit)"
    return _External("enqueue", label, call, advice=advice)


def _active_job(call: Node, label: str, ctx: FileContext, *, mail: bool) -> _External | None:
    """An ActiveJob enqueue (``perform_later``, or a mail's ``deliver_later``), unless Rails
    defers it to the commit."""
    deferral = ctx.setup.active_job_deferral(mail=mail)
    if deferral.deferred:
        return None
    if deferral.deferred is None:
        advice = (
            f" (a note: {deferral.why}; Rails 7.2 and 8.2+ can defer it to the commit, "
            "with `enqueue_after_transaction_commit`)"
        )
        return _External("enqueue", label, call, Level.NOTE, advice)
    advice = (
        f" ({deferral.why}; enqueue after the block, or set `enqueue_after_transaction_commit` "
        "(Rails 7.2+) to defer it to the commit)"
    )
    return _External("enqueue", label, call, advice=advice)


def _exempt(found: _External, ctx: FileContext, *, quiet: bool = False) -> bool:
    """A push that Sidekiq's transactional push defers to the commit."""
    if found.kind != "enqueue" or method_name(found.call) in _CLIENT:
        return False
    configured = ctx.index.transactional_push
    if configured is None:
        return False
    if not quiet:
        ctx.skip(
            f"{ctx.relpath}:{found.line}: push in a transaction is deferred to the commit "
            f"(transactional push, {configured.path}:{configured.line})"
        )
    return True
