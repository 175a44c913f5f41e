"""One tree-sitter parser per process; parse bytes into a tree; compile queries once."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from workerlint.lang.captures import in_order

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
    """Run a small query on a node's subtree only: each capture's nodes in the order of the
    tree (lang/captures.py: tree-sitter's own order is that of their addresses)."""
    from tree_sitter import QueryCursor

    return in_order(QueryCursor(query(source)).captures(node))
