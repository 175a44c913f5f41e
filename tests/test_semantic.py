"""The semantic model of a Ruby file (lang/ruby/semantic.py): locals, bindings, values, callers."""

from __future__ import annotations

import pytest
from conftest import run_cli

from workerlint.lang.ruby.model import extract
from workerlint.lang.ruby.nodes import descendants, text
from workerlint.lang.ruby.parse import parse
from workerlint.lang.ruby.semantic import SemanticModel


def model_of(source: str) -> tuple[SemanticModel, bytes]:
    data = source.encode()
    tree = parse(data)
    _, classes = extract(tree, "app/workers/x.rb")
    return SemanticModel(tree.root_node, classes), data


def identifiers(model: SemanticModel, name: str) -> list:
    return [n for n in descendants(model.root) if n.type == "identifier" and text(n) == name]


def line(node) -> int:
    return node.start_point[0] + 1


LOCALS = """\
class W
  def perform(id, *rest, key:, &blk)
    xs.each { |sleep| sleep }
    a, fork = 1, 2
    fork
    for item in list
      item
    end
    begin
      work
    rescue => error
      error
    end
    later
    later = 1
    later
    memo ||= build
    memo
    [1].map { |x| inner = x; inner }
    inner
    id
    key
    blk
  end
end
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # (line, is_local) for each use of the name (definitions themselves excluded)
        ("sleep", [(3, True)]),
        ("fork", [(5, True)]),
        ("item", [(7, True)]),
        ("error", [(12, True)]),
        ("later", [(14, False), (16, True)]),
        ("memo", [(18, True)]),
        ("inner", [(19, True), (20, False)]),
        ("id", [(21, True)]),
        ("key", [(22, True)]),
        ("blk", [(23, True)]),
        ("xs", [(3, False)]),
        ("work", [(10, False)]),
    ],
)
def test_locals_follow_ruby(name, expected):
    model, _ = model_of(LOCALS)
    uses = [
        n
        for n in identifiers(model, name)
        if n.parent is not None
        and n.parent.type
        not in (
            "block_parameters",
            "method_parameters",
            "left_assignment_list",
            "exception_variable",
            "keyword_parameter",
            "splat_parameter",
            "block_parameter",
        )
        and not (
            n.parent.type in ("assignment", "operator_assignment", "for")
            and n.parent.child_by_field_name("left" if n.parent.type != "for" else "pattern") == n
        )
    ]
    assert [(line(n), model.is_local(n)) for n in uses] == expected


def test_bindings_say_which_definition_reaches_a_use():
    model, _ = model_of(LOCALS)
    kinds = {
        name: model.binding_of(identifiers(model, name)[-1]).kind
        for name in ("sleep", "fork", "item", "error", "memo", "id", "key", "blk")
    }
    assert kinds == {
        "sleep": "block-parameter",
        "fork": "multiple-assignment",
        "item": "for",
        "error": "rescue",
        "memo": "memo",
        "id": "parameter",
        "key": "parameter",
        "blk": "parameter",
    }


VALUES = """\
class SyncWorker
  CONN = Faraday.new(url: "https://a")

  def perform
    conn = connection
    conn.get("/x")
    other = conn
    other.get("/y")
    @client.get("/z")
    http.get("/w")
  end

  def connection
    @connection ||= Faraday.new(url: "https://b")
  end

  def http
    Net::HTTP.new("c")
  end

  def setup
    @client = nil
    @client = Excon.new("https://d")
  end
end
"""


def _receiver_value(model: SemanticModel, data: bytes, path: str) -> str:
    call = next(n for n in descendants(model.root) if n.type == "call" and f'"{path}"' in text(n))
    receiver = call.child_by_field_name("receiver")
    return text(model.value_of(receiver))


@pytest.mark.parametrize(
    ("path", "built_by"),
    [
        ("/x", 'Faraday.new(url: "https://b")'),  # local <- method <- @ivar ||= memo
        ("/y", 'Faraday.new(url: "https://b")'),  # local <- local <- ...
        ("/z", 'Excon.new("https://d")'),  # @ivar assigned in another method (nil skipped)
        ("/w", 'Net::HTTP.new("c")'),  # a bare call of a method returning it
    ],
)
def test_value_of_follows_locals_memos_and_methods(path, built_by):
    model, data = model_of(VALUES)
    assert _receiver_value(model, data, path) == built_by


CALLERS = """\
class ReportWorker
  def self.enqueue_all
    build
    self.build
    ReportWorker.build
  end

  def self.build; end

  def perform
    build
    self.build
    helper = 1
    helper
    run
  end

  def build; end
  def run; end
end
"""


def test_callers_tell_class_methods_from_instance_methods():
    model, _ = model_of(CALLERS)
    scope = model.classes[0]
    lines = {
        kind: sorted(line(n) for n in model.callers(scope, "build", class_method=kind))
        for kind in (True, False)
    }
    assert lines == {True: [3, 4, 5], False: [11, 12]}
    assert [line(n) for n in model.callers(scope, "run", class_method=False)] == [15]
    assert model.callers(scope, "helper", class_method=False) == []


def test_defects_fixed_block_parameter_and_multiple_assignment_are_locals(project):
    root = project(
        {
            "app/workers/d_worker.rb": """\
class DWorker
  include Sidekiq::Job

  def perform(xs)
    xs.each { |sleep| sleep }
    a, fork = 1, 2
    fork
    sleep
  end
end
"""
        }
    )
    result = run_cli("check", ".", "--output-format", "concise", "-q", cwd=root)
    # Only the real `sleep` (line 8) is a call; the block parameter and the local are not.
    assert [line.split(": ")[0] for line in result.out.splitlines()] == [
        "app/workers/d_worker.rb:8:5"
    ]


def test_callees_are_the_methods_of_the_class_a_method_calls():
    model, _ = model_of(CALLERS)
    scope = model.classes[0]
    perform = scope.methods["perform"][0]
    enqueue_all = scope.methods["enqueue_all"][0]
    assert model.callees(perform) == ["build", "run"]  # `helper` is a local, not a call
    assert model.callees(enqueue_all) == ["build"]  # the class method `build`


def test_definitions_seen_before_a_use():
    model, _ = model_of(
        "class W\n"
        "  def perform(ids, skip)\n"
        "    ids = ids.uniq\n"
        "    ids = Read.where(id: ids).pluck(:id) if skip\n"
        "    ids\n"
        "    fresh = fresh\n"
        "    fresh\n"
        "  end\n"
        "end\n"
    )
    uses = identifiers(model, "ids")
    # On the right side of `ids = ids.uniq`, only the parameter: the assignment reads it first.
    assert [(b.kind, line(b.name)) for b in model.definitions(uses[1])] == [("parameter", 2)]
    assert model.binding_of(uses[1]).kind == "parameter"
    assert [(b.kind, line(b.name)) for b in model.definitions(uses[-1])] == [
        ("parameter", 2),
        ("assignment", 3),
        ("assignment", 4),
    ]
    fresh = identifiers(model, "fresh")
    assert model.definitions(fresh[1]) == []  # `fresh = fresh`: nothing before it...
    assert model.is_local(fresh[1])  # ...but Ruby has made it a local (nil) already
    assert [line(b.name) for b in model.definitions(fresh[2])] == [6]
