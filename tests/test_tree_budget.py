"""The tree budget (app/source.py): the findings are the same whatever the budget; beyond it the
store slims the units cheapest to parse again, and keeps a Ruby file that enqueues longest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from workerlint.app.source import BUDGET_VARIABLE, TREE_BUDGET, UnitStore, tree_budget
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project.index import Unit

PROJECTS = sorted(
    [p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "config"]
    + [p for p in (FIXTURES / "config").iterdir() if p.is_dir()]
)


def _output(root: Path, budget: str, *flags: str) -> tuple[list[dict], str]:
    result = run_cli(
        "check", ".", "--output-format", "json", "--no-cache", "--exit-zero", "--select", "ALL",
        *flags, cwd=root, env={BUDGET_VARIABLE: budget},
    )  # fmt: skip
    assert result.code == 0, result.err
    return json.loads(result.out)["diagnostics"], result.err


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_gives_the_same_output_with_no_tree_kept_and_all_kept(root):
    unbounded = _output(root, "none")
    assert unbounded[0] or root.name in ("clean", "celeryconfig_app") or "config" in root.parts
    assert _output(root, "0") == unbounded


def test_the_budget_is_the_constant_unless_the_variable_says(monkeypatch):
    monkeypatch.delenv(BUDGET_VARIABLE, raising=False)
    assert tree_budget() == TREE_BUDGET
    monkeypatch.setenv(BUDGET_VARIABLE, "1234")
    assert tree_budget() == 1234
    monkeypatch.setenv(BUDGET_VARIABLE, "none")
    assert tree_budget() is None


PLAIN = "class Helper{n}\n  def call\n    {n}\n  end\nend\n"
ENQUEUER = "class Checkout\n  def call\n    PingWorker.perform_async(1)\n  end\nend\n"


def _made(store: UnitStore, root: Path, rel: str, text: str) -> Unit:
    """The store's unit of a file, and its facts read (what the index does)."""
    unit = store.unit(root / rel, rel, text.encode())
    unit.facts  # noqa: B018
    return unit


def _held(units: dict[str, Unit]) -> set[str]:
    return {rel for rel, unit in units.items() if "tree" in unit.__dict__}


def test_beyond_the_budget_the_newest_cheap_units_are_slimmed(tmp_path):
    texts = {f"app/helper{n}.rb": PLAIN.format(n=n) for n in range(6)}
    texts["app/checkout.rb"] = ENQUEUER
    size = len(texts["app/helper0.rb"].encode())
    # Room for the enqueuing file and two plain helpers.
    store = UnitStore(lambda _path, _data: True, budget=len(ENQUEUER.encode()) + 2 * size)
    units = {}
    for rel in ["app/checkout.rb", *(f"app/helper{n}.rb" for n in range(4))]:
        units[rel] = _made(store, tmp_path, rel, texts[rel])
    # Each plain unit beyond the budget is slimmed as it comes: the first ones keep theirs.
    assert _held(units) == {"app/checkout.rb", "app/helper0.rb", "app/helper1.rb"}
    for rel in ("app/helper2.rb", "app/helper3.rb"):
        assert units[rel].syntax.tree is None and units[rel].comments is not None
    # A unit handed over for its lint no longer counts: the next one of its size fits.
    assert store.take(tmp_path / "app/helper1.rb") is units.pop("app/helper1.rb")
    units["app/helper4.rb"] = _made(store, tmp_path, "app/helper4.rb", texts["app/helper4.rb"])
    units["app/helper5.rb"] = _made(store, tmp_path, "app/helper5.rb", texts["app/helper5.rb"])
    assert _held(units) == {"app/checkout.rb", "app/helper0.rb", "app/helper4.rb"}
    # Budget 0: every unit is slimmed, the enqueuing one too; the facts stay.
    store = UnitStore(lambda _path, _data: True, budget=0)
    units = {rel: _made(store, tmp_path, rel, text) for rel, text in texts.items()}
    assert _held(units) == set()
    assert units["app/checkout.rb"].facts.enqueues


