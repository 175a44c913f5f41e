"""The sanitizers of job arguments: conditions that validate or bound a variable on the branch
they guard (RULES.md, WL401/WL402).

``guards(guard)`` gives the taint engine the facts that hold where a branch's guard (an ``if``
condition, the left side of ``&&``/``||``, a ``when``/``in`` clause) is truthy and where it is
falsy, as ``(variable, kind)`` pairs: kind "inj" (validated: cannot inject, WL401) or "size"
(bounded: cannot size work, WL402).

A lookup guard validates too (``lookup_guard``): the truthiness of a call keyed by the variable
itself (``return unless REGISTRY.command(name).present?``), as a literal Hash lookup does: an
unknown name stops there. It validates a name (WL401), not a number: an id that exists can be
large (WL402).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.taint import NO_FACTS, Facts

if TYPE_CHECKING:
    from tree_sitter import Node

INJECTION, SIZE = "inj", "size"  # the taint kinds: reaches WL401 sinks; sizes work (WL402)


def guards(guard: Node) -> tuple[Facts, Facts]:
    """(facts true where ``guard`` holds, facts true where it does not)."""
    if guard.type in ("when", "in_clause"):
        return _arm(guard), NO_FACTS
    return refinements(guard)


def _arm(clause: Node) -> Facts:
    """What a ``when`` (or ``in``) clause proves in its body: literals validate and bound the
    subject; with no subject, a single pattern is a condition."""
    case = clause.parent
    subject = case.child_by_field_name("value") if case is not None else None
    patterns = list(clause.children_by_field_name("pattern"))
    if subject is None:
        facts: Facts = NO_FACTS
        for pattern in patterns:
            inner = pattern.named_children[0] if pattern.named_children else pattern
            facts = facts | refinements(inner)[0] if len(patterns) == 1 else facts
        return facts
    name = subject_name(subject)
    if name is not None and clause.type == "when":
        return frozenset((name, k) for k in when_validates(patterns))
    return NO_FACTS


def subject_name(node: Node | None) -> str | None:
    """The variable a check is about: ``x``, ``@x``, or ``x.to_s``/``x.downcase``/... of one."""
    depth = 0
    while node is not None and depth < 8:
        depth += 1
        if node.type in ("identifier", "instance_variable"):
            return text(node)
        if node.type == "parenthesized_statements" and len(node.named_children) == 1:
            node = node.named_children[0]
        elif (
            node.type == "call" and method_name(node) in _TRANSPARENT and not nodes.arguments(node)
        ):
            node = nodes.receiver(node)
        elif node.type == "call" and method_name(node) == "host" and _parsed_uri(node):
            node = nodes.arguments(nodes.receiver(node))[0]  # URI(url).host is about url
        else:
            return None
    return None


def _parsed_uri(host: Node) -> bool:
    recv = nodes.receiver(host)
    if recv is None or recv.type != "call" or len(nodes.arguments(recv)) != 1:
        return False
    name = method_name(recv)
    outer = nodes.receiver(recv)
    return (name == "URI" and outer is None) or (name == "parse" and text(outer) == "URI")


_TRANSPARENT = frozenset(
    {"to_s", "to_sym", "to_str", "downcase", "upcase", "strip", "presence", "underscore"}
)


MEMBERSHIP = frozenset({"include?", "member?", "key?", "has_key?", "includes?", "cover?"})


def refinements(node: Node | None) -> tuple[Facts, Facts]:
    """(facts true when ``node`` is truthy, facts true when it is falsy)."""
    none: Facts = NO_FACTS
    for _ in range(16):
        if node is None:
            return none, none
        if node.type == "parenthesized_statements" and len(node.named_children) == 1:
            node = node.named_children[0]
            continue
        break
    if node is None:
        return none, none
    both = (INJECTION, SIZE)
    if node.type == "unary" and text(node.child_by_field_name("operator")) in ("!", "not"):
        truthy, falsy = refinements(node.child_by_field_name("operand"))
        return falsy, truthy
    if node.type == "binary":
        operator = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator in ("&&", "and", "||", "or"):
            lt, lf = refinements(left)
            rt, rf = refinements(right)
            if operator in ("&&", "and"):
                return lt | rt, lf & rf
            return lt & rt, lf | rf
        lname, rname = subject_name(left), subject_name(right)
        if operator in ("=~", "!~", "===") and anchored(left) != anchored(right):
            subject = rname if anchored(left) else lname
            facts = frozenset({(subject, INJECTION)}) if subject else none
            return (facts, none) if operator != "!~" else (none, facts)
        if operator in (">", ">="):
            return (
                frozenset({(rname, SIZE)}) if rname else none,
                frozenset({(lname, SIZE)}) if lname else none,
            )
        if operator in ("<", "<="):
            return (
                frozenset({(lname, SIZE)}) if lname else none,
                frozenset({(rname, SIZE)}) if rname else none,
            )
        if operator in ("==", "!=", "eql?", "equal?"):
            other = right if lname else left
            subject = lname or rname
            if subject is None or other is None or subject_name(other) is not None:
                return none, none
            facts = frozenset((subject, k) for k in both)
            return (facts, none) if operator == "==" else (none, facts)
        return none, none
    if node.type in ("assignment", "operator_assignment"):
        value = node.child_by_field_name("right")  # `unless (handler = lookup(x))`
        if node.type == "assignment" and value is not None:
            return refinements(value)
        return none, none
    lookup = lookup_guard(node)
    if lookup is not None:
        return lookup
    if node.type != "call":
        return none, none
    name = method_name(node) or ""
    args = nodes.arguments(node)
    recv = nodes.receiver(node)
    subject: str | None = None
    kinds: tuple[str, ...] = both
    if name in MEMBERSHIP | {"exclude?"} and args:
        subject = subject_name(args[0])
    elif name == "in?" and recv is not None:
        subject = subject_name(recv)
    elif name in ("match?", "match") and args and recv is not None:
        if anchored(args[0]):
            subject, kinds = subject_name(recv), (INJECTION,)
        elif anchored(recv):
            subject, kinds = subject_name(args[0]), (INJECTION,)
    elif name == "between?" and recv is not None:
        subject, kinds = subject_name(recv), (SIZE,)
    elif (
        name in ("is_a?", "kind_of?", "instance_of?")
        and args
        and recv is not None
        and text(args[0]) in ("Integer", "Numeric", "Float")
    ):
        subject, kinds = subject_name(recv), (INJECTION,)
    if subject is None:
        return none, none
    facts = frozenset((subject, k) for k in kinds)
    return (none, facts) if name == "exclude?" else (facts, none)


# Tests of a lookup's result: (method, true when the lookup found something).
_PRESENCE = {"present?": True, "nil?": False, "blank?": False}
# Calls that are not lookups though they take the value: they reshape it (conversions, parsers,
# builders: the result is always there), are sinks themselves, or ask Ruby or the file system a
# question every name can pass (any constant is defined, any path may exist).
_NOT_LOOKUPS = frozenset(
    {"new", "Integer", "Float", "Rational", "BigDecimal", "String", "Array", "Hash", "URI",
     "Pathname", "format", "sprintf", "send", "public_send", "__send__", "try", "try!", "method",
     "public_method", "eval", "instance_eval", "class_eval", "module_eval", "system", "exec",
     "spawn", "open", "constantize", "safe_constantize", "const_get", "qualified_const_get",
     "const_defined?", "const_source_location", "respond_to?", "method_defined?",
     "public_method_defined?", "private_method_defined?", "protected_method_defined?",
     "instance_variable_defined?", "instance_variable_get", "class_variable_defined?", "puts",
     "print", "p", "raise", "fail", "presence", "present?", "blank?", "nil?", "tap", "then"}
)  # fmt: skip
_NOT_REGISTRIES = frozenset(
    {"File", "Dir", "FileTest", "FileUtils", "Pathname", "IO", "Kernel", "Object", "Module",
     "Class", "Rails", "URI", "JSON", "YAML", "Psych", "Oj", "Marshal", "CGI", "ERB", "Base64",
     "Shellwords", "Open3", "Process", "Addressable::URI", "ActiveSupport::JSON", "Arel",
     "HTTParty", "Faraday", "Net::HTTP", "RestClient", "Excon", "HTTP", "Typhoeus"}
)  # fmt: skip


def lookup_guard(node: Node) -> tuple[Facts, Facts] | None:
    """A lookup keyed by a variable, tested for a result: ``X.find(name)``, ``lookup(name)``,
    ``HANDLERS[name]`` (truthy when found), ``X.command(name).present?``, ``X.find(name).nil?``
    and ``.blank?``. The variable itself must be an argument (or ``to_s``/``to_sym`` of one),
    not a value made from it (``name.upcase`` may find what ``name`` would not). Validates the
    variable where the lookup found something (WL401); None when ``node`` is no lookup."""
    found = True
    name = method_name(node) if node.type == "call" else None
    if name in _PRESENCE and not nodes.arguments(node):
        found, node = _PRESENCE[name], nodes.receiver(node)
        while node is not None and node.type == "parenthesized_statements":
            node = node.named_children[0] if len(node.named_children) == 1 else None
        if node is None:
            return None
    subject = _keyed_by(node)
    if subject is None:
        return None
    facts = frozenset({(subject, INJECTION)})
    return (facts, NO_FACTS) if found else (NO_FACTS, facts)


def _keyed_by(node: Node) -> str | None:
    """The variable a lookup call (or ``[]`` on a non-variable) is keyed by, or None."""
    if node.type == "element_reference":
        obj = node.child_by_field_name("object")
        keys = node.named_children[1:]
        if obj is None or subject_name(obj) is not None or len(keys) != 1:
            return None
        return _itself(keys[0])
    if node.type != "call":
        return None
    name = method_name(node) or ""
    recv = nodes.receiver(node)
    if name in _NOT_LOOKUPS or name in MEMBERSHIP or name.endswith("="):
        return None
    if recv is not None and nodes.constant_path(recv) in _NOT_REGISTRIES:
        return None
    for arg in nodes.arguments(node):
        value = arg.child_by_field_name("value") if arg.type == "pair" else arg
        subject = _itself(value)
        if subject is not None and (recv is None or subject_name(recv) != subject):
            return subject  # not a question about the value itself (`name.start_with?(name)`)
    return None


def _itself(node: Node | None) -> str | None:
    """The variable ``node`` is, as is or converted without change (``to_s``, ``to_sym``)."""
    while node is not None:
        if node.type in ("identifier", "instance_variable"):
            return text(node)
        if node.type == "parenthesized_statements" and len(node.named_children) == 1:
            node = node.named_children[0]
        elif (
            node.type == "call"
            and method_name(node) in ("to_s", "to_sym", "to_str")
            and not nodes.arguments(node)
        ):
            node = nodes.receiver(node)
        else:
            return None
    return None


def anchored(node: Node | None) -> bool:
    """A regexp literal anchored at both ends (``\\A...\\z``)."""
    if node is None or node.type != "regex":
        return False
    body = text(node)
    body = body[: body.rfind("/")] if body.startswith("/") else body
    return body.startswith(("/\\A", "%r{\\A", "%r(\\A", "%r[\\A")) and body.rstrip("}])").endswith(
        ("\\z", "\\Z")
    )


def when_validates(patterns: list[Node]) -> tuple[str, ...]:
    """What ``when`` patterns prove about the subject: literals validate and bound it."""
    if not patterns:
        return ()
    kinds = {INJECTION, SIZE}
    for pattern in patterns:
        inner = pattern.named_children[0] if pattern.named_children else pattern
        if inner.type in ("string", "simple_symbol", "integer", "float", "nil", "true", "false"):
            if inner.type == "string" and any(
                c.type == "interpolation" for c in inner.named_children
            ):
                return ()
            continue
        if inner.type == "splat_argument":
            continue
        if (
            inner.type == "range"
            and all(c.type == "integer" for c in inner.named_children)
            and len(inner.named_children) == 2
        ):
            continue
        if anchored(inner):
            kinds.discard(SIZE)
            continue
        return ()
    return tuple(sorted(kinds))
