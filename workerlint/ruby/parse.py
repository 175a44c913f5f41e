"""One tree-sitter parser per process; parse bytes into a tree; compile queries once."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Query, Tree


@cache
def language() -> Language:
    import tree_sitter_ruby
    from tree_sitter import Language

    return Language(tree_sitter_ruby.language())


@cache
def _parser() -> Parser:
    from tree_sitter import Parser

    return Parser(language())


def parse(data: bytes) -> Tree:
    return _parser().parse(data)


@cache
def query(source: str) -> Query:
    """Compile a query once per process (queries cannot be pickled)."""
    from tree_sitter import Query

    return Query(language(), source)


def captures(source: str, node: Node) -> dict[str, list[Node]]:
    """Run a small query on a node's subtree only."""
    from tree_sitter import QueryCursor

    return QueryCursor(query(source)).captures(node)


def first_error(node: Node) -> Node | None:
    """The deepest ERROR or MISSING node of the first error in the tree, if any."""
    if not node.has_error:
        return None
    current = node
    while True:
        if current.is_missing or (current.is_error and not _has_error_child(current)):
            return current
        nxt = next(
            (child for child in current.children if child.has_error or child.is_missing), None
        )
        if nxt is None:
            return current
        current = nxt


def _has_error_child(node: Node) -> bool:
    return any(child.has_error or child.is_missing for child in node.children)
