"""WL202's Python check: an HTTP request in task code outside the project's circuit breaker
(PYTHON.md §2, §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Fix, LanguageCheck, Level, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries import breakers, http

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

# The clients WL202 covers (§9): HTTP, not SMTP (nor boto3, which WL201 does not read).
CLIENTS = frozenset({"requests", "httpx", "urllib", "urllib3", "aiohttp", "http_client"})
_EFFECT = "while its service is down, every task still calls it, waits for its timeout and fails"
_SUGGESTIONS = {
    "pybreaker": "run it in a breaker of the service it calls: `with breaker.calling():` (pybreaker)",
    "aiobreaker": "run it in a breaker of the service it calls: `await breaker.call_async(f, ...)` (aiobreaker)",
    "circuitbreaker": "decorate the function that makes it with `@circuit` (circuitbreaker)",
    "purgatory": 'run it in a breaker: `with factory.get_breaker("name"):` (purgatory)',
}


class CircuitBreakerCheck(LanguageCheck):
    call_names = http.REQUEST_NAMES

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        versions = ctx.celery.versions
        locked = [versions[name] for name in breakers.LIBRARIES if name in versions]
        wrappers = tuple(ctx.settings.circuit_breakers)
        active = bool(locked or wrappers)
        if not active and not self.explicitly_selected:
            return
        found = http.classify(node, ctx)
        if found is None or found.client not in CLIENTS:
            return
        covered = breakers.protected(node, ctx)
        line = nodes.line_of(node)
        if covered is not None:
            ctx.skip(f"{ctx.relpath}:{line}: `{found.label}`: {covered}")
            return
        span = Span(*nodes.call_span(node))
        outside = f"`{found.label}` runs outside a circuit breaker"
        if not active:
            message = (
                f"{outside}: {_EFFECT} (a note: WL202 was selected by name, but no circuit-breaker "
                "library (pybreaker, circuitbreaker, aiobreaker, purgatory) is locked and the "
                "`circuit-breakers` setting names no wrapper)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        if wrappers:
            why = f"the `circuit-breakers` setting names `{wrappers[0]}`"
        else:
            why = "the project uses " + " and ".join(
                f"{lock.package} ({lock.source})" for lock in locked
            )
        title = f"wrap it in `{wrappers[0]}`" if wrappers else _SUGGESTIONS[locked[0].package]
        fix = Fix(Applicability.DISPLAY_ONLY, title, ())
        ctx.report(span, f"{outside}, although {why}: {_EFFECT}", fix=fix)
