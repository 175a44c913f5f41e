"""The Ruby model: classes and modules of a file, with what rules and the project index need.

``extract`` makes one structural pass over a file (module/class bodies only, never method bodies,
except for configuration files) and returns picklable :class:`FileFacts` plus, for a file being
checked, the node-level :class:`ClassScope` objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.lang.ruby.libraries.timeouts import has_timeout_key
from workerlint.lang.ruby.nodes import NOT_LITERAL, constant_path, literal_value, method_name, text
from workerlint.lang.ruby.provenance.facts import EnqueueSite
from workerlint.lang.ruby.state import (
    MutableState,
    assignment_state,
    class_call_state,
    method_state,
)

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

WORKER_MIXINS = frozenset({"Sidekiq::Worker", "Sidekiq::Job", "Sidekiq::IterableJob"})
ACTIVE_JOB_BASE = "ActiveJob::Base"
MODEL_BASES = frozenset({"ActiveRecord::Base"})
MUTABLE_CONSTRUCTORS = frozenset(
    {
        "Hash.new",
        "Array.new",
        "Set.new",
        "Concurrent::Map.new",
        "Concurrent::Hash.new",
        "Concurrent::Array.new",
    }
)
# ActiveRecord query methods (RULES.md, "Relation chain") and the ones that bound a relation.
QUERY_METHODS = frozenset(
    {"all", "where", "not", "joins", "left_joins", "left_outer_joins", "includes", "preload",
     "eager_load", "order", "reorder", "select", "distinct", "group", "having", "unscoped",
     "rewhere"}
)  # fmt: skip
BOUNDING = frozenset({"limit", "take", "find_each", "find_in_batches", "in_batches"})
MAX_NESTING = 64  # nesting of class/module/if bodies followed by the structural pass
TIMEOUT_KEYS = frozenset({"timeout", "read_timeout"})
PERFORM_CALLBACKS = frozenset(
    {
        "before_perform",
        "around_perform",
        "after_perform",
        "sidekiq_retries_exhausted",
        "sidekiq_retry_in",
        "rescue_from",
        "retry_on",
        "discard_on",
    }
)


@dataclass(frozen=True)
class ClassFacts:
    """What the project index keeps about one class or module definition (picklable)."""

    name: str
    kind: str  # "class" or "module"
    superclass: str | None
    lexical: tuple[str, ...]  # enclosing scopes at the definition, innermost first
    includes: tuple[str, ...]
    path: str
    line: int
    scopes: frozenset[str] = frozenset()
    bounded_scopes: frozenset[str] = frozenset()  # scopes that limit their rows themselves
    methods: frozenset[str] = frozenset()
    options: tuple[tuple[str, object], ...] = ()
    queue_as: object = NOT_LITERAL
    http_default_timeout: bool = False
    client_class: str | None = None  # `sidekiq_options client_class: X`, the constant as written
    mutable_state: tuple[MutableState, ...] = ()  # class-level collections (ruby/state.py)


@dataclass(frozen=True)
class Location:
    path: str
    line: int


@dataclass(frozen=True)
class FileFacts:
    """Everything the project index needs from one Ruby file (picklable)."""

    path: str
    classes: tuple[ClassFacts, ...] = ()
    constants: tuple[tuple[str, object], ...] = ()
    faraday_default_options: Location | None = None
    faraday_default_connection: Location | None = None
    active_job_adapters: tuple[tuple[str, Location], ...] = ()
    semian_net_http: Location | None = None  # `Semian::NetHTTP.semian_configuration =`
    transactional_push: Location | None = None  # `Sidekiq.transactional_push!` (or its client)
    # What each enqueue call passes (RULES.md, "Provenance"; lang/ruby/provenance), filled in by
    # the unit once the file's semantic model exists (extract leaves it empty).
    enqueues: tuple[EnqueueSite, ...] = ()


@dataclass
class ClassScope:
    """A class or module of the file being checked, with its nodes."""

    facts: ClassFacts
    node: Node
    methods: dict[str, list[Node]] = field(default_factory=dict)


@dataclass
class _Builder:
    name: str
    kind: str
    superclass: str | None
    lexical: tuple[str, ...]
    node: Node
    includes: list[str] = field(default_factory=list)
    scopes: set[str] = field(default_factory=set)
    bounded_scopes: set[str] = field(default_factory=set)
    methods: dict[str, list[Node]] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    queue_as: object = NOT_LITERAL
    http_default_timeout: bool = False
    client_class: str | None = None
    mutable_state: list[MutableState] = field(default_factory=list)

    def facts(self, path: str) -> ClassFacts:
        return ClassFacts(
            name=self.name,
            kind=self.kind,
            superclass=self.superclass,
            lexical=self.lexical,
            includes=tuple(self.includes),
            path=path,
            line=self.node.start_point[0] + 1,
            scopes=frozenset(self.scopes),
            bounded_scopes=frozenset(self.bounded_scopes),
            methods=frozenset(self.methods),
            options=tuple(self.options.items()),
            queue_as=self.queue_as,
            http_default_timeout=self.http_default_timeout,
            client_class=self.client_class,
            mutable_state=tuple(self.mutable_state),
        )


class _Extractor:
    def __init__(self, path: str) -> None:
        self.path = path
        self.builders: list[_Builder] = []
        self.constants: dict[str, object] = {}
        self.depth = 0
        self.singleton = 0  # inside `class << self`

    def body(self, body: Node | None, lexical: tuple[str, ...], owner: _Builder | None) -> None:
        if body is None or self.depth >= MAX_NESTING:
            return  # nothing real nests deeper; a generated file must not exhaust the stack
        self.depth += 1
        for child in body.named_children:
            self.statement(child, lexical, owner)
        self.depth -= 1

    def statement(self, node: Node, lexical: tuple[str, ...], owner: _Builder | None) -> None:
        kind = node.type
        if kind in ("class", "module"):
            self.definition(node, lexical)
        elif kind == "singleton_class" and owner is not None:
            self.singleton += 1
            self.body(node.child_by_field_name("body"), lexical, owner)
            self.singleton -= 1
        elif kind in ("method", "singleton_method") and owner is not None:
            name = text(node.child_by_field_name("name"))
            owner.methods.setdefault(name, []).append(node)
            if kind == "singleton_method" or self.singleton:
                self.class_method_scope(name, node, owner)
            class_level = kind == "singleton_method" or bool(self.singleton)
            owner.mutable_state.extend(method_state(node, class_level=class_level))
        elif kind == "call" and owner is not None:
            self.class_call(node, owner)
            owner.mutable_state.extend(class_call_state(node, singleton=bool(self.singleton)))
        elif kind in ("assignment", "operator_assignment"):
            if kind == "assignment":
                self.constant_assignment(node, lexical)
            state = assignment_state(node, class_level=True) if owner is not None else None
            if owner is not None and state is not None:
                owner.mutable_state.append(state)
        elif kind in ("begin", "if", "unless", "parenthesized_statements"):
            for child in node.named_children:
                if child.type in ("then", "else", "body_statement"):
                    self.body(child, lexical, owner)

    def definition(self, node: Node, lexical: tuple[str, ...]) -> None:
        written = constant_path(node.child_by_field_name("name"))
        if written is None:
            return
        name = f"{lexical[0]}::{written}" if lexical else written
        superclass = None
        sup = node.child_by_field_name("superclass")
        if sup is not None and sup.named_children:
            superclass = constant_path(sup.named_children[0])
        builder = _Builder(name, node.type, superclass, lexical, node)
        self.builders.append(builder)
        self.body(node.child_by_field_name("body"), (name, *lexical), builder)

    def class_call(self, call: Node, owner: _Builder) -> None:
        if nodes.receiver(call) is not None:
            return
        method = method_name(call)
        args = nodes.arguments(call)
        if method in ("include", "extend", "prepend"):
            owner.includes.extend(p for a in args if (p := constant_path(a)) is not None)
        elif method == "scope" and args:
            value = literal_value(args[0])
            if isinstance(value, str):
                owner.scopes.add(str(value))
                if len(args) > 1 and bounds_rows(args[1]):
                    owner.bounded_scopes.add(str(value))
        elif method == "sidekiq_options" and (options := job_options(call)) is not None:
            for key, pair in options.pairs.items():
                owner.options[key] = literal_value(nodes.pair_value(pair))
                if key == "client_class":
                    owner.client_class = constant_path(nodes.pair_value(pair))
        elif method == "queue_as" and args:
            owner.queue_as = literal_value(args[0])
        elif method in ("default_timeout", "read_timeout") and args:
            owner.http_default_timeout = True

    def class_method_scope(self, name: str, method: Node, owner: _Builder) -> None:
        """``def self.recent = order(created_at: :desc)`` is used like a scope."""
        body = method.child_by_field_name("body")
        if body is None:
            return
        last = body.named_children[-1] if body.type == "body_statement" else body
        if last is None or last.type != "call":
            return
        innermost = last
        while (inner := nodes.receiver(innermost)) is not None and inner.type == "call":
            innermost = inner
        implicit = nodes.receiver(innermost) is None or text(nodes.receiver(innermost)) == "self"
        if implicit and method_name(innermost) in QUERY_METHODS:
            owner.scopes.add(name)
            if bounds_rows(last):
                owner.bounded_scopes.add(name)

    def constant_assignment(self, node: Node, lexical: tuple[str, ...]) -> None:
        left = node.child_by_field_name("left")
        if left is None or left.type != "constant":
            return
        name = f"{lexical[0]}::{text(left)}" if lexical else text(left)
        self.constants[name] = constant_value(node.child_by_field_name("right"))


def bounds_rows(node: Node) -> bool:
    """Whether a scope body limits its rows (``limit``, ``take``, ``first(n)``, batches)."""
    for child in (node, *nodes.descendants(node)):
        if child.type == "call":
            name = method_name(child)
            if name in BOUNDING or (name in ("first", "last") and nodes.arguments(child)):
                return True
    return False


class MutableCollection:
    """Marker value of a constant holding a mutable collection (``{}``, ``[]``, ``Set.new``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MUTABLE_COLLECTION"

    def __reduce__(self) -> str:
        return "MUTABLE_COLLECTION"


MUTABLE_COLLECTION = MutableCollection()


def constant_value(node: Node | None) -> object:
    if node is None:
        return NOT_LITERAL
    if node.type == "call" and method_name(node) == "freeze":
        return literal_value(nodes.receiver(node))
    value = literal_value(node)
    if value is not NOT_LITERAL:
        return value
    if node.type in ("hash", "array"):
        return MUTABLE_COLLECTION
    if node.type == "call" and method_name(node) == "new":
        receiver_name = constant_path(nodes.receiver(node))
        if f"{receiver_name}.new" in MUTABLE_CONSTRUCTORS:
            return MUTABLE_COLLECTION
    return NOT_LITERAL


def extract(tree: Tree, path: str) -> tuple[FileFacts, list[ClassScope]]:
    """One structural pass over a file: its classes, constants and configuration facts."""
    extractor = _Extractor(path)
    extractor.body(tree.root_node, (), None)
    scopes = [ClassScope(b.facts(path), b.node, b.methods) for b in extractor.builders]
    facts = FileFacts(
        path=path,
        classes=tuple(s.facts for s in scopes),
        constants=tuple(extractor.constants.items()),
    )
    if path.startswith("config/"):
        facts = _config_facts(tree, facts)
        facts = _external_call_facts(tree, facts)
    return facts, scopes


def _config_facts(tree: Tree, facts: FileFacts) -> FileFacts:
    """Process-wide settings in ``config/**/*.rb``: Faraday defaults, the ActiveJob adapter."""
    options: Location | None = None
    connection: Location | None = None
    adapters: list[tuple[str, Location]] = []
    for node in nodes.descendants(tree.root_node):
        if node.type not in ("assignment", "operator_assignment"):
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            continue
        target = text(left).replace(" ", "")
        where = Location(facts.path, node.start_point[0] + 1)
        if target == "Faraday.default_connection_options":
            if has_timeout_key(right):
                options = where
        elif target.startswith("Faraday.default_connection_options") and _ends_in_timeout(target):
            options = where
        elif target == "Faraday.default_connection" and has_timeout_key(right):
            connection = where
        elif target.endswith("active_job.queue_adapter"):
            value = literal_value(right)
            adapters.append((str(value) if isinstance(value, str) else "?", where))
    return FileFacts(
        path=facts.path,
        classes=facts.classes,
        constants=facts.constants,
        faraday_default_options=options,
        faraday_default_connection=connection,
        active_job_adapters=tuple(adapters),
    )


def _ends_in_timeout(target: str) -> bool:
    """``x.request.timeout`` or ``x[:request][:read_timeout]``."""
    last = re.split(r"[.\[]", target)[-1].strip(":'\"]")
    return last in TIMEOUT_KEYS


def _external_call_facts(tree: Tree, facts: FileFacts) -> FileFacts:
    """Semian's Net::HTTP breaker and Sidekiq's transaction-aware push, set process-wide."""
    from dataclasses import replace

    semian: Location | None = None
    push: Location | None = None
    for node in nodes.descendants(tree.root_node):
        where = Location(facts.path, node.start_point[0] + 1)
        if node.type == "assignment" and semian is None:
            left = node.child_by_field_name("left")
            written = text(left).replace(" ", "") if left is not None else ""
            if written.removeprefix("::") == "Semian::NetHTTP.semian_configuration":
                semian = where
        elif node.type == "call" and push is None:
            if (
                method_name(node) == "transactional_push!"
                and (constant_path(nodes.receiver(node)) or "").removeprefix("::") == "Sidekiq"
            ):
                push = where
        elif node.type == "scope_resolution" and push is None and _aware_client(node):
            push = where  # made the default client (`default_job_options`)
    if semian is None and push is None:
        return facts
    return replace(facts, semian_net_http=semian, transactional_push=push)


def _aware_client(node: Node) -> bool:
    return text(node).removeprefix("::") == "Sidekiq::TransactionAwareClient"
