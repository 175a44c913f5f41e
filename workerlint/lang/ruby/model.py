"""The Ruby model: classes and modules of a file, with what rules and the project index need.

``extract`` makes one structural pass over a file (module/class bodies only, never method bodies,
except for configuration files) and returns picklable :class:`FileFacts` plus, for a file being
checked, the node-level :class:`ClassScope` objects.
"""

from __future__ import annotations

import re
from dataclasses import field, replace
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes, states
from workerlint.lang.ruby.conditions import (
    EQUAL,
    LOWER,
    rolling_window,
    sliced_by_time,
    where_conditions,
)
from workerlint.lang.ruby.libraries.sidekiq import job_options
from workerlint.lang.ruby.libraries.timeouts import has_timeout_key
from workerlint.lang.ruby.names import (
    MUTABLE_COLLECTION,
    SCHEMA_FILE,
    Location,
    enum_scope_names,
)
from workerlint.lang.ruby.nodes import NOT_LITERAL, constant_path, literal_value, method_name, text
from workerlint.lang.ruby.provenance.facts import EnqueueSite
from workerlint.lang.ruby.state import (
    MutableState,
    assignment_state,
    class_call_state,
    method_state,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Node, Tree

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
     "eager_load", "order", "reorder", "select", "distinct", "group", "having", "offset",
     "unscoped", "rewhere", "references"}
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


@record(frozen=True)
class ClassFacts:
    """What the project index keeps about one class or module definition (picklable)."""

    name: str
    kind: str  # "class" or "module"
    superclass: str | None
    lexical: tuple[str, ...]  # enclosing scopes at the definition, innermost first
    includes: tuple[str, ...]
    path: str
    line: int
    scopes: frozenset[str] = frozenset()  # `scope`s, enum scopes, class methods like scopes
    bounded_scopes: frozenset[str] = frozenset()  # scopes that limit their rows themselves
    # Enums whose values are a constant defined elsewhere: (constant, prefix, suffix) of the
    # scope names; the index resolves them (RubyIndex.scopes_of).
    enum_constants: tuple[tuple[str, str, str], ...] = ()
    belongs_to: frozenset[str] = frozenset()  # `belongs_to` association names
    # Polymorphic associations (`belongs_to :x, polymorphic: true`, `delegated_type :x`): Rails
    # writes their `x_type` column itself, with a class name.
    polymorphic: frozenset[str] = frozenset()
    # Scopes that bound a time column by a parameter: (scope, parameter position, "lower" for
    # `where("created_at > ?", since)`, "range" for `where(created_at: range)`); called with a
    # time relative to now they keep a rolling window (RubyIndex.window_scopes_of).
    window_scopes: tuple[tuple[str, int, str], ...] = ()
    # Scopes that pass a parameter on to another scope: (scope, its parameter's position, the
    # scope called, the argument's position there); a window scope's caller keeps its window.
    scope_forwards: tuple[tuple[str, int, str, int], ...] = ()
    # Scopes holding a column to a parameter as it is given (`->(n, feed_ids) { where(feed_id:
    # feed_ids) }` gives ("last_n_per_feed", 1)): called with a bounded list there, the scope is
    # bounded by it, like `where(feed_id: ids)` written in the chain (RubyIndex.list_scopes_of).
    list_scopes: tuple[tuple[str, int], ...] = ()
    # What a scope holds its rows to (lang/ruby/states.py): (scope, column, kind, value), from a
    # `where` with a literal or a comparison, an AASM state, an enum value.
    scope_filters: tuple[tuple[str, str, str, object], ...] = ()
    # Methods that move a record to another value of a column: (method, column, from-values or
    # None for any, to-value): AASM events (`e`, `e!`), enum bang methods (`sent!`).
    transitions: tuple[tuple[str, str, tuple[str, ...] | None, str], ...] = ()
    table_name: str | None = None  # `self.table_name = "..."`
    abstract: bool = False  # `self.abstract_class = true`, `primary_abstract_class`
    methods: frozenset[str] = frozenset()
    options: tuple[tuple[str, object], ...] = ()
    queue_as: object = NOT_LITERAL
    http_default_timeout: bool = False
    client_class: str | None = None  # `sidekiq_options client_class: X`, the constant as written
    mutable_state: tuple[MutableState, ...] = ()  # class-level collections (ruby/state.py)
    # A class's class methods (`def self.x`, `class << self`); a module's are those it gives
    # the classes that include it (a concern's `class_methods do` block).
    class_methods: frozenset[str] = frozenset()


