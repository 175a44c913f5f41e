"""ActiveRecord naming: the table a model reads (``OrganizationRole`` -> ``organization_roles``).

Rails derives a model's table from its class name with ActiveSupport's inflector; this is its
default English inflections (an app's own ``inflections.rb`` is not read: a table named another
way is simply not found, and its unique indexes are then unknown).
"""

from __future__ import annotations

import re

# ActiveSupport's default plural rules, in the order Rails tries them (the last defined first).
_PLURALS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"(quiz)$", r"\1zes"),
        (r"^(oxen)$", r"\1"),
        (r"^(ox)$", r"\1en"),
        (r"^(m|l)ice$", r"\1ice"),
        (r"^(m|l)ouse$", r"\1ice"),
        (r"(matr|vert|ind)(?:ix|ex)$", r"\1ices"),
        (r"(x|ch|ss|sh)$", r"\1es"),
        (r"([^aeiouy]|qu)y$", r"\1ies"),
        (r"(hive)$", r"\1s"),
        (r"(?:([^f])fe|([lr])f)$", r"\1\2ves"),
        (r"sis$", "ses"),
        (r"([ti])a$", r"\1a"),
        (r"([ti])um$", r"\1a"),
        (r"(buffal|tomat)o$", r"\1oes"),
        (r"(bu)s$", r"\1ses"),
        (r"(alias|status)$", r"\1es"),
        (r"(octop|vir)i$", r"\1i"),
        (r"(octop|vir)us$", r"\1i"),
        (r"^(ax|test)is$", r"\1es"),
        (r"s$", "s"),
        (r"$", "s"),
    )
)
_IRREGULAR = {"person": "people", "man": "men", "child": "children", "sex": "sexes",
              "move": "moves", "zombie": "zombies"}  # fmt: skip
_UNCOUNTABLE = frozenset(
    {"equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "jeans",
     "police"}
)  # fmt: skip


def underscore(name: str) -> str:
    """``OrganizationRole`` -> ``organization_role``, ``HTTPRequest`` -> ``http_request``."""
    word = re.sub(r"([A-Z\d]+)([A-Z][a-z])", r"\1_\2", name)
    word = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", word)
    return word.replace("-", "_").lower()


def pluralize(word: str) -> str:
    """ActiveSupport's ``pluralize`` with the default English inflections."""
    last = re.search(r"[a-z]+$", word.lower())
    if last is not None and last.group(0) in _UNCOUNTABLE and word.lower() == last.group(0):
        return word
    for singular, plural in _IRREGULAR.items():
        match = re.search(rf"({singular[0]}){singular[1:]}$", word, re.IGNORECASE)
        if match is not None:
            return word[: match.start()] + match.group(1) + plural[1:]
    for pattern, replacement in _PLURALS:
        if pattern.search(word):
            return pattern.sub(replacement, word, count=1)
    return word


def table_name(model: str) -> str:
    """The table Rails gives a model class by default: ``Billing::InvoiceLine`` ->
    ``invoice_lines`` (the module is dropped unless it sets a ``table_name_prefix``)."""
    return pluralize(underscore(model.rsplit("::", 1)[-1]))
