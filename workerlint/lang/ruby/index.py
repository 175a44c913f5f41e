"""The Ruby part of the project index: facts of every Ruby file (lang/ruby/model.py extracts
them per file) and the questions rules ask of them across files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from workerlint.lang.ruby.model import (
    ACTIVE_JOB_BASE,
    MODEL_BASES,
    WORKER_MIXINS,
    ClassFacts,
    FileFacts,
    Location,
)
from workerlint.lang.ruby.nodes import NOT_LITERAL

if TYPE_CHECKING:
    from workerlint.lang.ruby.provenance.query import Provenances
    from workerlint.lang.ruby.state import MutableState


@dataclass
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

    def scopes_of(self, name: str) -> set[str]:
        return self._inherited(name, lambda cls: cls.scopes)

    def bounded_scopes_of(self, name: str) -> set[str]:
        return self._inherited(name, lambda cls: cls.bounded_scopes)

    def _inherited(self, name: str, names: Callable[[ClassFacts], frozenset[str]]) -> set[str]:
        """The union of ``names`` over a class and its project ancestors (reopenings included)."""
        return {
            item
            for ancestor in self.ancestors(name)
            for cls in self.classes.get(ancestor, ())
            for item in names(cls)
        }

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
