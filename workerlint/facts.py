"""Language-neutral facts the library recognizers produce (lang/*/libraries) and rules read.

A fact says what a piece of code does (sends an HTTP request, with which timeout state), not how
it is written; the syntax node it stands on is kept opaque, for spans and fixes. A second
language produces the same facts from its own syntax.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class TimeoutState(enum.Enum):
    """Whether a request has a read timeout."""

    SET = "set"  # a timeout is given (on the call, its connection, or process-wide)
    MISSING = "missing"  # none anywhere the code shows
    NIL = "explicitly nil"  # given as nil: the client's wait is unbounded
    UNKNOWN = "unknown"  # options come from a splat or a variable: cannot be known

    @property
    def bounded(self) -> bool:
        return self is TimeoutState.SET


@dataclass(frozen=True)
class Builder:
    """Where a connection object was made (``Faraday.new``, ``Net::HTTP.start``...)."""

    kind: str
    call: Any  # the builder call's node
    target: Any | None  # the variable it was stored in (for setters), if any
    statement: Any | None  # the assignment statement, when it is one


@dataclass(frozen=True)
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
