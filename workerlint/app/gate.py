"""The relevance gate: an exact test, before a file is walked, of whether any selected rule
could report in it (CONTRIBUTING.md, "The relevance gate").

The walk dispatches a node to a rule only for a node type or a call name it subscribes to
(lang/ruby/walk.py, lang/python/walk.py). A call is dispatched by its method's name as written,
and each node type this module knows is written with its keyword, so a file that holds none of
those words (as whole words) has no node the rule would be given. A rule that reacts to something
else says so in ``gate_words``; one that reports only in worker classes (a Python check: in task
modules) in ``gate_worker_classes``; a ``worker_code_only`` rule is given nothing in a file with
no worker code, which the project index knows without parsing. A rule whose words cannot be
derived (a node type written without a keyword) and that declares none is always relevant.

``WORKERLINT_NO_GATE=1`` turns the gate off (tests/test_gate.py compares both).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

# The bytes that continue an identifier (Ruby and Python alike: non-ASCII bytes are letters).
_WORD = rb"A-Za-z0-9_\x80-\xff"


class Gated(Protocol):
    """What the gate reads of a rule or a language check."""

    worker_code_only: bool
    gate_words: frozenset[str] | None
    gate_worker_classes: bool
    always_relevant: bool


def enabled() -> bool:
    return os.environ.get("WORKERLINT_NO_GATE", "") in ("", "0")


def words_of(
    check: Gated, calls: Iterable[str], node_types: Iterable[str], keywords: Mapping[str, str]
) -> frozenset[str] | None:
    """The words one of which a file must hold for ``check`` to be given a node of it, or None
    when they cannot be told (a node type written without a keyword)."""
    if check.gate_words is not None:
        return check.gate_words
    found = set(calls)
    for kind in node_types:
        keyword = keywords.get(kind)
        if keyword is None:
            return None
        found.add(keyword)
    return frozenset(found)


def _pattern(words: Iterable[str]) -> re.Pattern[bytes] | None:
    """One search for any of ``words`` as a whole word (a name ending in ``?``, ``!`` or ``=``,
    or starting with ``[``, is bounded by itself on that side)."""
    parts = []
    for word in sorted(set(words)):
        data = word.encode()
        before = rb"(?<![" + _WORD + rb"])" if re.match(rb"[" + _WORD + rb"]", data) else b""
        after = rb"(?![" + _WORD + rb"])" if re.search(rb"[" + _WORD + rb"]$", data) else b""
        parts.append(before + re.escape(data) + after)
    if not parts:
        return None
    return re.compile(b"|".join(parts))


@dataclass(frozen=True)
class Need:
    """What one rule needs of a file to be given anything by the walk."""

    pattern: re.Pattern[bytes] | None  # None: no word is needed
    worker_code: bool  # only worker code is dispatched to it
    worker_classes: bool  # it reports only in worker classes (task modules)
    never: bool  # it has no word at all: nothing is dispatched to it


class Gate:
    """The gate of one selection of rules over one language."""

    def __init__(self, needs: Sequence[Need]) -> None:
        self.needs = needs

    @classmethod
    def build(
        cls,
        checks: Sequence[Gated],
        subscriptions: Sequence[tuple[Iterable[str], Iterable[str]]],
        keywords: Mapping[str, str],
    ) -> Gate | None:
        """The gate of ``checks`` (each with its (call names, node types)), or None when one of
        them is always relevant (or the gate is off)."""
        if not enabled():
            return None
        needs = []
        for check, (calls, types) in zip(checks, subscriptions, strict=True):
            if check.always_relevant:
                return None
            words = words_of(check, calls, types, keywords)
            needs.append(
                Need(
                    pattern=None if words is None else _pattern(words),
                    worker_code=check.worker_code_only,
                    worker_classes=check.gate_worker_classes,
                    never=words is not None and not words,
                )
            )
        return cls(needs)

    def relevant(self, data: bytes, worker_code: bool, worker_classes: bool) -> bool:
        """Whether some rule could report in a file of ``data``, given whether it has worker
        code and worker classes (task modules) by the index."""
        for need in self.needs:
            if need.never:
                continue
            if need.worker_code and not worker_code:
                continue
            if need.worker_classes and not worker_classes:
                continue
            if need.pattern is None or need.pattern.search(data) is not None:
                return True
        return False
