"""Small questions about tree-sitter-python nodes: text, calls and their arguments, literals.

Literal values come back as Python values (``str``, ``int``, ``float``, ``bool``, ``None``, tuples
for lists and tuples, ``dict`` for dictionaries with literal keys) or ``NOT_LITERAL``; nothing is
ever evaluated beyond that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workerlint.facts import NOT_LITERAL

if TYPE_CHECKING:
    from tree_sitter import Node


FUNCTIONS = frozenset({"function_definition", "lambda"})
CLASSES = frozenset({"class_definition"})
COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
SCOPES = FUNCTIONS | CLASSES | COMPREHENSIONS | {"module"}
LOOPS = frozenset({"for_statement", "while_statement"}) | COMPREHENSIONS
MAX_DEPTH = 32  # how deep literal values are read


def text(node: Node | None) -> str:
    if node is None:
        return ""
    data = node.text  # a new bytes object each time it is read: read once
    return "" if data is None else data.decode("utf-8", "replace")


def unwrap(node: Node) -> Node:
    """The expression inside parentheses (``(x)`` is ``x``)."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        if inner.type == "comment":
            break
        node = inner
    return node


def callee(call: Node) -> Node | None:
    """What a call calls: ``requests.get`` in ``requests.get(url)``."""
    return call.child_by_field_name("function")


def call_name(call: Node) -> str | None:
    """The name a call is made by: ``get`` in ``requests.get(url)`` and in ``get(url)``."""
    function = callee(call)
    if function is None:
        return None
    if function.type == "identifier":
        return text(function)
    if function.type == "attribute":
        attribute = function.child_by_field_name("attribute")
        return text(attribute) if attribute is not None else None
    return None


def receiver(call: Node) -> Node | None:
    """The object a method is called on: ``session`` in ``session.get(url)``."""
    function = callee(call)
    if function is not None and function.type == "attribute":
        return function.child_by_field_name("object")
    return None


def arguments(call: Node) -> list[Node]:
    """A call's positional arguments (splats included, keywords not)."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return [args] if args is not None else []  # f(x for x in xs)
    return [
        a
        for a in args.named_children
        if a.type not in ("keyword_argument", "dictionary_splat", "comment")
    ]


def keywords(call: Node) -> dict[str, Node]:
    """A call's keyword arguments by name (their value nodes)."""
    args = call.child_by_field_name("arguments")
    found: dict[str, Node] = {}
    if args is None or args.type != "argument_list":
        return found
    for arg in args.named_children:
        if arg.type == "keyword_argument":
            name = arg.child_by_field_name("name")
            value = arg.child_by_field_name("value")
            if name is not None and value is not None:
                found[text(name)] = value
    return found


def keyword_argument(call: Node, name: str) -> Node | None:
    """The ``keyword_argument`` node ``name=...`` of a call (for spans and fixes)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    for arg in args.named_children:
        if arg.type == "keyword_argument" and text(arg.child_by_field_name("name")) == name:
            return arg
    return None


def has_splat(call: Node, double: bool = False) -> bool:
    """Whether a call passes ``*args`` (or, with ``double``, ``**kwargs``)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    kind = "dictionary_splat" if double else "list_splat"
    return any(a.type == kind for a in args.named_children)


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (no interpolation), else None."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type == "concatenated_string":
        parts = [string_value(c) for c in node.named_children]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if node.type != "string":
        return None
    pieces: list[str] = []
    for child in node.named_children:
        if child.type == "interpolation":
            return None
        if child.type == "string_content":
            pieces.append(text(child))
        elif child.type == "escape_sequence":
            pieces.append(_escape(text(child)))
    start = node.child(0)
    if start is not None and "b" in text(start).lower():
        return None  # bytes
    return "".join(pieces)


def _escape(seq: str) -> str:
    simple = {"\\n": "\n", "\\t": "\t", "\\\\": "\\", "\\'": "'", '\\"': '"', "\\r": "\r"}
    return simple.get(seq, seq)


def literal(node: Node | None, depth: int = 0) -> Any:
    """The literal value of an expression, or NOT_LITERAL."""
    if node is None or depth > MAX_DEPTH:
        return NOT_LITERAL
    node = unwrap(node)
    kind = node.type
    if kind in ("string", "concatenated_string"):
        value = string_value(node)
        return NOT_LITERAL if value is None else value
    if kind == "integer":
        try:
            return int(text(node).replace("_", "").rstrip("lL"), 0)
        except ValueError:
            return NOT_LITERAL
    if kind == "float":
        try:
            return float(text(node).replace("_", ""))
        except ValueError:
            return NOT_LITERAL
    if kind == "true":
        return True
    if kind == "false":
        return False
    if kind == "none":
        return None
    if kind == "unary_operator" and node.child_count == 2:
        value = literal(node.named_children[0], depth + 1) if node.named_children else NOT_LITERAL
        op = text(node.child(0))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if op == "-" else value if op == "+" else NOT_LITERAL
        return NOT_LITERAL
    if kind in ("list", "tuple"):
        items = [literal(c, depth + 1) for c in node.named_children if c.type != "comment"]
        return NOT_LITERAL if any(i is NOT_LITERAL for i in items) else tuple(items)
    if kind == "dictionary":
        found: dict[Any, Any] = {}
        for pair in node.named_children:
            if pair.type == "comment":
                continue
            if pair.type != "pair":
                return NOT_LITERAL
            key = literal(pair.child_by_field_name("key"), depth + 1)
            value = literal(pair.child_by_field_name("value"), depth + 1)
            if key is NOT_LITERAL or value is NOT_LITERAL or isinstance(key, dict):
                return NOT_LITERAL
            found[key] = value
        return found
    return NOT_LITERAL


