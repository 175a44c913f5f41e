"""A Ruby method (tree-sitter-ruby) lowered into the taint engine's IR (workerlint/taint.py).

Each syntax node becomes the IR node that evaluates like it; its ``ref`` is the syntax node, and
:meth:`Lowering.ir` finds the IR of a node again (the sinks look at a node of a call). What Ruby
means is decided here: a bare name is a variable when the semantic model binds it and a call of
the method of that name otherwise; ``raise`` never returns; ``case``/``when`` is a chain of
branches whose patterns are not evaluated; ``x[i]`` reads with ``[]``; backticks call the shell;
``render(...) and return`` as a statement leaves after the action.
Nodes nested deeper than the engine follows are not lowered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.taint import (
    Arg,
    Assign,
    Block,
    Branch,
    Call,
    Closure,
    Collection,
    Discard,
    Exit,
    Expr,
    Hole,
    Limits,
    Lit,
    Logic,
    Loop,
    Method,
    Name,
    Op,
    Opaque,
    Param,
    Seq,
    Store,
    Target,
    Template,
    Try,
    Unpack,
    Var,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope
    from workerlint.lang.ruby.semantic import SemanticModel

# Calls that never return.
EXITS = frozenset({"raise", "fail", "exit", "exit!", "abort", "throw"})
DEPTH = Limits().depth + 8  # nesting lowered: what the engine never reaches is left out
SEQUENCES = frozenset(
    {"body_statement", "block_body", "then", "else", "do", "parenthesized_statements",
     "begin_block", "end_block"}
)  # fmt: skip


def _then_exit(node: Node, left: Node | None, right: Node | None) -> bool:
    """The idiom ``respond(...) and return`` as a statement: an action (a call whose name does
    not ask a question) then an exit. It is written to leave (Rails' ``render ... and return``),
    and is read so: the action's value is taken as truthy."""
    if left is None or right is None or node.parent is None:
        return False
    if node.parent.type not in SEQUENCES and node.parent.type != "program":
        return False
    exits = right.type in ("return", "next", "break") or (
        right.type in ("call", "identifier")
        and nodes.receiver(right) is None
        and method_name(right) in EXITS
    )
    name = method_name(left) if left.type in ("call", "identifier") else None
    return exits and name is not None and not name.endswith("?")


_VARIABLES = frozenset({"identifier", "instance_variable", "class_variable", "global_variable"})
# Parameter node -> the engine's kind of parameter.
_PARAMETERS = {
    "identifier": "positional",
    "optional_parameter": "positional",
    "splat_parameter": "rest",
    "keyword_parameter": "keyword",
    "hash_splat_parameter": "keywords",
}


class Lowering:
    """The IR of the methods of one class, each lowered once, when first asked for."""

    def __init__(
        self, scope: ClassScope, semantic: SemanticModel, bare_calls: bool = False
    ) -> None:
        self.scope = scope
        self.semantic = semantic
        # A bare name that is not a local: a call of that method (``bare_calls``), or, as the
        # job-argument flow reads it, a variable unless the class defines a method of the name.
        self.bare_calls = bare_calls
        self._methods: dict[int, Method] = {}
        self._ir: dict[int, Expr] = {}
        self._depth = 0

    def method(self, name: str) -> Method | None:
        """The instance method ``name`` of the class (its last definition), lowered."""
        found = self.scope.methods.get(name)
        if not found or found[-1].type != "method":
            return None
        return self.lower_method(found[-1])

    def lower_method(self, node: Node) -> Method:
        method = self._methods.get(node.id)
        if method is None:
            params = tuple(parameters(node))
            body = node.child_by_field_name("body")
            depth, self._depth = self._depth, 0
            lowered = self.expr(body) if body is not None else None
            self._depth = depth
            method = Method(text(node.child_by_field_name("name")), params, lowered, node)
            self._methods[node.id] = method
        return method

    def ir(self, node: Node | None) -> Expr | None:
        """The IR a node of a lowered method became (None: not lowered)."""
        return self._ir.get(node.id) if node is not None else None

    def expr(self, node: Node) -> Expr:
        if self._depth >= DEPTH:
            return Lit(node)
        self._depth += 1
        try:
            lowered = _LOWER.get(node.type, Lowering.generic)(self, node)
        finally:
            self._depth -= 1
        self._ir[node.id] = lowered
        return lowered

    def _maybe(self, node: Node | None) -> Expr | None:
        return self.expr(node) if node is not None else None

    # -- statements --------------------------------------------------------------------------
    def generic(self, node: Node) -> Expr:
        """Not modelled: its parts are evaluated, its value is clean."""
        children = node.named_children
        return Opaque(tuple(self.expr(c) for c in children), node) if children else Lit(node)

    def sequence(self, node: Node) -> Expr:
        children = node.named_children
        plain = [c for c in children if c.type not in ("rescue", "ensure", "comment")]
        rescues = [c for c in children if c.type == "rescue"]
        ensures = [c for c in children if c.type == "ensure"]
        if not rescues and not ensures:
            return Seq(tuple(self.expr(c) for c in plain), node)
        otherwise = [c for c in plain if c.type == "else"] if rescues else []
        body = [c for c in plain if not (rescues and c.type == "else")]
        return Try(
            tuple(self.expr(c) for c in body),
            tuple(self._maybe(r.child_by_field_name("body")) for r in rescues),
            tuple(self.expr(c) for c in otherwise),
            tuple(self._plain(e) for e in ensures),
            node,
        )

    def _plain(self, node: Node) -> Seq:
        children = [c for c in node.named_children if c.type not in ("rescue", "ensure", "comment")]
        return Seq(tuple(self.expr(c) for c in children), node)

    def identifier(self, node: Node) -> Expr:
        """A local variable, or a call of a method of the class (or of ``raise``) by its name."""
        name = text(node)
        known = name in EXITS or name in self.scope.methods or self.bare_calls
        if known and not self.semantic.is_local(node):
            return Call(None, name, (), None, local=True, noreturn=name in EXITS, ref=node)
        return Var(name, node)

    def variable(self, node: Node) -> Expr:
        return Var(text(node), node)

    def assignment(self, node: Node) -> Expr:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return Lit(node)
        if right.type == "right_assignment_list":  # `a, b = x, y`, or `a = x, y` (an Array)
            items = tuple(self.expr(c) for c in right.named_children)
            value: Expr = Collection(items, parallel=True, ref=right)
        else:
            value = self.expr(right)
        target = self._target(left, top=True)
        return Assign(target, value, node.type == "operator_assignment", node)

    def _target(self, node: Node, top: bool = False) -> Target:
        kind = node.type
        if kind == "left_assignment_list" and top:
            return Unpack(tuple(self._target(c) for c in node.named_children), parallel=True)
        if kind == "destructured_left_assignment":
            return Unpack(tuple(self._target(c) for c in node.named_children), parallel=False)
        if kind == "rest_assignment":
            inner = node.named_children
            return self._target(inner[0]) if inner else Discard()
        if kind in _VARIABLES:
            return Name(text(node))
        if kind == "element_reference":
            obj = node.child_by_field_name("object")
            index = tuple(self.expr(c) for c in node.named_children[1:])
            held = obj is not None and obj.type in ("identifier", "instance_variable")
            return Store(text(obj) if held else None, index)
        if kind == "call":
            recv = nodes.receiver(node)
            return Discard((self.expr(recv),) if recv is not None else ())
        return Discard()

    def exit(self, node: Node) -> Expr:
        values = tuple(self.expr(c) for c in node.named_children)
        return Exit(values, node.type == "return", node)

    # -- values ------------------------------------------------------------------------------
    def template(self, node: Node) -> Template:
        """A string, symbol or heredoc: literal text and interpolated values."""
        children = node.named_children
        if node.type == "heredoc_beginning":
            body = heredoc_body(node)
            children = body.named_children if body is not None else []
        parts: list[str | Hole | Template] = []
        for part in children:
            if part.type == "interpolation":
                parts.append(Hole(self.expr(part)))
            elif part.type == "string":
                parts.append(self.template(part))
            elif part.type in ("string_content", "heredoc_content"):
                parts.append(text(part))
            elif part.type == "escape_sequence":
                parts.append("x")
        return Template(tuple(parts), text(node), node)

    def interpolation(self, node: Node) -> Expr:
        children = node.named_children
        if len(children) == 1:
            return self.expr(children[0])
        return Seq(tuple(self.expr(c) for c in children), node) if children else Lit(node)

    def subshell(self, node: Node) -> Expr:
        """Backticks and ``%x``: a call of the shell with the command built."""
        command = Arg("positional", self.template(node), ref=node)
        return Call(None, "`", (command,), ref=node)

    def collection(self, node: Node) -> Expr:
        items: list[Expr] = []
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is not None and key.type not in ("hash_key_symbol", "simple_symbol"):
                    items.append(self.expr(key))
                if value is not None:
                    items.append(self.expr(value))
            else:
                items.append(self.expr(child))
        return Collection(tuple(items), ref=node)

    def binary(self, node: Node) -> Expr:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = text(node.child_by_field_name("operator"))
        lowered_left = self.expr(left) if left is not None else Lit(node)
        if operator in ("and", "&&") and _then_exit(node, left, right):
            assert right is not None
            return Seq((lowered_left, self.expr(right)), node)
        if operator in ("&&", "and", "||", "or"):
            conjunction = operator in ("&&", "and")
            return Logic(lowered_left, self._maybe(right), conjunction, left, node)
        lowered_right = self.expr(right) if right is not None else Lit(node)
        return Op(operator, (lowered_left, lowered_right), node)

    def unary(self, node: Node) -> Expr:
        operand = node.child_by_field_name("operand")
        operator = text(node.child_by_field_name("operator"))
        return Op(operator, (self.expr(operand) if operand is not None else Lit(node),), node)

    def element_reference(self, node: Node) -> Expr:
        """``x[i]``: a read with ``[]`` (what it derives, and ``Dir[]``, are the spec's)."""
        obj = node.child_by_field_name("object")
        index = tuple(Arg("positional", self.expr(c), ref=c) for c in node.named_children[1:])
        return Call(self._maybe(obj), "[]", index, ref=node)

    # -- control flow ------------------------------------------------------------------------
    def branch(self, node: Node) -> Expr:
        """``if``/``unless``/``elsif``, their modifiers, and the ternary."""
        kind = node.type
        cond = node.child_by_field_name("condition")
        if kind in ("if_modifier", "unless_modifier"):
            body, other = node.child_by_field_name("body"), None
        else:
            body = node.child_by_field_name("consequence")
            other = node.child_by_field_name("alternative")
        negated = kind in ("unless", "unless_modifier")
        then, otherwise = self._maybe(body), self._maybe(other)
        return Branch(self._maybe(cond), then, otherwise, cond, negated, node)

    def case(self, node: Node) -> Expr:
        """``case``/``when`` (and ``case``/``in``): a chain of arms, each under what its patterns
        prove (the spec's guard is the clause); the subject is evaluated once, first."""
        subject = node.child_by_field_name("value")
        arms = [c for c in node.named_children if c.type in ("when", "in_clause")]
        final = next((c for c in node.named_children if c.type == "else"), None)
        chain = self._maybe(final)
        if not arms:
            parts = tuple(p for p in (self._maybe(subject), chain) if p is not None)
            return Seq(parts, node) if chain is not None else Opaque(parts, node)
        for index in range(len(arms) - 1, -1, -1):
            arm = arms[index]
            test = self._maybe(subject) if index == 0 else None
            body = self._maybe(arm.child_by_field_name("body"))
            chain = Branch(test, body, chain, arm, False, arm)
        assert chain is not None
        return chain

    def loop(self, node: Node) -> Expr:
        body = self._maybe(node.child_by_field_name("body"))
        if node.type == "for":
            pattern = node.child_by_field_name("pattern")
            binds = tuple(bound_names(pattern)) if pattern is not None else ()
            iterated = self._maybe(node.child_by_field_name("value"))
            return Loop(None, body, iterated, binds, node)
        return Loop(self._maybe(node.child_by_field_name("condition")), body, ref=node)

    def call(self, node: Node) -> Expr:
        name = method_name(node) or ""
        recv = nodes.receiver(node)
        args = tuple(self._argument(a) for a in nodes.arguments(node))
        block = nodes.block(node)
        return Call(
            self._maybe(recv),
            name,
            args,
            self.block(block) if block is not None else None,
            local=recv is None or recv.type == "self",
            noreturn=recv is None and name in EXITS,
            ref=node,
        )

    def _argument(self, node: Node) -> Arg:
        kind = node.type
        if kind == "pair":
            key = node.child_by_field_name("key")
            name = nodes.key_name(key) if key is not None else None
            return Arg("keyword", self._maybe(node.child_by_field_name("value")), name, node)
        if kind in ("splat_argument", "hash_splat_argument"):
            inner = node.named_children[0] if node.named_children else None
            spread = "splat" if kind == "splat_argument" else "keywords"
            return Arg(spread, self._maybe(inner), ref=node)
        if kind == "block_argument":
            return Arg("block", None, ref=node)
        return Arg("positional", self.expr(node), ref=node)

    def block(self, node: Node) -> Block:
        params = node.child_by_field_name("parameters")
        names = [p for p in params.named_children if p.type != "comment"] if params else []
        body = self._maybe(node.child_by_field_name("body"))
        return Block(tuple(tuple(bound_names(p)) for p in names), body, node)

    def lambda_(self, node: Node) -> Expr:
        body = node.child_by_field_name("body")
        if body is None:
            return Lit(node)
        if body.type in ("block", "do_block"):
            return Closure(self.block(body), node)
        return Closure(Block((), self.expr(body), body), node)

    def nothing(self, node: Node) -> Expr:
        """Evaluated elsewhere (a heredoc's body) or not here (a nested definition)."""
        return Lit(node)


_LOWER: dict[str, Callable[[Lowering, Node], Expr]] = {
    **dict.fromkeys(
        ("body_statement", "block_body", "then", "else", "do", "begin", "ensure"),
        Lowering.sequence,
    ),
    "parenthesized_statements": Lowering.sequence,
    "identifier": Lowering.identifier,
    **dict.fromkeys(("instance_variable", "class_variable", "global_variable"), Lowering.variable),
    **dict.fromkeys(
        ("string", "chained_string", "delimited_symbol", "heredoc_beginning"), Lowering.template
    ),
    "interpolation": Lowering.interpolation,
    "subshell": Lowering.subshell,
    **dict.fromkeys(("array", "hash", "argument_list", "range"), Lowering.collection),
    **dict.fromkeys(("assignment", "operator_assignment"), Lowering.assignment),
    "binary": Lowering.binary,
    "unary": Lowering.unary,
    "element_reference": Lowering.element_reference,
    **dict.fromkeys(("return", "next", "break", "retry", "redo"), Lowering.exit),
    **dict.fromkeys(
        ("if", "unless", "elsif", "if_modifier", "unless_modifier", "conditional"),
        Lowering.branch,
    ),
    **dict.fromkeys(("case", "case_match"), Lowering.case),
    **dict.fromkeys(("while", "until", "while_modifier", "until_modifier", "for"), Lowering.loop),
    "call": Lowering.call,
    "lambda": Lowering.lambda_,
    **dict.fromkeys(
        ("heredoc_body", "method", "singleton_method", "class", "module"), Lowering.nothing
    ),
}


def parameters(method: Node) -> list[Param]:
    """A method's parameters the engine binds (not ``&block``, destructuring or ``...``)."""
    params = method.child_by_field_name("parameters")
    if params is None:
        return []
    found: list[Param] = []
    for param in params.named_children:
        kind = _PARAMETERS.get(param.type)
        if kind is None:
            continue
        name_node = param if param.type == "identifier" else param.child_by_field_name("name")
        if name_node is not None:
            found.append(Param(text(name_node), kind))
    return found


def bound_names(node: Node) -> list[str]:
    """The names a block parameter or a ``for`` pattern binds."""
    if node.type == "identifier":
        return [text(node)]
    found: list[str] = []
    for child in node.named_children:
        if child.type in ("identifier", "destructured_parameter", "splat_parameter",
                          "optional_parameter", "keyword_parameter", "block_parameter",
                          "left_assignment_list", "destructured_left_assignment"):  # fmt: skip
            found.extend(bound_names(child) if child.type != "block_parameter" else [])
    if node.type in ("splat_parameter", "optional_parameter", "keyword_parameter"):
        name = node.child_by_field_name("name")
        return [text(name)] if name is not None else []
    return found


def heredoc_body(start: Node) -> Node | None:
    """The body of a heredoc whose opening ``<<~SQL`` is ``start``."""
    statement = start
    while statement.parent is not None and statement.parent.type not in SEQUENCES | {"program"}:
        statement = statement.parent
    openings = [n for n in nodes.descendants(statement) if n.type == "heredoc_beginning"]
    if start.type == "heredoc_beginning" and start not in openings:
        return None
    index = next(i for i, n in enumerate(openings) if n == start)
    sibling = statement.next_named_sibling
    bodies: list[Node] = []
    while sibling is not None and sibling.type == "heredoc_body":
        bodies.append(sibling)
        sibling = sibling.next_named_sibling
    bodies.extend(n for n in statement.named_children if n.type == "heredoc_body")
    return bodies[index] if index < len(bodies) else None
