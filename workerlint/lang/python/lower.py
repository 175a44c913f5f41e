"""A Python function lowered into the taint engine's IR (workerlint/taint.py).

Statements: assignments (tuple unpacking, augmented, chained, subscript and ``self.x`` targets),
``if``/``elif``/``else``, ``for``/``while`` (the loop variable takes an element of what is
iterated), ``return``/``raise``/``break``/``continue``, ``assert`` (a guard: the path goes on
only where it holds), ``with`` (its ``as`` names take the value entered), ``try`` (handlers,
``else``, ``finally``), ``match``/``case`` (a chain of branches, each case its guard).
Expressions: names, literals, f-strings and adjacent literals (templates), ``%``/``+``
(operators, the spec builds text), subscripts and attributes (calls named ``[]`` and ``.name``,
derived from what they read), calls (with positional, keyword, ``*`` and ``**`` arguments),
comprehensions (a loop whose value is every element it builds), conditional expressions,
``and``/``or`` (short-circuit, with guards), lambdas (closures), ``await`` and walrus.

``self.x`` is one variable named ``self.x`` (the spec shares it across the class's methods).
Calls of the module's own functions (``helper(x)``) and of the class's own methods
(``self.helper(x)``) are ``local``: the engine follows them into the function lowered here,
keyword arguments put in the position of the parameter they name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import COMPREHENSIONS, text
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

LITERALS = frozenset({"integer", "float", "true", "false", "none", "ellipsis", "comment"})
SEQUENCES = frozenset({"list", "tuple", "set", "expression_list", "pattern_list"})
TARGET_LISTS = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list"})
NOT_RUN = frozenset(
    {"function_definition", "class_definition", "decorated_definition", "import_statement",
     "import_from_statement", "future_import_statement", "global_statement",
     "nonlocal_statement", "pass_statement", "type_alias_statement", "comment"}
)  # fmt: skip
# The parameter an instance method or class method is bound to.
BOUND = frozenset({"self", "cls"})
# What a list literal multiplied by a number is called (WL402 asks for it as a call).
REPEAT = "*"


def own_functions(root: Node) -> dict[str, Node]:
    """The module's functions (``f``) and methods (``Cls.m``) by the name a local call uses."""
    found: dict[str, Node] = {}
    for child in root.named_children:
        definition = _definition(child)
        if definition is None:
            continue
        name = text(definition.child_by_field_name("name"))
        if definition.type == "function_definition":
            found[name] = definition
            continue
        body = definition.child_by_field_name("body")
        for member in body.named_children if body is not None else ():
            method = _definition(member)
            if method is not None and method.type == "function_definition":
                found[f"{name}.{text(method.child_by_field_name('name'))}"] = method
    return found


def _definition(node: Node) -> Node | None:
    if node.type == "decorated_definition":
        node = node.child_by_field_name("definition") or node
    return node if node.type in ("function_definition", "class_definition") else None


def is_static(function: Node) -> bool:
    return any(text(d) == "staticmethod" for d in nodes.decorators(function))