@record(frozen=True)
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
    constant_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()  # keys of Hash constants
    unique_columns: tuple[tuple[str, str], ...] = ()  # db/schema.rb: (table, column) unique
    # What each enqueue call passes (RULES.md, "Provenance"; lang/ruby/provenance), filled in by
    # the unit once the file's semantic model exists (extract leaves it empty).
    enqueues: tuple[EnqueueSite, ...] = ()
    # Constants whose relation the file batches (`X.where(...).find_each`, `X.in_batches`, also
    # through a local, and a bare chain in a class method of X): (constant as written, the
    # lexical scopes around it, innermost first, line). The index resolves them to the models
    # the project treats as large (RubyIndex.batched_at).
    batched: tuple[tuple[str, tuple[str, ...], int], ...] = ()


@record
class ClassScope:
    """A class or module of the file being checked, with its nodes."""

    facts: ClassFacts
    node: Node
    methods: dict[str, list[Node]] = field(default_factory=dict)


@record
class _Builder:
    name: str
    kind: str
    superclass: str | None
    lexical: tuple[str, ...]
    node: Node
    includes: list[str] = field(default_factory=list)
    scopes: set[str] = field(default_factory=set)
    bounded_scopes: set[str] = field(default_factory=set)
    enum_constants: list[tuple[str, str, str]] = field(default_factory=list)
    belongs_to: set[str] = field(default_factory=set)
    polymorphic: set[str] = field(default_factory=set)
    window_scopes: list[tuple[str, int, str]] = field(default_factory=list)
    scope_forwards: list[tuple[str, int, str, int]] = field(default_factory=list)
    list_scopes: list[tuple[str, int]] = field(default_factory=list)
    scope_filters: list[tuple[str, str, str, object]] = field(default_factory=list)
    transitions: list[tuple[str, str, tuple[str, ...] | None, str]] = field(default_factory=list)
    table_name: str | None = None
    abstract: bool = False
    methods: dict[str, list[Node]] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    queue_as: object = NOT_LITERAL
    http_default_timeout: bool = False
    client_class: str | None = None
    mutable_state: list[MutableState] = field(default_factory=list)
    class_methods: set[str] = field(default_factory=set)

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
            enum_constants=tuple(self.enum_constants),
            belongs_to=frozenset(self.belongs_to),
            polymorphic=frozenset(self.polymorphic),
            window_scopes=tuple(self.window_scopes),
            scope_forwards=tuple(self.scope_forwards),
            list_scopes=tuple(self.list_scopes),
            scope_filters=tuple(self.scope_filters),
            transitions=tuple(self.transitions),
            table_name=self.table_name,
            abstract=self.abstract,
            methods=frozenset(self.methods),
            options=tuple(self.options.items()),
            queue_as=self.queue_as,
            http_default_timeout=self.http_default_timeout,
            client_class=self.client_class,
            mutable_state=tuple(self.mutable_state),
            class_methods=frozenset(self.class_methods),
        )


