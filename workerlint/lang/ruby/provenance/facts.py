"""What the project index keeps of each enqueue site (RULES.md, "Provenance"): per job argument
position, where the value passed there may come from. Plain data, cached with the file's facts
(project/codec.py); the index resolves job classes and models at query time (:mod:`.query`)."""

from __future__ import annotations

from workerlint.core.records import record

# Kinds of a source (the worst first): a value from the request; an attribute read from a record
# (counts only when ``owner`` is a model, else unknown); a value of unknown origin; a job argument
# of ``owner``'s ``perform`` passed on (the provenance of that argument); a record or relation
# of ``owner`` itself (internal when ``owner`` is a model: it travels as an id; else unknown).
REQUEST = "request"
STORED = "stored"
UNKNOWN = "unknown"
ARGUMENT = "argument"
RECORD = "record"


@record(frozen=True)
class Source:
    """One origin of a value an enqueue passes."""

    kind: str  # request | stored | unknown | argument | record
    shown: str  # where the value came from, as written (`params[:kind]`, `export.kind`)
    line: int  # the line of ``shown``
    via: tuple[str, ...] = ()  # methods of the class it passed through to the enqueue
    owner: str = ""  # stored/record: the class (as written) that must be a model; argument:
    # the class whose job argument it is
    position: int = -1  # argument: the job argument's position (-1: a keyword)
    keyword: str = ""  # argument: an ActiveJob keyword parameter


@record(frozen=True)
class Slot:
    """What an enqueue passes in one position: the argument as written, and its sources (none:
    internal, a literal, a constant, a class name, an id, a number or a time)."""

    shown: str
    sources: tuple[Source, ...] = ()
    # A literal Hash passed here: what each key holds (a sink reading one key gets its value's).
    keys: tuple[tuple[str, Slot], ...] = ()


@record(frozen=True)
class EnqueueSite:
    """An enqueue call of the file: its job class as written, and what it passes."""

    line: int
    label: str  # how messages show the call: `ExportWorker.perform_async`
    target: str  # the job class as written; "" when it cannot be resolved (`klass.perform_async`)
    lexical: tuple[str, ...]  # where ``target`` (and the sources' owners) are looked up
    active_job: bool  # `perform_later`: keyword arguments match keyword parameters by name
    positional: tuple[Slot, ...] = ()
    keywords: tuple[tuple[str, Slot], ...] = ()  # ActiveJob keyword arguments by name
    rest: Slot | None = None  # a splat, or bulk rows that cannot be read: every later position
