"""Tell a Ruby file's real syntax errors from the known gaps of the grammar (valid Ruby it rejects).

Every innermost ERROR node is offered to the gaps of ``lang.ruby.gaps``; the constructs they
recognise are rewritten (same meaning, same length) and the rewritten file is parsed again. Errors
left in that tree are real; a construct with none left on its rows is a confirmed gap. A file
whose only errors are gaps is checked on the rewritten file's tree, whose offsets are the file's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby.gaps import GAPS, Gap, Match, Rewrite
from workerlint.lang.ruby.parse import parse
from workerlint.lang.syntax import GapNote, Syntax, error_leaves, fault

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

MAX_ROUNDS = 8


def check(data: bytes, tree: Tree | None = None) -> Syntax:
    """Parse ``data`` (unless ``tree`` is its tree already) and sort its errors."""
    if tree is None:
        tree = parse(data)
    if not tree.root_node.has_error:
        return Syntax(tree, (), None)
    leaves = error_leaves(tree.root_node)
    found: list[tuple[Gap, Match, Node]] = []
    current, rewritten = data, tree
    # Several gaps in one file can make tree-sitter's recovery swallow a whole class, hiding some
    # of them: rewrite what is recognised and look again, until nothing new is recognised.
    for _ in range(MAX_ROUNDS):
        new = _recognised(current, error_leaves(rewritten.root_node), found)
        if not new:
            break
        found.extend(new)
        current = _apply(current, [r for _, match, _ in new for r in match.rewrites])
        rewritten = parse(current)
        if not rewritten.root_node.has_error:
            break
    if not found:
        return Syntax(tree, (), fault(leaves[0]))
    remaining = error_leaves(rewritten.root_node) if rewritten.root_node.has_error else []
    rows = {leaf.start_point.row for leaf in remaining}
    notes = tuple(
        GapNote(gap.construct, *(match.anchor or (node.start_byte, node.end_byte)))
        for gap, match, node in sorted(found, key=lambda f: f[2].start_byte)
        if not any(match.first_row <= row <= match.last_row for row in rows)
    )
    if remaining:
        return Syntax(tree, notes, fault(remaining[0]))
    return Syntax(rewritten, notes, None)


def has_real_error(data: bytes) -> bool:
    return check(data).error is not None


def _recognised(
    data: bytes, leaves: list[Node], known: list[tuple[Gap, Match, Node]]
) -> list[tuple[Gap, Match, Node]]:
    """Each new construct once, at its first error node; rewrites that would overlap are dropped."""
    found: list[tuple[Gap, Match, Node]] = []
    taken = [span for _, match, _ in known for span in _spans(match)]
    for leaf in leaves:
        for gap in GAPS:
            match = gap.recognise(data, leaf)
            if match is None:
                continue
            spans = _spans(match)
            if not any(s < e2 and s2 < e for s, e in spans for s2, e2 in taken):
                found.append((gap, match, leaf))
                taken.extend(spans)
            break
    return found


def _spans(match: Match) -> list[tuple[int, int]]:
    return [(r.start, r.start + len(r.replacement)) for r in match.rewrites]


def _apply(data: bytes, rewrites: list[Rewrite]) -> bytes:
    out = bytearray(data)
    for rewrite in rewrites:
        out[rewrite.start : rewrite.start + len(rewrite.replacement)] = rewrite.replacement
    return bytes(out)
