"""The sanitizers of Python job arguments: conditions that validate or bound a variable on the
branch they guard (RULES.md, WL401/WL402; PYTHON.md §9).

``guards(guard)`` gives the taint engine the facts that hold where a guard (an ``if``/``elif``
condition, an ``assert``, the left side of ``and``/``or``, a comprehension's ``if``, a ``case``
clause) is truthy and where it is falsy, as ``(variable, kind)`` pairs: "inj" (validated: cannot
inject, WL401) or "size" (bounded: cannot size work, WL402).

Validating: ``x in ALLOWED`` / ``x not in ALLOWED``, ``all(v in ALLOWED for v in x)``, ``x ==
"literal"``, ``re.fullmatch(p, x)`` (or ``PATTERN.fullmatch(x)``; ``re.match`` with a pattern
ending in ``$``/``\\Z``), ``x.isdigit()``/``isdecimal()``/``isnumeric()``, ``isinstance(x,
int)``, ``case "a" | "b":`` literal patterns. Bounding: ``x < N``, ``x <= N`` (and ``>``/``>=``
mirrored), a literal comparison or membership.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.lower import shared_name
from workerlint.lang.python.nodes import text
from workerlint.taint import NO_FACTS, Facts

if TYPE_CHECKING:
    from tree_sitter import Node

INJECTION, SIZE = "inj", "size"  # the taint kinds: reaches WL401 sinks; sizes work (WL402)
BOTH = (INJECTION, SIZE)
# Transformations a check may be written through (``x.lower() in ALLOWED`` is about ``x``).
TRANSPARENT = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip", "str"})
DIGITS = frozenset({"isdigit", "isdecimal", "isnumeric"})
LITERAL_PATTERNS = frozenset(
    {"string", "integer", "float", "true", "false", "none", "concatenated_string"}
)
NUMBERS = frozenset({"int", "float", "decimal.Decimal", "numbers.Number", "numbers.Integral"})


def subject_name(node: Node | None, parts: bool = False) -> str | None:
    """The variable a check is about: ``x``, ``self.x``, or ``x.lower()``/``str(x)`` of one;
    with ``parts``, also ``x`` for a check on an attribute of it (``x.kind in ALLOWED``: the
    engine keeps no taint per attribute, so validating a part counts for the whole, which
    reports less, never more)."""
    for _ in range(8):
        if node is None:
            return None
        node = nodes.unwrap(node)
        if node.type == "identifier":
            return text(node)
        shared = shared_name(node)
        if shared is not None:
            return shared
        if parts and node.type == "attribute":
            node = node.child_by_field_name("object")
            continue
        if node.type != "call" or nodes.call_name(node) not in TRANSPARENT:
            return None
        args = nodes.arguments(node)
        if nodes.receiver(node) is not None and not args:
            node = nodes.receiver(node)
        elif nodes.receiver(node) is None and len(args) == 1:
            node = args[0]
        else:
            return None
    return None


def guards(guard: Node) -> tuple[Facts, Facts]:
    """(facts true where ``guard`` holds, facts true where it does not)."""
    if guard.type == "case_clause":
        return case_facts(guard), NO_FACTS
    return refinements(guard)


def case_facts(clause: Node) -> Facts:
    """What ``case`` literal patterns prove about the ``match`` subject in the case's body."""
    match = nodes.enclosing(clause, ("match_statement",))
    value = match.child_by_field_name("subject") if match is not None else None
    subject = subject_name(value, True)
    if subject is None or clause.child_by_field_name("guard") is not None:
        return NO_FACTS
    patterns = [c for c in clause.named_children if c.type == "case_pattern"]
    if not patterns:
        return NO_FACTS
    for pattern in patterns:
        inner = pattern.named_children
        if len(inner) != 1:
            return NO_FACTS
        options = inner[0].named_children if inner[0].type == "union_pattern" else inner
        if not all(_literal_pattern(o) for o in options):
            return NO_FACTS
    return frozenset((subject, k) for k in BOTH)


def _literal_pattern(node: Node) -> bool:
    if node.type == "case_pattern" and len(node.named_children) == 1:
        node = node.named_children[0]
    if node.type == "string":
        return not any(c.type == "interpolation" for c in node.named_children)
    return node.type in LITERAL_PATTERNS or (node.type == "dotted_name" and "." in text(node))


