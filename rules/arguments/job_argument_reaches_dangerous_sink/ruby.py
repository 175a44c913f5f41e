"""WL401's Ruby check: a job argument reaching code, a command, a class or method name, SQL or a path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_arguments import analyse_class
from workerlint.lang.ruby.job_arguments.sinks import CWE, KINDS
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.provenance.analysis import argument_position
from workerlint.lang.ruby.provenance.facts import REQUEST, STORED, UNKNOWN
from workerlint.lang.ruby.provenance.query import INTERNAL, Provenance

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope
    from workerlint.project.context import FileContext
    from workerlint.taint import Finding

_ADVICE = {
    "code": "never evaluate job data: dispatch through a literal Hash of allowed handlers",
    "shell": (
        "check it against an allow-list, and pass the command as separate arguments "
        '(`system("cmd", arg)`)'
    ),
    "deserialization": "parse it as JSON (`JSON.parse`) instead of loading objects from it",
    "oj_default": (
        "`Oj.load` without `mode:` uses Oj's default mode, `:object` unless the project changes "
        "it: pass `mode: :strict` (or use `JSON.parse`)"
    ),
    "sql": 'pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)',
    "constant": "check it against an allow-list (`ALLOWED.include?({arg})`) or look it up in a "
    "literal Hash",
    "method": "check it against an allow-list (`ALLOWED.include?({arg})`) or `case`/`when` on "
    "literal names",
    "file": "check it against an allow-list or an anchored pattern (`/\\A[\\w-]+\\z/`) before "
    "building the path",
    "url": "keep the scheme and host fixed and put the argument only in the path or query",
    "url_whole": "check its host against an allow-list (`URI({arg}).host`) before the request",
}


class RubyDangerousSinkCheck(LanguageCheck):
    worker_code_only = False
    node_types = frozenset({"class"})
    # The gate: it reports only on a worker class (the index decides which).
    gate_worker_classes = True

    def visit(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if scope is None or scope.node != node or not ctx.index.is_worker(scope.facts.name):
            return
        for finding in analyse_class(scope, ctx):
            if finding.use != "injection":
                continue
            found = _provenance(finding, scope, ctx)
            level = level_of(finding.sink, found.kind)
            if level is None:
                continue
            if found.unreached and finding.sink not in _EXECUTES and level is Level.WARNING:
                level = Level.NOTE  # only a person gives it: no flow of the app to act on
            what, _ = KINDS[finding.sink]
            arg = finding.origin.arg
            chain = " -> ".join((*found.chain, finding.origin.describe(), f"`{finding.label}`"))
            message = (
                f"job argument `{arg}` reaches {what} without validation; "
                f"{found.reason or _ORIGIN[found.kind]}: {chain}; "
                f"{_advice(finding.sink, finding.subject)}"
            )
            ctx.report(
                Span(finding.start, finding.end), message, level=level, cwe=CWE[finding.sink]
            )


# What the message says of each provenance.
_ORIGIN = {
    REQUEST: "it comes from the request",
    STORED: "it comes from stored data",
    UNKNOWN: "where it comes from is not known",
    INTERNAL: "the app passes only internal values",
}
# Sinks that run what they are given: every provenance but internal is an error.
_RUNS = frozenset({"code", "shell", "deserialization"})
_LOWER = {Level.ERROR: Level.WARNING, Level.WARNING: Level.NOTE}
# Sinks where a job argument written to Redis by hand would run code (in Ruby, a shell or the
# database): a worker no code enqueues keeps its level there.
_EXECUTES = _RUNS | {"oj_default", "sql"}


def level_of(sink: str, kind: str) -> Level | None:
    """The level of a finding at ``sink`` for an argument of provenance ``kind`` (RULES.md,
    WL401), or None when it is not reported."""
    if sink == "url_whole":
        return {REQUEST: Level.ERROR, STORED: Level.WARNING}.get(kind)
    if sink in _RUNS or sink == "oj_default":
        level = Level.NOTE if kind == INTERNAL else Level.ERROR
        return _LOWER.get(level) if sink == "oj_default" else level
    return {REQUEST: Level.ERROR, STORED: Level.WARNING, UNKNOWN: Level.WARNING}.get(
        kind, Level.NOTE
    )


def _provenance(finding: Finding, scope: ClassScope, ctx: FileContext) -> Provenance:
    """Where the job argument of ``finding`` comes from, across the project."""
    entry = finding.origin.path[0].split("(", 1)[0] if finding.origin.path else "perform"
    position = argument_position(scope, entry, finding.origin.arg)
    if position is None:
        return Provenance(UNKNOWN, (), "it is not one of the job's positional or keyword arguments")
    index, keyword = position
    return ctx.index.provenance.of(scope.facts.name, index, keyword, _read_key(finding, ctx))


def _read_key(finding: Finding, ctx: FileContext) -> str:
    """The key of a Hash job argument whose value reaches the sink (``args.fetch("klass")``,
    ``options["type"].camelize``, through locals), or "" when the sink gets another value."""
    sink: Node | None = finding.ref  # type: ignore[assignment]
    if sink is None or sink.type != "call" or not finding.origin.path:
        return ""
    param = finding.origin.path[-1].rsplit("(", 1)[-1].rstrip(")")
    name = method_name(sink) or ""
    receiver = nodes.receiver(sink)
    args = [a for a in nodes.arguments(sink) if a.type not in ("pair", "block_argument")]
    node = receiver if name in ("constantize", "safe_constantize") else (args[0] if args else None)
    for _ in range(8):
        if node is None:
            return ""
        if node.type == "identifier":
            if text(node) == param:
                return ""
            binding = ctx.semantic.binding_of(node)
            node = binding.value if binding is not None else None
        elif node.type == "string":
            holes = [c for c in node.named_children if c.type == "interpolation"]
            inner = holes[0].named_children if len(holes) == 1 else []
            node = inner[0] if len(inner) == 1 else None
        elif _reads(node):
            container = node.child_by_field_name("object") or nodes.receiver(node)
            keys = node.named_children[1:] if node.type == "element_reference" else args_of(node)
            key = nodes.literal_value(keys[0]) if keys else None
            if container is not None and text(container) == param and isinstance(key, str):
                return str(key)
            return ""
        elif node.type == "call" and nodes.receiver(node) is not None:
            node = nodes.receiver(node)  # a transformation of the value read (`.to_s`)
        else:
            return ""
    return ""


def _reads(node: Node) -> bool:
    if node.type == "element_reference":
        return True
    return node.type == "call" and method_name(node) in ("fetch", "dig", "[]")


def args_of(call: Node) -> list[Node]:
    return [a for a in nodes.arguments(call) if a.type not in ("pair", "block_argument")]


def _advice(sink: str, subject: str) -> str:
    advice = _ADVICE[sink]
    if subject:
        return advice.replace("{arg}", subject)
    return advice.replace(" (`ALLOWED.include?({arg})`)", "").replace("{arg}", "url")
