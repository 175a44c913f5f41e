"""Action Mailer deliveries: ``UserMailer.welcome(user).deliver_now`` sends the mail there and
then (an SMTP or HTTP round trip); ``deliver_later`` enqueues an ActiveJob job
(``ActionMailer::MailDeliveryJob``) that sends it.

A delivery is a ``deliver_now``/``deliver_later`` call (``deliver`` and ``deliver!``, their older
synchronous names, count as ``deliver_now``) on a chain whose root is a mailer: a project class
inheriting ``ActionMailer::Base`` (or ``ApplicationMailer``), or a constant not defined in the
project whose name ends in ``Mailer``. A local assigned such a chain counts too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import constant_path, method_name
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

NOW = frozenset({"deliver_now", "deliver_now!", "deliver", "deliver!"})
LATER = frozenset({"deliver_later", "deliver_later!"})
METHODS = NOW | LATER
_MAILER_BASES = frozenset({"ActionMailer::Base", "ApplicationMailer"})
MAX_CHAIN = 8


@record(frozen=True)
class Delivery:
    """A mail delivery: sent now, or enqueued (``later``)."""

    call: Node
    later: bool
    mailer: str  # the mailer class as written
    label: str  # ``UserMailer.welcome(...).deliver_now``


def delivery(call: Node, ctx: RubyContext) -> Delivery | None:
    """The mail delivery ``call`` is, or None."""
    if call.type != "call":
        return None
    name = method_name(call) or ""
    if name not in METHODS:
        return None
    recv = nodes.receiver(call)
    if recv is None:
        return None
    if recv.type == "identifier":
        recv = ctx.semantic.value_of(recv)
    root = recv
    steps = 0
    while root.type == "call" and (inner := nodes.receiver(root)) is not None:
        root = inner
        steps += 1
        if steps > MAX_CHAIN:
            return None
    mailer = constant_path(root)
    if mailer is None or root is recv or not _is_mailer(mailer, ctx):
        return None
    return Delivery(call, name in LATER, mailer, f"{_chain(recv)}.{name}")


def _is_mailer(written: str, ctx: RubyContext) -> bool:
    bare = written.removeprefix("::")
    resolved = ctx.index.resolve(bare, lexical(ctx.class_scope))
    if resolved is None:
        return bare.endswith("Mailer")
    return any(a.removeprefix("::") in _MAILER_BASES for a in ctx.index.ancestors(resolved)[1:])


def _chain(node: Node, depth: int = 0) -> str:
    """``UserMailer.with(...).welcome(...)``: the chain with its arguments elided."""
    if node.type == "call" and depth < MAX_CHAIN:
        recv = nodes.receiver(node)
        name = method_name(node) or ""
        args = "(...)" if nodes.arguments(node) else ""
        if recv is None:
            return name + args
        return f"{_chain(recv, depth + 1)}.{name}{args}"
    return nodes.text(node)
