"""The taint engine's spec for provenance (RULES.md, "Provenance"): what the enqueue sites of one
class (or of a file's top level) pass in each job argument position.

Sources are values, not only parameters: the request (``params``, ``request``, ``cookies``), a
record's attributes, the results of calls nothing tells about, the parameters of the methods
that no method of the class calls, and (in a ``perform``) the class's own job arguments. What
is left clean is internal: literals, constants, ids, numbers, times. Derivation follows the
engine (locals, branches, blocks, same-class calls with their arguments); a same-class method
called for its value is evaluated for what it returns. The spec records, at every enqueue, the
taint of each job argument position (:meth:`ProvenanceSpec.sinks`), and at every iteration the
taint of what it iterates (for WL601).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.libraries.iteration import ELEMENT_ITERATORS, is_iteration
from workerlint.lang.ruby.lower import Lowering
from workerlint.lang.ruby.model import QUERY_METHODS
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.parse import captures
from workerlint.lang.ruby.provenance import values as v
from workerlint.taint import (
    CLEAN,
    NO_FACTS,
    Call,
    Engine,
    Expr,
    Facts,
    Finding,
    Limits,
    Method,
    Op,
    Origin,
    Peek,
    Seq,
    State,
    Taint,
    union_all,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.model import ClassScope
    from workerlint.lang.ruby.semantic import SemanticModel

SHOWN = 48  # how much of a value's source a message shows
RETURN_DEPTH = 3  # same-class methods evaluated for their value, one inside the other
RETURN_LIMITS = Limits(budget=6_000)
ENTRIES = frozenset({"perform"})  # its parameters are the class's job arguments
COUNTED = frozenset({"times", "upto", "downto", "step"})  # a block per number


@record(frozen=True)
class Note:
    """What an origin is, beyond its text: its line, the class it names (a model, or the class
    whose job argument it is) and that argument's position or keyword."""

    line: int
    owner: str = ""
    position: int = -1
    keyword: str = ""
    lists: tuple[str, ...] = ()  # permitted parameters: the keys that let a list through


@record
class Observed:
    """What the engine saw at one enqueue call: the taint of each position (joined over every
    path and context it was reached in). It holds no node: a unit keeps its file's analysis
    when its tree is dropped (lang/ruby/unit.py)."""

    positional: list[Taint] = field(default_factory=list)
    keywords: dict[str, Taint] = field(default_factory=dict)
    rest: Taint | None = None
    keys: dict[int, dict[str, Taint]] = field(default_factory=dict)  # a literal Hash's values
    shown: dict[tuple[int, str], str] = field(default_factory=dict)  # those values as written

    def join(
        self,
        positional: list[Taint],
        keywords: dict[str, Taint],
        rest: Taint | None,
        keys: dict[int, dict[str, Taint]] | None = None,
    ) -> None:
        for index, entries in (keys or {}).items():
            known = self.keys.setdefault(index, {})
            for key, taint in entries.items():
                known[key] = known.get(key, CLEAN).union(taint)
        for index, taint in enumerate(positional):
            if index < len(self.positional):
                self.positional[index] = self.positional[index].union(taint)
            else:
                self.positional.append(taint)
        for key, taint in keywords.items():
            self.keywords[key] = self.keywords.get(key, CLEAN).union(taint)
        if rest is not None:
            self.rest = rest if self.rest is None else self.rest.union(rest)


@record
class Observations:
    """What the runs over one file saw, shared by the specs of its classes."""

    notes: dict[str, Note] = field(default_factory=dict)
    enqueues: dict[int, Observed] = field(default_factory=dict)  # by the call's start byte
    loops: dict[int, Taint] = field(default_factory=dict)  # iterated values, by call start

    def note(self, note: Note) -> str:
        marker = f"#{len(self.notes)}"
        self.notes[marker] = note
        return marker