def refinements(node: Node | None) -> tuple[Facts, Facts]:
    """(facts true when ``node`` is truthy, facts true when it is falsy)."""
    none: Facts = NO_FACTS
    if node is None:
        return none, none
    node = nodes.unwrap(node)
    kind = node.type
    if kind == "not_operator":
        truthy, falsy = refinements(node.child_by_field_name("argument"))
        return falsy, truthy
    if kind == "boolean_operator":
        lt, lf = refinements(node.child_by_field_name("left"))
        rt, rf = refinements(node.child_by_field_name("right"))
        if text(node.child_by_field_name("operator")) == "and":
            return lt | rt, lf & rf
        return lt & rt, lf | rf
    if kind == "comparison_operator":
        return _comparison(node)
    if kind == "call":
        return _call(node), none
    return none, none


def _comparison(node: Node) -> tuple[Facts, Facts]:
    none: Facts = NO_FACTS
    operands = [c for c in node.named_children if c.type != "comment"]
    operators = [text(o) for o in node.children_by_field_name("operators")]
    if len(operands) == 3 and len(operators) == 2 and all(o in ("<", "<=") for o in operators):
        name = subject_name(operands[1], True)  # 1 <= n <= 100
        return (frozenset({(name, SIZE)}) if name else none), none
    if len(operands) != 2 or len(operators) != 1:
        return none, none
    operator = " ".join(operators[0].split())
    left, right = operands
    lname, rname = subject_name(left, True), subject_name(right, True)
    if operator in ("in", "not in"):
        facts = frozenset((lname, k) for k in BOTH) if lname else none
        return (facts, none) if operator == "in" else (none, facts)
    if operator in ("<", "<="):
        return _size(lname), _size(rname)
    if operator in (">", ">="):
        return _size(rname), _size(lname)
    if operator in ("==", "!=", "is", "is not"):
        subject = lname or rname
        other = right if lname else left
        if subject is None or subject_name(other) is not None:
            return none, none
        facts = frozenset((subject, k) for k in BOTH)
        return (facts, none) if operator in ("==", "is") else (none, facts)
    return none, none


def _size(name: str | None) -> Facts:
    return frozenset({(name, SIZE)}) if name else NO_FACTS


def _call(node: Node) -> Facts:
    name = nodes.call_name(node) or ""
    args = nodes.arguments(node)
    recv = nodes.receiver(node)
    if name == "all" and recv is None and len(args) == 1:
        return _all_members(args[0])
    if name in DIGITS and recv is not None and not args:
        subject = subject_name(recv)
        return frozenset({(subject, INJECTION)}) if subject else NO_FACTS
    if name == "isinstance" and recv is None and len(args) == 2:
        subject = subject_name(args[0])
        if subject and text(args[1]) in ("int", "float", "(int, float)"):
            return frozenset({(subject, INJECTION)})
        return NO_FACTS
    if name in ("fullmatch", "match"):
        subject_node = args[-1] if args else None
        if recv is not None and text(recv) == "re":
            subject_node = args[1] if len(args) >= 2 else None
            if name == "match" and not _anchored_end(args[0] if args else None):
                return NO_FACTS
        elif name == "match":
            return NO_FACTS  # a compiled pattern whose end is not seen here
        subject = subject_name(subject_node)
        return frozenset({(subject, INJECTION)}) if subject else NO_FACTS
    return NO_FACTS


def _all_members(generator: Node) -> Facts:
    """``all(v in ALLOWED for v in x)``: every element of ``x`` is allowed."""
    if generator.type != "generator_expression":
        return NO_FACTS
    body = generator.child_by_field_name("body")
    clauses = [c for c in generator.named_children if c.type == "for_in_clause"]
    if body is None or len(clauses) != 1:
        return NO_FACTS
    element = subject_name(clauses[0].child_by_field_name("left"))
    subject = subject_name(clauses[0].child_by_field_name("right"))
    truthy, _ = refinements(body)
    if subject is None or element is None or (element, INJECTION) not in truthy:
        return NO_FACTS
    return frozenset({(subject, INJECTION)})  # each element allowed; the count is not bounded


def _anchored_end(pattern: Node | None) -> bool:
    value = nodes.string_value(pattern)
    return value is not None and value.endswith(("$", "\\Z", "\\z"))
