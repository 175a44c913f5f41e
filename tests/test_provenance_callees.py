"""The provenance analysis's call graph within a class (lang/ruby/provenance/analysis.py
``_callees``): one search of the class's text per method name gives, for each method, what a
query over that method alone gives (``_local_calls``)."""

from __future__ import annotations

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.model import extract
from workerlint.lang.ruby.parse import parse
from workerlint.lang.ruby.provenance.analysis import _callees, _local_calls

SOURCE = b"""\
class Checkout
  def perform(id, notify)
    prepare(id)
    self.finish
    other.finish
    notify
    helper = 1
    helper
    [prepare, items.map { |finish| finish }]
  end

  def prepare(value = finish)
    def inner
      helper
    end
    "#{finish}"
  end

  def finish; end

  def helper
    finish()
    Other.prepare
  end

  def self.build
    new.perform(1, 2)
    prepare
  end
end

def outside
  finish
  helper
end
"""


def _methods(node):
    return [n for n in nodes.descendants(node) if n.type in ("method", "singleton_method")]


def test_one_search_per_name_finds_what_a_query_per_method_finds():
    tree = parse(SOURCE)
    _, scopes = extract(tree, "app/services/checkout.rb")
    scope = scopes[0]
    names = frozenset(
        n for m in _methods(tree.root_node) for n in [nodes.text(m.child_by_field_name("name"))]
    )
    every = _methods(tree.root_node)  # `outside` is not in the class: searched on its own
    found = _callees(scope.node, every, names)
    assert found == {m.id: _local_calls(m, names) for m in every}
    by_name = {nodes.text(m.child_by_field_name("name")): found[m.id] for m in every}
    assert by_name["perform"] == ["finish", "helper", "prepare"]
    assert by_name["prepare"] == ["finish", "helper"]  # the nested def's call counts for both
    assert by_name["inner"] == ["helper"]
    assert by_name["helper"] == ["finish"]
    assert by_name["outside"] == ["finish", "helper"]
