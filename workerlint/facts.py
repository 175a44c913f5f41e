"""Language-neutral facts the library recognizers produce (lang/*/libraries) and rules read.

A fact says what a piece of code does (sends an HTTP request, with which timeout state), not how
it is written; the syntax node it stands on is kept opaque, for spans and fixes. A second
language produces the same facts from its own syntax.
"""

from __future__ import annotations

import enum
from typing import Any

from workerlint.core.records import record


class _NotLiteral:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_LITERAL"

    def __reduce__(self) -> str:
        return "NOT_LITERAL"


# A value the code does not give as a literal (each language's ``nodes.literal`` returns it).
NOT_LITERAL: Any = _NotLiteral()


class TimeoutState(enum.Enum):
    """Whether a request has a read timeout."""

    SET = "set"  # a timeout is given (on the call, its connection, or process-wide)
    MISSING = "missing"  # none anywhere the code shows
    NIL = "explicitly nil"  # given as nil: the client's wait is unbounded
    UNKNOWN = "unknown"  # options come from a splat or a variable: cannot be known

    @property
    def bounded(self) -> bool:
        return self is TimeoutState.SET


@record(frozen=True)
class Builder:
    """Where a connection object was made (``Faraday.new``, ``Net::HTTP.start``...)."""

    kind: str
    call: Any  # the builder call's node
    target: Any | None  # the variable it was stored in (for setters), if any
    statement: Any | None  # the assignment statement, when it is one


@record(frozen=True)
class HttpRequest:
    """A call that sends an HTTP request (RULES.md, "HTTP request call")."""

    node: Any  # the request call
    client: str  # net_http | httparty | faraday | open_uri | rest_client | excon | http_rb | ...
    label: str  # as written: "HTTParty.post", "connection.post"
    timeout: TimeoutState
    impossible: bool = False  # the call shape cannot take a timeout (Net::HTTP.get)
    option_call: Any | None = None  # where a timeout option can be added (the fix site)
    option_key: str = "timeout"
    positional: int = 1
    builder: Builder | None = None
    nil_value: Any | None = None  # the `nil` given as the timeout, when TimeoutState.NIL

    @property
    def has_timeout(self) -> bool:
        return self.timeout is TimeoutState.SET

    @property
    def unknown(self) -> bool:
        return self.timeout is TimeoutState.UNKNOWN


@record(frozen=True)
class Relation:
    """A database query built from a model (RULES.md, "Relation chain"): ``Order.where(..)``."""

    constant: str  # the model or constant as written
    model: str | None  # the project model, when the constant is one
    calls: tuple[Any, ...]  # the query calls, from the model outward
    methods: tuple[str, ...]
    bounded: bool  # limited: limit, batches, a where on the primary key or on a bounding list,
    # a rolling time window, a scope that bounds itself
    ordered: bool  # the query is ordered (batching ignores the order)
    written: str  # how messages show it: ``Order.where(...).order(...)``
    scoped: bool = (
        False  # scoped to one parent: a where equating a foreign or unique key to a value
    )
    # the rows sharing one runtime value of a column that is not a key (``where(phone:
    # user.phone)``): the column, when nothing else bounds or scopes the chain
    shared: str | None = None
    local: str | None = None  # the local the chain was reached through (``orders.each``)
    local_line: int | None = None  # the line that assigned that local
    shown: str = ""  # how the chain is written where it is used: ``orders.where(...)``
    # the rows are filtered (a `where`, `not`, `having`, a scope of the model): how many there
    # are is not known from the chain itself (``Order.all``, ``Order.order(...)`` are every row)
    filtered: bool = False

    @property
    def unbounded(self) -> bool:
        """Neither bounded nor scoped to one parent: what WL301, WL302 and WL404 report."""
        return not (self.bounded or self.scoped)

    def describe(self) -> str:
        return self.written


@record(frozen=True)
class Enqueue:
    """A job pushed to the queue."""

    call: Any
    method: str  # perform_async | perform_in | perform_at | perform_bulk | push | ...
    active_job: bool  # the framework's own serializer handles the arguments
    target: str | None  # the job class as written, when visible
    resolved: str | None  # the project class it names, if any
    job_args: tuple[Any, ...]  # the argument nodes one job receives (bulk: of every listed job)
    keywords: tuple[Any, ...]  # keyword arguments given to the enqueue
    schedule: Any | None  # the delay or time of a scheduled enqueue
    collection: Any | None  # a bulk enqueue's list of argument lists
    bulk: bool  # one call pushes many jobs
    job: str | None  # the job class as written, else the receiver as written when short
    label: str  # how messages show the call: ``ReportWorker.perform_async``


@record(frozen=True)
class ConnectionOpen:
    """A call that opens a connection (or a client or pool holding connections of its own)."""

    call: Any
    constant: str  # the library's class as written: ``Redis``, ``PG::Connection``
    label: str  # how messages show the call: ``Redis.new``
    kind: str  # redis | redis-pool | pool | redlock | postgresql | mysql | rabbitmq | mongodb


class Size(enum.IntEnum):
    """How many times a loop may run (RULES.md, "Size evidence"), from least to most."""

    SMALL = 0  # a literal list, hash or range of at most 100, a constant holding one, locales
    UNKNOWN = 1  # an association, a chain scoped to one parent, a method's result
    LARGE = 2  # an unbounded relation, batches, a job argument list, a count, over 100
    REQUEST = 3  # sized by request input: one request runs it any number of times


@record(frozen=True)
class SizeEvidence:
    """What says how large an iterated collection or count is."""

    size: Size
    reason: str  # how messages show it: "`Order.where(...)`, an unbounded relation"

    @property
    def small(self) -> bool:
        return self.size is Size.SMALL


@record(frozen=True)
class Loop:
    """A loop whose body runs a node once per step: an iteration method's block or a keyword
    loop, with the size evidence of what it iterates (RULES.md, "Size evidence")."""

    node: Any  # the iteration call, or the loop statement
    method: str | None  # the iteration method (``each``, ``find_each``, ``times``)
    keyword: str | None  # while | until | for
    receiver: Any | None  # what is iterated (the call's receiver), when there is one
    evidence: SizeEvidence = SizeEvidence(Size.UNKNOWN, "a collection of unknown size")
    index: tuple[str, ...] = ()  # the block parameters that count the steps (an index)


# Provenance (RULES.md, "Provenance"): where a job argument comes from, ranked worst last.
PROVENANCE_RANK = {"internal": 0, "unknown": 1, "stored": 2, "request": 3}


@record(frozen=True)
class Provenance:
    """Where a job argument comes from: its ``kind`` (request, stored, unknown, internal) and the
    path from its origin to the enqueue, as messages show it."""

    kind: str
    chain: tuple[str, ...]
    reason: str = ""  # why, when no site shows it: "no enqueue site of `X` in the project ..."
    # No code of the project enqueues the worker (nor an enqueue whose job class is not known):
    # only a person (a console, a manual push) gives its arguments.
    unreached: bool = False

    @property
    def rank(self) -> int:
        return PROVENANCE_RANK[self.kind]

    def shown(self) -> str:
        return " -> ".join(self.chain)


def worst(a: Provenance | None, b: Provenance | None) -> Provenance | None:
    """The worse of two provenances (the first on a tie)."""
    if a is None:
        return b
    if b is None or b.rank <= a.rank:
        return a
    return b
