"""The job-argument data flow on small snippets, without the rules: the taint engine
(workerlint/taint.py) with Ruby's spec (workerlint/lang/ruby/job_arguments/)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from workerlint.core.settings import Settings
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.job_arguments import engine as job_arguments
from workerlint.lang.ruby.job_arguments.sanitizers import refinements
from workerlint.lang.ruby.model import extract
from workerlint.lang.ruby.parse import parse
from workerlint.lang.ruby.semantic import SemanticModel
from workerlint.taint import Engine, Limits

BUDGET = Limits().budget
MAX_DEPTH = Limits().depth


def flow(body: str, helpers: str = "") -> list[tuple[str, int, str, str]]:
    """(rule, line in ``body`` (1-based), sink label, origin path) for a perform body."""
    return analysed(body, helpers)[0]


def analysed(body: str, helpers: str = "") -> tuple[list[tuple[str, int, str, str]], list[Engine]]:
    """``flow``'s findings, and the analysis of each class (for the work it did)."""
    header = "class ExampleWorker\n  include Sidekiq::Job\n\n"
    source = f"{header}{body}{helpers}end\n"
    data = source.encode()
    tree = parse(data)
    facts, scopes = extract(tree, "app/workers/example_worker.rb")
    index = RubyIndex(files={facts.path: facts})
    found = []
    analyses = []
    for scope in scopes:
        ctx = SimpleNamespace(
            method=None,
            class_scope=scope,
            index=index,
            settings=Settings(),
            tree=tree,
            memo={},
            semantic=SemanticModel(tree.root_node, scopes),
        )
        analysis = job_arguments(scope, ctx)  # type: ignore[arg-type]
        analyses.append(analysis)
        for f in analysis.run():
            line = data[: f.start].count(b"\n") + 1 - header.count("\n")
            found.append((f.use, line, f.label, f.origin.describe()))
    return found, analyses


def evaluated(analysis: Engine) -> int:
    """How many nodes the analysis evaluated (what its budget counts)."""
    return BUDGET - analysis.budget


def rules_at(found: list[tuple[str, int, str, str]]) -> list[tuple[str, int]]:
    return [(rule, line) for rule, line, _, _ in found]


def test_direct_use_and_derivation():
    found = flow(
        """\
  def perform(kind, opts)
    kind.constantize
    name = "#{opts["type"].camelize}Handler"
    name.safe_constantize
    Object.const_get(opts.fetch(:klass).to_s)
  end
"""
    )
    assert rules_at(found) == [("injection", 2), ("injection", 4), ("injection", 5)]
    assert found[0][3] == "`perform(kind)`"


def test_passing_as_argument_does_not_derive():
    found = flow(
        """\
  def perform(id)
    user = User.find(id)
    user.send(:touch)
    user.name.constantize
    User.where(id: id).first.role.constantize
  end
"""
    )
    assert found == []


def test_numeric_conversion_ends_wl401_not_wl402():
    found = flow(
        """\
  def perform(count)
    n = count.to_i
    send(n)
    n.times { }
    Integer(count).times { }
  end
"""
    )
    assert rules_at(found) == [("size", 4), ("size", 5)]


def test_branch_join_is_tainted_on_any_path():
    found = flow(
        """\
  def perform(kind, flag)
    handler = "Default"
    if flag
      handler = kind
    end
    handler.constantize
  end
"""
    )
    assert rules_at(found) == [("injection", 6)]


def test_guard_must_dominate_the_sink():
    found = flow(
        """\
  ALLOWED = %w[a b].freeze

  def perform(kind, other, third)
    kind.constantize
    raise ArgumentError unless ALLOWED.include?(kind)
    kind.constantize
    if ALLOWED.include?(other)
      other.constantize
    else
      other.safe_constantize
    end
    return unless third.in?(ALLOWED)

    third.constantize
  end
"""
    )
    assert rules_at(found) == [("injection", 4), ("injection", 10)]


def test_case_when_validates_only_its_literal_branches():
    found = flow(
        """\
  def perform(action)
    case action
    when "approve", :reject
      public_send(action)
    when String
      public_send(action)
    else
      public_send(action)
    end
  end
"""
    )
    assert rules_at(found) == [("injection", 6), ("injection", 8)]


def test_early_exit_in_a_block_protects_the_rest_of_it():
    found = flow(
        """\
  def perform(names)
    names.each do |name|
      next unless %w[a b].include?(name)
      name.constantize
    end
    names.each { |name| name.constantize }
  end
"""
    )
    assert rules_at(found) == [("injection", 6)]


def test_loop_carries_taint_to_the_next_iteration():
    found = flow(
        """\
  def perform(kind, items)
    previous = "Base"
    items.each do |item|
      previous.constantize
      previous = kind
    end
  end
"""
    )
    assert rules_at(found) == [("injection", 4)]


def test_propagates_through_methods_of_the_class():
    found = flow(
        """\
  def perform(kind, id)
    dispatch(id, type: kind)
  end
""",
        """\

  private

  def dispatch(id, type:)
    build(type).run(id)
  end

  def build(name)
    name.constantize
  end
""",
    )
    assert found == [
        (
            "injection",
            12,
            "name.constantize",
            "`perform(kind)` -> `dispatch(type)` -> `build(name)`",
        )
    ]


def test_instance_variables_reach_helper_methods():
    found = flow(
        """\
  def perform(kind)
    @kind = kind
    handler.call
  end
""",
        """\

  def handler
    @kind.constantize
  end
""",
    )
    assert rules_at(found) == [("injection", 7)]


