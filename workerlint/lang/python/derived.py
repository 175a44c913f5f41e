"""A Python index's tasks kept per module, so that an index differing from another in a few
modules works them out again for those modules only (``PythonIndex.tasks``).

The project's tasks are every module's (``PythonIndex.tasks_of``). What a module's tasks read
of the project: its own facts; the module table (the set of modules); the functions the project
names as tasks by a string and those it enqueues (``named_in`` and ``enqueued_in`` of every
module, merged); the settings; and, following names across modules (``resolve``,
``class_bases``, ``decorator_framework``, ``app_framework``), other modules' *surface*: their
imports, the names of their functions, classes (with their bases) and assignments (with what
they alias or call), and the calls of the functions ``decorator_framework`` looked into.

So the tasks ``derive`` worked out for one index (``Derived``) hold, module by module, for
another index over the same modules and settings whose differing modules (``Ahead.differing``)
each have the same surface, name and enqueue the same functions: every read of the unchanged
modules' tasks gives the same answer, and only the differing modules' tasks are worked out
again. Otherwise ``Ahead.tasks`` answers None and the index works every module out. An index
over the same modules also takes the derived one's module table (``Ahead.same_modules``).

The resident server (app/server.py) derives these from the index it decoded ahead
(project/index.py), so that a one-file run in a large project does not work out thousands of
modules' tasks (saleor: 2,400 modules, ~30 ms) nor read every module's facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record

if TYPE_CHECKING:
    from collections.abc import Collection

    from workerlint.lang.python.index import PythonIndex, Task
    from workerlint.lang.python.model import ModuleFacts

Surface = tuple[object, ...]


def surface(facts: ModuleFacts, wrappers: Collection[str] = ()) -> Surface:
    """What following names across modules reads of a module: ``wrappers``, the qualnames of
    its functions whose calls were read."""
    return (
        facts.imports,
        facts.star_imports,
        tuple((f.qualname, f.class_name) for f in facts.functions),
        tuple((f.qualname, f.calls) for f in facts.functions if f.qualname in wrappers),
        tuple((c.name, c.bases) for c in facts.classes),
        tuple(
            (
                a.name,
                a.alias,
                None if a.call is None else (a.call.name, a.call.names),
            )
            for a in facts.assignments
        ),
    )


@record(frozen=True)
class Derived:
    """One index's tasks per module, and what they were worked out from."""

    settings: tuple[frozenset[str], frozenset[str]]  # task decorators, task base classes
    facts: dict[str, ModuleFacts]  # each module's facts (by path)
    wrappers: dict[str, frozenset[str]]  # each module's functions whose calls were read
    surfaces: dict[str, Surface]
    named: dict[str, tuple[tuple[str, str, str], ...]]  # each module's ``named_in``
    enqueued: dict[str, tuple[tuple[str, str, str | None], ...]]  # each module's ``enqueued_in``
    tasks: dict[str, tuple[Task, ...]]  # the modules that define tasks: their tasks
    # Each module-level ``name = f(...)`` by its absolute callee: (relpath, place, name).
    assigned: dict[str, list[tuple[str, int, str]]]
    index: PythonIndex  # the index it was derived from (its merged tables are reused)


def derive(index: PythonIndex) -> Derived:
    """``index``'s tasks per module, worked out in full."""
    files = index.files
    index.modules, index._module_of  # noqa: B018 - made here: an index with these modules takes them
    named = {relpath: index.named_in(relpath) for relpath in files}
    enqueued = {relpath: index.enqueued_in(relpath) for relpath in files}
    tasks = {}
    for relpath in sorted(files):
        found = index.tasks_of(relpath)
        if found:
            tasks[relpath] = found
    read: dict[str, set[str]] = {}
    for relpath, qualname in index._wrappers:
        read.setdefault(relpath, set()).add(qualname)
    wrappers = {relpath: frozenset(names) for relpath, names in read.items()}
    surfaces = {
        relpath: surface(facts, wrappers.get(relpath, ())) for relpath, facts in files.items()
    }
    assigned: dict[str, list[tuple[str, int, str]]] = {}
    for relpath in files:
        for place, (callee, name) in enumerate(index.calls_assigned_in(relpath)):
            assigned.setdefault(callee, []).append((relpath, place, name))
    return Derived(
        settings=(index.task_decorators, index.task_base_classes),
        facts=dict(files),
        wrappers=wrappers,
        surfaces=surfaces,
        named=named,
        enqueued=enqueued,
        tasks=tasks,
        assigned=assigned,
        index=index,
    )


@record(frozen=True)
class Ahead:
    """The tables derived from another index, and the modules where the two indexes' facts may
    differ (any other module's facts are the very objects ``derived`` was worked out from)."""

    derived: Derived
    differing: frozenset[str]

    def same_modules(self, index: PythonIndex) -> PythonIndex | None:
        """The index the tables were derived from, when ``index`` has the same modules (its
        module table, a function of the set of modules, is then that one's)."""
        known = self.derived.facts
        if len(index.files) != len(known) or any(rel not in known for rel in self.differing):
            return None
        return self.derived.index

    def assigned_calls(
        self, index: PythonIndex, callees: frozenset[str]
    ) -> tuple[tuple[str, str], ...] | None:
        """``index.assigned_calls(callees)``: the unchanged modules' from the derived table (an
        assignment's callee is made absolute by its module's name alone), the differing
        modules' own; None for another set of modules."""
        if self.same_modules(index) is None:
            return None
        found = [
            entry
            for callee in callees
            for entry in self.derived.assigned.get(callee, ())
            if entry[0] not in self.differing
        ]
        for relpath in self.differing:
            if relpath not in index.files:
                continue
            for place, (callee, name) in enumerate(index.calls_assigned_in(relpath)):
                if callee in callees:
                    found.append((relpath, place, name))
        return tuple((relpath, name) for relpath, _, name in sorted(found))

    def tasks(self, index: PythonIndex) -> list[Task] | None:
        """``index.tasks``, from ``derived`` and the differing modules' own; None when the
        differing modules may change another module's tasks."""
        derived = self.derived
        if (index.task_decorators, index.task_base_classes) != derived.settings:
            return None
        if self.same_modules(index) is None:
            return None  # another set of modules: another module table
        files = index.files
        known = derived.facts
        changed = [
            relpath
            for relpath in sorted(self.differing)
            if relpath in files and files[relpath] is not known[relpath]
        ]
        for relpath in changed:
            facts = files[relpath]
            if (
                surface(facts, derived.wrappers.get(relpath, ())) != derived.surfaces[relpath]
                or index.named_in(relpath) != derived.named[relpath]
                or index.enqueued_in(relpath) != derived.enqueued[relpath]
            ):
                return None
        # Every module names and enqueues what it did: the merged tables are the same.
        before = derived.index
        index.__dict__.setdefault("_named_tasks", before._named_tasks)
        index.__dict__.setdefault("_enqueued", before._enqueued)
        own = {relpath: index.tasks_of(relpath) for relpath in changed}
        modules = {relpath for relpath in derived.tasks if relpath not in own}
        modules.update(relpath for relpath, found in own.items() if found)
        return [
            task
            for relpath in sorted(modules)
            for task in (own[relpath] if relpath in own else derived.tasks[relpath])
        ]