def dotted(node: Node | None) -> str | None:
    """``a.b.c`` for an identifier or a chain of attributes on one, else None."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type == "identifier":
        return text(node)
    if node.type == "attribute":
        obj = dotted(node.child_by_field_name("object"))
        attribute = node.child_by_field_name("attribute")
        if obj is None or attribute is None:
            return None
        return f"{obj}.{text(attribute)}"
    if node.type == "dotted_name":
        return text(node)
    return None


def enclosing(node: Node, kinds: frozenset[str] | tuple[str, ...]) -> Node | None:
    """The nearest ancestor of one of ``kinds`` (not ``node`` itself)."""
    current = node.parent
    while current is not None:
        if current.type in kinds:
            return current
        current = current.parent
    return None


def statement_of(node: Node) -> Node:
    """The statement ``node`` stands in (an ``expression_statement`` or a compound statement's
    own node), for fixes that insert lines."""
    current = node
    while current.parent is not None and current.parent.type not in ("block", "module"):
        current = current.parent
    return current


def decorators(definition: Node) -> list[Node]:
    """The decorator expressions of a function or class definition (outermost first)."""
    parent = definition.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    found = []
    for child in parent.named_children:
        if child.type == "decorator" and child.named_children:
            found.append(child.named_children[0])
    return found


def definition_node(definition: Node) -> Node:
    """The node a definition's decorators belong to: the ``decorated_definition`` when it has
    decorators, else the definition itself (its extent for line ranges and suppressions)."""
    parent = definition.parent
    return parent if parent is not None and parent.type == "decorated_definition" else definition


def is_async(function: Node) -> bool:
    return any(c.type == "async" for c in function.children)


def parameters(function: Node) -> list[tuple[str, Node, str]]:
    """A function's (or lambda's) parameters: (name, name node, kind), kind being ``plain``,
    ``default``, ``star`` (``*args``) or ``double`` (``**kwargs``)."""
    params = function.child_by_field_name("parameters")
    found: list[tuple[str, Node, str]] = []
    if params is None:
        return found
    for param in params.named_children:
        kind = param.type
        if kind == "identifier":
            found.append((text(param), param, "plain"))
        elif kind == "typed_parameter":
            name = next((c for c in param.named_children if c.type == "identifier"), None)
            splat = next(
                (
                    c
                    for c in param.named_children
                    if c.type in ("list_splat_pattern", "dictionary_splat_pattern")
                ),
                None,
            )
            if splat is not None:
                inner = next((c for c in splat.named_children if c.type == "identifier"), None)
                if inner is not None:
                    star = "star" if splat.type == "list_splat_pattern" else "double"
                    found.append((text(inner), inner, star))
            elif name is not None:
                found.append((text(name), name, "plain"))
        elif kind in ("default_parameter", "typed_default_parameter"):
            name = param.child_by_field_name("name")
            if name is not None:
                found.append((text(name), name, "default"))
        elif kind in ("list_splat_pattern", "dictionary_splat_pattern"):
            inner = next((c for c in param.named_children if c.type == "identifier"), None)
            if inner is not None:
                star = "star" if kind == "list_splat_pattern" else "double"
                found.append((text(inner), inner, star))
    return found


def line_of(node: Node) -> int:
    return node.start_point.row + 1


def call_span(call: Node) -> tuple[int, int]:
    """Where a call-shaped finding points (RULES.md, "Where a finding points"): from the name
    the call is made by through the end of the arguments (``get(url)`` of
    ``requests.get(url)``)."""
    function = callee(call)
    start = call.start_byte
    if function is not None and function.type == "attribute":
        attribute = function.child_by_field_name("attribute")
        if attribute is not None:
            start = attribute.start_byte
    return start, call.end_byte


def describe(node: Node | None, limit: int = 40) -> str:
    """The source of a node on one line, shortened at a token boundary past ``limit`` (never
    inside a name: lang/shown.py)."""
    from workerlint.lang.shown import shorten

    return shorten(text(node), limit)