class _Extractor:
    def __init__(self, path: str) -> None:
        self.path = path
        self.builders: list[_Builder] = []
        self.constants: dict[str, object] = {}
        self.constant_keys: dict[str, tuple[str, ...]] = {}
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
                if owner.kind == "class":
                    owner.class_methods.add(name)
                self.class_method_scope(name, node, owner)
            class_level = kind == "singleton_method" or bool(self.singleton)
            owner.mutable_state.extend(method_state(node, class_level=class_level))
        elif kind == "call" and owner is not None:
            self.class_call(node, owner)
            owner.mutable_state.extend(class_call_state(node, singleton=bool(self.singleton)))
        elif kind in ("assignment", "operator_assignment"):
            if kind == "assignment":
                self.constant_assignment(node, lexical)
                if owner is not None:
                    self.class_attribute(node, owner)
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
                if len(args) > 1:
                    owner.window_scopes.extend(
                        (str(value), position, kind)
                        for position, kind in window_parameters(args[1])
                    )
                    owner.scope_forwards.extend(
                        (str(value), position, callee, at)
                        for position, callee, at in forwarded_parameters(args[1])
                    )
                    owner.list_scopes.extend(
                        (str(value), position) for position in list_parameters(args[1])
                    )
                    owner.scope_filters.extend(
                        (str(value), *found) for found in states.scope_filters(args[1])
                    )
        elif method == "aasm":
            scopes, filters, transitions = states.aasm(call)
            owner.scopes.update(scopes)
            owner.scope_filters.extend((scope, *found) for scope, found in filters)
            owner.transitions.extend(transitions)
        elif method in ("included", "class_methods") and owner.kind == "module":
            # ActiveSupport::Concern: the block runs in (or defines class methods of) the class
            # that includes the module, so its scopes and class methods are that class's.
            block = nodes.block(call)
            if block is not None:
                self.singleton += method == "class_methods"
                self.body(nodes.block_body(block), (owner.name, *owner.lexical), owner)
                self.singleton -= method == "class_methods"
        elif method == "enum" and args:
            self.enum(args, owner)
        elif method == "has_flags" and args:
            for scope, column, value in states.flag_scopes(args):
                owner.scopes.add(scope)
                owner.scope_filters.append((scope, column, EQUAL, value))
        elif method in ("belongs_to", "delegated_type") and args:
            value = literal_value(args[0])
            if isinstance(value, str):
                owner.belongs_to.add(str(value))
                options = nodes.option_pairs(args[1:])[0]
                flag = options.get("polymorphic")
                flag_value = nodes.pair_value(flag) if flag is not None else None
                if method == "delegated_type" or (
                    flag_value is not None and literal_value(flag_value) is True
                ):
                    owner.polymorphic.add(str(value))
        elif method == "primary_abstract_class":
            owner.abstract = True
        elif method == "sidekiq_options" and (options := job_options(call)) is not None:
            for key, pair in options.pairs.items():
                owner.options[key] = literal_value(nodes.pair_value(pair))
                if key == "client_class":
                    owner.client_class = constant_path(nodes.pair_value(pair))
        elif method == "queue_as" and args:
            owner.queue_as = literal_value(args[0])
        elif method in ("default_timeout", "read_timeout") and args:
            owner.http_default_timeout = True
        elif method == "class_methods" and owner.kind == "module":
            body = nodes.block_body(nodes.block(call))
            for node in body.named_children if body is not None else ():
                if node.type == "method":
                    owner.class_methods.add(text(node.child_by_field_name("name")))

    def enum(self, args: list[Node], owner: _Builder) -> None:
        """``enum :status, {...}, prefix: true`` (Rails 7) and ``enum status: {...}, _prefix:
        true``: the scopes it generates, one per value and one ``not_`` each."""
        pairs = {
            name: pair
            for pair in args
            if pair.type == "pair"
            and (key := pair.child_by_field_name("key")) is not None
            and (name := nodes.key_name(key)) is not None
        }
        if args[0].type in ("simple_symbol", "string"):  # enum :status, {...} / a: 0, b: 1
            attribute = literal_value(args[0])
            options = {k.lstrip("_"): p for k, p in pairs.items() if k.lstrip("_") in ENUM_OPTIONS}
            if not isinstance(attribute, str) or _off(options.get("scopes")):
                return
            if len(args) > 1 and args[1].type != "pair":
                self.enum_values(str(attribute), None, args[1], options, owner)
            else:
                keys = tuple(k for k in pairs if k.lstrip("_") not in ENUM_OPTIONS)
                self.enum_values(str(attribute), keys, None, options, owner)
            return
        options = {k[1:]: p for k, p in pairs.items() if k.startswith("_")}
        if _off(options.get("scopes")):
            return
        for name, pair in pairs.items():  # enum status: {...}, kind: [...], _prefix: true
            if not name.startswith("_"):
                self.enum_values(name, None, nodes.pair_value(pair), options, owner)

    def enum_values(
        self,
        attribute: str,
        keys: tuple[str, ...] | None,
        values: Node | None,
        options: dict[str, Node],
        owner: _Builder,
    ) -> None:
        prefix = _affix(options.get("prefix"), attribute)
        suffix = _affix(options.get("suffix"), attribute)
        if keys is None and values is not None:
            if values.type == "call" and method_name(values) == "freeze":
                values = nodes.receiver(values)
            keys = _collection_keys(values)
            if keys is None:
                const = constant_path(values)
                if const is None:
                    return
                known = self.local_constant_keys(const, (owner.name, *owner.lexical))
                if known is None:
                    owner.enum_constants.append((const, prefix, suffix))
                    return
                keys = known
        for key in keys or ():
            scope, negated = enum_scope_names(key, prefix, suffix)
            owner.scopes.update((scope, negated))
            owner.scope_filters.append((scope, attribute, EQUAL, key))
            owner.transitions.append((f"{scope}!", attribute, None, key))

    def local_constant_keys(self, const: str, lexical: tuple[str, ...]) -> tuple[str, ...] | None:
        """The keys (or elements) of a constant this file defined before, seen from ``lexical``."""
        for candidate in (*(f"{scope}::{const}" for scope in lexical), const):
            if candidate in self.constant_keys:
                return self.constant_keys[candidate]
        return None

    def class_attribute(self, node: Node, owner: _Builder) -> None:
        """``self.table_name = "..."`` and ``self.abstract_class = true`` in a class body."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "call":
            return
        if text(nodes.receiver(left)) != "self":
            return
        name = method_name(left)
        value = literal_value(right)
        if name == "table_name" and isinstance(value, str):
            owner.table_name = str(value)
        elif name == "abstract_class" and value is True:
            owner.abstract = True

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
        right = node.child_by_field_name("right")
        self.constants[name] = constant_value(right)
        if right is not None and right.type == "call" and method_name(right) == "freeze":
            right = nodes.receiver(right)
        keys = _collection_keys(right) if right is not None else None
        if keys is not None:
            self.constant_keys[name] = keys


ENUM_OPTIONS = frozenset({"prefix", "suffix", "scopes", "default", "validate", "instance_methods"})


def _off(option: Node | None) -> bool:
    value = nodes.pair_value(option) if option is not None else None
    return value is not None and value.type == "false"


def _affix(option: Node | None, attribute: str) -> str:
    """The prefix or suffix an enum option (its pair) gives the names, without the joining
    underscore: ``prefix: true`` is the attribute's name."""
    value = nodes.pair_value(option) if option is not None else None
    if value is None or value.type in ("false", "nil"):
        return ""
    if value.type == "true":
        return attribute
    written = literal_value(value)
    return str(written) if isinstance(written, str) else ""


