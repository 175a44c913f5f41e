"""One tree-sitter parser per process; parse bytes into a tree; compile queries once."""

from __future__ import annotations

import re
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


def error_leaves(node: Node) -> list[Node]:
    """Every innermost ERROR node and every MISSING node below ``node``, in source order."""
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or (current.is_error and not _has_error_child(current)):
            found.append(current)
            continue
        stack.extend(reversed([c for c in current.children if c.has_error or c.is_missing]))
    return found


# Valid Ruby (3.1+) that tree-sitter-ruby 0.23 cannot parse: an endless method whose body is a
# command call without parentheses (`def name = raise "message"`).
_ENDLESS_COMMAND = re.compile(rb"^\s*def\s+[^\s(=]+(\([^)]*\))?\s*=\s*[A-Za-z_][\w:.?!]*\s+[^\s=]")
PARSER_GAP = (
    "tree-sitter-ruby cannot parse an endless method with a command body "
    '(`def name = raise "message"`, valid since Ruby 3.1): no syntax error is reported, and the '
    "construct around it may not be checked"
)


def is_parser_gap(data: bytes, error: Node) -> bool:
    """Whether an error is a known gap of the parser on valid Ruby, not a real syntax error."""
    if error.is_missing:
        return False
    line_start = data.rfind(b"\n", 0, error.start_byte) + 1
    line_end = data.find(b"\n", error.start_byte)
    line = data[line_start : line_end if line_end != -1 else len(data)]
    return _ENDLESS_COMMAND.match(line) is not None


def _has_error_child(node: Node) -> bool:
    return any(child.has_error or child.is_missing for child in node.children)
