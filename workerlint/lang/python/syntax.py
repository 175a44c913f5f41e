"""A Python file's first real syntax error (tree-sitter-python accepts every real Python file
of the measured corpus, PEP 695 and PEP 701 included: PYTHON.md §5, so it has no known gaps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python.parse import parse
from workerlint.lang.syntax import Syntax, error_leaves, fault

if TYPE_CHECKING:
    from tree_sitter import Tree


def check(data: bytes, tree: Tree | None = None) -> Syntax:
    """Parse ``data`` (unless ``tree`` is its tree already) and find its first error."""
    if tree is None:
        tree = parse(data)
    if not tree.root_node.has_error:
        return Syntax(tree, (), None)
    leaves = error_leaves(tree.root_node)
    return Syntax(tree, (), fault(leaves[0]) if leaves else None)