def _collection_keys(node: Node | None) -> tuple[str, ...] | None:
    """The keys of a literal Hash or the elements of a literal Array of names, else None."""
    if node is None:
        return None
    if node.type == "hash":
        keys = []
        for pair in node.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            name = nodes.key_name(key) if key is not None else None
            if name is None:
                return None
            keys.append(name)
        return tuple(keys)
    value = literal_value(node)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(str(v) for v in value)
    return None


def bounds_rows(node: Node) -> bool:
    """Whether a scope body limits its rows (``limit``, ``take``, ``first(n)``, batches, a
    rolling time window such as ``where("created_at > ?", 1.day.ago)``, a slice of time such
    as ``where(created_on: Date.today)``)."""
    for child in (node, *nodes.descendants(node)):
        if child.type == "call":
            name = method_name(child)
            if name in BOUNDING or (name in ("first", "last") and nodes.arguments(child)):
                return True
            if name in ("where", "rewhere") and (rolling_window(child) or sliced_by_time(child)):
                return True
    return False


def _lambda_parameters(body: Node) -> list[str] | None:
    """The parameter names of a scope's lambda (``->(since) { ... }``, ``lambda { |since| }``),
    or None when the body is not a lambda."""
    if body.type == "lambda":
        parameters = body.child_by_field_name("parameters")
    elif body.type == "call" and method_name(body) in ("lambda", "proc"):
        block = nodes.block(body)
        parameters = block.child_by_field_name("parameters") if block is not None else None
    else:
        return None
    return [text(p) for p in parameters.named_children] if parameters is not None else []


