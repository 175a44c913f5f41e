"""Taint facts of the job-argument data flow (RULES.md, "Job arguments"): values, states, findings.

A :class:`Taint` says whether a value is a job argument or derived from one, separately for the two
uses: ``inj`` (WL401, ended by numeric conversions and validation) and ``size`` (WL402, ended by
bounding). A :class:`State` maps local and instance variables to their taint on one path; ``dead``
marks a path that has left (``return``, ``raise``, ``next``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True)
class Origin:
    """Which job argument a value comes from, and the methods it was passed through."""

    arg: str
    path: tuple[str, ...]  # ("perform(kind)", "dispatch(type)")

    def hop(self, method: str, param: str) -> Origin:
        return Origin(self.arg, (*self.path, f"{method}({param})"))

    def describe(self) -> str:
        return " -> ".join(f"`{p}`" for p in self.path)


@dataclass(frozen=True)
class Taint:
    inj: Origin | None = None  # reaches WL401 sinks
    size: Origin | None = None  # reaches WL402 uses
    built: bool = False  # a string built by interpolation, concatenation or format
    lead: bool = False  # the tainted part may start the value (a leading `|` is possible)
    host: bool = False  # the tainted part may be a URL's scheme or host

    def __bool__(self) -> bool:
        return self.inj is not None or self.size is not None

    def union(self, other: Taint) -> Taint:
        if not other:
            return self
        if not self:
            return other
        return Taint(
            self.inj or other.inj,
            self.size or other.size,
            self.built or other.built,
            self.lead or other.lead,
            self.host or other.host,
        )

    def numeric(self) -> Taint:
        """A number made from the value: it cannot inject, but it can size work."""
        return Taint(size=self.size) if self.size else CLEAN

    def clean(self, kinds: frozenset[str]) -> Taint:
        return replace(self, **{k: None for k in kinds}) if self else self

    def element(self) -> Taint:
        """An element of a tainted collection (a whole value of its own)."""
        return Taint(self.inj, self.size, False, True, True) if self else CLEAN

    def as_built(self, lead: bool = False, host: bool = False) -> Taint:
        if not self:
            return self
        return Taint(self.inj, self.size, True, lead, host)


CLEAN = Taint()


def source(arg: str, method: str) -> Taint:
    origin = Origin(arg, (f"{method}({arg})",))
    return Taint(origin, origin, False, True, True)


def union_all(taints: list[Taint]) -> Taint:
    result = CLEAN
    for taint in taints:
        result = result.union(taint)
    return result


@dataclass
class State:
    vars: dict[str, Taint] = field(default_factory=dict)
    dead: bool = False

    def copy(self) -> State:
        return State(dict(self.vars), self.dead)

    def get(self, name: str) -> Taint:
        return self.vars.get(name, CLEAN)

    def set(self, name: str, taint: Taint) -> None:
        if taint:
            self.vars[name] = taint
        else:
            self.vars.pop(name, None)

    def refine(self, facts: frozenset[tuple[str, str]]) -> State:
        """This state with the variables in ``facts`` validated ("inj") or bounded ("size")."""
        for name, kind in facts:
            if name in self.vars:
                self.set(name, self.vars[name].clean(frozenset({kind})))
        return self

    def assign_from(self, other: State) -> None:
        self.vars = other.vars
        self.dead = other.dead


def join(states: list[State]) -> State:
    """Paths meeting: a variable is tainted when it is tainted on any live path."""
    live = [s for s in states if not s.dead]
    if not live:
        return State(dict(states[0].vars) if states else {}, True)
    result = State(dict(live[0].vars))
    for other in live[1:]:
        for name, taint in other.vars.items():
            result.vars[name] = result.vars.get(name, CLEAN).union(taint)
    return result


@dataclass(frozen=True)
class Finding:
    use: str  # "injection": reaches a dangerous sink; "size": sizes work (a count, a limit)
    start: int  # bytes of the reported span
    end: int
    kind: str  # sink kind (WL401) or use (WL402)
    label: str  # the sink as written: "klass.constantize", "count.times"
    origin: Origin
    node: Node = field(compare=False, hash=False)
    subject: str = "value"  # the variable holding the value at the sink, for the advice
