"""What a value derived from a job argument is (RULES.md, "Job arguments", "derived").

Tables of the methods whose result is derived from their receiver or arguments, and small helpers
of the data flow: parameters of a method, names bound by a block parameter, heredoc bodies, and
where in a URL an interpolated value lands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import text
from workerlint.lang.ruby.taint import CLEAN, Taint

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
EXITS = frozenset({"raise", "fail", "exit", "exit!", "abort", "throw"})
SEQUENCES = frozenset(
    {"body_statement", "block_body", "then", "else", "do", "parenthesized_statements",
     "begin_block", "end_block"}
)  # fmt: skip
# Block parameters that are not elements of the receiver: (method -> index of the non-element).
INDEX_LAST = frozenset({"each_with_index", "with_index", "each_with_object", "with_object"})
MEMO_FIRST = frozenset({"inject", "reduce"})


def derive(name: str, recv: Node, rt: Taint) -> Taint:
    """The result of calling ``name`` on a tainted receiver."""
    if name in NUMERIC:
        return rt.numeric()
    if name == "clamp":
        return CLEAN
    if name == "min" and recv.type == "array":
        items = recv.named_children
        return rt if all(unbounding(i) for i in items) else Taint(rt.inj)
    if name in DERIVE or (name.endswith("!") and name[:-1] in DERIVE):
        if name in STRING_BUILDING:
            return rt.as_built(rt.lead, rt.host)
        return rt
    return CLEAN


def unbounding(node: Node) -> bool:
    """An item of ``[n, MAX].min`` that does not bound it (anything but a number or constant)."""
    return node.type not in ("integer", "float", "constant", "scope_resolution")


def params_of(method: Node) -> list[tuple[str, str]]:
    params = method.child_by_field_name("parameters")
    if params is None:
        return []
    found: list[tuple[str, str]] = []
    for param in params.named_children:
        kinds = {
            "identifier": "plain",
            "optional_parameter": "optional",
            "splat_parameter": "splat",
            "keyword_parameter": "keyword",
            "hash_splat_parameter": "hash_splat",
        }
        kind = kinds.get(param.type)
        if kind is None:
            continue
        name_node = param if param.type == "identifier" else param.child_by_field_name("name")
        if name_node is not None:
            found.append((text(name_node), kind))
    return found


def bound_names(node: Node) -> list[str]:
    if node.type == "identifier":
        return [text(node)]
    found: list[str] = []
    for child in node.named_children:
        if child.type in ("identifier", "destructured_parameter", "splat_parameter",
                          "optional_parameter", "keyword_parameter", "block_parameter",
                          "left_assignment_list", "destructured_left_assignment"):  # fmt: skip
            found.extend(bound_names(child) if child.type != "block_parameter" else [])
    if node.type in ("splat_parameter", "optional_parameter", "keyword_parameter"):
        name = node.child_by_field_name("name")
        return [text(name)] if name is not None else []
    return found


def heredoc_body(start: Node) -> Node | None:
    """The body of a heredoc whose opening ``<<~SQL`` is ``start``."""
    statement = start
    while statement.parent is not None and statement.parent.type not in SEQUENCES | {"program"}:
        statement = statement.parent
    openings = [n for n in nodes.descendants(statement) if n.type == "heredoc_beginning"]
    if start.type == "heredoc_beginning" and start not in openings:
        return None
    index = next(i for i, n in enumerate(openings) if n == start)
    sibling = statement.next_named_sibling
    bodies: list[Node] = []
    while sibling is not None and sibling.type == "heredoc_body":
        bodies.append(sibling)
        sibling = sibling.next_named_sibling
    bodies.extend(n for n in statement.named_children if n.type == "heredoc_body")
    return bodies[index] if index < len(bodies) else None


def in_host(prefix: str) -> bool:
    """Whether text ending with ``prefix`` puts what follows in a URL's scheme or host."""
    if not prefix:
        return True
    if "://" not in prefix:
        return False
    after = prefix.split("://", 1)[1]
    return not any(c in after for c in "/?#")


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
