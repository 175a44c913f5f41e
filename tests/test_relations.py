"""What the index knows about models for relation chains (RULES.md, "Relation chain"): scopes
from concerns and enums, tables and their unique columns from db/schema.rb; and what a `where`
says (lang/ruby/conditions.py). The rules' behaviour is in their examples (WL301, WL302, WL404)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workerlint.lang.ruby.conditions import (
    EQUAL,
    LOWER,
    UPPER,
    relative_to_now,
    rolling_window,
    sliced_by_time,
    time_relative_to_now,
    where_conditions,
)
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.libraries.active_record import pluralize, table_name
from workerlint.lang.ruby.model import FileFacts, extract
from workerlint.lang.ruby.names import _NOT_IN_NAMES, enum_scope_names
from workerlint.lang.ruby.nodes import descendants, method_name, text
from workerlint.lang.ruby.parse import parse
from workerlint.project import codec
from workerlint.project.index import build_index


def index_of(files: dict[str, str]) -> RubyIndex:
    facts = {path: extract(parse(source.encode()), path)[0] for path, source in files.items()}
    return RubyIndex(files=facts)


MODELS = {
    "app/models/application_record.rb": (
        "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n"
    ),
    "app/models/concerns/deletable.rb": (
        "module Deletable\n"
        "  extend ActiveSupport::Concern\n"
        "  included do\n"
        "    scope :alive, -> { where(deleted_at: nil) }\n"
        "    scope :recent, -> { where('created_at > ?', 1.week.ago) }\n"
        "  end\n"
        "  class_methods do\n"
        "    def visible\n"
        "      where(hidden: false)\n"
        "    end\n"
        "  end\n"
        "end\n"
    ),
    "app/models/user.rb": (
        "class User < ApplicationRecord\n"
        "  include Deletable\n"
        "  STATES = { active: 0, 'on hold': 1 }.freeze\n"
        "  enum status: { pending: 0, banned: 1 }, _prefix: true\n"
        "  enum :state, STATES, suffix: :account\n"
        "  enum :plan, %i[free paid]\n"
        "  enum :tier, Billing::TIERS, prefix: true\n"
        "  enum :kind, { person: 0 }, scopes: false\n"
        "  enum role: [:admin], _scopes: false\n"
        "  belongs_to :team\n"
        "end\n"
    ),
    "app/models/billing.rb": "module Billing\n  TIERS = %w[gold silver].freeze\nend\n",
    "app/models/admin.rb": "class Admin < User\nend\n",
    "app/models/legacy/entry.rb": (
        "module Legacy\n  class Entry < ApplicationRecord\n"
        '    self.table_name = "old_entries"\n  end\nend\n'
    ),
    "app/models/shop.rb": (
        'module Shop\n  def self.table_name_prefix = "shop_"\n'
        "  class Item < ApplicationRecord\n  end\nend\n"
    ),
    "db/schema.rb": (
        "ActiveRecord::Schema[7.1].define(version: 1) do\n"
        '  create_table "users", force: :cascade do |t|\n'
        '    t.string "email"\n'
        '    t.index ["email"], name: "index_users_on_email", unique: true\n'
        '    t.index ["team_id", "email"], unique: true\n'
        '    t.index ["team_id"]\n'
        '    t.index "lower(handle)", unique: true\n'
        "  end\n"
        '  add_index "old_entries", ["reference"], unique: true\n'
        "  add_index :users, :token, unique: true\n"
        "end\n"
    ),
}


def test_scopes_of_a_model_include_concerns_and_enums():
    index = index_of(MODELS)
    scopes = index.scopes_of("User")
    assert {"alive", "recent", "visible"} <= scopes  # included do / class_methods do
    assert {"status_pending", "not_status_pending", "status_banned", "not_status_banned"} <= scopes
    assert {"active_account", "on_hold_account", "not_on_hold_account"} <= scopes
    assert {"free", "paid", "not_free", "not_paid"} <= scopes
    assert {"tier_gold", "tier_silver", "not_tier_gold"} <= scopes  # a constant of another file
    assert not {"pending", "person", "not_person", "admin"} & scopes  # prefixed; scopes: false
    assert index.scopes_of("Admin") == scopes  # inherited
    assert index.bounded_scopes_of("User") == {"recent"}  # a rolling window bounds itself
    assert index.belongs_to_of("User") == {"team"}


STATES = {
    "app/models/payout.rb": (
        "class Payout < ActiveRecord::Base\n"
        "  include AASM\n"
        "  enum :kind, { wire: 0, check: 1 }, prefix: true\n"
        "  scope :unsent, -> { where(sent: false, kind: :wire) }\n"
        "  scope :stale, -> { where('exported_at < ?', 2.weeks.ago) }\n"
        "  scope :either, -> { where(sent: false).or(where(kind: 1)) }\n"
        "  aasm column: :status do\n"
        "    state :pending, initial: true\n"
        "    state :settled, :sent\n"
        "    event :mark_sent do\n"
        "      transitions from: [:settled, :pending], to: :sent\n"
        "    end\n"
        "    event :reset do\n"
        "      transitions to: :pending\n"
        "    end\n"
        "  end\n"
        "  has_flags 1 => :announced, 2 => :verified, column: 'flags'\n"
        "  aasm :review, create_scopes: false do\n"
        "    state :unreviewed\n"
        "  end\n"
        "end\n"
    ),
    "app/models/grant.rb": (
        "class Grant < ActiveRecord::Base\n"
        "  scope :expires_on, ->(date) { where('grants.expires_at = DATE(?)', date) }\n"
        "  scope :in_month, ->(d) { where('created_at BETWEEN ? AND ?', d.beginning_of_month, "
        "d.end_of_month) }\n"
        "  scope :approved_in, ->(d) { in_month(d).where(approved: true) }\n"
        "  scope :later_in, ->(x, d) { approved_in(d) }\n"
        "end\n"
    ),
}


def test_states_scope_filters_and_transitions():
    index = index_of(STATES)
    assert {"pending", "settled", "sent", "kind_wire", "not_kind_wire"} <= index.scopes_of("Payout")
    assert "unreviewed" not in index.scopes_of("Payout")  # create_scopes: false
    filters = index.scope_filters_of("Payout")
    assert filters["settled"] == [("status", EQUAL, "settled")]
    assert filters["kind_wire"] == [("kind", EQUAL, "wire")]
    assert filters["unsent"] == [("sent", EQUAL, False), ("kind", EQUAL, "wire")]
    assert filters["stale"] == [("exported_at", "compared", None)]
    assert "either" not in filters  # an `or`: no condition holds for every row
    assert filters["not_announced"] == [("announced", EQUAL, False)]  # has_flags
    assert filters["verified"] == [("verified", EQUAL, True)]
    transitions = index.transitions_of("Payout")
    assert transitions["mark_sent!"] == [("status", ("settled", "pending"), "sent")]
    assert transitions["mark_sent"] == transitions["mark_sent!"]
    assert transitions["reset!"] == [("status", None, "pending")]
    assert transitions["kind_check!"] == [("kind", None, "check")]


def test_window_scopes_through_derived_bounds_and_other_scopes():
    windows = index_of(STATES).window_scopes_of("Grant")
    assert windows == {
        "expires_on": (0, "range"),  # a time column equal to the parameter
        "in_month": (0, "lower"),  # BETWEEN bounds derived from the parameter
        "approved_in": (0, "lower"),  # passes its parameter on to a window scope
        "later_in": (1, "lower"),  # to any depth, in the position it passes on
    }


def test_list_scopes_hold_a_column_to_the_parameter_as_given():
    index = index_of(
        {
            "app/models/entry.rb": (
                "class Entry < ActiveRecord::Base\n"
                "  scope :last_n, ->(n, ids) { where('rank <= ?', n).where(feed_id: ids) }\n"
                "  scope :in_feeds, ->(ids) { where('feed_id IN (?)', ids) }\n"
                "  scope :recent_in, ->(since, ids) { in_feeds(ids).where('at > ?', since) }\n"
                "  scope :first_of, ->(ids) { where(feed_id: ids.first) }\n"
                "end\n"
            )
        }
    )
    assert index.list_scopes_of("Entry") == {
        "last_n": {1},  # the column equal to the list, in its position
        "in_feeds": {0},  # `IN (?)` in SQL
        "recent_in": {1},  # passes its parameter on to a list scope
    }  # `ids.first` is a value derived from the list, not the list given


def test_tables_and_unique_columns_from_the_schema():
    index = index_of(MODELS)
    assert index.table_of("User") == "users"
    assert index.table_of("Admin") == "users"  # single-table inheritance: the base's table
    assert index.table_of("Legacy::Entry") == "old_entries"
    assert index.table_of("Shop::Item") is None  # a module sets a table_name_prefix: unknown
    assert index.unique_columns_of("User") == {"email", "token"}  # not composite, not lower()
    assert index.unique_columns_of("Admin") == {"email", "token"}
    assert index.unique_columns_of("Legacy::Entry") == {"reference"}


@pytest.mark.parametrize(
    ("word", "plural"),
    [
        ("order", "orders"),
        ("category", "categories"),
        ("address", "addresses"),
        ("status", "statuses"),
        ("person", "people"),
        ("sales_person", "sales_people"),
        ("child", "children"),
        ("analysis", "analyses"),
        ("wife", "wives"),
        ("matrix", "matrices"),
        ("information", "information"),
        ("box", "boxes"),
        ("quiz", "quizzes"),
    ],
)
def test_pluralize_follows_active_support(word, plural):
    assert pluralize(word) == plural


def test_table_name_drops_the_module_and_underscores():
    assert table_name("Billing::InvoiceLine") == "invoice_lines"
    assert table_name("HTTPRequest") == "http_requests"
    assert table_name("BParam") == "b_params"


def test_new_facts_survive_the_cache(tmp_path: Path):
    for path, source in {**MODELS, **STATES}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    (tmp_path / "Gemfile").write_text("")
    cold = build_index(tmp_path, use_cache=True).ruby
    warm = build_index(tmp_path, use_cache=True).ruby
    assert warm.files == cold.files
    assert warm.unique_columns_of("User") == {"email", "token"}
    assert "tier_gold" in warm.scopes_of("User")
    assert warm.transitions_of("Payout") == cold.transitions_of("Payout")
    assert warm.scope_filters_of("Payout") == cold.scope_filters_of("Payout")
    for facts in cold.files.values():
        data = json.loads(json.dumps(codec.encode(facts, FileFacts)))
        assert codec.decode(data, FileFacts) == facts


def _where(source: str):
    tree = parse(source.encode())
    return next(
        n for n in descendants(tree.root_node) if n.type == "call" and method_name(n) == "where"
    )


def _conditions(source: str) -> list[tuple[str, str, str | None]]:
    return [
        (c.column, c.kind, text(c.value) if c.value is not None else c.name)
        for c in where_conditions(_where(source))
    ]


def test_where_conditions_of_hashes_ranges_and_sql():
    assert _conditions("X.where(account_id: a.id, orders: { state: s })") == [
        ("account_id", EQUAL, "a.id"),
        ("state", EQUAL, "s"),
    ]
    assert _conditions("X.where(user_id:)") == [("user_id", EQUAL, "user_id")]
    assert _conditions("X.where(created_at: 1.day.ago..Time.current)") == [
        ("created_at", LOWER, "1.day.ago"),
        ("created_at", UPPER, "Time.current"),
    ]
    assert _conditions("X.where(created_at: Range.new(a, b))") == [
        ("created_at", LOWER, "a"),
        ("created_at", UPPER, "b"),
    ]
    assert _conditions(
        'X.where("t.account_id = ? AND created_at BETWEEN (?) AND (?) AND ? <= seen_at", a, b, c, d)'
    ) == [
        ("account_id", EQUAL, "a"),
        ("created_at", LOWER, "b"),
        ("created_at", UPPER, "c"),
        ("seen_at", LOWER, "d"),
    ]
    assert _conditions('X.where("id IN (:ids) AND kind = :kind", ids: ids, kind: k)') == [
        ("id", EQUAL, "ids"),
        ("kind", EQUAL, "k"),
    ]
    assert _conditions('X.where("kind = :kind", { kind: k })') == [("kind", EQUAL, "k")]
    assert _conditions('X.where("lower(name) = ? AND user_id = ?", n, u)') == [
        ("user_id", EQUAL, "u")  # the placeholders stay in step past what is not read
    ]
    assert _conditions('X.where("user_id = ? OR public", u)') == []  # an OR says nothing
    assert _conditions('X.where("expires_at = DATE(?)", d)') == [("expires_at", EQUAL, "d")]


@pytest.mark.parametrize(
    ("value", "relative", "time"),
    [
        ("1.hour.ago", True, True),
        ("n.days.ago.beginning_of_day", True, True),
        ("Time.current - 3.days", True, True),
        ("Time.zone.now", True, True),
        ("Date.today", True, True),
        ("RECENTNESS.ago", True, True),
        ("3.days.from_now", True, True),
        ("Date.yesterday.all_day", True, True),
        ("1.day.ago.to_date", True, True),
        ("Time.current.beginning_of_hour + 1.hour", True, True),
        ("Time.zone.today", True, True),
        ("Date.today.year", True, False),  # a number taken from a time: no time
        ("Date.today.wday", True, False),
        ("Date.today.strftime('%Y')", True, False),
        ("Date.new(2024, 1, 1)", False, False),
        ("since", False, False),
        ("Time.at(stamp)", False, False),
        ("user.created_at", False, False),
    ],
)
def test_relative_to_now(value, relative, time):
    tree = parse(f"x = {value}\n".encode())
    right = tree.root_node.named_children[0].child_by_field_name("right")
    assert relative_to_now(right) is relative
    assert time_relative_to_now(right) is time


@pytest.mark.parametrize(
    ("where", "slice"),
    [
        ("where(registered_on: Date.today)", True),
        ('where("expires_at = DATE(?)", 3.days.from_now)', True),
        ("where(created_at: Date.yesterday.all_day)", True),
        ("where(registered_on: Date.new(2024, 1, 1))", False),
        ('where("created_at < ?", 1.day.ago)', False),  # every older row
        ("where(created_at: ..1.day.ago)", False),
        ("where(year: Date.today.year)", False),
    ],
)
def test_time_slice(where, slice):
    tree = parse(f"X.{where}\n".encode())
    call = next(
        n for n in descendants(tree.root_node) if n.type == "call" and method_name(n) == "where"
    )
    assert sliced_by_time(call) is slice


@pytest.mark.parametrize(
    ("where", "window"),
    [
        ('where("created_at > ?", 1.hour.ago)', True),
        ("where(\"created_at >= NOW() - INTERVAL '1 day'\")", True),
        ("where(created_at: 1.day.ago..)", True),
        ('where("updated_at < ?", 1.day.ago)', False),
        ("where(updated_at: ..1.day.ago)", False),
        ('where("created_at > ? AND updated_at < ?", since, 1.day.ago)', False),
        ('where("created_at > ? OR pinned", 1.hour.ago)', False),
    ],
)
def test_rolling_windows(where, window):
    assert rolling_window(_where(f"X.{where}")) is window


def test_an_enum_value_keeps_its_word_characters_and_loses_the_other_ascii_ones():
    """The class of characters an enum's scope name drops is Rails' /[\\W&&[:ascii:]]+/: over
    every code point, the same as the negated class it is written instead of."""
    import re

    negated = re.compile(r"[^0-9A-Za-z_\x80-\U0010ffff]+")
    every = "".join(map(chr, range(0x110000)))
    assert _NOT_IN_NAMES.sub("_", every) == negated.sub("_", every)
    assert enum_scope_names("in-review (2)", "status", "") == (
        "status_in_review_2_",
        "not_status_in_review_2_",
    )
    assert enum_scope_names("café", "", "") == ("café", "not_café")
