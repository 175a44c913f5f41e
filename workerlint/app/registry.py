"""Code <-> rule, and selection of rules by code, name or code prefix.

The catalogue lives in the ``workerlint.rules`` package (its ``ALL_RULES`` tuple); it is imported
by name here so that the engine never imports a concrete rule module.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Sequence
from functools import cache

from workerlint.core.records import record
from workerlint.core.rule import Rule
from workerlint.core.settings import Selectors, Settings

INTERNAL_CODE = "WL000"  # an engine failure on one file: reported, but not a rule


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


def selects_any(token: str) -> bool:
    return any(_match(token, rule) for rule in all_rules())


def validate(tokens: Iterable[str]) -> None:
    for token in tokens:
        if not token.strip():
            raise SelectionError("empty rule selector (give a code, a name or a prefix)")
        if not selects_any(token):
            raise SelectionError(unknown_message(token))


@record(frozen=True)
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
    chosen = None if select is None else tuple(select)
    return select_layers([Selectors(chosen, tuple(ignore), tuple(extend_select))])


def select_layers(layers: Sequence[Selectors], only: Iterable[str] | None = None) -> Selection:
    """The rules a sequence of selector layers chooses (the first is the root's).

    Each rule is decided by the most specific selector that matches it; between equally specific
    ones, a later layer wins, and within a layer `ignore` wins. The first layer's ``select``
    defaults to every rule; a later layer's ``select`` adds like ``extend-select`` (a nested file
    refines its parent's selection). With ``only`` (the command line's ``--select``), rules it
    does not match are never chosen.
    """
    restrict = None if only is None else tuple(only)
    validate(
        [
            t
            for layer in layers
            for t in (*(layer.select or ()), *layer.ignore, *layer.extend_select)
        ]
        + list(restrict or ())
    )
    picked: list[type[Rule]] = []
    explicit: set[str] = set()
    for rule in all_rules():
        best = (0, -1, False)  # (specificity, order, keep)
        for position, layer in enumerate(layers):
            keeps = list(layer.select or ())
            if position == 0 and layer.select is None:
                keeps = ["ALL"]
            for tokens, order, keep in (
                ([*keeps, *layer.extend_select], 2 * position, True),
                (layer.ignore, 2 * position + 1, False),
            ):
                for token in tokens:
                    specificity = _match(token, rule)
                    if specificity and (specificity, order) > best[:2]:
                        best = (specificity, order, keep)
        if not best[2]:
            continue
        if restrict is not None and not any(_match(t, rule) for t in restrict):
            continue
        picked.append(rule)
        if best[0] == 100:
            explicit.add(rule.code)
    return Selection(tuple(picked), frozenset(explicit))


def for_settings(settings: Settings) -> Selection:
    return select_layers(settings.selectors, settings.only)
