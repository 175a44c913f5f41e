"""Sidekiq and ActiveJob configuration written in Ruby (``config/**/*.rb``).

Reads ``Sidekiq.configure_server`` blocks (``config.redis = {size:}``, a
``ConnectionPool.new(size:)`` handed to ``config.redis =``, ``config.concurrency =``,
``config.queues =``,
``config.capsule(name) { |cap| ... }``), ``Sidekiq.default_job_options =``, and the ActiveJob
``queue_adapter`` / ``queue_name_prefix``. Nothing is executed: numbers are literals, ERB-like ENV
expressions evaluated without running them, or project constants; anything else is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.formats.erb import evaluate
from workerlint.formats.values import Capsule, QueueEntry, Source, Value
from workerlint.lang.ruby import nodes, shown
from workerlint.lang.ruby.nodes import NOT_LITERAL
from workerlint.lang.ruby.unit import RubyUnit

if TYPE_CHECKING:
    from tree_sitter import Node

ConstantLookup = Callable[[str], object]
# The parsed unit of a file (path, project-relative path, bytes): shared with the run's other
# readers (app/source.py's UnitStore.unit).
UnitFor = Callable[[Path, str, bytes], RubyUnit]


@record
class RubyConfig:
    """What the Ruby configuration says (picklable: no nodes)."""

    redis_pool: Value | None = None  # the server's explicit pool size
    redis_form: str | None = None  # "hash" | "connection_pool" | "other"
    redis_source: Source | None = None  # the `config.redis =` assignment
    concurrency: Value | None = None
    queues: tuple[QueueEntry, ...] | None = None
    queues_unknown: str = ""  # `config.queues =` set to what we cannot read, and where
    capsules: list[Capsule] = field(default_factory=list)
    default_job_options: list[tuple[str, Value]] = field(default_factory=list)
    active_job_adapter: dict[str, Value] = field(default_factory=dict)  # env ("*": all) -> value
    queue_name_prefix: dict[str, Value] = field(default_factory=dict)


def source_of(relpath: str, node: Node) -> Source:
    row, column = node.start_point
    return Source(relpath, node.start_byte, node.end_byte, row + 1, column + 1)


class _Reader:
    def __init__(
        self, relpath: str, env: Mapping[str, str], constant: ConstantLookup, out: RubyConfig
    ) -> None:
        self.relpath = relpath
        self.env = env
        self.constant = constant
        self.out = out

    def value(self, node: Node | None) -> Value:
        if node is None:
            return Value(None, "unknown")
        source = source_of(self.relpath, node)
        literal = nodes.literal_value(node)
        if literal is not NOT_LITERAL and not isinstance(literal, tuple):
            return Value(literal, "known", source, literal=node.type == "integer")
        name = nodes.constant_path(node)
        if name is not None:
            found = self.constant(name)
            if found is NOT_LITERAL:
                return Value(None, "unknown", source, note=f"constant {name}")
            return Value(found, "known", source, note=f"constant {name}")
        result = evaluate(nodes.text(node), self.env)
        return Value(result.value, result.status, source, result.variables)

    def queues(self, node: Node | None) -> tuple[QueueEntry, ...] | None:
        if node is None or node.type not in ("array", "string_array", "symbol_array"):
            return None
        entries = []
        for item in node.named_children:
            source = source_of(self.relpath, item)
            if node.type != "array":
                entries.append(QueueEntry(nodes.text(item), None, source))
                continue
            value = nodes.literal_value(item)
            if isinstance(value, str):
                name, _, weight = value.partition(",")
                entries.append(QueueEntry(name, int(weight) if weight.isdigit() else None, source))
            elif isinstance(value, tuple) and value and isinstance(value[0], str):
                entries.append(QueueEntry(value[0], value[1] if len(value) > 1 else None, source))
            else:
                return None
        return tuple(entries)

    def configure_server(self, call: Node, local_hashes: dict[str, Node]) -> None:
        block = nodes.block(call)
        params = nodes.block_params(block)
        body = nodes.block_body(block)
        if body is None or not params:
            return
        name = params[0]
        local_hashes = dict(local_hashes)
        for node in nodes.descendants(body):
            left = node.child_by_field_name("left") if node.type == "assignment" else None
            right = node.child_by_field_name("right") if node.type == "assignment" else None
            if left is not None and left.type == "identifier" and right is not None:
                local_hashes[nodes.text(left)] = right
        for node in nodes.descendants(body):
            if node.type == "assignment":
                self.assignment(node, name, local_hashes)
            elif (
                node.type == "call"
                and nodes.method_name(node) == "capsule"
                and nodes.text(nodes.receiver(node)) == name
            ):
                self.capsule(node)

    def assignment(self, node: Node, name: str, local_hashes: dict[str, Node]) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or left.type != "call" or nodes.text(nodes.receiver(left)) != name:
            return
        attribute = nodes.method_name(left)
        if attribute == "concurrency":
            self.out.concurrency = self.value(right)
        elif attribute == "queues":
            self.out.queues = self.queues(right)
            self.out.queues_unknown = "" if self.out.queues is not None else self.unreadable(node)
        elif attribute == "redis" and right is not None:
            self.redis(node, right, local_hashes)

    def redis(self, node: Node, right: Node, local_hashes: dict[str, Node]) -> None:
        self.out.redis_source = source_of(self.relpath, node)
        if right.type == "identifier" and nodes.text(right) in local_hashes:
            right = local_hashes[nodes.text(right)]
        pairs: dict[str, Node] | None = None
        if right.type == "hash":
            self.out.redis_form = "hash"
            pairs, complete = nodes.hash_pairs(right)
        elif (
            right.type == "call"
            and nodes.method_name(right) == "new"
            and nodes.constant_path(nodes.receiver(right)) in ("ConnectionPool", "::ConnectionPool")
        ):
            self.out.redis_form = "connection_pool"
            pairs, complete = nodes.option_pairs(nodes.arguments(right))
        else:
            self.out.redis_form = "other"
            self.out.redis_pool = Value(
                None, "unknown", source_of(self.relpath, right), note="not a literal hash"
            )
            return
        size = pairs.get("size")
        if size is not None:
            self.out.redis_pool = self.value(nodes.pair_value(size))
        elif not complete:
            self.out.redis_pool = Value(
                None, "unknown", source_of(self.relpath, right), note="a **splat may set size"
            )
        else:
            self.out.redis_pool = None

    def unreadable(self, node: Node) -> str:
        where = f"{self.relpath}:{node.start_point[0] + 1}"
        return f"`{shown.describe(node, 60)}` ({where}) is not a list"

    def capsule(self, call: Node) -> None:
        args = nodes.arguments(call)
        label = nodes.literal_value(args[0]) if args else NOT_LITERAL
        if not args:
            return
        if not isinstance(label, str):  # still a capsule: its threads and queues count
            where = f"{self.relpath}:{call.start_point[0] + 1}"
            label = f"named by {shown.describe(args[0])} at {where}"
        block = nodes.block(call)
        params = nodes.block_params(block)
        body = nodes.block_body(block)
        concurrency: Value | None = None
        queues = None
        queues_unknown = ""
        if body is not None and params:
            for node in nodes.descendants(body):
                if node.type != "assignment":
                    continue
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is None or left.type != "call":
                    continue
                if nodes.text(nodes.receiver(left)) != params[0]:
                    continue
                if nodes.method_name(left) == "concurrency":
                    concurrency = self.value(right)
                elif nodes.method_name(left) == "queues":
                    queues = self.queues(right)
                    queues_unknown = "" if queues is not None else self.unreadable(node)
        source = source_of(self.relpath, call)
        self.out.capsules.append(
            Capsule(str(label), concurrency, queues, source, "ruby", queues_unknown)
        )

    def default_job_options(self, node: Node) -> None:
        right = node.child_by_field_name("right")
        if right is None or right.type != "hash":
            return
        pairs, _ = nodes.hash_pairs(right)
        # Sidekiq merges each assignment into the defaults; it never drops earlier keys.
        merged = dict(self.out.default_job_options)
        merged.update((key, self.value(nodes.pair_value(pair))) for key, pair in pairs.items())
        self.out.default_job_options = list(merged.items())

    def active_job(self, node: Node, environment: str) -> None:
        left = nodes.text(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left.endswith("active_job.queue_adapter"):
            self.out.active_job_adapter[environment] = self.value(right)
        elif left.endswith("active_job.queue_name_prefix"):
            self.out.queue_name_prefix[environment] = self.value(right)


def setup_reads(data: bytes) -> bool:
    """Whether a configuration file can say anything about Sidekiq or ActiveJob's adapter."""
    return b"Sidekiq" in data or b"active_job" in data


