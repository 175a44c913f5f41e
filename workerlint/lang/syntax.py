"""What a syntax check of any language finds, over tree-sitter trees: the real errors (and, for
a grammar with known gaps, the valid code it rejects). Each language's ``syntax.py`` fills these
in; the engine turns them into WL001 findings without knowing the language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record

if TYPE_CHECKING:
    from tree_sitter import Node, Tree


@record(frozen=True)
class GapNote:
    """Valid code the grammar rejects: the construct, at its deepest ERROR node."""

    construct: str
    start: int
    end: int


@record(frozen=True)
class SyntaxFault:
    """A real syntax error: the deepest ERROR node, or the token tree-sitter found missing."""

    start: int
    end: int
    missing: str | None  # the missing token (a MISSING node), or None for an ERROR node


@record(frozen=True)
class Template:
    """A file that does not parse because it is a template (Jinja ``{% for %}``, ``{{ x }}``)
    named as source: the first template tag; or because its ``#!`` line runs another language's
    interpreter (a Ruby binstub named ``.py``): that line, and the interpreter's name."""

    start: int
    end: int
    tag: str
    interpreter: str | None = None


@record(frozen=True)
class Syntax:
    # The tree to check (for Ruby, the rewritten file's when it only had gaps); None once the
    # unit was slimmed (``slim_syntax``).
    tree: Tree | None
    gaps: tuple[GapNote, ...]
    error: SyntaxFault | None  # the first real error
    template: Template | None = None  # with ``error``: the file is a template, not code


def slim_syntax(data: bytes, syntax: Syntax) -> tuple[Syntax, frozenset[int]]:
    """``syntax`` without its tree, and the offsets of the ``# workerlint:`` directives of
    ``data`` that the tree says are comments: all that the lint of a file the relevance gate
    keeps from the walk reads of its tree (app/linter.py)."""
    from dataclasses import replace

    from workerlint.core.suppress import directive_starts

    comments: frozenset[int] = frozenset()
    if syntax.tree is not None:
        root = syntax.tree.root_node
        comments = frozenset(
            start
            for start in directive_starts(data)
            if (node := root.descendant_for_byte_range(start, start + 1)) is not None
            and node.type == "comment"
        )
    return replace(syntax, tree=None), comments


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


def fault(node: Node) -> SyntaxFault:
    return SyntaxFault(node.start_byte, node.end_byte, node.type if node.is_missing else None)


def _has_error_child(node: Node) -> bool:
    return any(child.has_error or child.is_missing for child in node.children)