class ProvenanceSpec:
    """The spec of one class (``scope``) or of a file's top level (a scope of its own)."""

    kinds = v.KINDS
    keywords_as_positional = True
    observed = enqueue.ENQUEUE_METHODS

    def __init__(
        self,
        scope: ClassScope,
        semantic: SemanticModel,
        ctx: RubyContext,
        seen: Observations,
        roots: list[tuple[Method, dict[str, Taint]]],
        top_level: bool = False,
    ) -> None:
        self.scope = scope
        self.semantic = semantic
        self.ctx = ctx  # for enqueue.classify (a context of the file alone, at extraction)
        self.seen = seen
        self.roots = roots
        self.top_level = top_level
        self.lowering = Lowering(scope, semantic, bare_calls=True)
        self._returns: dict[tuple[int, tuple[frozenset[str], ...]], Taint] = {}
        self._returning: list[int] = []
        self._ivars: dict[str, Taint] | None = None
        # The methods the analysis may run (the instance variables they read are bound).
        self.bodies: list[Node] = [scope.node]
        self._attributes: frozenset[str] | None = None
        self._shown: dict[tuple[int, int], str] = {}  # _describe's, by span

    # -- sources -------------------------------------------------------------------------------
    def sources(self) -> list[tuple[Method, Mapping[str, Taint]]]:
        ivars = self.ivars()
        return [(method, {**ivars, **params}) for method, params in self.roots]

    def origin(self, kind: str, node: Node, owner: str = "", shown: str | None = None) -> Taint:
        """A value of ``kind`` that starts at ``node``."""
        note = Note(node.start_point[0] + 1, owner)
        written = shown if shown is not None else self._describe(node)
        return Taint(((kind, Origin(written, (self.seen.note(note),))),))

    def _describe(self, node: Node) -> str:
        """``node`` as a message shows it, once per span (the engine reaches a node once per
        path and call context; its text, so what is shown, is that of its span)."""
        span = (node.start_byte, node.end_byte)
        written = self._shown.get(span)
        if written is None:
            written = self._shown[span] = enqueue.describe(node, SHOWN)
        return written

    def with_kinds(self, taint: Taint, kinds: Iterable[str], node: Node) -> Taint:
        """``taint`` plus ``kinds`` (each with the origin of the request value it has)."""
        base = taint.of(v.REQUEST) or taint.of(v.PARAMS) or taint.of(v.PAYLOAD)
        extra = tuple(
            (kind, base or self.origin(kind, node).origins[0][1])
            for kind in kinds
            if taint.of(kind) is None
        )
        return Taint(taint.origins + extra) if extra else taint

    def method(self, name: str) -> Method | None:
        found = self.lowering.method(name)
        if found is not None:
            return found
        for node in reversed(self.scope.methods.get(name, [])):
            return self.lowering.lower_method(node)  # a class method called from one
        return None

    def shared(self, name: str) -> bool:
        return name.startswith("@")

    # -- sanitizers ----------------------------------------------------------------------------
    def guards(self, guard: object) -> tuple[Facts, Facts]:
        """A size check: ``x.size > 100`` bounds ``x`` where it is false, ``x.length <= 100``
        where it is true (RULES.md, WL404)."""
        node: Node = guard  # type: ignore[assignment]
        while node.type == "parenthesized_statements" and len(node.named_children) == 1:
            node = node.named_children[0]
        if node.type == "unary" and text(node.child_by_field_name("operator")) in ("!", "not"):
            operand = node.child_by_field_name("operand")
            truthy, falsy = self.guards(operand) if operand is not None else (NO_FACTS, NO_FACTS)
            return falsy, truthy
        if node.type != "binary":
            return NO_FACTS, NO_FACTS
        operator = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator in ("&&", "and"):
            lt, lf = self.guards(left) if left is not None else (NO_FACTS, NO_FACTS)
            rt, rf = self.guards(right) if right is not None else (NO_FACTS, NO_FACTS)
            return lt | rt, lf & rf
        if operator not in ("<", "<=", ">", ">="):
            return NO_FACTS, NO_FACTS
        subject, literal_right = _measured(left), True
        if subject is None:
            subject, literal_right = _measured(right), False
        other = right if literal_right else left
        if subject is None or other is None or other.type != "integer":
            return NO_FACTS, NO_FACTS
        facts = frozenset({(subject, v.PAYLOAD), (subject, v.PARAMS)})
        below = operator in ("<", "<=") if literal_right else operator in (">", ">=")
        return (facts, NO_FACTS) if below else (NO_FACTS, facts)

    def asserts(self, call: Call) -> Facts:
        return NO_FACTS

    # -- derivations ---------------------------------------------------------------------------
    def derive(self, call: Call, receiver: Taint, args: Sequence[Taint]) -> Taint:
        node: Node = call.ref  # type: ignore[assignment]
        if node.type == "element_reference":
            return self._element(node, receiver)
        if node.type == "subshell":
            return self.origin(v.UNKNOWN, node)
        recv = nodes.receiver(node) if node.type == "call" else None
        if recv is None or recv.type == "self":
            return self._bare(call, node, args)
        const = constant_path(recv)
        if const is not None:
            return self._on_constant(const, call.name, node, args)
        if not receiver:
            if call.name in v.COMBINING and any(args):
                return union_all(args)
            return CLEAN  # a method of a literal or of an internal value
        return self._on_value(call.name, node, recv, receiver, args)

    def _bare(self, call: Call, node: Node, args: Sequence[Taint]) -> Taint:
        name = call.name
        if name in v.REQUEST_ROOTS and self.lowering.method(name) is None:
            if name == "params":
                return self.origin(v.REQUEST, node).union(self._kinds_like(node, v.PARAMS))
            return self.origin(v.REQUEST, node)
        method = self.method(name)
        if method is not None:
            return self._returned(method, call, args)
        if name in self.attributes():
            return self.ivars().get(f"@{name}", CLEAN)
        if name in ("Integer", "Float", "BigDecimal", "Rational"):
            return union_all(args).only((v.COUNT,))
        if name in ("Array", "String", "Hash", "format", "sprintf"):
            value = union_all(args)
            if name == "Array" and value.of(v.REQUEST) is not None:
                return self.with_kinds(value, (v.PAYLOAD,), node)
            return value
        if v.is_id(name) or v.is_predicate(name) or name in ("lambda", "proc", "binding"):
            return CLEAN
        if self.top_level:
            return self.origin(v.UNKNOWN, node)
        # An attribute of the object itself: stored data when the class is a model.
        return self.origin(v.STORED, node, owner=self.scope.facts.name)

    def _kinds_like(self, node: Node, kind: str) -> Taint:
        return self.origin(kind, node)

    def _on_constant(self, const: str, name: str, node: Node, args: Sequence[Taint]) -> Taint:
        bare = const.removeprefix("::")
        qualified = f"{bare}.{name}"
        first = args[0] if args else CLEAN
        if qualified in v.PARSERS:
            if first.of(v.REQUEST) is not None or first.of(v.PAYLOAD) is not None:
                return self.with_kinds(first, (v.REQUEST, v.PAYLOAD, v.COUNT), node)
            return first if first else self.origin(v.UNKNOWN, node)
        if qualified in v.BUILDERS:
            return union_all(args)
        if qualified in v.INTERNAL_CALLS or bare in v.INTERNAL_CONSTANTS:
            return CLEAN
        if bare.split("::")[0] in ("Time", "Date", "Sidekiq"):
            return CLEAN
        if name in ("name", "to_s", "inspect", "class", "model_name", "table_name"):
            return CLEAN  # the class's own name: internal
        if name in v.FINDERS:
            return self.origin(v.RECORD, node, owner=const)
        if name in ("pluck", "ids", "count", "exists?", "maximum", "minimum", "sum", "average"):
            return self._pluck(node, const)
        # A query method, a scope, or any other class method: a relation when the constant is a
        # model (what it is is only known across files: the owner decides at query time).
        return self.origin(v.RELATION, node, owner=const)

    def _pluck(self, node: Node, owner: str) -> Taint:
        name = method_name(node) or ""
        columns = [literal for a in nodes.arguments(node) if isinstance(literal := _name(a), str)]
        if name != "pluck" or all(v.is_id(c) for c in columns):
            return CLEAN
        return self.origin(v.STORED, node, owner=owner)

    def _on_value(
        self, name: str, node: Node, recv: Node, rt: Taint, args: Sequence[Taint]
    ) -> Taint:
        if v.is_predicate(name):
            return CLEAN
        if v.is_id(name):
            return rt.only((v.COUNT,)) if name == "ids" else CLEAN
        if name in v.NUMBERS:
            return rt.only((v.COUNT,)) if rt.of(v.REQUEST) or rt.of(v.PAYLOAD) else rt.only(())
        parts: list[Taint] = []
        for kind, origin in rt.origins:
            parts.append(self._step(kind, origin, name, node, recv, rt))
        result = union_all(parts)
        if name in v.COMBINING:
            result = result.union(union_all(args))
        return self._reroot(result, node, recv)

    def _step(
        self, kind: str, origin: Origin, name: str, node: Node, recv: Node, rt: Taint
    ) -> Taint:
        """What ``name`` called on a value of ``kind`` gives."""
        one = Taint(((kind, origin),))
        note = self.seen.notes.get(origin.path[0]) if origin.path else None
        owner = note.owner if note is not None else ""
        args = nodes.arguments(node)
        if kind == v.RECORD:
            if name in v.FINDERS or name in ("save", "save!", "tap", "itself", "presence"):
                return one
            return self.origin(v.STORED, node, owner=owner)
        if kind == v.RELATION:
            if name in v.FINDERS and name not in ("new", "create", "create!", "build"):
                return self.origin(v.RECORD, node, owner=owner)
            if name in ("new", "create", "create!", "build", "find_or_create_by"):
                return self.origin(v.RECORD, node, owner=owner)
            if name in ("pluck", "count", "exists?", "maximum", "minimum", "sum", "average"):
                return self._pluck(node, owner)
            if name in ("map", "collect", "flat_map") and args:
                symbol = _block_symbol(args)
                if symbol is not None and v.is_id(symbol):
                    return CLEAN
                return self.origin(v.STORED, node, owner=owner)
            return one  # a query method, a scope, a load, an iteration: still its rows
        if kind in (v.STORED, v.UNKNOWN, v.ARGUMENT):
            return one
        if kind == v.PARAMS:
            if name in v.PARAMETER_ACCESS or name == "[]":
                return self._parameter(node, origin)
            if name == "permit":
                return self._permit(node, origin)
            if name in v.WHOLE_PARAMETERS or name in ("except", "merge", "with_indifferent_access"):
                return one
            return CLEAN  # the parameters hash's other methods (keys, empty?...) say little
        if kind == v.PAYLOAD:
            if name in v.TRUNCATION and args and _integer(args[-1]):
                return CLEAN
            return one
        if kind in (v.REQUEST, v.COUNT):
            if origin.arg == "request" and text(recv) == "request":  # request.<part>
                if name in v.REQUEST_BODY:
                    return Taint(((v.REQUEST, origin), (v.PAYLOAD, origin), (v.COUNT, origin)))
                if name in v.REQUEST_PARAMETERS:
                    return Taint(((v.REQUEST, origin), (v.PARAMS, origin)))
                return Taint(((v.REQUEST, origin), (v.COUNT, origin)))
            if name in v.TRUNCATION and args and _integer(args[-1]):
                return one
            if name in v.LIST_USE and kind == v.REQUEST:
                # A parameter used as a list: the list is shown where it is made, when short.
                written = " ".join(text(node).split())
                listed = origin
                if len(written) <= SHOWN:
                    marker = self.seen.note(Note(node.start_point[0] + 1))
                    listed = Origin(written, (marker, *origin.path[1:]))
                symbol = _block_symbol(args)
                if name in ("map", "collect") and symbol in v.NUMBERS:
                    return Taint(((v.PAYLOAD, listed), (v.COUNT, origin)))
                return Taint(((v.REQUEST, origin), (v.PAYLOAD, listed), (v.COUNT, origin)))
            if name == "permit" and text(recv).startswith("params"):
                return self._permit(node, origin)
            return one
        return one

    def _parameter(self, node: Node, origin: Origin) -> Taint:
        """One parameter (``params.fetch(:kind)``, ``params.require(:export)``): a scalar, a
        list the parameters were permitted to hold under that key, or a nested hash of
        parameters (``require``)."""
        base = Taint(((v.REQUEST, origin), (v.COUNT, origin)))
        name = method_name(node) or ""
        if name == "expect":
            return self._permit(node, origin)
        if name == "require":
            return base.union(Taint(((v.PARAMS, origin),)))
        args = nodes.arguments(node)
        return self._listed(base, origin, args[0] if args else None)

    def _listed(self, base: Taint, origin: Origin, key: Node | None) -> Taint:
        """``base``, a payload too when ``key`` is one the parameters let a list through."""
        note = self.seen.notes.get(origin.path[0]) if origin.path else None
        name = _name(key) if key is not None else None
        if note is not None and isinstance(name, str) and name in note.lists:
            return base.union(Taint(((v.PAYLOAD, origin),)))
        return base

    def _permit(self, node: Node, origin: Origin) -> Taint:
        """``permit(:kind, ids: [])``: a hash of parameters that lets a list through under
        ``ids`` (a payload when passed whole, and that element); of scalars only, a hash of
        scalars (not a payload)."""
        base = Taint(((v.REQUEST, origin), (v.COUNT, origin)))
        lists = _lists(nodes.arguments(node))
        if not lists:
            return base
        note = Note(node.start_point[0] + 1, lists=lists)
        listed = Origin(origin.arg, (self.seen.note(note), *origin.path[1:]))
        return base.union(Taint(((v.PARAMS, listed),)))

    def _element(self, node: Node, rt: Taint) -> Taint:
        """``x[i]``: a record's attribute, a relation's record, one parameter, a truncation."""
        if not rt:
            return CLEAN
        keys = node.named_children[1:]
        truncated = (len(keys) == 2 and _integer(keys[1])) or bool(keys and keys[0].type == "range")
        parts: list[Taint] = []
        for kind, origin in rt.origins:
            note = self.seen.notes.get(origin.path[0]) if origin.path else None
            owner = note.owner if note is not None else ""
            if kind == v.RECORD:
                parts.append(self.origin(v.STORED, node, owner=owner))
            elif kind == v.RELATION:
                parts.append(self.origin(v.RECORD, node, owner=owner))
            elif kind == v.PARAMS:
                base = Taint(((v.REQUEST, origin), (v.COUNT, origin)))
                parts.append(self._listed(base, origin, keys[0] if keys else None))
            elif kind == v.PAYLOAD and truncated:
                continue
            else:
                parts.append(Taint(((kind, origin),)))
        obj = node.child_by_field_name("object")
        return self._reroot(union_all(parts), node, obj)

    def _reroot(self, taint: Taint, node: Node, recv: Node | None) -> Taint:
        """A request value read further (``params[:export][:kind]``): shown as the longer
        expression when its origin was exactly the receiver and the expression is short."""
        if recv is None:
            return taint
        shown = " ".join(text(node).split())
        if len(shown) > SHOWN:
            return taint
        written = " ".join(text(recv).split())
        changed = False
        origins = []
        for kind, origin in taint.origins:
            if kind in v.SIZED_BY_REQUEST and origin.arg == written and len(origin.path) == 1:
                origin = Origin(shown, origin.path)
                changed = True
            origins.append((kind, origin))
        return Taint(tuple(origins), taint.built, taint.lead, taint.host) if changed else taint

    def _returned(self, method: Method, call: Call, args: Sequence[Taint]) -> Taint:
        """The value a same-class method returns, its parameters bound to ``args``."""
        node: Node = call.ref  # type: ignore[assignment]
        key = (id(method), tuple(frozenset(k for k, _ in a.origins) for a in args))
        if key in self._returns:
            return self._returns[key]
        if id(method) in self._returning or len(self._returning) >= RETURN_DEPTH:
            return self.origin(v.UNKNOWN, node)
        self._returning.append(id(method))
        try:
            bound: dict[str, Taint] = {}
            positional = [p for p in method.params if p.kind == "positional"]
            for param, taint in zip(positional, args, strict=False):
                if taint:
                    bound[param.name] = taint.hop(method.name, param.name)
            for param in method.params:
                if param.kind != "positional":
                    bound[param.name] = self.origin(v.UNKNOWN, node, shown=param.name)
            state = State({**self.ivars(), **bound})
            value = Engine(self, RETURN_LIMITS).ev(method.body, state) if method.body else CLEAN
        finally:
            self._returning.pop()
        self._returns[key] = value
        return value

    def ivars(self) -> dict[str, Taint]:
        """What each instance variable read in the class may hold when a method starts: any
        value assigned to it in the class (a ``before_action`` sets it), else unknown."""
        if self._ivars is None:
            self._ivars = {}  # while they are computed, a method sees none
            self._ivars = {} if self.top_level else self._assigned()
        return self._ivars

    def _assigned(self) -> dict[str, Taint]:
        values: dict[str, list[Node]] = {}
        read: dict[str, Node] = {}
        for body in self.bodies:
            for node in captures("(instance_variable) @v", body).get("v", []):
                read.setdefault(text(node), node)
        if not read:
            return {}
        for assignment in captures(_IVAR_ASSIGNMENTS, self.scope.node).get("a", []):
            left = assignment.child_by_field_name("left")
            right = assignment.child_by_field_name("right")
            if left is not None and right is not None:
                values.setdefault(text(left), []).append(right)
        found: dict[str, Taint] = {}
        for name, first in read.items():
            if name not in values:
                found[name] = self.origin(v.UNKNOWN, first)
                continue
            taint = CLEAN
            for right in values[name]:
                lowered = self.lowering.expr(right)
                taint = taint.union(Engine(self, RETURN_LIMITS).ev(lowered, State()))
            if taint:
                found[name] = taint
        return found

    def attributes(self) -> frozenset[str]:
        """``attr_reader``/``attr_accessor`` names of the class: a bare call reads the ivar."""
        if self._attributes is None:
            names: set[str] = set()
            body = self.scope.node.child_by_field_name("body") if not self.top_level else None
            for child in body.named_children if body is not None else ():
                if child.type == "call" and method_name(child) in ("attr_reader", "attr_accessor"):
                    names.update(
                        n for a in nodes.arguments(child) if isinstance(n := _name(a), str)
                    )
            self._attributes = frozenset(names)
        return self._attributes

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        node: Node = op.ref  # type: ignore[assignment]
        if node.type == "unary":
            return operands[0] if op.op in ("-", "+") else CLEAN
        if op.op in ("+", "<<"):
            return union_all(operands)
        if op.op in ("-", "*", "/", "**", "%"):
            return union_all(operands).only((v.COUNT,))
        return CLEAN

    def block_values(self, call: Call, receiver: Taint, count: int) -> list[Taint]:
        name = call.name
        if not receiver or count == 0:
            return [CLEAN] * count
        node: Node = call.ref  # type: ignore[assignment]
        if name in COUNTED:
            return [CLEAN] * count  # a number
        if name not in ELEMENT_ITERATORS and not is_iteration(name):
            return [CLEAN] * count
        recv = nodes.receiver(node) if node.type == "call" else None
        element = self._each(receiver, name, recv if recv is not None else node)
        found: list[Taint] = []
        for index in range(count):
            value = element
            if name in ("each_with_index", "with_index") and index == count - 1 and count > 1:
                value = CLEAN
            if name in ("each_with_object", "with_object") and index == count - 1 and count > 1:
                value = CLEAN
            if name in ("inject", "reduce") and index == 0:
                value = CLEAN
            found.append(value)
        return found

    def _each(self, taint: Taint, name: str, node: Node) -> Taint:
        """One element of an iterated value (``node``: the collection, shown as where a record
        of it comes from)."""
        parts: list[Taint] = []
        for kind, origin in taint.origins:
            note = self.seen.notes.get(origin.path[0]) if origin.path else None
            owner = note.owner if note is not None else ""
            if kind == v.RELATION:
                batches = name in ("find_in_batches", "in_batches")
                parts.append(Taint(((v.RELATION, origin),)) if batches else Taint())
                if not batches:
                    parts.append(self.origin(v.RECORD, node, owner=owner))
            elif kind in (v.PAYLOAD, v.PARAMS):
                parts.append(Taint(((v.REQUEST, origin), (v.COUNT, origin))))
            elif kind == v.RECORD:
                continue
            else:
                parts.append(Taint(((kind, origin),)))
        return union_all(parts)

    # -- what is observed ----------------------------------------------------------------------
    def sinks(
        self, call: Call, receiver: Taint, args: Sequence[Taint], peek: Peek
    ) -> Iterable[Finding]:
        node: Node = call.ref  # type: ignore[assignment]
        if node.type != "call":
            return ()
        name = call.name
        if name in enqueue.ENQUEUE_METHODS:
            self._enqueue(node, args, peek)
        elif is_iteration(name) and (
            nodes.block(node) is not None or any(a.kind == "block" for a in call.args)
        ):
            iterated = receiver
            if name in ("upto", "downto", "step") and args:
                iterated = iterated.union(args[0])
            if iterated:
                seen = self.seen.loops.get(node.start_byte)
                joined = iterated if seen is None else seen.union(iterated)
                self.seen.loops[node.start_byte] = joined
        return ()

    def _enqueue(self, node: Node, taints: Sequence[Taint], peek: Peek) -> None:
        saved = self.ctx.class_scope
        self.ctx.class_scope = None if self.top_level else self.scope
        try:
            found = enqueue.classify(node, self.ctx)
        finally:
            self.ctx.class_scope = saved
        if found is None:
            return
        args = nodes.arguments(node)
        by_node = {a.id: t for a, t in zip(args, taints, strict=False)}
        positional: list[Taint] = []
        keywords: dict[str, Taint] = {}
        keys: dict[int, dict[str, Taint]] = {}
        shown: dict[tuple[int, str], str] = {}
        rest: Taint | None = None
        if found.method in ("perform_bulk", "push_bulk"):
            positional, rest = self._rows(found.collection, peek)
        elif found.method == "push":
            positional, rest = self._pushed(node, peek)
        else:
            pairs = [a for a in found.keywords if a.type in _KEYWORDS]
            for arg in found.job_args:
                if arg.type in _KEYWORDS:
                    pairs.append(arg)
                elif arg.type == "splat_argument":
                    rest = (rest or CLEAN).union(by_node.get(arg.id, CLEAN))
                elif rest is None:
                    entries = self._entries(arg, peek)
                    if entries is not None:
                        keys[len(positional)] = {k: t for k, (_, t) in entries.items()}
                        shown.update(((len(positional), k), w) for k, (w, _) in entries.items())
                    positional.append(by_node.get(arg.id, CLEAN))
            if pairs and found.active_job:
                for pair in pairs:
                    key = pair.child_by_field_name("key") if pair.type == "pair" else None
                    label = nodes.key_name(key) if key is not None else None
                    if label is None:
                        rest = (rest or CLEAN).union(by_node.get(pair.id, CLEAN))
                    else:
                        keywords[label] = by_node.get(pair.id, CLEAN)
            elif pairs:  # a Hash given last: one positional argument
                entries = _literal_keys(pairs, lambda pair: by_node.get(pair.id, CLEAN))
                if entries is not None:
                    keys[len(positional)] = {k: t for k, (_, t) in entries.items()}
                    shown.update(((len(positional), k), w) for k, (w, _) in entries.items())
                positional.append(union_all(by_node.get(p.id, CLEAN) for p in pairs))
        observed = self.seen.enqueues.get(node.start_byte)
        if observed is None:
            observed = self.seen.enqueues[node.start_byte] = Observed()
        observed.join(positional, keywords, rest, keys)
        for place, written in shown.items():
            observed.shown.setdefault(place, written)

    def _entries(self, arg: Node, peek: Peek) -> dict[str, tuple[str, Taint]] | None:
        """What each key of a literal Hash argument holds (through locals and the calls that
        only change its keys' type), or None when the argument is not one."""
        node: Node | None = arg
        for _ in range(6):
            if node is None:
                return None
            if node.type == "call" and method_name(node) in _KEY_KEEPING:
                node = nodes.receiver(node)
            elif node.type in ("identifier", "instance_variable"):
                found = self.semantic.value_of(node)
                if found is node:
                    return None
                node = found
            else:
                break
        if node is None or node.type != "hash":
            return None
        pairs = [c for c in node.named_children if c.type != "comment"]

        def value(pair: Node) -> Taint:
            inner = nodes.pair_value(pair)
            lowered = self._ir(inner)
            return peek(lowered) if lowered is not None else self.origin(v.UNKNOWN, pair)

        return _literal_keys(pairs, value)

    def _ir(self, node: Node | None) -> Expr | None:
        return self.lowering.ir(node)

    def _rows(self, collection: Node | None, peek: Peek) -> tuple[list[Taint], Taint | None]:
        """Each position of the rows of a bulk push: a literal list of rows, or the last array
        of a ``map`` block (RULES.md); else every position is what the collection holds."""
        if collection is None:
            return [], None
        if collection.type == "array" and collection.named_children:
            rows = [r for r in collection.named_children if r.type == "array"]
            if len(rows) == len(collection.named_children):
                width = max(len(r.named_children) for r in rows)
                columns = [CLEAN] * width
                for row in rows:
                    for index, item in enumerate(row.named_children):
                        columns[index] = columns[index].union(peek(self._ir(item)))
                return columns, None
        if collection.type == "call" and method_name(collection) in ("map", "collect"):
            block = nodes.block(collection)
            body = nodes.block_body(block)
            statements = [c for c in body.named_children if c.type != "comment"] if body else []
            last = statements[-1] if statements else None
            if last is not None and last.type == "array":
                recv = nodes.receiver(collection)
                iterated = peek(self._ir(recv)) if recv is not None else CLEAN
                params = nodes.block_params(block)
                at = recv if recv is not None else collection
                element = self._each(iterated, "map", at) if iterated else CLEAN
                bindings = {name: element for name in params}
                before = tuple(e for s in statements[:-1] if (e := self._ir(s)) is not None)
                columns = []
                for item in last.named_children:
                    lowered = self._ir(item)
                    expr = Seq((*before, lowered)) if lowered is not None else None
                    columns.append(peek(expr, bindings))
                return columns, None
        whole = peek(self._ir(collection))
        return [], self._each(whole, "each", collection) if whole else self.origin(
            v.UNKNOWN, collection
        )

    def _pushed(self, node: Node, peek: Peek) -> tuple[list[Taint], Taint | None]:
        """``Sidekiq::Client.push("class" => Job, "args" => [a, b])``: each of ``args``."""
        pairs, _ = nodes.option_pairs(nodes.arguments(node))
        pair = pairs.get("args")
        listed = nodes.pair_value(pair) if pair is not None else None
        if listed is None:
            return [], self.origin(v.UNKNOWN, node)
        if listed.type == "array":
            items = listed.named_children
            if not any(i.type == "splat_argument" for i in items):
                return [peek(self._ir(i)) for i in items], None
        whole = peek(self._ir(listed))
        return [], whole.element() if whole else CLEAN


