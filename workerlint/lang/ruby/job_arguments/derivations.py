"""What a value derived from a job argument is (RULES.md, "Job arguments", "derived").

Tables of the methods whose result is derived from their receiver or arguments, and the taint
engine's derivations for Ruby: the value a call or an operator returns, what a block's parameters
are bound to, what a conversion used as a statement proves, and where in a URL a formatted value
lands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_arguments.sanitizers import INJECTION, SIZE, subject_name
from workerlint.lang.ruby.libraries.iteration import ELEMENT_ITERATORS
from workerlint.lang.ruby.nodes import text
from workerlint.taint import CLEAN, NO_FACTS, Call, Facts, Op, Taint, in_host, union_all

if TYPE_CHECKING:
    from tree_sitter import Node

# Methods whose result, on a tainted receiver, is derived from it.
DERIVE = frozenset(
    {"[]", "fetch", "dig", "values_at", "slice", "to_s", "to_sym", "to_str", "camelize",
     "camelcase", "classify", "underscore", "downcase", "upcase", "capitalize", "swapcase",
     "titleize", "titlecase", "singularize", "pluralize", "demodulize", "tableize", "dasherize",
     "strip", "lstrip", "rstrip", "squish", "chomp", "chop", "gsub", "sub", "tr", "delete",
     "split", "format", "%", "+", "concat", "join", "first", "last", "compact", "uniq",
     "flatten", "map", "collect", "flat_map", "select", "filter", "reject", "to_a", "to_h",
     "to_hash", "values", "keys", "symbolize_keys", "stringify_keys", "deep_symbolize_keys",
     "deep_stringify_keys", "with_indifferent_access", "transform_keys", "transform_values",
     "except", "merge", "presence", "freeze", "dup", "clone", "itself", "each", "each_pair",
     "sort", "sort_by", "reverse", "max", "sum", "find", "detect", "sample", "shift", "pop",
     "downcase!", "upcase!", "strip!", "gsub!", "sub!", "squeeze", "encode", "force_encoding",
     "unicode_normalize", "scrub", "b", "html_safe", "dig!", "second", "third", "entries"}
)  # fmt: skip
STRING_BUILDING = frozenset({"format", "%", "+", "concat", "join", "gsub", "sub", "tr"})
NUMERIC = frozenset(
    {"to_i", "to_f", "to_r", "to_c", "to_d", "abs", "round", "ceil", "floor", "truncate", "succ",
     "pred", "to_int"}
)  # fmt: skip
NUMERIC_FUNCTIONS = frozenset({"Integer", "Float", "Rational", "BigDecimal"})
# Functions whose result is made from their arguments (RULES.md lists Array()/Hash(); the others
# are the obvious equivalents: conversions, parsers and path/URL builders).
DERIVING_FUNCTIONS = frozenset({"Array", "Hash", "String", "URI", "Pathname", "format", "sprintf"})
DERIVING_CALLS = frozenset(
    {"File.join", "File.expand_path", "File.absolute_path", "Pathname.new", "URI.parse",
     "URI.join", "URI.decode_www_form_component", "CGI.unescape", "JSON.parse", "JSON.parse!",
     "Rails.root.join", "Base64.decode64", "Base64.strict_decode64", "Base64.urlsafe_decode64",
     "ActiveSupport::JSON.decode", "Addressable::URI.parse", "Arel.sql"}
)  # fmt: skip
# Block parameters that are not elements of the receiver: (method -> index of the non-element).
INDEX_LAST = frozenset({"each_with_index", "with_index", "each_with_object", "with_object"})
MEMO_FIRST = frozenset({"inject", "reduce"})


def numeric(taint: Taint) -> Taint:
    """A number made from the value: it cannot inject, but it can size work."""
    return taint.only((SIZE,))


def derive_call(call: Call, rt: Taint, taints: Sequence[Taint]) -> Taint:
    """The value ``call`` returns: derived from a tainted receiver, or from the arguments of a
    conversion or builder (passing a value as an argument does not derive the result)."""
    if not rt and not any(taints):  # nothing tainted goes in: a call is not a source
        return CLEAN
    node = call.ref
    assert node is not None
    if node.type == "element_reference":  # x[i]
        return rt
    if node.type != "call":  # a bare name, backticks
        return CLEAN
    name = call.name
    recv = nodes.receiver(node)
    if recv is None or recv.type == "self":
        if recv is None and name in NUMERIC_FUNCTIONS:
            return numeric(union_all(taints))
        if recv is None and name in DERIVING_FUNCTIONS:
            result = union_all(taints)
            args = nodes.arguments(node)
            if name in ("format", "sprintf") and args and result:
                lead, host = format_position(args[0])
                values = union_all(taints[1:])
                head = taints[0] if taints else CLEAN
                return result.built_as(
                    head.lead or (bool(values) and lead), head.host or (bool(values) and host)
                )
            return result
        return CLEAN
    if rt:
        return derive(name, recv, rt)
    qualified = f"{text(recv)}.{name}" if len(text(recv)) < 60 else ""
    if qualified in DERIVING_CALLS:
        result = union_all(taints)
        if name == "join" or qualified.startswith("File.") or qualified == "Arel.sql":
            return result.built_as(result.lead, result.host)
        return result
    return CLEAN


def derive(name: str, recv: Node, rt: Taint) -> Taint:
    """The result of calling ``name`` on a tainted receiver."""
    if name in NUMERIC:
        return numeric(rt)
    if name == "clamp":
        return CLEAN
    if name == "min" and recv.type == "array":
        items = recv.named_children
        return rt if all(unbounding(i) for i in items) else rt.only((INJECTION,))
    if name in DERIVE or (name.endswith("!") and name[:-1] in DERIVE):
        if name in STRING_BUILDING:
            return rt.built_as(rt.lead, rt.host)
        return rt
    return CLEAN


def operate(op: Op, operands: Sequence[Taint]) -> Taint:
    """Concatenation and formatting build text; arithmetic keeps what sizes work."""
    node = op.ref
    assert node is not None
    if node.type == "unary":
        return operands[0] if op.op in ("-", "+") else CLEAN
    lt, rt = operands
    left = node.child_by_field_name("left")
    if op.op in ("+", "%", "<<"):
        lead, host = lt.lead, lt.host
        if rt and left is not None and op.op == "%" and left.type == "string":
            lead, host = format_position(left)
        elif rt and left is not None:
            host = host or literal_in_host(left)
        return lt.union(rt).built_as(lead, host)
    if op.op in ("-", "*", "/", "**"):
        return lt.union(rt).only((SIZE,))
    return CLEAN


def block_values(call: Call, rt: Taint, count: int) -> list[Taint]:
    """A block's parameters: the elements of the receiver an iteration walks (not the index of
    ``each_with_index`` nor the memo of ``inject``)."""
    name = call.name
    elements = rt if name in ELEMENT_ITERATORS else CLEAN
    values: list[Taint] = []
    for index in range(count):
        element = elements.element() if elements else CLEAN
        if name in INDEX_LAST and index == count - 1 and count > 1:
            element = CLEAN
        if name in MEMO_FIRST and index == 0:
            element = CLEAN
        values.append(element)
    return values


def asserts(call: Call) -> Facts:
    """``Integer(x)`` as a statement raises unless ``x`` is a number: after it, x is validated."""
    node = call.ref
    assert node is not None
    if node.type != "call" or call.name not in NUMERIC_FUNCTIONS or nodes.receiver(node):
        return NO_FACTS
    args = nodes.arguments(node)
    if not args or not _is_statement(node):
        return NO_FACTS
    subject = subject_name(args[0])
    return frozenset({(subject, INJECTION)}) if subject is not None else NO_FACTS


def _is_statement(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in nodes.STATEMENT_PARENTS | {"body_statement"}


def unbounding(node: Node) -> bool:
    """An item of ``[n, MAX].min`` that does not bound it (anything but a number or constant)."""
    return node.type not in ("integer", "float", "constant", "scope_resolution")


def literal_in_host(node: Node) -> bool:
    if node.type != "string" or any(c.type == "interpolation" for c in node.named_children):
        return False
    return "://" in text(node) and in_host(text(node)[1:-1])


def format_position(fmt: Node | None) -> tuple[bool, bool]:
    """(lead, host) of values formatted into a literal format string, by its first ``%``."""
    if fmt is None or fmt.type != "string":
        return True, True
    if any(c.type == "interpolation" for c in fmt.named_children):
        return False, False
    body = text(fmt)[1:-1]
    first = body.find("%")
    if first < 0:
        return False, False
    prefix = body[:first]
    return prefix == "", in_host(prefix)
