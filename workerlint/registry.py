"""Code <-> rule, and selection of rules by code, name or code prefix.

The catalogue lives in the ``workerlint.rules`` package (its ``ALL_RULES`` tuple); it is imported
by name here so that the engine never imports a concrete rule module.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from workerlint.rule import Rule


class SelectionError(ValueError):
    """A selector names no rule."""


@cache
def all_rules() -> tuple[type[Rule], ...]:
    catalogue = importlib.import_module("workerlint.rules")
    rules: tuple[type[Rule], ...] = catalogue.ALL_RULES
    return tuple(sorted(rules, key=lambda r: r.code))


@cache
def _by_token() -> dict[str, type[Rule]]:
    table: dict[str, type[Rule]] = {}
    for rule in all_rules():
        table[rule.code.upper()] = rule
        table[rule.name.lower()] = rule
    return table


def lookup(token: str) -> type[Rule] | None:
    """The rule with this code or name (case-insensitive), or None."""
    token = token.strip()
    return _by_token().get(token.upper()) or _by_token().get(token.lower())


def closest(token: str) -> str | None:
    """The code or name nearest to a misspelt selector, for error messages.

    Ties go to the rule listed first in the catalogue (``WL20`` suggests WL201, not WL203).
    """
    choices = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    best: tuple[float, str] | None = None
    for candidate in dict.fromkeys([token.strip(), token.strip().upper()]):
        for choice in choices:
            ratio = difflib.SequenceMatcher(None, candidate, choice).ratio()
            if ratio >= 0.5 and (best is None or ratio > best[0]):
                best = (ratio, choice)
        if best is not None:
            break
    return best[1] if best else None


def unknown_message(token: str) -> str:
    hint = closest(token)
    suffix = f"; did you mean `{hint}`?" if hint else ""
    return f"unknown rule selector `{token}`{suffix}"


def _match(token: str, rule: type[Rule]) -> int:
    """How specifically ``token`` selects ``rule``: 0 = not at all; larger = more specific."""
    token = token.strip()
    if token.upper() == "ALL":
        return 1
    if token.lower() == rule.name or token.upper() == rule.code:
        return 100
    upper = token.upper()
    if upper.startswith("WL") and rule.code.startswith(upper):
        return 1 + len(upper)
    return 0


def validate(tokens: Iterable[str]) -> None:
    for token in tokens:
        if not any(_match(token, rule) for rule in all_rules()):
            raise SelectionError(unknown_message(token))


@dataclass(frozen=True)
class Selection:
    rules: tuple[type[Rule], ...]
    explicit: frozenset[str]  # codes named exactly (by code or name) in select/extend-select

    def is_explicit(self, rule: type[Rule]) -> bool:
        return rule.code in self.explicit


def select(
    select: Iterable[str] | None, ignore: Iterable[str] = (), extend_select: Iterable[str] = ()
) -> Selection:
    """Rules chosen by ``select`` (default: all) plus ``extend_select``, minus ``ignore``.

    As in Ruff, the most specific selector wins: ``--select WL201 --ignore WL2`` keeps WL201.
    """
    chosen = ["ALL"] if select is None else list(select)
    extend = list(extend_select)
    ignored = list(ignore)
    validate([*chosen, *extend, *ignored])
    picked: list[type[Rule]] = []
    explicit: set[str] = set()
    for rule in all_rules():
        keep = max((_match(t, rule) for t in [*chosen, *extend]), default=0)
        drop = max((_match(t, rule) for t in ignored), default=0)
        if keep and keep > drop:
            picked.append(rule)
            if keep == 100:
                explicit.add(rule.code)
    return Selection(tuple(picked), frozenset(explicit))
