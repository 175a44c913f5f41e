"""WL304's Python check: task code adding to a module-level or class-level collection, and
unbounded ``functools`` caches on functions task code calls (PYTHON.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.model import FunctionFacts
    from workerlint.project.context import PythonFileContext

APPENDERS = frozenset({"append", "extend", "insert", "add", "appendleft", "extendleft"})
KEYED = frozenset({"update", "setdefault"})
REMOVERS = frozenset({"clear", "pop", "popitem", "remove", "discard", "popleft", "popright"})
CONSTRUCTORS = frozenset(
    {"dict", "list", "set", "collections.defaultdict", "collections.OrderedDict",
     "collections.Counter", "collections.deque"}
)  # fmt: skip
_LITERALS = {"dictionary": "dict", "list": "list", "set": "set"}
_CACHES = frozenset({"functools.cache", "functools.lru_cache"})


@record(frozen=True)
class _Global:
    label: str  # how messages show it
    kind: str  # dict | list | set | ...
    line: int  # where it is created
    name: str  # the attribute or name, to look for removals


class ProcessGlobalGrowthCheck(LanguageCheck):
    node_types = frozenset({"assignment", "augmented_assignment", "call"})

    def begin_file(self, ctx: PythonFileContext) -> None:
        self._removed: set[str] | None = None
        self._caches_reported: set[tuple[str, str]] = set()

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if node.type == "call":
            name = nodes.call_name(node)
            if name in APPENDERS or name in KEYED:
                receiver = nodes.receiver(node)
                if receiver is not None:
                    self._added(node, receiver, name in KEYED, ctx)
                return
            self._cached_call(node, ctx)
            return
        left = node.child_by_field_name("left")
        if left is None or left.type != "subscript":
            return
        key = left.child_by_field_name("subscript")
        if nodes.literal(key) is not NOT_LITERAL:
            return  # a fixed key: it does not grow
        collection = left.child_by_field_name("value")
        if collection is not None:
            self._added(node, collection, True, ctx)

    def _added(self, node: Node, collection: Node, keyed: bool, ctx: PythonFileContext) -> None:
        found = _global(collection, ctx)
        if found is None or found.name in self._removals(ctx):
            return
        kept = (
            f"{found.label}, a {found.kind} created at line {found.line} that lives as long as "
            "the worker process and is shared by every task it runs"
        )
        shown = nodes.describe(node, 60)
        span = Span(node.start_byte, node.end_byte)
        if keyed:
            message = (
                f"`{shown}` adds a key to {kept}: it grows with every distinct key and nothing "
                "takes entries out, so unless the keys are a small fixed set, memory grows until "
                "the process restarts; use Django's cache or Redis with an expiry, or an LRU"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        message = (
            f"`{shown}` adds to {kept}: each run adds to it and nothing takes entries out, so "
            "memory grows until the process restarts; keep it in the task, or in Redis with an "
            "expiry"
        )
        ctx.report(span, message)

    def _removals(self, ctx: PythonFileContext) -> set[str]:
        """Names and attributes the module takes entries out of (``X.pop(k)``, ``del X[k]``,
        ``X.clear()``) or rebinds in a function: their size is managed."""
        if self._removed is None:
            found: set[str] = set()
            stack = [ctx.tree.root_node]
            while stack:
                node = stack.pop()
                if node.type == "call" and nodes.call_name(node) in REMOVERS:
                    receiver = nodes.receiver(node)
                    if receiver is not None:
                        found.add(_leaf(receiver))
                elif node.type == "delete_statement":
                    for target in node.named_children:
                        for item in [target, *target.named_children]:
                            if item.type == "subscript":
                                found.add(_leaf(item.child_by_field_name("value")))
                elif node.type == "global_statement":
                    found.update(text(c) for c in node.named_children)
                stack.extend(node.named_children)
            self._removed = found
        return self._removed

    def _cached_call(self, call: Node, ctx: PythonFileContext) -> None:
        function = nodes.callee(call)
        if function is None or function.type not in ("identifier", "attribute"):
            return
        cached = _unbounded_cache(function, ctx)
        if cached is None:
            return
        where, qualname, decorator, line = cached
        if (where, qualname) in self._caches_reported:
            return
        self._caches_reported.add((where, qualname))
        place = f"line {line}" if where == ctx.relpath else f"{where}:{line}"
        message = (
            f"`{qualname}` is memoised with `@{decorator}` ({place}), which never evicts: every "
            "distinct argument it is called with adds an entry kept for the life of the worker "
            "process, so unless the arguments are a small fixed set memory grows until the "
            "process restarts; give it a `maxsize`"
        )
        ctx.report(Span(*nodes.call_span(call)), message, level=Level.NOTE)


def _leaf(node: Node | None) -> str:
    """``X`` for ``X``, ``cls.X``, ``self.X``, ``Name.X``."""
    if node is None:
        return ""
    if node.type == "attribute":
        return text(node.child_by_field_name("attribute"))
    return text(node)


def _global(collection: Node, ctx: PythonFileContext) -> _Global | None:
    collection = nodes.unwrap(collection)
    if collection.type == "identifier":
        binding = ctx.semantic.binding_of(collection)
        if binding is None:
            return None
        if binding.kind == "import":
            return _imported(binding.qualified or "", ctx, text(collection))
        if binding.scope.kind != "module" or binding.kind != "assignment" or binding.unpacked:
            return None
        if len(binding.scope.bindings.get(text(collection), [])) != 1 or binding.value is None:
            return None
        kind = _collection_kind(binding.value, ctx)
        if kind is None:
            return None
        return _Global(
            f"the module-level `{text(collection)}`",
            kind,
            nodes.line_of(binding.value),
            text(collection),
        )
    if collection.type == "attribute":
        return _class_level(collection, ctx)
    return None


def _class_level(attribute: Node, ctx: PythonFileContext) -> _Global | None:
    owner = attribute.child_by_field_name("object")
    name = text(attribute.child_by_field_name("attribute"))
    if owner is None or owner.type != "identifier":
        return None
    written = text(owner)
    cls: Node | None
    if written in ("self", "cls"):
        cls = nodes.enclosing(attribute, frozenset({"class_definition"}))
        if cls is not None and written == "self" and name in ctx.semantic.self_assignments(cls):
            return None  # the instance's own
    else:
        binding = ctx.semantic.binding_of(owner)
        cls = binding.value if binding is not None and binding.kind == "class" else None
    if cls is None:
        return None
    body = cls.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        assignment = statement.named_children[0] if statement.named_children else None
        if statement.type != "expression_statement" or assignment is None:
            continue
        if assignment.type != "assignment" or text(assignment.child_by_field_name("left")) != name:
            continue
        value = assignment.child_by_field_name("right")
        kind = _collection_kind(value, ctx) if value is not None else None
        if kind is None:
            return None
        cls_name = text(cls.child_by_field_name("name"))
        return _Global(f"the class attribute `{cls_name}.{name}`", kind, nodes.line_of(value), name)
    return None


def _collection_kind(value: Node, ctx: PythonFileContext) -> str | None:
    value = nodes.unwrap(value)
    if value.type in _LITERALS:
        return _LITERALS[value.type]
    if value.type != "call":
        return None
    qualified = ctx.semantic.qualified_name(nodes.callee(value))
    if qualified not in CONSTRUCTORS:
        return None
    if qualified == "collections.deque" and "maxlen" in nodes.keywords(value):
        return None
    return qualified.rsplit(".", 1)[-1]


def _imported(qualified: str, ctx: PythonFileContext, written: str) -> _Global | None:
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "assignment" or target.rest:
        return None
    assignment = target.facts.assignment(target.name)
    if assignment is None:
        return None
    kind: str | None = None
    if isinstance(assignment.value, dict):
        kind = "dict"
    elif assignment.value == () and assignment.call is None:
        kind = "list"
    elif assignment.call is not None and assignment.call.name is not None:
        called = ctx.index.absolute(assignment.call.name, target.relpath)
        if called in CONSTRUCTORS and not assignment.call.has_keyword("maxlen"):
            kind = called.rsplit(".", 1)[-1]
    if kind is None:
        return None
    label = f"`{written}` (the module-level `{target.name}` of {target.relpath}:{assignment.line})"
    return _Global(label, kind, assignment.line, written)


def _unbounded_cache(function: Node, ctx: PythonFileContext) -> tuple[str, str, str, int] | None:
    """(relpath, function, decorator as shown, line) of a function memoised without bound and
    taking arguments."""
    if function.type == "identifier":
        binding = ctx.semantic.binding_of(function)
        if binding is not None and binding.kind == "def" and binding.value is not None:
            definition = binding.value
            params = [p for p, _, _ in nodes.parameters(definition) if p not in ("self", "cls")]
            if not params:
                return None
            for decorator in nodes.decorators(definition):
                shown = _unbounded(decorator, ctx)
                if shown is not None:
                    name = text(definition.child_by_field_name("name"))
                    return ctx.relpath, name, shown, nodes.line_of(decorator)
            return None
    qualified = ctx.semantic.qualified_name(function)
    target = ctx.index.resolve(qualified) if qualified else None
    if target is None or target.kind != "function" or target.rest:
        return None
    facts = ctx.index.function(target)
    if facts is None or not _takes_arguments(facts):
        return None
    for decorator in facts.decorators:
        called = ctx.index.absolute(decorator.name, target.relpath) if decorator.name else ""
        if called == "functools.cache" and decorator.call is None:
            return target.relpath, facts.qualname, "cache", decorator.line
        call = decorator.call
        if (
            called == "functools.lru_cache"
            and call is not None
            and call.has_keyword("maxsize")
            and call.keyword("maxsize") is None
        ):
            return target.relpath, facts.qualname, "lru_cache(maxsize=None)", decorator.line
    return None


def _takes_arguments(facts: FunctionFacts) -> bool:
    return any(p not in ("self", "cls") for p in facts.params)


def _unbounded(decorator: Node, ctx: PythonFileContext) -> str | None:
    if decorator.type == "call":
        qualified = ctx.semantic.qualified_name(nodes.callee(decorator))
        if qualified != "functools.lru_cache":
            return None
        maxsize = nodes.keywords(decorator).get("maxsize")
        args = nodes.arguments(decorator)
        if maxsize is None and args:
            maxsize = args[0]
        if maxsize is not None and nodes.unwrap(maxsize).type == "none":
            return "lru_cache(maxsize=None)"
        return None
    if ctx.semantic.qualified_name(decorator) == "functools.cache":
        return "cache"
    return None