def read_ruby_file(
    relpath: str,
    data: bytes,
    env: Mapping[str, str],
    constant: ConstantLookup,
    out: RubyConfig,
    unit: RubyUnit | None = None,
) -> None:
    """Add what one configuration file says to ``out`` (``unit``: the file as this run parsed
    it already)."""
    if not setup_reads(data):
        return
    unit = unit or RubyUnit(relpath, data)
    root = unit.syntax.tree.root_node  # a file with grammar gaps: read as rewritten
    reader = _Reader(relpath, env, constant, out)
    environment = "*"
    if relpath.startswith("config/environments/"):
        environment = relpath.rsplit("/", 1)[-1].removesuffix(".rb")
    local_hashes: dict[str, Node] = {}
    for node in nodes.descendants(root):
        if node.type == "assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None:
                local_hashes[nodes.text(left)] = right
            elif nodes.text(left) in (
                "Sidekiq.default_job_options",
                "Sidekiq.default_worker_options",  # the name before 7.0
            ):
                reader.default_job_options(node)
            elif "active_job" in nodes.text(left):
                reader.active_job(node, environment)
        elif (
            node.type == "call"
            and nodes.method_name(node) == "configure_server"
            and nodes.constant_path(nodes.receiver(node)) in ("Sidekiq", "::Sidekiq")
        ):
            reader.configure_server(node, local_hashes)
