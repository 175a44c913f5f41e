"""The index fact "models the project batches" (RubyIndex.batched_at): what WL301, WL302 and WL601
take as evidence that a model's rows are many."""

from __future__ import annotations

import json

from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.model import FileFacts, Location
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project import codec

SOURCE = b"""\
module Billing
  class Sweeper
    def run
      Invoice.where(state: "open").find_each(&:sweep!)
      ::Order.in_batches { |batch| batch.touch_all }
      scope = Refund.pending
      scope.find_in_batches { |batch| batch.each(&:retry!) }
      reused = Payment.all
      reused = Payment.none
      reused.find_each(&:check!)
      helper.find_each(&:nothing!)
    end
  end

  class Invoice < ApplicationRecord
    def self.reindex
      where(indexed: false).find_each(&:reindex!)
    end

    def touch_rows
      find_each(&:touch)
    end
  end
end
"""


def _facts(path: str, source: bytes) -> FileFacts:
    return RubyUnit(path, source).facts


def test_batched_constants_of_a_file():
    facts = _facts("app/services/billing/sweeper.rb", SOURCE)
    assert facts.batched == (
        ("Invoice", ("Billing::Sweeper", "Billing"), 4),
        ("Order", ("Billing::Sweeper", "Billing"), 5),
        ("Refund", ("Billing::Sweeper", "Billing"), 7),
        ("Billing::Invoice", (), 17),
    )


def test_a_file_without_batches_has_none():
    assert (
        _facts(
            "app/jobs/a.rb", b"class A\n  def perform\n    Order.all.each(&:x)\n  end\nend\n"
        ).batched
        == ()
    )


def test_batched_facts_go_through_the_codec():
    facts = _facts("app/services/billing/sweeper.rb", SOURCE)
    data = json.loads(json.dumps(codec.encode(facts, FileFacts)))
    assert codec.decode(data, FileFacts) == facts


def test_the_index_resolves_batched_models():
    models = _facts(
        "app/models/billing/invoice.rb",
        b"module Billing\n  class Invoice < ApplicationRecord\n  end\nend\n",
    )
    sweeper = _facts("app/services/billing/sweeper.rb", SOURCE)
    index = RubyIndex({f.path: f for f in (models, sweeper)})
    assert index.batched_at("Billing::Invoice") == Location("app/services/billing/sweeper.rb", 4)
    assert index.batched_at("Order") == Location("app/services/billing/sweeper.rb", 5)
    assert index.batched_at("::Order") == Location("app/services/billing/sweeper.rb", 5)
    assert index.batched_at("Payment") is None
    assert index.batched_at("Invoice") is None