def window_parameters(body: Node) -> list[tuple[int, str]]:
    """The parameters of a scope's lambda that bound a time column: ``->(since) { where("created_at
    > ?", since) }`` gives (0, "lower"), ``->(range) { where(created_at: range) }`` and
    ``->(date) { where("expiration_at = DATE(?)", date) }`` (0, "range": a range, or one time
    equal to the column). A bound derived from the parameter (``date.beginning_of_month`` in
    ``created_at BETWEEN ? AND ?``) counts as the parameter."""
    names = _lambda_parameters(body)
    if not names:
        return []
    found: list[tuple[int, str]] = []
    for child in nodes.descendants(body):
        if child.type != "call" or method_name(child) not in ("where", "rewhere"):
            continue
        for condition in where_conditions(child):
            name = _parameter_root(condition.value, names)
            if name is None:
                continue
            if condition.kind == LOWER:
                found.append((names.index(name), "lower"))
            elif condition.kind == EQUAL:
                found.append((names.index(name), "range"))
    return found


def _parameter_root(value: Node | None, names: list[str], depth: int = 0) -> str | None:
    """The parameter a value is, or is derived from by calls without arguments or by adding
    or subtracting (``date``, ``date.beginning_of_month``, ``since - 1.day``)."""
    while value is not None and value.type == "parenthesized_statements" and value.named_children:
        value = value.named_children[0]
    if value is None or depth > 4:
        return None
    if value.type == "identifier":
        return text(value) if text(value) in names else None
    if value.type == "binary" and text(value.child_by_field_name("operator")) in ("+", "-"):
        return _parameter_root(value.child_by_field_name("left"), names, depth + 1)
    if value.type == "call" and not nodes.arguments(value) and nodes.block(value) is None:
        return _parameter_root(nodes.receiver(value), names, depth + 1)
    return None


def list_parameters(body: Node) -> list[int]:
    """The positions of a scope's lambda parameters that a ``where`` holds a column equal to, as
    they are given (``->(n, feed_ids) { ... .where(feed_id: feed_ids) }`` gives [1]; also
    ``where("feed_id IN (?)", feed_ids)``): the rows of those values, however many there are.
    A value derived from the parameter (``ids.first``) is not the list it is given."""
    names = _lambda_parameters(body)
    if not names:
        return []
    found: list[int] = []
    for child in nodes.descendants(body):
        if child.type != "call" or method_name(child) not in ("where", "rewhere"):
            continue
        for condition in where_conditions(child):
            value = condition.value
            while value is not None and value.type == "parenthesized_statements":
                value = value.named_children[0] if len(value.named_children) == 1 else None
            if condition.kind != EQUAL or value is None or value.type != "identifier":
                continue
            if text(value) in names and names.index(text(value)) not in found:
                found.append(names.index(text(value)))
    return found


def forwarded_parameters(body: Node) -> list[tuple[int, str, int]]:
    """The parameters a scope's lambda passes on, as they are, to another scope of its class
    called without a receiver (``->(date) { monthly_for(date).draft }`` gives (0,
    "monthly_for", 0)): the index makes the caller a window scope when the callee is one."""
    names = _lambda_parameters(body)
    if not names:
        return []
    found: list[tuple[int, str, int]] = []
    for child in nodes.descendants(body):
        if child.type != "call" or nodes.receiver(child) is not None:
            continue
        callee = method_name(child)
        for at, arg in enumerate(nodes.arguments(child)):
            if callee and arg.type == "identifier" and text(arg) in names:
                found.append((names.index(text(arg)), callee, at))
    return found


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


