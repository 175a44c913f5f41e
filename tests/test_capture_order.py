"""A file's facts are a function of its bytes alone: tree-sitter's captures come back in the order
of the tree (lang/captures.py), not of the nodes' addresses, so what takes the first of them (the
value an instance variable is read with at an enqueue) is the same in every process, alone or
among other files."""

from __future__ import annotations

from workerlint.lang.python import parse as python_parse
from workerlint.lang.ruby import parse as ruby_parse
from workerlint.lang.ruby.model import FileFacts
from workerlint.lang.ruby.unit import RubyUnit

# Twelve methods assigning @user, the first (line 10) nested in a branch; the enqueue reads @user
# (set by a before_action): its record is the first value assigned, in the order of the file.
ACTIONS = "".join(
    f"""
  def action_{i}
    if params[:flag]
      @user = User.find(params[:id_{i}])
      @other_{i} = Account.find(params[:other])
    end
  end
"""
    for i in range(12)
)
CONTROLLER = f"""\
class UsersController < ApplicationController
  before_action :set_user

  def suppress
    User::UpdateJob.perform_later(user: @user)
  end
{ACTIONS}
  private

  def set_user
    @user = params[:id] ? User.find(params[:id]) : current_user
  end
end
"""
MODEL = """\
class User < ApplicationRecord
  def lock!
    @locked = true
    User::UpdateJob.perform_later(user: self)
  end
end
"""
PATH = "app/controllers/users_controller.rb"


def _user_sources(facts: FileFacts) -> list[tuple[str, int, str]]:
    (site,) = facts.enqueues
    ((keyword, slot),) = site.keywords
    assert keyword == "user"
    return [(s.kind, s.line, s.shown) for s in slot.sources]


def test_ruby_captures_come_in_the_order_of_the_tree() -> None:
    query = "[(assignment left: (instance_variable)) (operator_assignment)] @a"
    kept = []  # every tree kept alive: each parse lays its nodes at new addresses
    for _ in range(6):
        tree = ruby_parse.parse(CONTROLLER.encode())
        kept.append(tree)
        found = ruby_parse.captures(query, tree.root_node)["a"]
        assert [n.start_point[0] + 1 for n in found] == [
            *(10 + 7 * i + d for i in range(12) for d in (0, 1)),
            95,
        ]


def test_captures_of_one_span_give_the_enclosing_node_first() -> None:
    # `a.b.c` and `a.b` start together: the outer call first; `f(g(x))` likewise.
    tree = ruby_parse.parse(b"a.b.c\nf(g(x))\n")
    found = ruby_parse.captures("(call) @c", tree.root_node)["c"]
    assert [n.text for n in found] == [b"a.b.c", b"a.b", b"f(g(x))", b"g(x)"]
    source = b"".join(b"x%d = f%d(g(h(%d))).y()\n" % (i, i, i) for i in range(20))
    tree = python_parse.parse(source)
    found = python_parse.captures("(call) @c", tree.root_node)["c"]
    assert [n.text for n in found[:3]] == [b"f0(g(h(0))).y()", b"f0(g(h(0)))", b"g(h(0))"]
    assert [n.start_byte for n in found] == sorted(n.start_byte for n in found)
    assert len(found) == 80
    # Nodes of one span (a statement that is a bare name): the statement, then the name.
    tree = python_parse.parse(b"".join(b"name_%d\n" % i for i in range(30)))
    found = python_parse.captures("(_) @n", tree.root_node)["n"]
    assert [n.type for n in found[:5]] == [
        "module",
        "expression_statement",
        "identifier",
        "expression_statement",
        "identifier",
    ]
    assert [n.text for n in found[1::2]] == [b"name_%d" % i for i in range(30)]


def test_a_files_facts_do_not_depend_on_what_else_the_process_parsed() -> None:
    expected = [
        ("stored", 95, "current_user"),
        ("record", 10, "User.find(params[:id_0])"),
    ]
    kept = []
    for round_ in range(6):
        # Alone, then among other files (parsed before it, their trees alive).
        alone = RubyUnit(PATH, CONTROLLER.encode())
        others = [RubyUnit(f"app/models/user_{i}.rb", MODEL.encode()) for i in range(round_)]
        kept.extend(u.facts for u in others)
        kept.append(others)
        among = RubyUnit(PATH, CONTROLLER.encode())
        assert _user_sources(alone.facts) == expected
        assert among.facts == alone.facts
        kept.append((alone, among))