def test_instance_variables_set_by_a_helper_reach_the_caller():
    found = flow(
        """\
  def perform(args)
    assign(args)
    @kind.constantize
    @fixed.constantize
  end
""",
        """\

  def assign(args)
    @fixed = "Report"
    @kind = args.fetch("kind")
  end
""",
    )
    assert found == [
        ("injection", 3, "@kind.constantize", "`perform(args)` -> `assign(args)`"),
    ]


def test_a_bare_name_is_a_call_only_where_no_local_of_that_name_is_bound():
    # `handler` in perform is the local assigned before it (the semantic model's binding_of),
    # not a call of the method `handler`; `build` is a call.
    found = flow(
        """\
  def perform(kind, id)
    @kind = kind
    handler = Handler.find(id)
    handler.run
    build
  end
""",
        """\

  def handler
    @kind.constantize
  end

  def build
    @kind.safe_constantize
  end
""",
    )
    assert found == [("injection", 13, "@kind.safe_constantize", "`perform(kind)`")]


def test_recursion_terminates():
    helpers = "".join(
        f"""
  def m{i}(x, y)
    m{(i + 1) % 30}(y, x)
    m{(i + 7) % 30}(x, x)
    m{i}(x, y)
    x.constantize
  end
"""
        for i in range(30)
    )
    found, [analysis] = analysed("  def perform(a)\n    m0(a, 1)\n  end\n", helpers)
    assert found and all(rule == "injection" for rule, *_ in found)
    # It ends by analysing each method once per set of tainted parameters (x, y: four sets),
    # not by running out of budget.
    assert len(analysis.seen) <= 1 + 30 * 4
    assert analysis.budget > 0


def test_deep_nesting_and_long_bodies_are_bounded():
    # 3000 nested ifs (15,000 nodes): evaluation stops MAX_DEPTH levels down.
    deep = "  def perform(a)\n" + "    if a\n" * 3000 + "a.constantize\n" + "end\n" * 3000
    _, [analysis] = analysed(deep + "  end\n")
    assert evaluated(analysis) <= 2 * MAX_DEPTH
    # 60 nested blocks, each run twice (2**60 walks): the budget stops it.
    blocks = "  def perform(a)\n" + "a.each do |b|\n" * 60 + "b.constantize\n" + "end\n" * 60
    _, [analysis] = analysed(blocks + "  end\n")
    assert evaluated(analysis) <= BUDGET
    # 5000 statements in a row: each evaluated once (a few nodes each), the last one reached.
    body = "".join(f"    x{i} = x{i - 1}.to_s + a\n" for i in range(1, 5000))
    found, [analysis] = analysed(
        f"  def perform(a)\n    x0 = a\n{body}    x4999.constantize\n  end\n"
    )
    assert evaluated(analysis) <= 6 * 5000
    assert rules_at(found) == [("injection", 5002)]


def test_size_bounds():
    found = flow(
        """\
  def perform(a, b, c, d, e)
    a.clamp(1, 10).times { }
    [b, 100].min.times { }
    c = 50 if c > 50
    Array.new(c)
    return if d > 1000

    sleep(d)
    (1..e).each { }
    Order.where(id: 1..e).to_a
  end
"""
    )
    assert rules_at(found) == [("size", 9)]


def test_sql_text_and_bound_parameters():
    found = flow(
        """\
  def perform(name, column)
    User.where("name = ?", name)
    User.where(name: name)
    User.where("#{column} = 1")
    User.find_by_sql(<<~SQL)
      SELECT * FROM users WHERE #{column} = 1
    SQL
  end
"""
    )
    assert rules_at(found) == [("injection", 4), ("injection", 5)]


def test_url_host_versus_path():
    found = flow(
        """\
  def perform(host, id)
    HTTParty.get("https://api.example.com/users/#{id}")
    HTTParty.get("https://#{host}/users")
    URI.open(host)
    HTTParty.get("#{BASE}/#{host}")
  end
"""
    )
    assert rules_at(found) == [("injection", 3), ("injection", 4)]


def test_whole_url_arguments_are_a_kind_of_their_own():
    header = "class ExampleWorker\n  include Sidekiq::Job\n\n"
    data = f"{header}  def perform(url)\n    URI.open(url)\n  end\nend\n".encode()
    tree = parse(data)
    facts, scopes = extract(tree, "app/workers/example_worker.rb")
    ctx = SimpleNamespace(
        method=None,
        class_scope=scopes[0],
        index=RubyIndex(files={facts.path: facts}),
        settings=Settings(),
        tree=tree,
        memo={},
        semantic=SemanticModel(tree.root_node, scopes),
    )
    kinds = [f.sink for f in job_arguments(scopes[0], ctx).run()]  # type: ignore[arg-type]
    assert kinds == ["url_whole"]


@pytest.mark.parametrize(
    ("condition", "truthy", "falsy"),
    [
        ("LIST.include?(x)", {("x", "inj"), ("x", "size")}, set()),
        ("!LIST.include?(x.to_s)", set(), {("x", "inj"), ("x", "size")}),
        ("x > 10", set(), {("x", "size")}),
        ("10 >= x", {("x", "size")}, set()),
        ("x =~ /\\A\\w+\\z/", {("x", "inj")}, set()),
        ("x =~ /\\w+/", set(), set()),
        ("a.in?(L) && b <= 3", {("a", "inj"), ("a", "size"), ("b", "size")}, set()),
        ("a.in?(L) || b.in?(L)", set(), set()),
    ],
)
def test_refinements(condition, truthy, falsy):
    tree = parse(condition.encode())
    node = tree.root_node.named_children[0]
    got_truthy, got_falsy = refinements(node)
    assert (set(got_truthy), set(got_falsy)) == (truthy, falsy)
