"""Sidekiq's Ruby API as facts: the job options a ``sidekiq_options`` call or a
``Sidekiq.default_job_options`` statement sets (parsed here once for the index, the option rules
and the queue rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes

if TYPE_CHECKING:
    from tree_sitter import Node

DEFAULT_HOLDERS = frozenset({"default_job_options", "default_worker_options"})
SIDEKIQ = frozenset({"Sidekiq", "::Sidekiq"})


@record(frozen=True)
class JobOptions:
    """The options one statement sets: ``kind`` is ``class`` (``sidekiq_options``) or
    ``default`` (``Sidekiq.default_job_options``); ``label`` is how messages name it."""

    kind: str
    pairs: dict[str, Node]
    complete: bool
    label: str


def job_options(call: Node) -> JobOptions | None:
    """The options set by a ``sidekiq_options`` call (no receiver, or ``self``), or by the
    ``Sidekiq.default_job_options`` call of ``... = {...}`` / ``....merge!(...)``."""
    if call.type != "call":
        return None
    method = nodes.method_name(call)
    receiver = nodes.receiver(call)
    if method == "sidekiq_options":
        if receiver is not None and receiver.type != "self":
            return None
        pairs, complete = nodes.option_pairs(nodes.arguments(call))
        return JobOptions("class", pairs, complete, "sidekiq_options")
    if method not in DEFAULT_HOLDERS or nodes.constant_path(receiver) not in SIDEKIQ:
        return None
    label = f"Sidekiq.{method}"
    parent = call.parent
    if parent is None:
        return None
    if parent.type == "assignment" and parent.child_by_field_name("left") == call:
        right = parent.child_by_field_name("right")
        if right is not None and right.type == "hash":
            pairs, complete = nodes.hash_pairs(right)
            return JobOptions("default", pairs, complete, label)
        inner = nodes.receiver(right) if right is not None else None
        if (
            right is not None
            and inner is not None
            and nodes.method_name(right) == "merge"
            and nodes.method_name(inner) in DEFAULT_HOLDERS
        ):
            pairs, complete = nodes.option_pairs(nodes.arguments(right))
            return JobOptions("default", pairs, complete, label)
        return None
    if (
        parent.type == "call"
        and nodes.method_name(parent) == "merge!"
        and parent.child_by_field_name("receiver") == call
    ):
        pairs, complete = nodes.option_pairs(nodes.arguments(parent))
        return JobOptions("default", pairs, complete, label)
    return None
