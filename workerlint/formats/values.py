"""Values of the Sidekiq setup, each with where it came from and how sure we are of it."""

from __future__ import annotations

from workerlint.core.records import record
from workerlint.formats.erb import Status
from workerlint.formats.yaml import YNode


@record(frozen=True)
class Source:
    """Where a value is written: a file (relative path), a byte span and a 1-based line/column."""

    relpath: str
    start: int
    end: int
    line: int
    column: int = 1

    @property
    def where(self) -> str:
        return f"{self.relpath}:{self.line}"


@record(frozen=True)
class Value:
    """A number or text of the setup (RULES.md, "Values").

    ``status`` is ``known`` (a literal, or a variable supplied with ``--env``), ``default`` (an
    ERB/ENV template's default: ``variables`` names the variables it reads) or ``unknown``.
    ``source`` is None for a value no file states (Sidekiq's own default: ``note`` says which).
    ``literal`` is True when the text at ``source`` is the plain number itself (a fix may
    rewrite it).
    """

    value: object
    status: Status
    source: Source | None = None
    variables: tuple[str, ...] = ()
    note: str = ""
    literal: bool = False

    @property
    def known(self) -> bool:
        return self.status != "unknown"

    def describe(self) -> str:
        """``20 (config/sidekiq.yml:2, default of SIDEKIQ_CONCURRENCY)``; ``unknown (...)``."""
        shown = "unknown" if self.status == "unknown" else self.value
        return f"{shown} ({self.origin()})"

    def origin(self) -> str:
        if self.source is None and self.note:
            return self.note
        parts = []
        if self.source is not None:
            parts.append(self.source.where)
        if self.status == "default" and self.variables:
            parts.append("default of " + ", ".join(self.variables))
        elif self.status == "known" and self.variables:
            parts.append(", ".join(self.variables) + " from --env")
        elif self.status == "unknown" and self.variables:
            parts.append("reads " + ", ".join(self.variables) + " with no default")
        elif self.status == "unknown" and not self.note:
            parts.append("cannot be evaluated")
        if self.note:
            parts.append(self.note)
        return ", ".join(parts) or "unknown source"


def int_value(value: Value | None) -> int | None:
    """The value as a positive-or-not integer when it is known (or a default) and an int."""
    if value is None or value.status == "unknown":
        return None
    number = value.value
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    return number


@record(frozen=True)
class QueueEntry:
    """One queue a process listens to; ``weight`` is None when none is given, or when it is
    unknown (then ``weight_unknown`` says why)."""

    name: str
    weight: object
    source: Source | None
    weight_unknown: str = ""


@record(frozen=True)
class Capsule:
    """A 7+ capsule: from the YAML (``origin="yaml"``) or ``config.capsule`` (``"ruby"``).
    ``concurrency`` None: not given (YAML: a boot error; Ruby: the process's concurrency).
    ``queues`` None: not given (then `default`), or unknown when ``queues_unknown`` says why."""

    name: str
    concurrency: Value | None
    queues: tuple[QueueEntry, ...] | None
    source: Source
    origin: str
    queues_unknown: str = ""


def unknown_because(node: YNode) -> str:
    """Why an unknown YAML value is unknown: the variables it reads, or ERB we cannot evaluate."""
    if node.variables:
        return "reads " + ", ".join(node.variables) + " with no default"
    return "built by ERB that cannot be evaluated"


def node_source(relpath: str, node: YNode) -> Source:
    return Source(relpath, node.start, node.end, node.line, node.column)


def yaml_value(relpath: str, data: bytes, node: YNode) -> Value:
    """A YAML scalar (or collection) as a Value; ``literal`` when its text is a plain integer."""
    text = data[node.start : node.end]
    literal = node.kind == "scalar" and text.isdigit() and node.status == "known"
    value = node.value if node.kind == "scalar" else node
    return Value(value, node.status, node_source(relpath, node), node.variables, literal=literal)