_KEYWORDS = frozenset({"pair", "hash_splat_argument"})
_IVAR_ASSIGNMENTS = (
    "[(assignment left: (instance_variable)) (operator_assignment left: (instance_variable))] @a"
)
# Calls that give the same Hash with its keys changed in type only (JSON makes them strings).
_KEY_KEEPING = frozenset(
    {"deep_stringify_keys", "stringify_keys", "symbolize_keys", "deep_symbolize_keys",
     "with_indifferent_access", "to_h", "freeze", "compact", "as_json"}
)  # fmt: skip


def _literal_keys(
    pairs: list[Node], value: Callable[[Node], Taint]
) -> dict[str, tuple[str, Taint]] | None:
    """Each literal key of ``pairs`` (as a string, as JSON carries it) with its value as written
    and ``value``'s taint; None when a key is not literal or a ``**splat`` may add any."""
    found: dict[str, tuple[str, Taint]] = {}
    for pair in pairs:
        if pair.type != "pair":
            return None
        key = pair.child_by_field_name("key")
        name = nodes.key_name(key) if key is not None else None
        if name is None:
            return None
        inner = nodes.pair_value(pair)
        found[name] = (enqueue.describe(inner, SHOWN) if inner is not None else name, value(pair))
    return found


def _measured(node: Node | None) -> str | None:
    """The variable whose size ``node`` measures: ``ids.size``, ``body.bytesize``."""
    if node is None or node.type != "call" or nodes.arguments(node):
        return None
    if method_name(node) not in ("size", "length", "bytesize", "count"):
        return None
    recv = nodes.receiver(node)
    if recv is not None and recv.type in ("identifier", "instance_variable"):
        return text(recv)
    return None


def _integer(node: Node | None) -> bool:
    return node is not None and node.type == "integer"


def _name(node: Node) -> object:
    if node.type == "simple_symbol":
        return text(node)[1:]
    if node.type == "string" and not any(c.type == "interpolation" for c in node.named_children):
        return text(node)[1:-1]
    return None


def _block_symbol(args: list[Node]) -> str | None:
    for arg in args:
        if arg.type == "block_argument" and arg.named_children:
            inner = arg.named_children[0]
            if inner.type == "simple_symbol":
                return text(inner)[1:]
    return None


def _lists(args: list[Node]) -> tuple[str, ...]:
    """The keys ``permit``'s arguments let a list or a nested hash through (``ids: []``)."""
    found: list[str] = []
    for arg in args:
        items = [arg] if arg.type == "pair" else []
        if arg.type == "hash":
            items = [c for c in arg.named_children if c.type == "pair"]
        for pair in items:
            value = nodes.pair_value(pair)
            key = pair.child_by_field_name("key")
            name = nodes.key_name(key) if key is not None else None
            if value is not None and value.type in ("array", "hash") and name is not None:
                found.append(name)
    return tuple(found)


QUERY = QUERY_METHODS  # re-exported for the size evidence