class _Structure(_Extractor):
    """The classes and modules of a file with their methods, and nothing else: the walk of
    ``_Extractor`` where it reaches definitions (bodies, ``class << self``, a concern's
    ``included``/``class_methods`` blocks, ``begin``/``if``/``unless``/parentheses)."""

    def statement(self, node: Node, lexical: tuple[str, ...], owner: _Builder | None) -> None:
        kind = node.type
        if kind in ("class", "module"):
            self.definition(node, lexical)
        elif kind == "singleton_class" and owner is not None:
            self.body(node.child_by_field_name("body"), lexical, owner)
        elif kind in ("method", "singleton_method") and owner is not None:
            name = text(node.child_by_field_name("name"))
            owner.methods.setdefault(name, []).append(node)
        elif kind == "call" and owner is not None:
            if (
                owner.kind == "module"
                and nodes.receiver(node) is None
                and method_name(node) in ("included", "class_methods")
            ):
                block = nodes.block(node)
                if block is not None:
                    self.body(nodes.block_body(block), (owner.name, *owner.lexical), owner)
        elif kind in ("begin", "if", "unless", "parenthesized_statements"):
            for child in node.named_children:
                if child.type in ("then", "else", "body_statement"):
                    self.body(child, lexical, owner)


def classes_of(tree: Tree, facts: FileFacts) -> list[ClassScope] | None:
    """The classes ``extract`` gives for a tree whose file's facts are known (a file parsed
    again for its lint): its walk to the definitions alone, each paired with its known facts;
    None when they do not pair up (then ``extract`` is the answer)."""
    structure = _Structure(facts.path)
    structure.body(tree.root_node, (), None)
    found = structure.builders
    if len(found) != len(facts.classes) or any(
        b.name != c.name or b.kind != c.kind or b.node.start_point[0] + 1 != c.line
        for b, c in zip(found, facts.classes, strict=True)
    ):
        return None
    return [ClassScope(c, b.node, b.methods) for b, c in zip(found, facts.classes, strict=True)]


def extract(tree: Tree, path: str) -> tuple[FileFacts, list[ClassScope]]:
    """One structural pass over a file: its classes, constants and configuration facts."""
    extractor = _Extractor(path)
    extractor.body(tree.root_node, (), None)
    scopes = [ClassScope(b.facts(path), b.node, b.methods) for b in extractor.builders]
    facts = FileFacts(
        path=path,
        classes=tuple(s.facts for s in scopes),
        constants=tuple(extractor.constants.items()),
        constant_keys=tuple(extractor.constant_keys.items()),
    )
    if path == SCHEMA_FILE:
        facts = replace(facts, unique_columns=unique_columns(tree))
    source = tree.root_node.text or b""
    if b"find_each" in source or b"in_batches" in source:
        found = batched_constants(tree.root_node)
        if found:
            facts = replace(facts, batched=found)
    if path.startswith("config/"):
        if any(word in source for word in _CONFIG_WORDS):
            facts = _config_facts(tree, facts)
        if any(word in source for word in _EXTERNAL_CALL_WORDS):
            facts = _external_call_facts(tree, facts)
    return facts, scopes


# The names one of _config_facts' assignments is written with (each one identifier, so written
# whole): a configuration file without any keeps the defaults, unwalked.
_CONFIG_WORDS = (b"default_connection", b"queue_adapter")
# The same for _external_call_facts: Semian's setting, the push method, the aware client.
_EXTERNAL_CALL_WORDS = (b"semian_configuration", b"transactional_push", b"TransactionAwareClient")


BATCHING = frozenset({"find_each", "find_in_batches", "in_batches"})
MAX_CHAIN = 32  # calls followed from a batching call back to the constant it starts from


def batched_constants(root: Node) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """Where the file batches a relation: the constant each ``find_each``/``find_in_batches``/
    ``in_batches`` chain starts from (``Order.where(...).find_each``; through a local assigned
    once in the method, ``orders = Order.paid; orders.find_each``), or the class itself for a
    bare chain in one of its class methods (``def self.sweep; where(...).find_each``)."""
    found: list[tuple[str, tuple[str, ...], int]] = []
    for node in nodes.calls_named(root, BATCHING):
        start = _chain_start(node)
        if start is None:
            continue
        lexical = _lexical_at(node)
        if start.type in ("constant", "scope_resolution"):
            written = constant_path(start)
            if written is not None:
                found.append((written.removeprefix("::"), lexical, node.start_point[0] + 1))
        elif lexical and nodes.is_class_method(nodes.enclosing_method(node)):
            found.append((lexical[0], (), node.start_point[0] + 1))  # `self`, a bare chain
    return tuple(dict.fromkeys(found))


