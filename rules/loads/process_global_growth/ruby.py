"""WL304's Ruby check: worker code that adds to a process-wide collection grows memory until restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.lang.ruby import nodes, shown
from workerlint.lang.ruby.model import MUTABLE_COLLECTION
from workerlint.lang.ruby.nodes import NOT_LITERAL, constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.state import MutableState
    from workerlint.project.context import FileContext

ADDERS = frozenset(
    {"push", "append", "unshift", "insert", "concat", "store", "merge!", "update", "add", "add?",
     "compute_if_absent", "put_if_absent", "[]="}
)  # fmt: skip
# Methods that take entries out: a class that calls one on the collection manages its size.
REMOVERS = frozenset(
    {"clear", "delete", "delete_if", "reject!", "keep_if", "select!", "filter!", "shift", "pop",
     "slice!", "replace", "compact!", "delete_at", "compute_if_present", "each_pair_delete"}
)  # fmt: skip


@record(frozen=True)
class Target:
    label: str  # "`Pricing::CACHE`", "class variable `@@seen` of `Feed`"
    kind: str  # "Hash", "Array"...
    where: str  # "app/workers/pricing_worker.rb:3", or "" when unknown


class RubyProcessGlobalGrowthCheck(LanguageCheck):
    node_types = frozenset({"assignment", "operator_assignment", "binary"})
    call_names = ADDERS

    def begin_file(self, ctx: FileContext) -> None:
        self._managed_memo: dict[tuple[int, str], bool] = {}

    def visit(self, node: Node, ctx: FileContext) -> None:
        collection = _collection(node)
        if collection is None or _literal_key(node):
            return
        target = _resolve(collection, ctx)
        if target is None or self._managed(collection, ctx):
            return
        if nodes.is_class_method(ctx.method) and not self._called_per_job(ctx):
            return  # a class method run from class bodies (a DSL macro), not by the job
        where = f" ({target.where})" if target.where else ""
        kept = (
            f"{target.label}, {_article(target.kind)} {target.kind} kept for the life of the "
            f"Sidekiq process{where} and shared by all its threads"
        )
        if _keyed(node):
            message = (
                f"`{_shown(node)}` adds a key to {kept}: it grows with every distinct key and "
                "nothing takes entries out, so unless the keys are a small fixed set, memory "
                "grows until the process restarts; use `Rails.cache` with an expiry, or an LRU"
            )
            ctx.report(_span(node), message, level=Level.NOTE)
            return
        message = (
            f"`{_shown(node)}` adds to {kept}: each job adds to it and nothing takes entries "
            "out, so memory grows until the process restarts; keep it in the job, or in "
            "`Rails.cache`/Redis with an expiry"
        )
        ctx.report(_span(node), message)

    def _called_per_job(self, ctx: FileContext) -> bool:
        """Whether the current class method is called from an instance method of its class."""
        scope, method = ctx.class_scope, ctx.method
        if scope is None or method is None:
            return False
        name = text(method.child_by_field_name("name"))
        key = (scope.node.start_byte, "." + name)
        if key not in self._managed_memo:
            self._managed_memo[key] = _called_from_instance_method(name, scope.node)
        return self._managed_memo[key]

    def _managed(self, collection: Node, ctx: FileContext) -> bool:
        scope = ctx.class_scope
        if scope is None:
            return False
        key = (scope.node.start_byte, text(collection))
        if key not in self._managed_memo:
            self._managed_memo[key] = _managed(collection, scope.node)
        return self._managed_memo[key]


def _article(kind: str) -> str:
    return "an" if kind[:1].lower() in "aeiou" else "a"


KEYED = frozenset({"store", "merge!", "update", "compute_if_absent", "put_if_absent", "[]="})


def _keyed(node: Node) -> bool:
    """A write under a key (`x[k] = v`, `store`, `merge!`): bounded by the keys, not the jobs."""
    if node.type in ("assignment", "operator_assignment"):
        return True
    return node.type == "call" and method_name(node) in KEYED


def _literal_key(node: Node) -> bool:
    """`x[:name] = v`: a fixed slot, overwritten on every run; it does not grow."""
    if node.type not in ("assignment", "operator_assignment"):
        return False
    left = node.child_by_field_name("left")
    if left is None or left.named_children[0].type == "element_reference":
        return False
    keys = [c for c in left.named_children[1:] if c.type != "comment"]
    return all(nodes.literal_value(k) is not NOT_LITERAL for k in keys)


def _called_from_instance_method(name: str, scope: Node) -> bool:
    for node in nodes.descendants(scope):
        if node.type == "call" and method_name(node) == name and _in_instance_method(node):
            return True
    return False


def _in_instance_method(node: Node) -> bool:
    current = node.parent
    while current is not None and current.type not in ("class", "module", "singleton_class"):
        if current.type == "method":
            return True
        current = current.parent
    return False


def _collection(node: Node) -> Node | None:
    """The collection an adding expression writes to (through nested indexes)."""
    target: Node | None = None
    if node.type in ("assignment", "operator_assignment"):
        left = node.child_by_field_name("left")
        if left is not None and left.type == "element_reference":
            target = left.child_by_field_name("object")
    elif node.type == "binary":
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type == "<<":
            target = node.child_by_field_name("left")
    elif node.type == "call":
        target = nodes.receiver(node)
    while target is not None and target.type == "element_reference":
        target = target.child_by_field_name("object")
    return target


def _shown(node: Node) -> str:
    if node.type in ("assignment", "operator_assignment"):
        left = node.child_by_field_name("left")
        operator = "=" if node.type == "assignment" else node.child_by_field_name("operator")
        written = operator if isinstance(operator, str) else text(operator)
        return f"{text(left)} {written} ..."
    return shown.describe(node, 50)


def _span(node: Node) -> Span:
    if node.type == "call":
        method = node.child_by_field_name("method")
        args = nodes.argument_list(node)
        assert method is not None
        return Span(method.start_byte, (args or method).end_byte)
    if node.start_point[0] != node.end_point[0]:
        left = node.child_by_field_name("left")
        if left is not None:
            return Span(left.start_byte, left.end_byte)
    return Span(node.start_byte, node.end_byte)


def _states(cls: str, name: str, ctx: FileContext) -> list[tuple[MutableState, str]]:
    return [(s, path) for s, path in ctx.index.class_state(cls) if s.name == name]


def _found(label: str, state: MutableState, path: str) -> Target:
    return Target(label, state.kind, f"{path}:{state.line}")


def _resolve(target: Node, ctx: FileContext) -> Target | None:
    scope = ctx.class_scope
    if scope is None:
        return None
    current = scope.facts.name
    if target.type in ("constant", "scope_resolution"):
        return _constant(target, ctx)
    if target.type == "class_variable":
        found = _states(current, text(target), ctx)
        if not found or any(not s.kind for s, _ in found):
            return None  # unknown, or a logger/IO rather than a collection
        state, path = found[0]
        return _found(f"the class variable `{state.name}` of `{current}`", state, path)
    if target.type == "instance_variable":
        if not nodes.is_class_method(ctx.method):
            return None  # an instance variable of the job instance
        return _ivar(current, text(target), ctx)
    if target.type in ("call", "identifier"):
        return _reader(target, current, ctx)
    return None


def _ivar(cls: str, name: str, ctx: FileContext) -> Target | None:
    found = [(s, p) for s, p in _states(cls, name, ctx) if s.kind]
    if not found:
        return None
    state, path = found[0]
    return _found(f"`{name}` of the `{cls}` class object", state, path)


def _reader(target: Node, current: str, ctx: FileContext) -> Target | None:
    name = method_name(target)
    if name is None or nodes.arguments(target):
        return None
    receiver = nodes.receiver(target)
    if receiver is None or receiver.type == "self":
        if not nodes.is_class_method(ctx.method):
            return None
        owner: str | None = current
    elif receiver.type == "call" and text(receiver) == "self.class":
        owner = current
    else:
        written = constant_path(receiver)
        owner = ctx.index.resolve(written, lexical(ctx.class_scope)) if written else None
    if owner is None:
        return None
    for state, path in _states(owner, f".{name}", ctx):
        if state.ivar is not None:
            return _ivar(owner, state.ivar, ctx)
        if state.kind:
            return _found(f"`{owner}.{name}`", state, path)
    return None


def _constant(target: Node, ctx: FileContext) -> Target | None:
    written = constant_path(target)
    if written is None:
        return None
    scopes = lexical(ctx.class_scope)
    if "::" in written:
        prefix, leaf = written.rsplit("::", 1)
        owner = ctx.index.resolve(prefix, scopes)
        candidates = [owner] if owner is not None else []
    else:
        leaf = written
        candidates = list(scopes)
    for cls in candidates:
        found = [(s, p) for s, p in _states(cls, leaf, ctx) if s.kind]
        if found:
            state, path = found[0]
            return _found(f"`{_qualified(cls, leaf, ctx)}`", state, path)
    if ctx.index.constant(written, scopes) is MUTABLE_COLLECTION:
        return Target(f"`{written}`", "collection", "")
    return None


def _qualified(cls: str, leaf: str, ctx: FileContext) -> str:
    """Where the constant is defined: the class itself or the ancestor that defines it."""
    for ancestor in ctx.index.ancestors(cls):
        for facts in ctx.index.classes.get(ancestor, ()):
            if any(s.name == leaf for s in facts.mutable_state):
                return f"{ancestor}::{leaf}"
    return f"{cls}::{leaf}"


def _managed(collection: Node, scope: Node) -> bool:
    """Whether the class also takes entries out of the same collection (its size is managed)."""
    written = text(collection)
    for node in nodes.descendants(scope):
        if node.type == "call" and method_name(node) in REMOVERS:
            receiver = nodes.receiver(node)
            if receiver is not None and text(receiver) == written:
                return True
        elif node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is not None and text(left) == written and _in_method(node):
                return True  # reset to a fresh collection somewhere in the class
    return False


def _in_method(node: Node) -> bool:
    current = node.parent
    while current is not None:
        if current.type in ("method", "singleton_method"):
            return True
        current = current.parent
    return False
