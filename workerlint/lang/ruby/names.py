"""What the Ruby index (lang/ruby/index.py), the cache's codec and the index layer need of the
model's names and small values, without loading the model and the parser: a run over Python
files alone builds an empty Ruby index."""

from __future__ import annotations

import re

from workerlint.core.records import record

WORKER_MIXINS = frozenset({"Sidekiq::Worker", "Sidekiq::Job", "Sidekiq::IterableJob"})
ACTIVE_JOB_BASE = "ActiveJob::Base"
MODEL_BASES = frozenset({"ActiveRecord::Base"})
SCHEMA_FILE = "db/schema.rb"  # read for its unique indexes (RULES.md, "Relation chain")


@record(frozen=True)
class Location:
    path: str
    line: int


class MutableCollection:
    """Marker value of a constant holding a mutable collection (``{}``, ``[]``, ``Set.new``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MUTABLE_COLLECTION"

    def __reduce__(self) -> str:
        return "MUTABLE_COLLECTION"


MUTABLE_COLLECTION = MutableCollection()


# Rails: /[\W&&[:ascii:]]+/, the ASCII characters that are not word characters. Written as the
# ASCII ranges themselves: the same class as [^0-9A-Za-z_\x80-\U0010ffff], whose range over every
# other code point took 2.4 ms to compile in each process (tests/test_relations.py compares them).
_NOT_IN_NAMES = re.compile(r"[\x00-/:-@\[-^`{-\x7f]+")


def enum_scope_names(value: str, prefix: str, suffix: str) -> tuple[str, str]:
    """The two scopes Rails generates for an enum value: ``pending`` and ``not_pending``
    (with ``prefix: true`` on ``status``: ``status_pending``; characters that cannot be in a
    method name become ``_``)."""
    label = _NOT_IN_NAMES.sub("_", value)
    name = "_".join(part for part in (prefix, label, suffix) if part)
    return name, f"not_{name}"