def test_an_enqueuing_ruby_file_keeps_its_tree_before_plain_ones(tmp_path):
    store = UnitStore(lambda _path, _data: True, budget=len(ENQUEUER.encode()))
    first = _made(store, tmp_path, "a.rb", PLAIN.format(n=0))
    assert "tree" in first.__dict__
    # The enqueuing file comes later and takes the room: the plain unit is slimmed for it.
    second = _made(store, tmp_path, "b.rb", ENQUEUER)
    assert "tree" in second.__dict__
    assert "tree" not in first.__dict__ and first.syntax.tree is None
    # A second enqueuing file beyond the budget: no plain unit is left, so the newest goes.
    third = _made(store, tmp_path, "c.rb", ENQUEUER.replace("Checkout", "Refund"))
    assert "tree" in second.__dict__ and "tree" not in third.__dict__


def test_no_budget_keeps_every_tree(tmp_path):
    store = UnitStore(lambda _path, _data: True)
    units = [_made(store, tmp_path, f"h{n}.rb", PLAIN.format(n=n)) for n in range(20)]
    assert all("tree" in unit.__dict__ for unit in units)


CONTROLLER = """\
class ExportsController < ApplicationController
  def create
    ExportWorker.perform_async(request.raw_post)
  end
end
"""
EXPORT_WORKER = """\
class ExportWorker
  include Sidekiq::Job

  def perform(body); end
end
"""


def test_a_slimmed_unit_keeps_its_provenance_analysis_for_its_lint(project, monkeypatch):
    """Budget 0: the enqueuing controller's analysis, run for its facts before its tree was
    dropped, is not run again when its lint parses it again and a rule asks for it."""
    from workerlint.app.linter import Options
    from workerlint.app.runner import run
    from workerlint.lang.ruby.provenance import analysis
    from workerlint.project.frameworks.sidekiq.version import gemfile_lock

    root = project(
        {
            **gemfile_lock("7.2.0"),
            "app/controllers/exports_controller.rb": CONTROLLER,
            "app/workers/export_worker.rb": EXPORT_WORKER,
        }
    )
    runs: list[str] = []
    real = analysis._analyse

    def counted(root_node, facts, classes, semantic):  # type: ignore[no-untyped-def]
        runs.append(facts.path)
        return real(root_node, facts, classes, semantic)

    monkeypatch.setattr(analysis, "_analyse", counted)

    def findings(budget: str) -> list[tuple[str, str, str]]:
        monkeypatch.setenv(BUDGET_VARIABLE, budget)
        result = run([root], Options(use_cache=False, jobs=1))
        return [(d.path.name, d.code, d.message) for d in result.diagnostics]

    lean = findings("0")
    assert runs == ["app/controllers/exports_controller.rb"]
    assert "WL404" in {code for _, code, _ in lean}
    assert findings("none") == lean


def test_a_unit_parsed_again_has_the_facts_and_analysis_of_the_slimmed_one(tmp_path):
    store = UnitStore(lambda _path, _data: True, budget=0)
    unit = _made(store, tmp_path, "app/controllers/exports_controller.rb", CONTROLLER)
    assert "tree" not in unit.__dict__ and unit.provenance is not None
    again = unit.again()
    assert again.facts is unit.facts
    from workerlint.lang.ruby.provenance.analysis import kept

    assert kept(again.semantic) is unit.provenance


CONCERN = """\
module Billing
  module Refunds
    extend ActiveSupport::Concern

    included do
      scope :open, -> { where(state: "open") }
      def refund!; end
    end

    class_methods do
      def sweep; end
    end
  end

  class Invoice < ApplicationRecord
    include Refunds
    class << self
      def overdue; end
    end
    if Rails.env.test?
      def debug; end
    end
    def self.build; end
    def total; end
    def total; 1; end
  end
end
"""


def _shape(classes):  # type: ignore[no-untyped-def]
    return [
        (c.facts, c.node.start_byte, {k: [m.start_byte for m in v] for k, v in c.methods.items()})
        for c in classes
    ]


def test_a_unit_parsed_again_finds_its_classes_without_extracting_again(tmp_path):
    store = UnitStore(lambda _path, _data: True, budget=0)
    unit = _made(store, tmp_path, "app/models/invoice.rb", CONCERN)
    assert "tree" not in unit.__dict__
    whole = _shape(RubyUnit("app/models/invoice.rb", CONCERN.encode()).classes)
    again = unit.again()
    assert _shape(again.classes) == whole and len(whole) == 3
    assert "extracted" not in again.__dict__  # paired with the facts, not extracted
    from workerlint.lang.ruby.model import classes_of

    other = RubyUnit("app/models/invoice.rb", b"class Invoice; end\n").facts
    assert classes_of(again.syntax.tree, other) is None  # not this file's facts: not paired
