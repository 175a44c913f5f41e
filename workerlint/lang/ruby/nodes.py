"""Small helpers over tree-sitter-ruby nodes: text, constants, calls, arguments, hash keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workerlint.facts import NOT_LITERAL

if TYPE_CHECKING:
    from tree_sitter import Node

STATEMENT_PARENTS = frozenset(
    {
        "program",
        "body_statement",
        "block_body",
        "then",
        "else",
        "begin",
        "parenthesized_statements",
        "do",
        "ensure",
        "rescue",
    }
)


def unwrap(node: Node | None) -> Node | None:
    """The expression inside parentheses (``(x)`` is ``x``; ``(a; b)`` stays itself)."""
    while node is not None and node.type == "parenthesized_statements":
        if len(node.named_children) != 1:
            return node
        node = node.named_children[0]
    return node


def text(node: Node | None) -> str:
    if node is None:
        return ""
    data = node.text  # a new bytes object each time it is read: read once
    return "" if data is None else data.decode("utf-8", errors="replace")


def constant_path(node: Node | None) -> str | None:
    """``Foo`` or ``Foo::Bar`` for a constant or scope resolution, else None."""
    if node is None:
        return None
    if node.type == "constant":
        return text(node)
    if node.type == "scope_resolution":
        name = node.child_by_field_name("name")
        scope = node.child_by_field_name("scope")
        if name is None or name.type != "constant":
            return None
        if scope is None:
            return text(name)
        prefix = constant_path(scope)
        return None if prefix is None else f"{prefix}::{text(name)}"
    return None


def method_name(call: Node) -> str | None:
    """The method name of a call node, or of an identifier used as a bare call."""
    if call.type == "identifier":
        return text(call)
    if call.type != "call":
        return None
    method = call.child_by_field_name("method")
    return text(method) if method is not None else None


def receiver(call: Node) -> Node | None:
    return call.child_by_field_name("receiver") if call.type == "call" else None


def arguments(call: Node) -> list[Node]:
    """The argument nodes (positional, pairs, splats, block argument) of a call."""
    if call.type != "call":
        return []
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]


def argument_list(call: Node) -> Node | None:
    return call.child_by_field_name("arguments") if call.type == "call" else None


def block(call: Node) -> Node | None:
    return call.child_by_field_name("block") if call.type == "call" else None


def block_body(block_node: Node | None) -> Node | None:
    if block_node is None:
        return None
    return block_node.child_by_field_name("body")


def block_params(block_node: Node | None) -> list[str]:
    if block_node is None:
        return []
    params = block_node.child_by_field_name("parameters")
    if params is None:
        return []
    return [text(p) for p in params.named_children if p.type == "identifier"]


def key_name(key: Node) -> str | None:
    """The name of a hash key: ``timeout:``, ``:timeout =>``, ``"timeout" =>``."""
    if key.type == "hash_key_symbol":
        return text(key)
    if key.type == "simple_symbol":
        return text(key)[1:]
    if key.type == "string":
        inner = [c for c in key.named_children if c.type != "string_content"]
        if inner:
            return None
        return text(key)[1:-1]
    return None


def option_pairs(args: list[Node]) -> tuple[dict[str, Node], bool]:
    """Keyword options of a call: trailing pairs or a trailing literal hash.

    Returns ``(pairs by key name, complete)``; ``complete`` is False when the options are not fully
    visible (a ``**splat``, a non-literal last argument after the positional ones, a computed key).
    """
    pairs, complete = _pairs(args)
    if args and args[-1].type == "hash":
        inner, inner_complete = hash_pairs(args[-1])
        pairs.update(inner)
        complete = complete and inner_complete
    return pairs, complete


def hash_pairs(node: Node) -> tuple[dict[str, Node], bool]:
    """The pairs of a literal hash by key name, and whether every key is visible."""
    return _pairs(node.named_children)


def _pairs(items: list[Node]) -> tuple[dict[str, Node], bool]:
    pairs: dict[str, Node] = {}
    complete = True
    for item in items:
        if item.type == "pair":
            key = item.child_by_field_name("key")
            name = key_name(key) if key is not None else None
            if name is None:
                complete = False
            else:
                pairs[name] = item
        elif item.type in ("hash_splat_argument", "splat_argument"):
            complete = False
    return pairs, complete


def pair_value(pair: Node) -> Node | None:
    return pair.child_by_field_name("value")


def descendants(node: Node) -> Iterator[Node]:
    """Every node below ``node``, in source order (for small subtrees only)."""
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


MAX_LITERAL_DEPTH = 32


def literal_value(node: Node | None, depth: int = 0) -> object:
    """The Python value of a simple literal, or ``NOT_LITERAL`` (also past a sane nesting)."""
    if node is None or depth > MAX_LITERAL_DEPTH:
        return NOT_LITERAL
    kind = node.type
    if kind == "integer":
        try:
            return int(text(node).replace("_", ""), 0)
        except ValueError:
            return NOT_LITERAL
    if kind == "float":
        return float(text(node).replace("_", ""))
    if kind == "string":
        if any(c.type != "string_content" for c in node.named_children):
            return NOT_LITERAL
        return "".join(text(c) for c in node.named_children)
    if kind == "simple_symbol":
        return Symbol(text(node)[1:])
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "nil":
        return None
    if kind == "array":
        values = [literal_value(c, depth + 1) for c in node.named_children]
        if any(v is NOT_LITERAL for v in values):
            return NOT_LITERAL
        return tuple(values)
    if kind == "string_array":
        return tuple(text(c) for c in node.named_children)
    if kind == "symbol_array":
        return tuple(Symbol(text(c)) for c in node.named_children)
    return NOT_LITERAL


class Symbol(str):
    """A Ruby symbol's name (a str, so that comparisons with names are easy)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f":{str.__str__(self)}"


def is_statement_identifier(node: Node) -> bool:
    """An identifier standing alone as a statement (a bare call such as ``sleep``)."""
    parent = node.parent
    return node.type == "identifier" and parent is not None and parent.type in STATEMENT_PARENTS


def call_span(call: Node) -> tuple[int, int]:
    """Where a call-shaped finding points (RULES.md, "Where a finding points"): from the method
    name through the end of the arguments (``get(url)`` of ``HTTParty.get(url)``)."""
    name = call.child_by_field_name("method") if call.type == "call" else call
    arg_list = argument_list(call) if call.type == "call" else None
    start = name.start_byte if name is not None else call.start_byte
    end = (arg_list or name or call).end_byte
    return start, end


def enclosing_method(node: Node) -> Node | None:
    """The ``def`` (instance or ``def self.``) a node is in, stopping at class and module bodies."""
    current = node.parent
    while current is not None:
        if current.type in ("method", "singleton_method"):
            return current
        if current.type in ("class", "module", "singleton_class"):
            return None
        current = current.parent
    return None


def is_class_method(method: Node | None) -> bool:
    """``def self.x``, or a method inside ``class << self``."""
    if method is None:
        return False
    if method.type == "singleton_method":
        return True
    current = method.parent
    while current is not None and current.type not in ("class", "module"):
        if current.type == "singleton_class":
            return True
        current = current.parent
    return False
