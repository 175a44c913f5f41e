"""``scopes.all_definitions`` (the local definitions under a def, class or file, with the blocks
around each): found by one query, the same bindings in the same order as a walk of every node
that stops at the defs, classes and modules below its root."""

from __future__ import annotations

from collections.abc import Iterator

from workerlint.lang.ruby import scopes
from workerlint.lang.ruby.nodes import descendants
from workerlint.lang.ruby.parse import parse

SOURCE = b"""\
total = 0
class Report
  LIMIT = 5
  rows = []
  def run(ids)
    a, (b, *c) = ids
    for x, y in pairs
      seen ||= {}
      count += 1
    end
    ids.each do |id|
      found = lookup(id)
      -> { inner = found }
      [1].map { |n| doubled = n * 2 }
    end
  rescue StandardError => error
    @failed = error
  end

  class << self
    def build
      fresh = new
    end
  end
end
broken = def (
  lost = 1
"""


def _walked(root) -> Iterator[tuple[scopes.Binding, tuple]]:
    """What all_definitions gave before it used a query: a walk of every named node."""
    stack = [(root, ())]
    while stack:
        node, blocks = stack.pop()
        if node != root and node.type in scopes.HARD_SCOPES:
            continue
        if node != root and node.type in scopes.BLOCKS:
            blocks = (*blocks, node)
        yield from ((binding, blocks) for binding in scopes._defined_at(node))
        stack.extend((child, blocks) for child in reversed(node.named_children))


def _shown(found) -> list[tuple[str, str, int, tuple[int, ...]]]:
    return [
        (b.kind, b.name.text.decode(), b.name.start_byte, tuple(n.start_byte for n in blocks))
        for b, blocks in found
    ]


def test_the_query_finds_what_a_walk_finds_under_every_scope():
    root = parse(SOURCE).root_node
    assert root.has_error
    roots = [root] + [
        n
        for n in descendants(root)
        if n.type in scopes.HARD_SCOPES or n.type in scopes.BLOCKS or n.is_error
    ]
    for each in roots:
        assert _shown(scopes.all_definitions(each)) == _shown(_walked(each))
    method = next(n for n in descendants(root) if n.type == "method")
    names = [name for _, name, _, _ in _shown(scopes.all_definitions(method))]
    assert names == ["a", "b", "c", "x", "y", "seen", "count", "found", "inner", "doubled", "error"]
    inner = next(b for b in _shown(scopes.all_definitions(method)) if b[1] == "inner")
    assert len(inner[3]) == 3  # the do block, the lambda and its braces (a block)
    assert [name for _, name, _, _ in _shown(scopes.all_definitions(root))][:1] == ["total"]
