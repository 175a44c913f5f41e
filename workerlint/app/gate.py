"""The relevance gate: an exact test, before a file is walked, of whether any selected rule
could report in it (CONTRIBUTING.md, "The relevance gate").

The walk dispatches a node to a rule only for a node type or a call name it subscribes to
(lang/ruby/walk.py, lang/python/walk.py). A call is dispatched by its method's name as written,
and each node type this module knows is written with its keyword, so a file that holds none of
those words (as whole words) has no node the rule would be given. A rule that reacts to something
else says so in ``gate_words``; one that reports only in worker classes (a Python check: in task
modules) in ``gate_worker_classes``, and one that needs fewer words where there is none (it
reads definitions only when they are workers or tasks) in ``gate_words_without_worker_classes``; a
``worker_code_only`` rule is given nothing in a file with
no worker code, which the project index knows without parsing. A rule whose words cannot be
derived (a node type written without a keyword) and that declares none is always relevant.

``WORKERLINT_NO_GATE=1`` turns the gate off (tests/test_gate.py compares both).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from workerlint.core.records import record

# The bytes that continue an identifier (Ruby and Python alike: non-ASCII bytes are letters).
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") | frozenset(
    range(0x80, 0x100)
)


class Gated(Protocol):
    """What the gate reads of a rule or a language check."""

    worker_code_only: bool
    gate_words: frozenset[str] | None
    gate_worker_classes: bool
    gate_words_without_worker_classes: frozenset[str] | None
    gate_words_without_worker_code: frozenset[str] | None
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


def holds(data: bytes, word: bytes) -> bool:
    """Whether ``data`` holds ``word`` as a whole word (a name ending in ``?``, ``!`` or ``=``,
    or starting with ``[``, is bounded by itself on that side). ``bytes.find`` does the
    scanning: a regular expression of every word was slower than the walk it spares."""
    bound_before = word[0] in _WORD
    bound_after = word[-1] in _WORD
    size = len(word)
    at = data.find(word)
    while at >= 0:
        end = at + size
        if (not bound_before or at == 0 or data[at - 1] not in _WORD) and (
            not bound_after or end == len(data) or data[end] not in _WORD
        ):
            return True
        at = data.find(word, at + 1)
    return False


@record(frozen=True)
class Need:
    """What one rule needs of a file to be given anything by the walk."""

    words: frozenset[bytes] | None  # one must be in the file; None: no word is needed
    worker_code: bool  # only worker code is dispatched to it
    worker_classes: bool  # it reports only in worker classes (task modules)
    # The words one of which a file must hold when it has no worker classes (None: ``words``).
    words_without_worker_classes: frozenset[bytes] | None = None
    # The words one of which a file must hold when it has no worker code, where the caller
    # says they apply (``relevant``'s ``narrow``; None: as above).
    words_without_worker_code: frozenset[bytes] | None = None


def _encoded(words: frozenset[str] | None) -> frozenset[bytes] | None:
    return None if words is None else frozenset(w.encode() for w in words)


class Gate:
    """The gate of one selection of rules over one language."""

    def __init__(self, needs: Sequence[Need]) -> None:
        self.needs = needs
        # Per (worker code, worker classes): the words of the rules that could then be given
        # a node, shortest first (None: one of them needs no word).
        self._words: dict[tuple[bool, bool], tuple[bytes, ...] | None] = {}

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
                    words=None if words is None else frozenset(w.encode() for w in words),
                    worker_code=check.worker_code_only,
                    worker_classes=check.gate_worker_classes,
                    words_without_worker_classes=_encoded(check.gate_words_without_worker_classes),
                    words_without_worker_code=_encoded(check.gate_words_without_worker_code),
                )
            )
        return cls(needs)

    @property
    def narrows(self) -> bool:
        """Whether a rule needs fewer words in a file without worker code (``narrow``)."""
        return any(need.words_without_worker_code is not None for need in self.needs)

    def _wanted(
        self, worker_code: bool, worker_classes: bool, narrow: bool = False
    ) -> tuple[bytes, ...] | None:
        narrow = narrow and not worker_code
        key = (worker_code, worker_classes, narrow)
        if key not in self._words:
            found: set[bytes] = set()
            wanted: tuple[bytes, ...] | None = None
            for need in self.needs:
                if (need.worker_code and not worker_code) or (
                    need.worker_classes and not worker_classes
                ):
                    continue
                words = need.words
                if not worker_classes and need.words_without_worker_classes is not None:
                    words = need.words_without_worker_classes
                if narrow and need.words_without_worker_code is not None:
                    words = need.words_without_worker_code
                if words is None:
                    break
                found |= words
            else:
                # Shortest first, but a word of one or two letters last: it is found as a part
                # of many words, so scanning for it alone is slow.
                wanted = tuple(sorted(found, key=lambda w: (len(w) < 3, len(w), w)))
            self._words[key] = wanted
        return self._words[key]

    def relevant(
        self,
        data: bytes,
        worker_code: bool,
        worker_classes: bool,
        plain: bool | None = None,
        narrow: bool = False,
    ) -> bool:
        """Whether some rule could report in a file of ``data``, given whether it has worker
        code and worker classes (task modules) by the index. ``plain``: the answer with
        neither (and without ``narrow``), when known (app/source.py asked before the index was
        built): it spares scanning the file again, as a file relevant so is relevant whatever
        the index says, unless fewer words apply now. ``narrow``: the rules' words without
        worker code apply (the caller knows the project allows it)."""
        if plain is False and not (worker_code or worker_classes):
            return False  # (the words with ``narrow`` are fewer still)
        if plain and (worker_code or not narrow):
            return True
        words = self._wanted(worker_code, worker_classes, narrow)
        return words is None or any(holds(data, word) for word in words)