class Lowering:
    """The IR of a module's functions, each lowered once (``method``), and of any node (``ir``:
    the spec's sinks evaluate a node of a call again)."""

    def __init__(self, root: Node) -> None:
        self.functions = own_functions(root)
        self._methods: dict[str, Method] = {}
        self._ir: dict[tuple[int, int, str], Expr] = {}

    # -- functions -----------------------------------------------------------------------------
    def method(self, key: str) -> Method | None:
        """The function a local call of ``key`` runs (``f``, ``Cls.m``)."""
        if key not in self._methods:
            node = self.functions.get(key)
            if node is None:
                return None
            self._methods[key] = self.lower_function(node)
        return self._methods[key]

    def lower_function(self, function: Node, drop: int | None = None) -> Method:
        """A function as an IR method; its first ``drop`` parameters (by default the bound
        ``self``/``cls`` of a method) are not parameters the caller passes."""
        params = self.params(function, drop)
        body = function.child_by_field_name("body")
        name = text(function.child_by_field_name("name"))
        return Method(name, params, self.ir(body) if body is not None else None, function)

    def params(self, function: Node, drop: int | None = None) -> tuple[Param, ...]:
        found = nodes.parameters(function)
        if drop is None:
            drop = 1 if found and found[0][0] in BOUND and not is_static(function) else 0
        kinds = {"plain": "positional", "default": "positional", "star": "rest"}
        return tuple(Param(name, kinds.get(kind, "keywords")) for name, _, kind in found[drop:])

    # -- nodes -----------------------------------------------------------------------------------
    def ir(self, node: Node | None) -> Expr:
        if node is None:
            return Lit()
        key = (node.start_byte, node.end_byte, node.type)
        found = self._ir.get(key)
        if found is None:
            found = self._ir[key] = self._lower(node)
        return found

    def _seq(self, children: list[Node], ref: Node) -> Expr:
        body = tuple(self.ir(c) for c in children if c.type not in NOT_RUN)
        if len(body) == 1:
            return body[0]
        return Seq(body, ref)

    def _lower(self, node: Node) -> Expr:
        kind = node.type
        handler = _HANDLERS.get(kind)
        if handler is not None:
            return handler(self, node)
        if kind in LITERALS or kind in NOT_RUN:
            return Lit(node)
        if kind in SEQUENCES:
            return Collection(tuple(self.ir(c) for c in node.named_children), False, node)
        return Opaque(tuple(self.ir(c) for c in node.named_children), node)

    def _block(self, node: Node) -> Expr:
        return self._seq(node.named_children, node)

    def _expression_statement(self, node: Node) -> Expr:
        return self._seq(node.named_children, node)

    def _identifier(self, node: Node) -> Expr:
        return Var(text(node), node)

    def _parenthesized(self, node: Node) -> Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        return self.ir(inner[0]) if len(inner) == 1 else self._seq(inner, node)

    # -- assignments -----------------------------------------------------------------------------
    def _assignment(self, node: Node) -> Expr:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if right is None or left is None:  # `x: int`
            return Lit(node)
        if right.type == "assignment":  # a = b = value: the inner assignment's value
            inner = self.ir(right)
            inner_right = right.child_by_field_name("right")
            return Seq((inner, Assign(self.target(left), self.ir(inner_right), False, node)), node)
        value = self.ir(right)
        targets = _items(left)
        items = _items(right)
        if targets is not None and items is not None and len(targets) == len(items):
            value = Collection(tuple(self.ir(i) for i in items), True, right)
        return Assign(self.target(left), value, False, node)

    def _augmented(self, node: Node) -> Expr:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None:
            return Lit(node)
        operator = text(node.child_by_field_name("operator")).rstrip("=")
        value = Op(operator, (self.ir(left), self.ir(right)), node)
        return Assign(self.target(left), value, False, node)

    def _walrus(self, node: Node) -> Expr:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        return Assign(self.target(name), self.ir(value), False, node)

    def target(self, node: Node | None) -> Target:
        if node is None:
            return Discard()
        node = nodes.unwrap(node)
        kind = node.type
        if kind == "identifier":
            return Name(text(node))
        if kind in TARGET_LISTS:
            return Unpack(tuple(self.target(c) for c in node.named_children))
        if kind == "list_splat_pattern" and node.named_children:
            return self.target(node.named_children[0])
        if kind == "attribute":
            shared = shared_name(node)
            if shared is not None:
                return Name(shared)
            return Discard((self.ir(node.child_by_field_name("object")),))
        if kind == "subscript":
            container = node.child_by_field_name("value")
            index = tuple(self.ir(c) for c in node.children_by_field_name("subscript"))
            name = shared_name(container) if container is not None else None
            if container is not None and container.type == "identifier":
                name = text(container)
            return Store(name, index)
        return Discard()

    # -- control flow ---------------------------------------------------------------------------
    def _if(self, node: Node) -> Expr:
        condition = node.child_by_field_name("condition")
        then = self.ir(node.child_by_field_name("consequence"))
        alternatives = node.children_by_field_name("alternative")
        return Branch(self.ir(condition), then, self._else(alternatives), condition, False, node)

    def _else(self, alternatives: list[Node]) -> Expr | None:
        if not alternatives:
            return None
        first, rest = alternatives[0], alternatives[1:]
        if first.type == "else_clause":
            return self.ir(first.child_by_field_name("body"))
        condition = first.child_by_field_name("condition")
        then = self.ir(first.child_by_field_name("consequence"))
        return Branch(self.ir(condition), then, self._else(rest), condition, False, first)

    def _conditional(self, node: Node) -> Expr:
        parts = [c for c in node.named_children if c.type != "comment"]
        if len(parts) != 3:
            return Opaque(tuple(self.ir(p) for p in parts), node)
        value, condition, other = parts
        return Branch(self.ir(condition), self.ir(value), self.ir(other), condition, False, node)

    def _assert(self, node: Node) -> Expr:
        parts = node.named_children
        if not parts:
            return Lit(node)
        condition = parts[0]
        return Branch(self.ir(condition), None, Exit((), False, node), condition, False, node)

    def _boolean(self, node: Node) -> Expr:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = text(node.child_by_field_name("operator"))
        return Logic(self.ir(left), self.ir(right), operator == "and", left, node)

    def _for(self, node: Node) -> Expr:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        body = self.ir(node.child_by_field_name("body"))
        loop = Loop(None, body, self.ir(right), bound_names(left), node)
        alternative = node.child_by_field_name("alternative")
        if alternative is None:
            return loop
        return Seq((loop, self.ir(alternative.child_by_field_name("body"))), node)

    def _while(self, node: Node) -> Expr:
        condition = node.child_by_field_name("condition")
        return Loop(self.ir(condition), self.ir(node.child_by_field_name("body")), None, (), node)

    def _return(self, node: Node) -> Expr:
        return Exit(tuple(self.ir(c) for c in node.named_children), True, node)

    def _exit(self, node: Node) -> Expr:
        return Exit(tuple(self.ir(c) for c in node.named_children), False, node)

    def _with(self, node: Node) -> Expr:
        steps: list[Expr] = []
        for clause in node.named_children:
            if clause.type != "with_clause":
                continue
            for item in clause.named_children:
                value = item.child_by_field_name("value")
                if value is None:
                    continue
                if value.type == "as_pattern" and value.named_children:
                    entered = value.named_children[0]
                    alias = value.child_by_field_name("alias")
                    names = alias.named_children if alias is not None else []
                    target = self.target(names[0]) if names else Discard()
                    steps.append(Assign(target, self.ir(entered), False, item))
                else:
                    steps.append(self.ir(value))
        steps.append(self.ir(node.child_by_field_name("body")))
        return Seq(tuple(steps), node)

    def _try(self, node: Node) -> Expr:
        body = self.ir(node.child_by_field_name("body"))
        handlers: list[Expr | None] = []
        otherwise: list[Expr] = []
        ensure: list[Seq] = []
        for child in node.named_children:
            block = next((c for c in child.named_children if c.type == "block"), None)
            if child.type in ("except_clause", "except_group_clause"):
                handlers.append(self.ir(block) if block is not None else None)
            elif child.type == "else_clause":
                otherwise.append(self.ir(child.child_by_field_name("body")))
            elif child.type == "finally_clause" and block is not None:
                ensure.append(Seq((self.ir(block),), block))
        return Try((body,), tuple(handlers), tuple(otherwise), tuple(ensure), node)

    def _match(self, node: Node) -> Expr:
        subject = node.child_by_field_name("subject")
        body = node.child_by_field_name("body")
        cases = [c for c in body.named_children if c.type == "case_clause"] if body else []
        chain: Expr | None = None
        for case in reversed(cases):
            consequence = self.ir(case.child_by_field_name("consequence"))
            guard = case.child_by_field_name("guard")
            condition = self.ir(guard) if guard is not None else None
            chain = Branch(condition, consequence, chain, case, False, case)
        return Seq((self.ir(subject), chain if chain is not None else Lit(node)), node)

    # -- expressions -----------------------------------------------------------------------------
    def _string(self, node: Node) -> Expr:
        holes = [c for c in node.named_children if c.type == "interpolation"]
        if not holes:
            return Lit(node)
        parts: list[str | Hole | Template] = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(text(child))
            elif child.type == "interpolation":
                expression = child.child_by_field_name("expression")
                parts.append(Hole(self.ir(expression)))
        return Template(tuple(parts), "", node)

    def _concatenated(self, node: Node) -> Expr:
        parts: list[str | Hole | Template] = []
        for child in node.named_children:
            inner = self.ir(child)
            if isinstance(inner, Template):
                parts.append(Template(inner.parts, "", child))
            else:
                parts.append(nodes.string_value(child) or "")
        return Template(tuple(parts), "", node)

    def _binary(self, node: Node) -> Expr:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = text(node.child_by_field_name("operator"))
        if operator == "*" and left is not None and right is not None:
            for items, count in ((left, right), (right, left)):
                if nodes.unwrap(items).type in ("list", "tuple", "string"):
                    arg = Arg("positional", self.ir(count), None, count)
                    return Call(self.ir(items), REPEAT, (arg,), None, False, False, node)
        return Op(operator, (self.ir(left), self.ir(right)), node)

    def _unary(self, node: Node) -> Expr:
        operand = node.child_by_field_name("argument") or (node.named_children or [None])[-1]
        operator = text(node.child_by_field_name("operator")) or "not"
        return Op(operator, (self.ir(operand),), node)

    def _comparison(self, node: Node) -> Expr:
        return Op("compare", tuple(self.ir(c) for c in node.named_children), node)

    def _attribute(self, node: Node) -> Expr:
        shared = shared_name(node)
        if shared is not None:
            return Var(shared, node)
        obj = node.child_by_field_name("object")
        attribute = text(node.child_by_field_name("attribute"))
        return Call(self.ir(obj), f".{attribute}", (), None, False, False, node)

    def _subscript(self, node: Node) -> Expr:
        value = node.child_by_field_name("value")
        args = tuple(
            Arg("positional", self.ir(c), None, c) for c in node.children_by_field_name("subscript")
        )
        return Call(self.ir(value), "[]", args, None, False, False, node)

    def _slice(self, node: Node) -> Expr:
        return Collection(tuple(self.ir(c) for c in node.named_children), False, node)

    def _dictionary(self, node: Node) -> Expr:
        items: list[Expr] = []
        for pair in node.named_children:
            if pair.type == "pair":
                items.append(self.ir(pair.child_by_field_name("key")))
                items.append(self.ir(pair.child_by_field_name("value")))
            elif pair.type == "dictionary_splat" and pair.named_children:
                items.append(self.ir(pair.named_children[0]))
        return Collection(tuple(items), False, node)

    def _splat(self, node: Node) -> Expr:
        return self.ir(node.named_children[0]) if node.named_children else Lit(node)

    def _await(self, node: Node) -> Expr:
        return self.ir(node.named_children[-1]) if node.named_children else Lit(node)

    def _lambda(self, node: Node) -> Expr:
        names = tuple((name,) for name, _, _ in nodes.parameters(node))
        block = Block(names, self.ir(node.child_by_field_name("body")), node)
        return Closure(block, node)

    def _comprehension(self, node: Node) -> Expr:
        """A comprehension: its element built once per element of what it iterates, under its
        ``if`` clauses; its value is every element built (a variable of its own)."""
        result = f"<comprehension@{node.start_byte}>"
        body = node.child_by_field_name("body")
        inner: Expr = Assign(Name(result), self.ir(body), True, body)
        clauses = [c for c in node.named_children if c.type in ("for_in_clause", "if_clause")]
        for clause in reversed(clauses):
            if clause.type == "if_clause":
                condition = clause.named_children[0] if clause.named_children else None
                inner = Branch(self.ir(condition), inner, None, condition, False, clause)
            else:
                left = clause.child_by_field_name("left")
                right = clause.child_by_field_name("right")
                inner = Loop(None, inner, self.ir(right), bound_names(left), clause)
        return Seq((inner, Var(result, node)), node)

    def _call(self, node: Node) -> Expr:
        function = nodes.callee(node)
        key = self.local_key(node)
        args = self.arguments(node, self.functions.get(key) if key else None)
        if key is not None:
            return Call(None, key, args, None, True, False, node)
        if function is not None and function.type == "attribute":
            obj = function.child_by_field_name("object")
            name = text(function.child_by_field_name("attribute"))
            return Call(self.ir(obj), name, args, None, False, False, node)
        if function is not None and function.type == "identifier":
            return Call(None, text(function), args, None, False, False, node)
        return Call(self.ir(function), "()", args, None, False, False, node)

    def local_key(self, call: Node) -> str | None:
        """The module function or class method a call runs (``f``, ``Cls.m``), if it is one."""
        function = nodes.callee(call)
        if function is None:
            return None
        if function.type == "identifier":
            name = text(function)
            return name if name in self.functions else None
        if function.type != "attribute":
            return None
        obj = text(function.child_by_field_name("object"))
        if obj not in BOUND:
            return None
        cls = nodes.enclosing(call, ("class_definition",))
        if cls is None:
            return None
        owner = text(cls.child_by_field_name("name"))
        key = f"{owner}.{text(function.child_by_field_name('attribute'))}"
        return key if key in self.functions else None

    def arguments(self, call: Node, callee: Node | None = None) -> tuple[Arg, ...]:
        """A call's arguments; for a function of the module, keywords naming a positional
        parameter are put in its position (the engine matches positions)."""
        holder = call.child_by_field_name("arguments")
        if holder is None:
            return ()
        children = [holder] if holder.type != "argument_list" else holder.named_children
        found: list[Arg] = []
        named: dict[str, Arg] = {}
        for arg in children:
            kind = arg.type
            if kind == "comment":
                continue
            if kind == "keyword_argument":
                name = text(arg.child_by_field_name("name"))
                value = arg.child_by_field_name("value")
                named[name] = Arg("keyword", self.ir(value), name, arg)
            elif kind == "list_splat":
                found.append(Arg("splat", self._splat(arg), None, arg))
            elif kind == "dictionary_splat":
                found.append(Arg("keywords", self._splat(arg), None, arg))
            else:
                found.append(Arg("positional", self.ir(arg), None, arg))
        if callee is not None and named:
            return self._by_position(found, named, callee)
        return (*found, *named.values())

    def _by_position(
        self, found: list[Arg], named: dict[str, Arg], callee: Node
    ) -> tuple[Arg, ...]:
        positional = [a for a in found if a.kind == "positional"]
        rest = [a for a in found if a.kind != "positional"]
        for index, param in enumerate(self.params(callee)):
            if param.kind != "positional" or param.name not in named:
                continue
            while len(positional) < index:
                positional.append(Arg("positional", Lit(), None, None))
            arg = named.pop(param.name)
            value = Arg("positional", arg.value, None, arg.ref)
            if len(positional) == index:
                positional.append(value)
        return (*positional, *rest, *named.values())


