"""What the project index keeps of each Python enqueue site: per task argument, where the value
passed there may come from. Plain data, cached with the module's facts (project/codec.py); the
index resolves the task at query time (:mod:`.query`)."""

from __future__ import annotations

from workerlint.core.records import record

# Kinds of a source, the worst first: a value from the request; a field read from a record; a
# value of unknown origin; a task argument passed on (the provenance of that argument).
REQUEST = "request"
STORED = "stored"
UNKNOWN = "unknown"
ARGUMENT = "argument"


@record(frozen=True)
class Source:
    """One origin of a value an enqueue passes."""

    kind: str  # request | stored | unknown | argument
    shown: str  # the value as written where it comes from (`request.GET["kind"]`)
    line: int
    owner: str = ""  # argument: the qualname of the function (a task's) whose parameter it is
    position: int = -1  # argument: the parameter's position among the function's parameters


@record(frozen=True)
class Slot:
    """What an enqueue passes in one position (or keyword): the argument as written and its
    sources (none: internal, a literal, a constant, an id, a number, a time, a fresh name)."""

    shown: str
    sources: tuple[Source, ...] = ()


@record(frozen=True)
class EnqueueSite:
    """An enqueue call of the module: the task as written, and what it passes."""

    line: int
    label: str  # how messages show the call: `export.delay`
    target: str  # the task qualified as written (model.py), or "name:<registered name>"
    positional: tuple[Slot, ...] = ()
    keywords: tuple[tuple[str, Slot], ...] = ()
    rest: Slot | None = None  # `*args`/`**kwargs` or arguments not read: every other position
