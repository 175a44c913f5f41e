"""Intra-procedural data flow of job arguments through a worker class (RULES.md, "Job arguments").

An abstract interpreter walks each method body's statements in order with a :class:`State`
(variable -> :class:`Taint`). Branches are analysed on copies and joined (tainted when tainted on
any live path); a path that returns, raises or calls ``next`` is dead and adds nothing, so a guard
protects only what it dominates. Conditions refine the state of each branch: a membership check, a
``case``/``when`` on literals, an anchored regexp, a type check validate a variable ("inj"); a
comparison bounds it ("size"). Loops and blocks run twice and join with the state before them.

The sources are ``perform``'s parameters (``each_iteration``'s after the item, and
``build_enumerator``'s but ``cursor`` for Sidekiq::IterableJob); a tainted value passed to another
method of the class taints that method's matching parameter, analysed once per set of tainted
parameters. Everything is bounded: nesting depth, call depth, and a budget of evaluated nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes, sinks
from workerlint.lang.ruby.derivation import (
    DERIVING_CALLS,
    DERIVING_FUNCTIONS,
    EXITS,
    NUMERIC_FUNCTIONS,
    derive,
    format_position,
    heredoc_body,
    in_host,
    literal_in_host,
    params_of,
)
from workerlint.lang.ruby.flow_control import ControlFlow
from workerlint.lang.ruby.guards import refinements, subject_name
from workerlint.lang.ruby.libraries.iteration import ELEMENT_ITERATORS
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.taint import CLEAN, Finding, State, Taint, join, source, union_all

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.model import ClassScope

MAX_DEPTH = 120  # expression nesting followed
MAX_CALL_DEPTH = 8  # same-class methods followed
BUDGET = 60_000  # nodes evaluated per class


class Analysis(ControlFlow):
    """Runs the data flow over one worker class; ``findings`` holds what reached a sink."""

    def __init__(self, scope: ClassScope, ctx: RubyContext) -> None:
        self.scope = scope
        self.ctx = ctx
        self.methods = scope.methods
        self.findings: dict[tuple[str, int, int], Finding] = {}
        # method analysed with a set of tainted names -> its instance variables on return
        self.seen: dict[tuple[int, frozenset[tuple[str, bool, bool]]], dict[str, Taint] | None] = {}
        self.returns: list[list[State]] = []  # states at each `return` of the methods running
        self.budget = BUDGET
        self.depth = 0
        self.call_depth = 0

    # -- entry -------------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        for name in ("perform", "each_iteration", "build_enumerator"):
            for method in self.methods.get(name, [])[-1:]:
                if method.type != "method":
                    continue
                params = params_of(method)
                names = [p for p, _ in params]
                if name == "each_iteration" and names and not self._items_are_arguments():
                    names = names[1:]  # the item comes from the enumerator, not the job
                if name == "build_enumerator":
                    names = [n for n in names if n != "cursor"]
                taints = {p: source(p, name) for p in names}
                self.analyse(method, taints, {})
        return sorted(self.findings.values(), key=lambda f: (f.start, f.use))

    def _items_are_arguments(self) -> bool:
        """Whether ``build_enumerator`` iterates a job argument (``array_enumerator(ids, ...)``)."""
        for method in self.methods.get("build_enumerator", [])[-1:]:
            for node in nodes.descendants(method):
                if node.type == "call" and method_name(node) == "array_enumerator":
                    return True
        return False

    def analyse(
        self, method: Node, params: dict[str, Taint], ivars: dict[str, Taint]
    ) -> dict[str, Taint] | None:
        """Analyse ``method`` once per set of tainted names; its instance variables on return
        (None when it was not analysed: too deep, out of budget, or running: recursion)."""
        key = (
            method.start_byte,
            frozenset(
                (n, t.inj is not None, t.size is not None) for n, t in (params | ivars).items()
            ),
        )
        if key in self.seen:
            return self.seen[key]
        if self.call_depth >= MAX_CALL_DEPTH or self.budget <= 0:
            return None
        self.seen[key] = None
        saved = self.ctx.method
        self.ctx.method = method  # HTTP classification resolves locals in the current method
        self.call_depth += 1
        self.returns.append([])
        try:
            state = State({**ivars, **params})
            body = method.child_by_field_name("body")
            if body is not None:
                self.ev(body, state)
            exits = join([state, *self.returns[-1]])
            result = {k: v for k, v in exits.vars.items() if k.startswith("@")}
            self.seen[key] = result
            return result
        finally:
            self.returns.pop()
            self.call_depth -= 1
            self.ctx.method = saved

    def report(self, finding: Finding) -> None:
        self.findings.setdefault((finding.use, finding.start, finding.end), finding)

    # -- evaluation --------------------------------------------------------------------------
    def peek(self, node: Node | None, state: State) -> Taint:
        """The taint of an expression already evaluated (on a copy: no effect on the state)."""
        if node is None:
            return CLEAN
        return self.ev(node, state.copy())

    def ev(self, node: Node, st: State) -> Taint:
        if st.dead or self.budget <= 0 or self.depth >= MAX_DEPTH:
            return CLEAN
        self.budget -= 1
        self.depth += 1
        try:
            handler = _HANDLERS.get(node.type)
            if handler is not None:
                return handler(self, node, st)
            for child in node.named_children:
                self.ev(child, st)
            return CLEAN
        finally:
            self.depth -= 1

    def sequence(self, node: Node, st: State) -> Taint:
        result = CLEAN
        plain = [c for c in node.named_children if c.type not in ("rescue", "ensure", "comment")]
        rescues = [c for c in node.named_children if c.type == "rescue"]
        ensure = [c for c in node.named_children if c.type == "ensure"]
        before = st.copy()
        else_part = [c for c in plain if c.type == "else"] if rescues else []
        for child in plain:
            if child in else_part:
                continue
            if st.dead:
                break
            result = self.ev(child, st)
        if rescues:
            for part in else_part:
                result = self.ev(part, st)
            paths = [st.copy()]
            for clause in rescues:
                entry = join([before, st])
                entry.dead = False
                body = clause.child_by_field_name("body")
                if body is not None:
                    self.ev(body, entry)
                paths.append(entry)
            st.assign_from(join(paths))
        for part in ensure:
            probe = st.copy()
            probe.dead = False
            self.sequence(part, probe)
            if not probe.dead:
                st.vars = probe.vars
            else:
                st.dead = True
        return result

    def identifier(self, node: Node, st: State) -> Taint:
        name = text(node)
        if name in st.vars:
            return st.vars[name]
        if name in EXITS:
            st.dead = True
        elif name in self.methods:
            self.call_method(name, node, [], st)
        return CLEAN

    def variable(self, node: Node, st: State) -> Taint:
        return st.get(text(node))

    def string(self, node: Node, st: State) -> Taint:
        parts = [c for c in node.named_children]
        if node.type == "heredoc_beginning":
            body = heredoc_body(node)
            parts = body.named_children if body is not None else []
        result = CLEAN
        prefix = ""
        lead = host = False
        for index, part in enumerate(parts):
            if part.type == "interpolation":
                inner = self.interpolation(part, st)
                if inner.inj is not None or inner.size is not None:
                    lead = lead or index == 0 or (inner.lead and not prefix)
                    host = host or in_host(prefix) or (inner.host and not prefix)
                    result = result.union(inner)
                prefix += "\0"
            elif part.type in ("string", "string_content", "heredoc_content"):
                if part.type == "string":
                    inner = self.string(part, st)
                    result = result.union(inner)
                    lead, host = lead or (inner.lead and not prefix), host or inner.host
                prefix += text(part)
            elif part.type == "escape_sequence":
                prefix += "x"
        return result.as_built(lead, host)

    def interpolation(self, node: Node, st: State) -> Taint:
        result = CLEAN
        for child in node.named_children:
            result = self.ev(child, st)
        return result

    def subshell(self, node: Node, st: State) -> Taint:
        taint = self.string(node, st)
        if taint.inj is not None:
            sinks.report_subshell(self, node, taint)
        return CLEAN

    def collection(self, node: Node, st: State) -> Taint:
        result = CLEAN
        for child in node.named_children:
            if child.type == "pair":
                value = child.child_by_field_name("value")
                key = child.child_by_field_name("key")
                if key is not None and key.type not in ("hash_key_symbol", "simple_symbol"):
                    result = result.union(self.ev(key, st))
                if value is not None:
                    result = result.union(self.ev(value, st))
            else:
                result = result.union(self.ev(child, st))
        return Taint(result.inj, result.size) if result else CLEAN

    def parenthesized(self, node: Node, st: State) -> Taint:
        return self.sequence(node, st)

    def assignment(self, node: Node, st: State) -> Taint:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return CLEAN
        if right.type == "right_assignment_list":  # `a, b = x, y`, or `a = x, y` (an Array)
            values = [self.ev(c, st) for c in right.named_children]
            value = union_all(values)
            value = Taint(value.inj, value.size) if value else CLEAN
        else:
            value = self.ev(right, st)
            values = []
        if node.type == "operator_assignment":
            value = value.union(self.lvalue_taint(left, st))
        if left.type == "left_assignment_list":
            targets = left.named_children
            for index, target in enumerate(targets):
                piece = (
                    values[index] if index < len(values) else value.element() if value else value
                )
                self.store(target, piece, st)
        else:
            self.store(left, value, st)
        return value

    def lvalue_taint(self, left: Node, st: State) -> Taint:
        if left.type in ("identifier", "instance_variable", "class_variable", "global_variable"):
            return st.get(text(left))
        return CLEAN

    def store(self, target: Node, value: Taint, st: State) -> None:
        if target.type == "rest_assignment":
            inner = target.named_children
            if inner:
                self.store(inner[0], value, st)
        elif target.type in (
            "identifier",
            "instance_variable",
            "class_variable",
            "global_variable",
        ):
            st.set(text(target), value)
        elif target.type == "element_reference":
            obj = target.child_by_field_name("object")
            for child in target.named_children[1:]:
                self.ev(child, st)
            if obj is not None and obj.type in ("identifier", "instance_variable") and value:
                st.set(text(obj), st.get(text(obj)).union(Taint(value.inj, value.size)))
        elif target.type == "call":
            recv = nodes.receiver(target)
            if recv is not None:
                self.ev(recv, st)
        elif target.type == "destructured_left_assignment":
            for child in target.named_children:
                self.store(child, value.element() if value else value, st)

    def binary(self, node: Node, st: State) -> Taint:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = text(node.child_by_field_name("operator"))
        lt = self.ev(left, st) if left is not None else CLEAN
        if operator in ("&&", "and", "||", "or"):
            # `a && b` runs b where a held; `a || raise` goes on only where a held or b ran.
            truthy, falsy = refinements(left) if left is not None else (frozenset(), frozenset())
            conjunction = operator in ("&&", "and")
            branch = st.copy().refine(truthy if conjunction else falsy)
            rt = self.ev(right, branch) if right is not None else CLEAN
            skipped = st.copy().refine(falsy if conjunction else truthy)
            st.assign_from(join([skipped, branch]))
            return lt.union(rt)
        rt = self.ev(right, st) if right is not None else CLEAN
        if operator in ("+", "%", "<<"):
            lead, host = lt.lead, lt.host
            if rt and left is not None and operator == "%" and left.type == "string":
                lead, host = format_position(left)
            elif rt and left is not None:
                host = host or literal_in_host(left)
            return lt.union(rt).as_built(lead, host)
        if operator in ("-", "*", "/", "**"):
            return Taint(size=(lt.union(rt)).size) if lt or rt else CLEAN
        return CLEAN

    def unary(self, node: Node, st: State) -> Taint:
        operand = node.child_by_field_name("operand")
        value = self.ev(operand, st) if operand is not None else CLEAN
        operator = text(node.child_by_field_name("operator"))
        return value if operator in ("-", "+") else CLEAN

    def element_reference(self, node: Node, st: State) -> Taint:
        obj = node.child_by_field_name("object")
        base = self.ev(obj, st) if obj is not None else CLEAN
        for child in node.named_children[1:]:
            self.ev(child, st)
        if obj is not None and constant_path(obj) == "Dir":
            sinks.report_dir_index(self, node, st)
        return base

    def range(self, node: Node, st: State) -> Taint:
        result = CLEAN
        for child in node.named_children:
            result = result.union(self.ev(child, st))
        return Taint(result.inj, result.size) if result else CLEAN

    def exit(self, node: Node, st: State) -> Taint:
        for child in node.named_children:
            self.ev(child, st)
        if node.type == "return" and self.returns and not st.dead:
            self.returns[-1].append(st.copy())
        st.dead = True
        return CLEAN

    # -- calls -------------------------------------------------------------------------------
    def call(self, node: Node, st: State) -> Taint:
        name = method_name(node) or ""
        recv = nodes.receiver(node)
        rt = self.ev(recv, st) if recv is not None else CLEAN
        args = nodes.arguments(node)
        taints: list[Taint] = []
        for arg in args:
            if arg.type == "pair":
                value = arg.child_by_field_name("value")
                taints.append(self.ev(value, st) if value is not None else CLEAN)
            elif arg.type in ("splat_argument", "hash_splat_argument"):
                inner = arg.named_children[0] if arg.named_children else None
                taints.append(self.ev(inner, st).element() if inner is not None else CLEAN)
            elif arg.type == "block_argument":
                taints.append(CLEAN)
            else:
                taints.append(self.ev(arg, st))
        if st.dead:
            return CLEAN
        if rt or any(taints):  # a sink needs a tainted receiver or argument
            sinks.check_call(self, node, name, rt, args, taints, st)
        block = nodes.block(node)
        if block is not None:
            elements = rt if name in ELEMENT_ITERATORS else CLEAN
            self.block(block, st, elements, name)
        if recv is None and name in EXITS:
            st.dead = True
            return CLEAN
        if recv is None or recv.type == "self":
            if name in self.methods and name not in sinks.KERNEL_SINKS:
                self.call_method(name, node, args, st, taints)
            if recv is None and name in NUMERIC_FUNCTIONS:
                if _is_statement(node) and args:
                    subject = subject_name(args[0])
                    if subject is not None:
                        st.refine(frozenset({(subject, "inj")}))
                return union_all(taints).numeric()
            if recv is None and name in DERIVING_FUNCTIONS:
                result = union_all(taints)
                if name in ("format", "sprintf") and args and result:
                    lead, host = format_position(args[0])
                    values = union_all(taints[1:])
                    head = taints[0] if taints else CLEAN
                    return result.as_built(
                        head.lead or (bool(values) and lead), head.host or (bool(values) and host)
                    )
                return result
            return CLEAN
        if rt:
            return derive(name, recv, rt)
        qualified = f"{text(recv)}.{name}" if len(text(recv)) < 60 else ""
        if qualified in DERIVING_CALLS:
            result = union_all(taints)
            if name == "join" or qualified.startswith("File.") or qualified == "Arel.sql":
                return result.as_built(result.lead, result.host)
            return result
        return CLEAN

    def call_method(
        self, name: str, node: Node, args: list[Node], st: State, taints: list[Taint] | None = None
    ) -> None:
        """A call to a method of the same class: its matching parameters become job arguments."""
        method = self.methods[name][-1]
        if method.type != "method":
            return
        taints = taints or []
        params = params_of(method)
        bound: dict[str, Taint] = {}
        positional = [t for a, t in zip(args, taints, strict=False) if a.type not in _NAMED_ARGS]
        splat = [t for a, t in zip(args, taints, strict=False) if a.type == "splat_argument" and t]
        keywords = {
            nodes.key_name(k): t
            for a, t in zip(args, taints, strict=False)
            if a.type == "pair" and (k := a.child_by_field_name("key")) is not None
        }
        rest = [t for a, t in zip(args, taints, strict=False) if a.type == "hash_splat_argument"]
        if keywords and not any(kind in ("keyword", "hash_splat") for _, kind in params):
            positional.append(union_all(list(keywords.values())))  # an options hash
        index = 0
        for param, kind in params:
            if kind in ("plain", "optional"):
                taint = positional[index] if index < len(positional) else CLEAN
                index += 1
                taint = taint.union(union_all(splat))
            elif kind == "splat":
                taint = union_all(positional[index:]).union(union_all(splat))
            elif kind == "keyword":
                taint = keywords.get(param, CLEAN).union(union_all(rest))
            else:  # **opts
                taint = union_all(list(keywords.values())).union(union_all(rest))
            if taint:
                bound[param] = _hop(taint, name, param)
        ivars = {k: v for k, v in st.vars.items() if k.startswith("@")}
        after = self.analyse(method, bound, ivars)
        if after is not None:  # instance variables the method set or cleared
            st.vars = {**{k: v for k, v in st.vars.items() if not k.startswith("@")}, **after}


_NAMED_ARGS = frozenset({"pair", "hash_splat_argument", "block_argument", "splat_argument"})


def _hop(taint: Taint, method: str, param: str) -> Taint:
    inj = taint.inj.hop(method, param) if taint.inj is not None else None
    size = taint.size.hop(method, param) if taint.size is not None else None
    return Taint(inj, size, taint.built, taint.lead, taint.host)


def _is_statement(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in nodes.STATEMENT_PARENTS | {"body_statement"}


_HANDLERS = {
    "body_statement": Analysis.sequence,
    "block_body": Analysis.sequence,
    "then": Analysis.sequence,
    "else": Analysis.sequence,
    "do": Analysis.sequence,
    "begin": Analysis.sequence,
    "ensure": Analysis.sequence,
    "parenthesized_statements": Analysis.parenthesized,
    "identifier": Analysis.identifier,
    "instance_variable": Analysis.variable,
    "class_variable": Analysis.variable,
    "global_variable": Analysis.variable,
    "string": Analysis.string,
    "chained_string": Analysis.string,
    "delimited_symbol": Analysis.string,
    "heredoc_beginning": Analysis.string,
    "interpolation": Analysis.interpolation,
    "subshell": Analysis.subshell,
    "array": Analysis.collection,
    "hash": Analysis.collection,
    "argument_list": Analysis.collection,
    "assignment": Analysis.assignment,
    "operator_assignment": Analysis.assignment,
    "binary": Analysis.binary,
    "unary": Analysis.unary,
    "element_reference": Analysis.element_reference,
    "range": Analysis.range,
    "return": Analysis.exit,
    "next": Analysis.exit,
    "break": Analysis.exit,
    "retry": Analysis.exit,
    "redo": Analysis.exit,
    "if": Analysis.branch,
    "unless": Analysis.branch,
    "elsif": Analysis.branch,
    "if_modifier": Analysis.branch,
    "unless_modifier": Analysis.branch,
    "conditional": Analysis.branch,
    "case": Analysis.case,
    "case_match": Analysis.case,
    "while": Analysis.loop,
    "until": Analysis.loop,
    "while_modifier": Analysis.loop,
    "until_modifier": Analysis.loop,
    "for": Analysis.loop,
    "call": Analysis.call,
    "lambda": Analysis.lambda_,
    "heredoc_body": lambda self, node, st: CLEAN,
    "method": lambda self, node, st: CLEAN,
    "singleton_method": lambda self, node, st: CLEAN,
    "class": lambda self, node, st: CLEAN,
    "module": lambda self, node, st: CLEAN,
}


@dataclass
class _FileCache:
    """The findings of the worker classes of the file being checked (WL401 and WL402 share
    one analysis per class)."""

    tree: object = None
    findings: dict[tuple[int, int], list[Finding]] = field(default_factory=dict)


_CACHE = _FileCache()


def analyse_class(scope: ClassScope, ctx: RubyContext) -> list[Finding]:
    """The findings of the job-argument data flow in a worker class (computed once per file)."""
    if _CACHE.tree is not ctx.tree:
        _CACHE.tree = ctx.tree
        _CACHE.findings = {}
    key = (scope.node.start_byte, scope.node.end_byte)
    found = _CACHE.findings.get(key)
    if found is None:
        found = _CACHE.findings[key] = Analysis(scope, ctx).run()
    return found