def shared_name(node: Node | None) -> str | None:
    """``self.x`` (an attribute of the object, kept across its methods) as one variable name."""
    if node is None or node.type != "attribute":
        return None
    obj = node.child_by_field_name("object")
    if obj is None or obj.type != "identifier" or text(obj) != "self":
        return None
    return f"self.{text(node.child_by_field_name('attribute'))}"


def bound_names(node: Node | None) -> tuple[str, ...]:
    """The names a ``for`` target binds (``k, v`` in ``for k, v in ...``)."""
    if node is None:
        return ()
    if node.type == "identifier":
        return (text(node),)
    shared = shared_name(node)
    if shared is not None:
        return (shared,)
    found: list[str] = []
    for child in node.named_children:
        found.extend(bound_names(child))
    return tuple(found)


def _items(node: Node) -> list[Node] | None:
    node = nodes.unwrap(node)
    if node.type in TARGET_LISTS | {"expression_list"}:
        return [c for c in node.named_children if c.type != "comment"]
    return None


_HANDLERS = {
    "module": Lowering._block,
    "block": Lowering._block,
    "expression_statement": Lowering._expression_statement,
    "identifier": Lowering._identifier,
    "parenthesized_expression": Lowering._parenthesized,
    "assignment": Lowering._assignment,
    "augmented_assignment": Lowering._augmented,
    "named_expression": Lowering._walrus,
    "if_statement": Lowering._if,
    "conditional_expression": Lowering._conditional,
    "assert_statement": Lowering._assert,
    "boolean_operator": Lowering._boolean,
    "for_statement": Lowering._for,
    "while_statement": Lowering._while,
    "return_statement": Lowering._return,
    "raise_statement": Lowering._exit,
    "break_statement": Lowering._exit,
    "continue_statement": Lowering._exit,
    "with_statement": Lowering._with,
    "try_statement": Lowering._try,
    "match_statement": Lowering._match,
    "string": Lowering._string,
    "concatenated_string": Lowering._concatenated,
    "binary_operator": Lowering._binary,
    "unary_operator": Lowering._unary,
    "not_operator": Lowering._unary,
    "comparison_operator": Lowering._comparison,
    "attribute": Lowering._attribute,
    "subscript": Lowering._subscript,
    "slice": Lowering._slice,
    "dictionary": Lowering._dictionary,
    "list_splat": Lowering._splat,
    "dictionary_splat": Lowering._splat,
    "await": Lowering._await,
    "lambda": Lowering._lambda,
    "call": Lowering._call,
    **{kind: Lowering._comprehension for kind in COMPREHENSIONS},
}
