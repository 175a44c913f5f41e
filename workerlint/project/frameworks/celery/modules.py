"""Reading Python configuration modules top to bottom: their module-level assignments (settings),
attribute assignments (``app.conf.x = ...``) and calls (``app.conf.update(...)``), as Values.

``ModuleReader`` reads each project module once per build (through the ``read`` callback, so the
in-memory file system of the examples works), follows ``from .base import *`` (Django's split
settings) and imported names through the PythonIndex, and never runs anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.formats.values import Source, Value
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text
from workerlint.lang.python.unit import PythonUnit
from workerlint.project.frameworks.celery.pyvalues import Evaluator, Names, source_of

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.index import PythonIndex

MAX_MODULES = 64  # modules read per build (settings split over many files stay well below)
_CONDITIONAL = frozenset({"if_statement", "else_clause", "elif_clause", "except_clause"})
_BLOCKS = frozenset({"try_statement", "with_statement", "block", "finally_clause"})


@record(frozen=True)
class Entry:
    """``KEY = value`` at module level: the key as written, its value, where the key is, and
    whether it is assigned under a condition (``if DEBUG:``, an ``except`` block)."""

    key: str
    value: Value
    key_source: Source
    conditional: bool = False


@record(frozen=True)
class AttributeSet:
    """``a.b.c = value`` or ``a.b["c"] = value`` at module level: the target as written
    (``app.conf.task_acks_late``; a subscript is written as an attribute)."""

    target: str
    value: Value
    key_source: Source


@record(frozen=True)
class CallSite:
    """A call statement at module level (or in a ``worker_process_init`` handler): the callee
    as written and qualified, its positional and keyword argument Values."""

    written: str
    qualified: str
    args: tuple[Value, ...]
    keywords: tuple[tuple[str, Value, Source], ...]  # name, value, where the keyword is
    source: Source
    in_handler: str | None = None  # the signal the enclosing handler connects to
    assigned_to: str | None = None  # ``app = Celery(...)``: the name it is bound to

    def keyword(self, name: str) -> Value | None:
        return next((v for k, v, _ in self.keywords if k == name), None)


@record
class ModuleValues:
    relpath: str
    entries: list[Entry] = field(default_factory=list)
    bound: dict[str, Value] = field(default_factory=dict)
    attributes: list[AttributeSet] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)


class ModuleReader:
    """Reads project modules into ModuleValues, each once."""

    def __init__(self, index: PythonIndex, read: Callable[[str], bytes | None]) -> None:
        self.index = index
        self.read = read
        self._done: dict[str, ModuleValues | None] = {}
        self._reading: set[str] = set()

    def module(self, relpath: str) -> ModuleValues | None:
        if relpath in self._done:
            return self._done[relpath]
        if relpath in self._reading or len(self._done) >= MAX_MODULES:
            return None
        self._reading.add(relpath)
        try:
            data = self.read(relpath)
            result = None if data is None else self._read(relpath, data)
        finally:
            self._reading.discard(relpath)
        self._done[relpath] = result
        return result

    def by_name(self, module: str) -> ModuleValues | None:
        relpath = self.index.modules.get(module)
        return self.module(relpath) if relpath is not None else None

    def imported(self, qualified: str) -> Value | None:
        """The value of ``pkg.mod.NAME`` when NAME is bound at the top of a project module."""
        module, _, name = qualified.rpartition(".")
        if not module:
            return None
        values = self.by_name(module)
        return values.bound.get(name) if values is not None else None

    def is_getter(self, qualified: str) -> bool:
        """A project function reading ``os.environ``/``os.getenv`` (PYTHON.md §9)."""
        target = self.index.resolve(qualified)
        if target is None or target.kind != "function" or target.rest:
            return False
        data = self.read(target.relpath)
        if data is None:
            return False
        bodies = [
            data[f.start : f.end] for f in target.facts.functions if f.qualname == target.name
        ]  # an ``@overload`` stub comes first: any definition reading the environment counts
        return any(b"os.environ" in body or b"getenv" in body for body in bodies)

    def _read(self, relpath: str, data: bytes) -> ModuleValues:
        unit = PythonUnit(relpath, data)
        module = self.index.module_of(relpath)
        facts = unit.facts
        imports = {name: self.index.absolute(q, relpath) for name, q in facts.imports}
        values = ModuleValues(relpath, imports=imports)
        names = Names(imports, values.bound, self.imported, self.is_getter)
        evaluator = Evaluator(relpath, names)
        _Walker(self, values, evaluator, module, relpath.endswith("__init__.py")).block(
            unit.tree.root_node, conditional=False
        )
        return values


class _Walker:
    def __init__(
        self,
        reader: ModuleReader,
        values: ModuleValues,
        evaluator: Evaluator,
        module: str,
        package: bool,
    ) -> None:
        self.reader = reader
        self.values = values
        self.evaluator = evaluator
        self.module = module
        self.package = package

    def block(self, node: Node, conditional: bool) -> None:
        for child in node.named_children:
            kind = child.type
            if kind == "expression_statement":
                for inner in child.named_children:
                    self.statement(inner, conditional)
            elif kind in _CONDITIONAL or kind == "if_statement":
                self.block(child, conditional=True)
            elif kind in _BLOCKS:
                self.block(child, conditional)
            elif kind == "import_from_statement":
                self.star(child)
            elif kind == "decorated_definition":
                self.handler(child)

    def statement(self, node: Node, conditional: bool) -> None:
        if node.type == "assignment":
            self.assignment(node, conditional)
        elif node.type == "call":
            self.call(node, None)

    def assignment(self, node: Node, conditional: bool) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        if right.type == "assignment":  # ``A = B = 1``: the value is the innermost
            self.assignment(right, conditional)
            inner = right
            while inner.type == "assignment" and inner.child_by_field_name("right") is not None:
                inner = inner.child_by_field_name("right")  # type: ignore[assignment]
            right = inner
        relpath = self.values.relpath
        value = self.evaluator.value(right)
        if right.type == "call" and left.type == "identifier":
            self.call(right, None, text(left))
        if right.type == "call" and self.evaluator.names.qualify(
            nodes.dotted(nodes.callee(right)) or ""
        ) in ("environ.Env",):
            value = Value(None, "unknown", value.source, note="environ.Env")
        if left.type == "identifier":
            key = text(left)
            if conditional:
                previous = self.values.bound.get(key)
                if previous is None or previous.value != value.value:
                    value = Value(
                        None,
                        "unknown",
                        value.source,
                        value.variables,
                        note="assigned under a condition",
                    )
            self.values.bound[key] = value
            self.values.entries.append(Entry(key, value, source_of(relpath, left), conditional))
            return
        target = _target(left)
        if target is not None:
            self.values.attributes.append(AttributeSet(target, value, source_of(relpath, left)))

    def call(self, node: Node, handler: str | None, assigned_to: str | None = None) -> None:
        written = nodes.dotted(nodes.callee(node))
        if written is None:
            return
        evaluator = self.evaluator
        args = tuple(evaluator.value(a) for a in nodes.arguments(node))
        keywords = tuple(
            (name, evaluator.value(value), source_of(self.values.relpath, value))
            for name, value in nodes.keywords(node).items()
        )
        self.values.calls.append(
            CallSite(
                written,
                evaluator.names.qualify(written),
                args,
                keywords,
                source_of(self.values.relpath, node),
                handler,
                assigned_to,
            )
        )

    def star(self, node: Node) -> None:
        from workerlint.lang.python.semantic import absolute, star_import

        star = star_import(node)
        if star is None:
            return
        other = self.reader.by_name(absolute(star, self.module, self.package))
        if other is None:
            return
        self.values.bound.update(other.bound)
        self.values.entries.extend(other.entries)
        self.values.attributes.extend(other.attributes)

    def handler(self, node: Node) -> None:
        """Calls at the top of a function connected to a worker signal
        (``@worker_process_init.connect``): ``socket.setdefaulttimeout`` there counts."""
        definition = node.child_by_field_name("definition")
        if definition is None:
            return
        signal = None
        for expression in nodes.decorators(definition):
            target = nodes.callee(expression) if expression.type == "call" else expression
            written = nodes.dotted(target)
            if written is not None and written.endswith(".connect"):
                signal = self.evaluator.names.qualify(written[: -len(".connect")])
        body = definition.child_by_field_name("body")
        if signal is None or body is None:
            return
        for statement in body.named_children:
            if statement.type == "expression_statement":
                for inner in statement.named_children:
                    if inner.type == "call":
                        self.call(inner, signal)


def _target(left: Node) -> str | None:
    if left.type == "attribute":
        return nodes.dotted(left)
    if left.type == "subscript":
        base = nodes.dotted(left.child_by_field_name("value"))
        key = nodes.string_value(left.child_by_field_name("subscript"))
        if base is not None and key is not None:
            return f"{base}.{key}"
    return None