def _chain_start(call: Node) -> Node | None:
    """What a query chain starts from: a constant, ``self``, or the call without a receiver
    (``where(...)`` in a class method); None for anything else (a method's result, a block)."""
    current = call
    followed_local = False
    for _ in range(MAX_CHAIN):
        receiver = nodes.receiver(current) if current.type == "call" else None
        if current.type == "call" and receiver is None:
            return current if current is not call or nodes.enclosing_method(call) else None
        if receiver is None:
            return None
        if receiver.type in ("constant", "scope_resolution", "self"):
            return receiver
        if receiver.type == "identifier" and not followed_local:
            value = _single_local_value(receiver)
            if value is None:
                return None
            followed_local = True
            current = value
            if current.type in ("constant", "scope_resolution"):
                return current
            continue
        if receiver.type != "call" or nodes.block(receiver) is not None:
            return None
        current = receiver
    return None


def _single_local_value(identifier: Node) -> Node | None:
    """The value of the one assignment of a local in the method around it, or in the file outside
    any method (None when it is assigned more than once or not at all: a parameter, a method
    call)."""
    method = nodes.enclosing_method(identifier)
    if method is None:  # a rake task's block, a script: the whole file
        method = identifier
        while method.parent is not None:
            method = method.parent
    name = text(identifier)
    found = [
        node
        for left in nodes.identifiers_named(method, name)
        if (node := left.parent) is not None
        and node.type in ("assignment", "operator_assignment")
        and node.child_by_field_name("left") == left
    ]
    if len(found) != 1 or found[0].type != "assignment":
        return None
    return found[0].child_by_field_name("right")


def _lexical_at(node: Node) -> tuple[str, ...]:
    """The classes and modules around a node, innermost first, by their full names."""
    written: list[str] = []
    current = node.parent
    while current is not None:
        if current.type in ("class", "module"):
            name = constant_path(current.child_by_field_name("name"))
            if name is not None:
                written.append(name)
        current = current.parent
    full: list[str] = []
    for name in reversed(written):
        full.append(f"{full[-1]}::{name}" if full else name)
    return tuple(reversed(full))


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
    return replace(
        facts,
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


def unique_columns(tree: Tree) -> tuple[tuple[str, str], ...]:
    """``db/schema.rb``'s single-column unique indexes, as (table, column): ``t.index
    ["email"], unique: true`` in ``create_table "users"``, and ``add_index "users", ...``."""
    found: list[tuple[str, str]] = []
    for node in _schema_statements(tree.root_node):
        if node.type != "call" or nodes.receiver(node) is not None:
            continue
        name = method_name(node)
        args = nodes.arguments(node)
        table = literal_value(args[0]) if args else None
        if not isinstance(table, str):
            continue
        if name == "add_index" and len(args) > 1:
            column = _unique_column(args[1:])
            if column is not None:
                found.append((str(table), column))
        elif name == "create_table":
            body = nodes.block_body(nodes.block(node))
            for statement in body.named_children if body is not None else ():
                if statement.type == "call" and method_name(statement) == "index":
                    column = _unique_column(nodes.arguments(statement))
                    if column is not None:
                        found.append((str(table), column))
    return tuple(sorted(set(found)))


_SCHEMA_NESTING = frozenset(
    {"program", "call", "do_block", "block", "body_statement", "block_body"}
)


def _schema_statements(root: Node) -> Iterator[Node]:
    """The statements of a schema file down through blocks (``define do``, ``create_table do``),
    without entering arguments or expressions."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if node.type in _SCHEMA_NESTING:
            stack.extend(reversed([c for c in node.named_children if c.type in _SCHEMA_NESTING]))


def _unique_column(args: list[Node]) -> str | None:
    """The column of ``["email"], unique: true`` (one plain column only), else None."""
    pairs, _ = nodes.option_pairs(args)
    unique = pairs.get("unique")
    if unique is None or literal_value(nodes.pair_value(unique)) is not True or not args:
        return None
    columns = literal_value(args[0])
    if isinstance(columns, str):
        columns = (columns,)
    if not isinstance(columns, tuple) or len(columns) != 1 or not isinstance(columns[0], str):
        return None
    column = str(columns[0])
    return column if re.fullmatch(r"\w+", column) else None
