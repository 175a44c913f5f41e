"""Calls and identifiers found from where their names occur in the text (lang/ruby/nodes.py:
``identifiers_named``, ``calls_named``): the same nodes, in the same order, as a walk of every
node finds."""

from __future__ import annotations

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.parse import parse

SOURCE = b"""\

  # find_each in a comment, and a leading blank line: the root starts past byte 0
class Sweeper
  def run(find_each)
    Order.where(a: "find_each").find_each(&:sweep!)
    Order.find_in_batches { |b| b.in_batches.find_each { find_each } }
    x.find_each_later
    find_each = 1
    find_each += 2
    self.find_each(:find_each)
    find_each(Order.find_each(1).find_each)
    in_batches
    "#{in_batches}"
  end
end
"""
NAMES = ("find_each", "in_batches", "find_in_batches")


def _walked_calls(node, names):
    return [
        n
        for n in nodes.descendants(node)
        if n.type == "call"
        and (m := n.child_by_field_name("method")) is not None
        and m.type == "identifier"
        and nodes.text(m) in names
    ]


def _walked_identifiers(node, name):
    return [n for n in nodes.descendants(node) if n.type == "identifier" and nodes.text(n) == name]


def test_calls_named_are_the_calls_a_walk_finds_in_its_order():
    root = parse(SOURCE).root_node
    assert root.start_byte > 0
    walked = _walked_calls(root, NAMES)
    assert len(walked) == 8
    assert nodes.calls_named(root, NAMES) == walked
    method = next(n for n in nodes.descendants(root) if n.type == "method")
    assert nodes.calls_named(method, ["find_each"]) == _walked_calls(method, ["find_each"])


def test_identifiers_named_are_the_identifiers_a_walk_finds():
    root = parse(SOURCE).root_node
    for name in (*NAMES, "b", "x", "Order"):
        assert list(nodes.identifiers_named(root, name)) == _walked_identifiers(root, name)
    assert len(list(nodes.identifiers_named(root, "find_each"))) == 10
