"""The Ruby part of the project index: facts of every Ruby file (lang/ruby/model.py extracts
them per file) and the questions rules ask of them across files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby.libraries import active_record
from workerlint.lang.ruby.names import (
    ACTIVE_JOB_BASE,
    MODEL_BASES,
    WORKER_MIXINS,
    Location,
    enum_scope_names,
)
from workerlint.lang.ruby.nodes import NOT_LITERAL

if TYPE_CHECKING:
    from workerlint.lang.ruby.model import ClassFacts, FileFacts
    from workerlint.lang.ruby.provenance.query import Provenances
    from workerlint.lang.ruby.state import MutableState


@record
class RubyIndex:
    """Facts from every Ruby file of the project, and the questions rules ask of them (RULES.md,
    "Project index"): ancestors, worker classes, models, scopes, constants."""

    files: dict[str, FileFacts] = field(default_factory=dict)
    worker_base_classes: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()  # files that could not be indexed, for --verbose

    def with_file(self, facts: FileFacts) -> RubyIndex:
        """This index plus a file it does not read (an excluded file named on the command line),
        for checking that file: its own classes are then known to its rules."""
        files = {**self.files, facts.path: facts}
        return RubyIndex(files, self.worker_base_classes, self.problems)

    @cached_property
    def classes(self) -> dict[str, list[ClassFacts]]:
        table: dict[str, list[ClassFacts]] = {}
        for facts in self.files.values():
            for cls in facts.classes:
                table.setdefault(cls.name, []).append(cls)
        return table

    @cached_property
    def constants(self) -> dict[str, object]:
        return {k: v for facts in self.files.values() for k, v in facts.constants}

    @cached_property
    def faraday_default_options(self) -> Location | None:
        return next(
            (f.faraday_default_options for f in self.files.values() if f.faraday_default_options),
            None,
        )

    @cached_property
    def faraday_default_connection(self) -> Location | None:
        return next(
            (
                f.faraday_default_connection
                for f in self.files.values()
                if f.faraday_default_connection
            ),
            None,
        )

    @cached_property
    def semian_net_http(self) -> Location | None:
        """Where ``Semian::NetHTTP.semian_configuration`` is set in ``config/**/*.rb``."""
        return next((f.semian_net_http for f in self.files.values() if f.semian_net_http), None)

    @cached_property
    def transactional_push(self) -> Location | None:
        """Where ``Sidekiq.transactional_push!`` (or its client as the default) is configured."""
        found = (f.transactional_push for f in self.files.values() if f.transactional_push)
        return next(found, None)

    @cached_property
    def _batched(self) -> dict[str, Location]:
        """The classes (or, when not defined in the project, the constants as written) whose
        relations some file batches, with the first place it does."""
        table: dict[str, Location] = {}
        for facts in sorted(self.files.values(), key=lambda f: f.path):
            for written, lexical, line in facts.batched:
                name = self.resolve(written, lexical) or written
                table.setdefault(name, Location(facts.path, line))
        return table

    def batched_at(self, name: str) -> Location | None:
        """Where the project batches the relations of a model (``find_each``,
        ``find_in_batches``, ``in_batches`` on a chain of it, anywhere in application code): the
        authors treat its rows as many. None when nothing does."""
        return self._batched.get(name.removeprefix("::"))

    @cached_property
    def provenance(self) -> Provenances:
        """Where job arguments come from, from every enqueue site (RULES.md, "Provenance")."""
        from workerlint.lang.ruby.provenance.query import Provenances

        return Provenances(self)

    def client_class_of(self, name: str) -> ClassFacts | None:
        """The class (itself or an ancestor) whose ``sidekiq_options`` set ``client_class``."""
        for ancestor in self.ancestors(name):
            for cls in self.classes.get(ancestor, ()):
                if cls.client_class:
                    return cls
        return None

    @cached_property
    def active_job_counts(self) -> bool:
        """ActiveJob classes are workers when the adapter is Sidekiq or unknown."""
        adapters = [a for f in self.files.values() for a, _ in f.active_job_adapters]
        return not adapters or "sidekiq" in adapters or "?" in adapters

    def resolve(self, name: str, lexical: tuple[str, ...]) -> str | None:
        """The project class a constant written inside ``lexical`` refers to, if any."""
        for scope in lexical:
            candidate = f"{scope}::{name}"
            if candidate in self.classes:
                return candidate
        return name if name in self.classes else None

    def superclass_of(self, name: str) -> tuple[str | None, str | None]:
        """(resolved project superclass, superclass as written) of a project class."""
        for cls in self.classes.get(name, ()):
            if cls.superclass:
                return self.resolve(cls.superclass, cls.lexical), cls.superclass
        return None, None

    def ancestors(self, name: str) -> list[str]:
        """The class, then its project superclasses, then the first external one as written."""
        chain = [name]
        current = name
        while len(chain) < 50:
            resolved, written = self.superclass_of(current)
            if resolved is None:
                if written:
                    chain.append(written)
                break
            if resolved in chain:
                break
            chain.append(resolved)
            current = resolved
        return chain

    def includes_of(self, name: str) -> set[str]:
        return {inc for cls in self.classes.get(name, ()) for inc in cls.includes}

    @cached_property
    def _worker_memo(self) -> dict[str, bool]:
        return {}

    def is_worker(self, name: str) -> bool:
        """Whether a class is a worker class (RULES.md, "Worker class")."""
        if name not in self._worker_memo:
            self._worker_memo[name] = self._is_worker(name)
        return self._worker_memo[name]

    def _is_worker(self, name: str) -> bool:
        for ancestor in self.ancestors(name):
            if self.includes_of(ancestor) & WORKER_MIXINS:
                return True
            bare = ancestor.removeprefix("::")
            if bare == ACTIVE_JOB_BASE:
                return self.active_job_counts
            if bare in self.worker_base_classes:
                return True
        return False

    def is_active_job(self, name: str) -> bool:
        return any(a.removeprefix("::") == ACTIVE_JOB_BASE for a in self.ancestors(name))

    def is_foreign_job(self, name: str) -> bool:
        """An ActiveJob class while the project's ActiveJob adapter is not Sidekiq: a job of
        another queue system, never run by Sidekiq."""
        return not self.active_job_counts and self.is_active_job(name)

    def is_model(self, name: str) -> bool:
        for ancestor in self.ancestors(name)[1:]:
            bare = ancestor.removeprefix("::")
            if bare in MODEL_BASES:
                return True
            if bare == "ApplicationRecord" and bare not in self.classes:
                return True
        return False

    @cached_property
    def _scopes_memo(self) -> dict[str, set[str]]:
        return {}

    def scopes_of(self, name: str) -> set[str]:
        """The scopes of a model: ``scope`` in its body, its ancestors' or its concerns'
        (``included do``), enum-generated scopes, and class methods that return a relation."""
        if name not in self._scopes_memo:
            self._scopes_memo[name] = self._scopes(name)
        return self._scopes_memo[name]

    def _scopes(self, name: str) -> set[str]:
        found = self._inherited(name, lambda cls: cls.scopes)
        for cls in self._definitions(name):
            for const, prefix, suffix in cls.enum_constants:
                for value in self._constant_keys(const, (cls.name, *cls.lexical)):
                    found.update(enum_scope_names(value, prefix, suffix))
        return found

    def bounded_scopes_of(self, name: str) -> set[str]:
        return self._inherited(name, lambda cls: cls.bounded_scopes)

    def window_scopes_of(self, name: str) -> dict[str, tuple[int, str]]:
        """Scopes bounding a time column by a parameter: name -> (position, "lower"|"range"),
        also a scope that passes its parameter on to such a scope of the model
        (``->(date) { monthly_for(date).draft }``), to any depth."""
        definitions = self._definitions(name)
        found = {
            scope: (position, kind)
            for cls in definitions
            for scope, position, kind in cls.window_scopes
        }
        forwards = [f for cls in definitions for f in cls.scope_forwards]
        changed = bool(found and forwards)
        while changed:
            changed = False
            for scope, position, callee, at in forwards:
                target = found.get(callee)
                if scope not in found and target is not None and target[0] == at:
                    found[scope] = (position, target[1])
                    changed = True
        return found

    def list_scopes_of(self, name: str) -> dict[str, set[int]]:
        """Scopes holding a column to a parameter as it is given: name -> the parameter
        positions (``->(n, feed_ids) { where(feed_id: feed_ids) }`` gives {1}), also a scope
        that passes its parameter on to such a position of another scope of the model."""
        definitions = self._definitions(name)
        found: dict[str, set[int]] = {}
        for cls in definitions:
            for scope, position in cls.list_scopes:
                found.setdefault(scope, set()).add(position)
        forwards = [f for cls in definitions for f in cls.scope_forwards]
        changed = bool(found and forwards)
        while changed:
            changed = False
            for scope, position, callee, at in forwards:
                if at in found.get(callee, ()) and position not in found.get(scope, ()):
                    found.setdefault(scope, set()).add(position)
                    changed = True
        return found

    def scope_filters_of(self, name: str) -> dict[str, list[tuple[str, str, object]]]:
        """What each scope of a model holds its rows to (lang/ruby/states.py): scope -> (column,
        kind, value), from its `where`s, its AASM state, its enum value."""
        found: dict[str, list[tuple[str, str, object]]] = {}
        for cls in self._definitions(name):
            for scope, column, kind, value in cls.scope_filters:
                found.setdefault(scope, []).append((column, kind, value))
        return found

    def transitions_of(self, name: str) -> dict[str, list[tuple[str, tuple[str, ...] | None, str]]]:
        """The methods that move a record of a model to another value of a column: method ->
        (column, from-values or None for any, to-value): AASM events, enum bang methods."""
        found: dict[str, list[tuple[str, tuple[str, ...] | None, str]]] = {}
        for cls in self._definitions(name):
            for method, column, froms, to in cls.transitions:
                found.setdefault(method, []).append((column, froms, to))
        return found

    def polymorphic_of(self, name: str) -> set[str]:
        """A model's polymorphic associations (``belongs_to :x, polymorphic: true``,
        ``delegated_type :x``): Rails writes their ``x_type`` column with a class name."""
        return self._inherited(name, lambda cls: cls.polymorphic)

    def belongs_to_of(self, name: str) -> set[str]:
        """The ``belongs_to`` associations of a model (its own, its ancestors', its concerns')."""
        return self._inherited(name, lambda cls: cls.belongs_to)

    def _inherited(self, name: str, names: Callable[[ClassFacts], frozenset[str]]) -> set[str]:
        """The union of ``names`` over a class, its project ancestors (reopenings included) and
        the project modules they include."""
        return {item for cls in self._definitions(name) for item in names(cls)}

    @cached_property
    def _definitions_memo(self) -> dict[str, list[ClassFacts]]:
        return {}

    def _definitions(self, name: str) -> list[ClassFacts]:
        """Every definition of a class, its project ancestors and the modules they include
        (transitively), each once."""
        if name not in self._definitions_memo:
            self._definitions_memo[name] = self._find_definitions(name)
        return self._definitions_memo[name]

    def _find_definitions(self, name: str) -> list[ClassFacts]:
        found: list[ClassFacts] = []
        seen: set[str] = set()
        todo = list(self.ancestors(name))
        while todo and len(seen) < 200:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            for cls in self.classes.get(current, ()):
                found.append(cls)
                lexical = (cls.name, *cls.lexical)
                todo.extend(r for inc in cls.includes if (r := self.resolve(inc, lexical)))
        return found

    @cached_property
    def _all_constant_keys(self) -> dict[str, tuple[str, ...]]:
        return {k: v for facts in self.files.values() for k, v in facts.constant_keys}

    def _constant_keys(self, name: str, lexical: tuple[str, ...]) -> tuple[str, ...]:
        """The keys of a Hash constant (or the names in an Array constant)."""
        for candidate in (*(f"{scope}::{name}" for scope in lexical), name):
            if candidate in self._all_constant_keys:
                return self._all_constant_keys[candidate]
        return ()

    def table_of(self, name: str) -> str | None:
        """The table a model reads: ``self.table_name``, else the STI base class's name made
        plural; None when a module around it sets a ``table_name_prefix`` (unknown)."""
        base = name
        for ancestor in self.ancestors(name):
            definitions = self.classes.get(ancestor, [])
            explicit = next((c.table_name for c in definitions if c.table_name), None)
            if explicit:
                return explicit
            if not definitions or any(c.abstract for c in definitions):
                break
            if ancestor.removeprefix("::") == "ApplicationRecord":
                break
            base = ancestor
        for definition in self.classes.get(base, ()):
            for enclosing in definition.lexical:
                if any("table_name_prefix" in c.methods for c in self.classes.get(enclosing, ())):
                    return None
        return active_record.table_name(base)

    @cached_property
    def _unique_columns(self) -> dict[str, set[str]]:
        table: dict[str, set[str]] = {}
        for facts in self.files.values():
            for name, column in facts.unique_columns:
                table.setdefault(name, set()).add(column)
        return table

    def unique_columns_of(self, name: str) -> set[str]:
        """The columns of a model's table with a single-column unique index (db/schema.rb)."""
        table = self.table_of(name)
        return set(self._unique_columns.get(table, ())) if table else set()

    def class_method_owner(self, name: str, method: str) -> str | None:
        """The project class or module that gives class ``name`` its class method ``method``:
        the class or a project superclass (``def self.x``, ``class << self``), or a module it
        includes or extends (a concern's ``class_methods do``, or a module's own method)."""
        for ancestor in self.ancestors(name):
            for cls in self.classes.get(ancestor, ()):
                if method in cls.class_methods:
                    return ancestor
                for written in cls.includes:
                    module = self.resolve(written.removeprefix("::"), cls.lexical)
                    for facts in self.classes.get(module or "", ()):
                        if facts.kind == "module" and method in facts.class_methods:
                            return module  # a concern's `class_methods do`
                        if facts.kind == "module" and method in _instance_methods(facts):
                            return module  # `extend M`: M's methods become class methods
        return None

    def includes_httparty(self, name: str) -> bool:
        return any("HTTParty" in self.includes_of(a) for a in self.ancestors(name))

    def httparty_timeout(self, name: str) -> ClassFacts | None:
        """The class (itself or an ancestor) that sets ``default_timeout``, if any."""
        for ancestor in self.ancestors(name):
            for cls in self.classes.get(ancestor, ()):
                if cls.http_default_timeout:
                    return cls
        return None

    def constant(self, name: str, lexical: tuple[str, ...]) -> object:
        for scope in lexical:
            candidate = f"{scope}::{name}"
            if candidate in self.constants:
                return self.constants[candidate]
        return self.constants.get(name, NOT_LITERAL)

    def class_state(self, name: str) -> list[tuple[MutableState, str]]:
        """Class-level state (ruby/state.py) of a class and its project ancestors, with paths."""
        return [
            (state, cls.path)
            for ancestor in self.ancestors(name)
            for cls in self.classes.get(ancestor, ())
            for state in cls.mutable_state
        ]


def _instance_methods(facts: ClassFacts) -> set[str]:
    """The methods a module defines for its instances (or, when extended, for the class)."""
    return set(facts.methods) - set(facts.class_methods)
