"""The provenance of a worker's job argument across the project (RULES.md, "Provenance"): the
worst of what every enqueue site of the worker passes in that position (request > stored >
unknown > internal), with the path from where the value comes to the enqueue.

The sites come from every file of the index (``FileFacts.enqueues``, :mod:`.facts`); job classes
and models are resolved here. A job argument passed on by another worker's ``perform`` has that
worker's provenance; a path that comes back to the argument it started from adds nothing, and an
argument no site grounds (only a cycle passes it) is unknown. A worker with no enqueue site in the
project has arguments of unknown provenance; an enqueue whose job class cannot be resolved
(`job.perform_async(*args)`, `name.constantize.perform_async`) counts only for such a worker (it
is unknown then, not merely unreached): the known sites of a worker decide its provenance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from workerlint.facts import PROVENANCE_RANK, Provenance, worst
from workerlint.lang.ruby.provenance.facts import (
    ARGUMENT,
    RECORD,
    REQUEST,
    STORED,
    UNKNOWN,
    EnqueueSite,
    Slot,
    Source,
)


class _Facts(Protocol):
    enqueues: tuple[EnqueueSite, ...]


class Index(Protocol):
    """What provenance asks of the project index (lang/ruby/index.py's RubyIndex)."""

    @property
    def files(self) -> Mapping[str, _Facts]: ...

    def resolve(self, name: str, lexical: tuple[str, ...]) -> str | None: ...

    def is_worker(self, name: str) -> bool: ...

    def is_model(self, name: str) -> bool: ...

    def polymorphic_of(self, name: str) -> set[str]: ...


INTERNAL = "internal"
RANK = PROVENANCE_RANK
MAX_FORWARDS = 8  # workers passing an argument on, one to the next

Key = tuple[str, int, str, str]  # (worker, position, keyword, key of a Hash read there)


class Provenances:
    """Provenance queries over one project index (built once per index)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._sites: dict[str, list[tuple[str, EnqueueSite]]] = {}
        self._dynamic: list[tuple[str, EnqueueSite]] = []
        for path in sorted(index.files):
            for site in index.files[path].enqueues:
                if not site.target:
                    self._dynamic.append((path, site))
                    continue
                resolved = index.resolve(site.target.removeprefix("::"), site.lexical)
                if resolved is not None:
                    self._sites.setdefault(resolved, []).append((path, site))
        self._memo: dict[Key, Provenance] = {}

    def sites(self, worker: str) -> list[tuple[str, EnqueueSite]]:
        return self._sites.get(worker, [])

    def of(self, worker: str, position: int, keyword: str = "", key: str = "") -> Provenance:
        """The provenance of ``worker``'s job argument at ``position`` (or its ActiveJob
        ``keyword``, with ``position`` -1); with ``key``, of what the argument holds under that
        key when the sites pass a literal Hash (the sink reads that key only)."""
        key = (worker, position, keyword, key)
        if key not in self._memo:
            found = self._of(key, ())
            self._memo[key] = found if found is not None else self._cycle(worker)
        return self._memo[key]

    def _cycle(self, worker: str) -> Provenance:
        return Provenance(UNKNOWN, (), f"only a cycle of workers passes it to `{worker}`")

    def _of(self, key: Key, stack: tuple[Key, ...]) -> Provenance | None:
        worker, position, keyword, part = key
        if key in stack or len(stack) > MAX_FORWARDS:
            return None
        sites = self.sites(worker)
        if not sites:
            reason = f"no enqueue site of `{worker}` in the project shows where it comes from"
            found: Provenance | None = Provenance(UNKNOWN, (), reason, unreached=True)
        else:
            found = None
            passed = False
            for path, site in sites:
                slot = _slot(site, position, keyword)
                if slot is not None and part and slot.keys:
                    slot = dict(slot.keys).get(part)
                if slot is None:
                    continue
                passed = True
                found = worst(found, self._slot(path, site, slot, (*stack, key)))
            if not passed:  # every site leaves it to its default value
                reason = f"it keeps its default value (no enqueue of `{worker}` passes it)"
                found = Provenance(INTERNAL, (), reason)
        # The worker's known sites decide; an enqueue of an unknown class may push this worker
        # only when nothing in the project is known to (a generic dispatcher or `constantize`
        # enqueue says nothing about a worker whose own sites are all in view).
        dynamic = [(p, s) for p, s in self._dynamic if _slot(s, position, keyword) is not None]
        if not sites and dynamic:
            path, site = dynamic[0]  # it passes something there, to any worker
            where = f"`{site.label}` in {path}:{site.line}"
            reason = f"it may come from an enqueue whose job class is not known ({where})"
            found = Provenance(UNKNOWN, (), reason)
        return found

    def _slot(
        self, path: str, site: EnqueueSite, slot: Slot, stack: tuple[Key, ...]
    ) -> Provenance | None:
        if not slot.sources:
            shown = f"`{slot.shown}` in {path}:{site.line}" if slot.shown else f"{path}:{site.line}"
            return Provenance(INTERNAL, (shown, f"`{site.label}`"))
        found: Provenance | None = None
        for source in slot.sources:
            found = worst(found, self._source(path, site, slot, source, stack))
        return found

    def _source(
        self, path: str, site: EnqueueSite, slot: Slot, source: Source, stack: tuple[Key, ...]
    ) -> Provenance | None:
        tail = (*(f"`{hop}`" for hop in source.via), f"`{site.label}`")
        where = (f"`{source.shown}` in {path}:{source.line}", *tail)
        if source.kind == REQUEST:
            return Provenance(REQUEST, where)
        if source.kind == STORED:
            if self._polymorphic_type(source, site):
                return Provenance(INTERNAL, where)
            return Provenance(STORED if self._model(source, site) else UNKNOWN, where)
        if source.kind == RECORD:
            return Provenance(INTERNAL if self._model(source, site) else UNKNOWN, where)
        if source.kind == ARGUMENT:
            owner = self.index.resolve(source.owner, ())
            if owner is None or not self.index.is_worker(owner):
                return Provenance(UNKNOWN, where)
            part = stack[-1][3] if stack and slot.shown == source.shown else ""  # passed whole
            inner = self._of((owner, source.position, source.keyword, part), stack)
            if inner is None:
                return None
            chain = (*inner.chain, f"`perform({source.shown})`", *tail)
            return Provenance(inner.kind, chain, inner.reason)
        return Provenance(UNKNOWN, where)

    def _polymorphic_type(self, source: Source, site: EnqueueSite) -> bool:
        """``video.streamable_type`` of a model with a polymorphic ``streamable`` association:
        Rails writes that column itself, with the class name of the associated record."""
        attribute = source.shown.rsplit(".", 1)[-1]
        if not attribute.endswith("_type") or "(" in attribute:
            return False
        resolved = self.index.resolve(source.owner.removeprefix("::"), site.lexical)
        if resolved is None or not self.index.is_model(resolved):
            return False
        return attribute.removesuffix("_type") in self.index.polymorphic_of(resolved)

    def _model(self, source: Source, site: EnqueueSite) -> bool:
        resolved = self.index.resolve(source.owner.removeprefix("::"), site.lexical)
        return resolved is not None and self.index.is_model(resolved)


def _slot(site: EnqueueSite, position: int, keyword: str) -> Slot | None:
    """What ``site`` passes at ``position`` (or as ``keyword``), or None when nothing."""
    if keyword:
        if not site.active_job:
            return None
        for key, slot in site.keywords:
            if key == keyword:
                return slot
        return site.rest
    if position < len(site.positional):
        return site.positional[position]
    if site.active_job and site.keywords and position == len(site.positional):
        sources = tuple(s for _, slot in site.keywords for s in slot.sources)
        return Slot(", ".join(k for k, _ in site.keywords), sources)
    return site.rest
