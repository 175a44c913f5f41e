"""Sidekiq job options written in Ruby, and what their values are.

Job options are set by ``sidekiq_options ...`` in a class body (a worker, a project base class,
or an ActiveJob class: Sidekiq's adapter honours them from 6.0), and process-wide by
``Sidekiq.default_job_options = {...}`` (``default_worker_options`` before 7.0) or
``Sidekiq.default_job_options.merge!(...)``; assigning merges into the defaults, it never drops
keys. The number of retries of a job with ``retry: true`` is ``max_retries`` (25 unless the YAML
or ``config[:max_retries] =`` says otherwise). SIDEKIQ-FACTS.md, "Jobs and arguments".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.formats.erb import evaluate
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.sidekiq import (
    SIDEKIQ,
)
from workerlint.lang.ruby.nodes import NOT_LITERAL, Symbol
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.model import ClassScope

DEFAULT_MAX_RETRIES = 25
# Receivers of ``[:max_retries] =`` that are Sidekiq's server options in some version.
_CONFIG_OBJECTS = frozenset(
    {"Sidekiq", "::Sidekiq", "Sidekiq.options", "Sidekiq.default_configuration"}
)


@record(frozen=True)
class Resolved:
    """An option's value: ``status`` is known, default (an ENV template's default) or unknown;
    ``note`` says where a non-literal came from (``constant MAX_RETRIES``,
    ``the default of JOB_RETRIES``)."""

    value: object
    status: str
    note: str = ""

    @property
    def known(self) -> bool:
        return self.status != "unknown"


def class_calls(scope: ClassScope, method: str) -> list[Node]:
    """The calls of ``method`` among the statements of a class body (``sidekiq_retry_in``...)."""
    body = scope.node.child_by_field_name("body")
    if body is None:
        return []
    return [
        child
        for child in body.named_children
        if child.type == "call" and nodes.method_name(child) == method
    ]


def resolve(node: Node | None, ctx: RubyContext) -> Resolved:
    """A literal, a project constant (through the index), or an ENV expression with a default."""
    if node is None:
        return Resolved(NOT_LITERAL, "unknown")
    literal = nodes.literal_value(node)
    if literal is not NOT_LITERAL:
        return Resolved(literal, "known")
    path = nodes.constant_path(node)
    if path is not None:
        found = ctx.index.constant(path, lexical(ctx.class_scope))
        if found is NOT_LITERAL:
            return Resolved(NOT_LITERAL, "unknown", f"constant {path} not known")
        return Resolved(found, "known", f"constant {path}")
    result = evaluate(nodes.text(node), ctx.settings.env_map)
    names = ", ".join(result.variables)
    if result.status == "unknown":
        note = f"reads {names} with no default" if names else f"`{nodes.text(node)}`"
        return Resolved(NOT_LITERAL, "unknown", note)
    if result.status == "default":
        return Resolved(result.value, "default", f"the default of {names}")
    return Resolved(result.value, "known", f"{names} from --env" if names else "")


def retries_on(value: object) -> bool:
    """Whether a known ``retry`` value lets the job retry (Ruby truthiness: ``0`` is on)."""
    return value is not False and value is not None


def retry_count(value: object) -> int | None:
    """The retries a ``retry`` value asks for when it is an Integer (Sidekiq reads only those:
    anything else truthy means ``max_retries``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def max_retries_target(node: Node) -> bool:
    """Whether an ``x[:max_retries]`` being assigned sets Sidekiq's server option:
    ``Sidekiq.options[...]``, ``Sidekiq[...]``, ``Sidekiq.default_configuration[...]``, or the
    block parameter of ``Sidekiq.configure_server``."""
    if node.type != "element_reference" or len(node.named_children) != 2:
        return False
    target, key = node.named_children
    name = nodes.literal_value(key)
    if not isinstance(name, Symbol) or name != "max_retries":
        return False  # the options are keyed by Symbol: a String key is never read
    written = nodes.text(target).replace(" ", "")
    if written in _CONFIG_OBJECTS:
        return True
    if target.type != "identifier":
        return False
    current = node.parent
    while current is not None:
        if current.type in ("do_block", "block"):
            call = current.parent
            if (
                call is not None
                and nodes.method_name(call) == "configure_server"
                and nodes.constant_path(nodes.receiver(call)) in SIDEKIQ
            ):
                return written in nodes.block_params(current)
        current = current.parent
    return False


def backoff_seconds(retries: int) -> float:
    """Sidekiq's default schedule: retry ``count`` (0-based) waits ``count**4 + 15`` seconds plus
    a jitter of ``rand(10) * (count + 1)`` (mean 4.5 * (count + 1)); the sum over ``retries``."""
    n = retries
    fourth = (n - 1) * n * (2 * n - 1) * (3 * (n - 1) ** 2 + 3 * (n - 1) - 1) // 30 if n else 0
    return fourth + 15 * n + 4.5 * n * (n + 1) / 2


def describe_duration(seconds: float) -> str:
    """``about 20 days``, ``about 4.7 years``."""
    days = seconds / 86400
    if seconds < 90:
        return "about a minute"
    if seconds < 5400:
        return f"about {round(seconds / 60)} minutes"
    if days < 2:
        return f"about {round(seconds / 3600)} hours"
    if days < 730:
        return f"about {round(days):,} days"
    years = days / 365.25
    if years < 100:
        return f"about {years:.1f} years"
    if years < 1e9:
        return f"about {round(years):,} years"
    return "effectively forever"
