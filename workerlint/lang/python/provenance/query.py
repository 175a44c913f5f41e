"""The provenance of a task's argument across the project (RULES.md, "Provenance"): the worst of
what every enqueue site of the task passes there (request > stored > unknown > internal), with
the path from where the value comes to the enqueue.

Sites come from every module's facts (:mod:`.facts`); the task each names is resolved here
(through imports and re-exports, or by its registered name for ``send_task``). An argument a
task passes on from its own argument has that argument's provenance; a path that comes back to
where it started adds nothing (only a cycle passes it: unknown). A task with no enqueue site in
the project has arguments of unknown provenance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from workerlint.facts import PROVENANCE_RANK, Provenance, worst
from workerlint.lang.python.provenance.facts import (
    ARGUMENT,
    REQUEST,
    STORED,
    UNKNOWN,
    EnqueueSite,
    Slot,
    Source,
)


class Task(Protocol):
    """What provenance asks of a task (lang/python/index.py's Task)."""

    relpath: str
    qualname: str
    body: str
    framework: str
    options: dict[str, object]


class _Function(Protocol):
    params: tuple[str, ...]


class _Facts(Protocol):
    enqueues: tuple[EnqueueSite, ...]

    def function(self, qualname: str) -> _Function | None: ...


class _Target(Protocol):
    relpath: str
    kind: str
    name: str
    rest: tuple[str, ...]


class PythonIndex(Protocol):
    """What provenance asks of the project index (lang/python/index.py's PythonIndex)."""

    @property
    def files(self) -> Mapping[str, _Facts]: ...

    @property
    def tasks(self) -> list[Task]: ...

    def absolute(self, name: str, relpath: str) -> str: ...

    def resolve(self, qualified: str, depth: int = 0) -> _Target | None: ...

    def task_named(self, name: str) -> Task | None: ...

    def task_of(self, relpath: str, qualname: str) -> Task | None: ...


INTERNAL = "internal"
RANK = PROVENANCE_RANK
MAX_FORWARDS = 8

Key = tuple[str, str, int, str]  # (relpath, task body, position, keyword)


class Provenances:
    """Provenance queries over one Python index (built once per index)."""

    def __init__(self, index: PythonIndex) -> None:
        self.index = index
        self._sites: dict[tuple[str, str], list[tuple[str, EnqueueSite]]] = {}
        by_definition = {(t.relpath, t.qualname): t for t in index.tasks}
        for path in sorted(index.files):
            for site in index.files[path].enqueues:
                task = self._task(path, site, by_definition)
                if task is not None:
                    self._sites.setdefault((task.relpath, task.body), []).append((path, site))
        self._memo: dict[Key, Provenance] = {}

    def _task(
        self, path: str, site: EnqueueSite, tasks: dict[tuple[str, str], Task]
    ) -> Task | None:
        if site.target.startswith("name:"):
            return self.index.task_named(site.target[len("name:") :])
        target = self.index.resolve(self.index.absolute(site.target, path))
        if target is None or target.kind not in ("function", "class") or target.rest:
            return None
        return tasks.get((target.relpath, target.name))

    def sites(self, task: Task) -> list[tuple[str, EnqueueSite]]:
        return self._sites.get((task.relpath, task.body), [])

    def of(self, task: Task, position: int, keyword: str) -> Provenance:
        """The provenance of the task argument at ``position`` named ``keyword``."""
        key = (task.relpath, task.body, position, keyword)
        if key not in self._memo:
            found = self._of(key, ())
            self._memo[key] = found or Provenance(
                UNKNOWN, (), f"only a cycle of tasks passes it to `{task.body}`"
            )
        return self._memo[key]

    def _of(self, key: Key, stack: tuple[Key, ...]) -> Provenance | None:
        relpath, body, position, keyword = key
        if key in stack or len(stack) > MAX_FORWARDS:
            return None
        sites = self._sites.get((relpath, body), [])
        if not sites:
            reason = f"no enqueue site of `{body}` in the project shows where it comes from"
            return Provenance(UNKNOWN, (), reason)
        found: Provenance | None = None
        default: Provenance | None = None
        for path, site in sites:
            slot = _slot(site, position, keyword)
            if slot is None:  # the task's default value there
                where = f"`{site.label}` in {path}:{site.line}"
                default = Provenance(INTERNAL, (), f"it keeps its default value ({where})")
                continue
            found = worst(found, self._slot(path, site, slot, (*stack, key)))
        if found is None:  # no site passes it, or only the task itself passes it on
            return default
        return worst(found, default)

    def _slot(
        self, path: str, site: EnqueueSite, slot: Slot, stack: tuple[Key, ...]
    ) -> Provenance | None:
        if not slot.sources:
            shown = f"`{slot.shown}` in {path}:{site.line}" if slot.shown else f"{path}:{site.line}"
            return Provenance(INTERNAL, (shown, f"`{site.label}`"))
        found: Provenance | None = None
        for source in slot.sources:
            found = worst(found, self._source(path, site, source, stack))
        return found

    def _source(
        self, path: str, site: EnqueueSite, source: Source, stack: tuple[Key, ...]
    ) -> Provenance | None:
        where = (f"`{source.shown}` in {path}:{source.line}", f"`{site.label}`")
        if source.kind in (REQUEST, STORED, UNKNOWN):
            return Provenance(source.kind, where)
        if source.kind == ARGUMENT:
            task = self.index.task_of(path, source.owner)
            if task is None:
                return Provenance(UNKNOWN, where)
            inner = self._of(_key(task, source, self.index), stack)
            if inner is None:
                return None
            chain = (*inner.chain, f"`{task.body.rsplit('.', 1)[-1]}({source.shown})`", where[1])
            return Provenance(inner.kind, chain, inner.reason)
        return Provenance(UNKNOWN, where)


def _key(task: Task, source: Source, index: PythonIndex) -> Key:
    """The key of a task's own argument passed on (its position among the job arguments)."""
    facts = index.files[task.relpath].function(task.body)
    params = facts.params if facts is not None else ()
    drop = 1 if params and (params[0] in ("self", "cls", "ctx") or task.options.get("bind")) else 0
    return (task.relpath, task.body, source.position - drop, source.shown)


def _slot(site: EnqueueSite, position: int, keyword: str) -> Slot | None:
    """What ``site`` passes at ``position`` or as ``keyword``, or None when nothing."""
    for key, slot in site.keywords:
        if key == keyword:
            return slot
    if 0 <= position < len(site.positional):
        return site.positional[position]
    return site.rest
