"""Source units: each file of a run read and parsed once, and shared by the index, the framework
setups, every rule and the fix loop (ARCHITECTURE.md, data flow step 3).

A language's unit holds what was derived from the bytes (lang/ruby/unit.py, lang/python/unit.py:
the tree, the syntax check, the facts, the semantic model), each computed on first use. The
store keeps the units this run will ask for again and drops the others once the index has their
facts, so a large project is not held in memory tree by tree. Of the units it keeps, those of
files the relevance gate will keep from the walk whatever the index says (app/gate.py) are slimmed
as soon as they are made: their lint reads their syntax check, facts and comments, not their tree.
"""

from __future__ import annotations

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


class UnitStore:
    def __init__(
        self,
        keep: Keep,
        linger: Callable[[Path], bool] | None = None,
        relevance: Relevance | None = None,
    ) -> None:
        self._keep = keep
        self._linger = linger  # units still read after they are linted (the configuration)
        self._relevance = relevance
        self._units: dict[Path, Unit] = {}

    def unit(self, path: Path, relpath: str, data: bytes) -> Unit:
        """The unit of ``path`` holding ``data``: the one made before, or a new one."""
        found = self._units.get(path)
        if found is not None and found.data == data:
            return found
        unit = new_unit(relpath, data)
        if self._keep(path, data):
            self._units[path] = unit
            if self._relevance is not None:
                unit.plain = self._relevance(path, data)
            if unit.plain is False:
                # A file whose facts cannot be extracted stays whole: the index reports it.
                with suppress(Exception):
                    unit.slim()
        return unit

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
        return self._units.pop(path, None)

    def offer(self, path: Path, unit: Unit) -> None:
        """A unit made elsewhere for ``path`` (the fix loop's, for the fixed text): kept when
        the store keeps this file, so the setup's later read shares it."""
        if path in self._units or self._keep(path, unit.data):
            self._units[path] = unit
