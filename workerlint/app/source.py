"""Source units: each file of a run read once and parsed once (within the tree budget below),
shared by the index, the framework setups, every rule and the fix loop (ARCHITECTURE.md, data
flow step 3).

A language's unit holds what was derived from the bytes (lang/ruby/unit.py, lang/python/unit.py:
the tree, the syntax check, the facts, the semantic model), each computed on first use. The
store keeps the units this run will ask for again and drops the others once the index has their
facts, so a large project is not held in memory tree by tree. Of the units it keeps, those of
files the relevance gate will keep from the walk whatever the index says (app/gate.py) are slimmed
as soon as they are made: their lint reads their syntax check, facts and comments, not their tree.

The trees the store holds are bounded: a tree takes about 30 times its file's size, so a project
held whole until linted would need hundreds of MB. While the source bytes of the units holding a
tree stay under a budget (``TREE_BUDGET``), each file is parsed once; beyond it, a unit keeps only
its facts, syntax check, comments and provenance analysis (slimmed), and its lint parses the file
again if the gate lets it through. A Ruby file that enqueues keeps its tree longest (this order
once spared its lint the provenance analysis, which a slimmed unit now keeps; CPU measured the
same either way on gumroad, hcb and bike_index). The configuration
files the Sidekiq setup reads stay whole, outside the budget (the setup reads their trees after
the index is built). The budget is per process (a worker of a parallel run has its own); a fix
run has none (the fix loop reads the linted units' trees). The findings are the same whatever
the budget (tests/test_tree_budget.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project.index import Unit, new_unit

# Whether the run will ask for a file's unit again (linted here, or read by the setup).
Keep = Callable[[Path, bytes], bool]
# Whether the relevance gate lets a kept file through when the index finds neither worker code
# nor worker classes in it (None: not asked). Relevance only grows with those, so a file not
# relevant so is never walked: its unit is slimmed.
Relevance = Callable[[Path, bytes], bool | None]

# The source bytes of the units that hold a tree, at most (per process), beyond which the store
# slims units that its run will parse again if their lint walks them. 500 kB: full runs of six
# real projects (three Sidekiq apps, three Celery projects) peak at 69-93 MB with --jobs 1.
TREE_BUDGET = 500_000
# Sets the budget instead, in bytes ("none": no budget), for the tests.
BUDGET_VARIABLE = "WORKERLINT_TREE_BUDGET"


def tree_budget() -> int | None:
    """``TREE_BUDGET``, or what ``WORKERLINT_TREE_BUDGET`` says (None: unbounded)."""
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not text:
        return TREE_BUDGET
    if text.lower() == "none":
        return None
    return max(0, int(text))


class UnitStore:
    def __init__(
        self,
        keep: Keep,
        linger: Callable[[Path], bool] | None = None,
        relevance: Relevance | None = None,
        budget: int | None = None,
    ) -> None:
        self._keep = keep
        self._linger = linger  # units still read after they are linted (the configuration)
        self._relevance = relevance
        self._units: dict[Path, Unit] = {}
        self.budget = budget  # see TREE_BUDGET (None: unbounded)
        # The kept units holding a tree that may be slimmed, by the cost of parsing them again
        # (0: cheap, 1: a Ruby file that enqueues), oldest first; and their bytes.
        self._held: tuple[dict[Path, Unit], dict[Path, Unit]] = ({}, {})
        self._held_bytes = 0

    def unit(self, path: Path, relpath: str, data: bytes) -> Unit:
        """The unit of ``path`` holding ``data``: the one made before, or a new one."""
        found = self._units.get(path)
        if found is not None and found.data == data:
            return found
        unit = new_unit(relpath, data)
        if self._keep(path, data):
            self._release(path)  # a unit made before of other bytes
            self._units[path] = unit
            if self._relevance is not None:
                unit.plain = self._relevance(path, data)
            if unit.plain is False:
                _slim(unit)
            elif self.budget is not None and not (self._linger and self._linger(path)):
                self._hold(path, unit)
        return unit

    def _hold(self, path: Path, unit: Unit) -> None:
        """Count ``unit``'s tree against the budget, and slim units (the cheapest to parse
        again, the newest first) until the trees held are within it."""
        assert self.budget is not None
        self._held[int(_enqueues(unit))][path] = unit
        self._held_bytes += len(unit.data)
        for held in self._held:
            while self._held_bytes > self.budget and held:
                victim = held.popitem()[1]
                self._held_bytes -= len(victim.data)
                _slim(victim)

    def _release(self, path: Path) -> None:
        for held in self._held:
            unit = held.pop(path, None)
            if unit is not None:
                self._held_bytes -= len(unit.data)

    def ruby_unit(self, path: Path, relpath: str, data: bytes) -> RubyUnit:
        """``unit`` for a Ruby file (what the Sidekiq setup reads)."""
        unit = self.unit(path, relpath, data)
        if not isinstance(unit, RubyUnit):
            raise TypeError(f"{relpath} is not a Ruby file")
        return unit

    def take(self, path: Path) -> Unit | None:
        """The unit of ``path`` if one was made, handed over: the store forgets it, unless it
        lingers (the setup reads it again after fixes)."""
        if self._linger is not None and self._linger(path):
            return self._units.get(path)
        self._release(path)
        return self._units.pop(path, None)

    def offer(self, path: Path, unit: Unit) -> None:
        """A unit made elsewhere for ``path`` (the fix loop's, for the fixed text): kept when
        the store keeps this file, so the setup's later read shares it."""
        if path in self._units or self._keep(path, unit.data):
            self._units[path] = unit


def _slim(unit: Unit) -> None:
    """Drop ``unit``'s tree; a file whose facts cannot be extracted stays whole (the index
    reports it)."""
    with suppress(Exception):
        unit.slim()


def _enqueues(unit: Unit) -> bool:
    """Whether ``unit`` is a Ruby file whose facts the provenance analysis gives."""
    if not isinstance(unit, RubyUnit):
        return False
    from workerlint.lang.ruby.provenance.analysis import may_enqueue

    return may_enqueue(unit.data)
