"""Read timeouts written in Ruby: a ``timeout:``/``read_timeout:`` option or a ``.timeout =``
setter, as HTTP clients take them (lang/ruby/http.py decides which of them apply to a call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby import nodes

if TYPE_CHECKING:
    from tree_sitter import Node

# A read timeout set anywhere in a subtree: a `timeout:`/`read_timeout:` key, a
# `x.timeout = n`/`x.read_timeout = n` setter, or `x[:timeout] = n`.
READ_TIMEOUT = r"""
(pair
  key: [(hash_key_symbol) (simple_symbol) (string)] @key
  (#match? @key "^(:|\"|')?(read_)?timeout(\"|')?$"))
(assignment
  left: (call method: (identifier) @key)
  (#match? @key "^(read_)?timeout$"))
(assignment
  left: (element_reference (simple_symbol) @key)
  (#match? @key "^:(read_)?timeout$"))
"""


# Hash keys whose values are not client options: a `timeout:` in them is a query parameter or a
# header (`Faraday.new(url, params: { timeout: 1 })`), not a read timeout.
_NOT_OPTIONS = frozenset({"params", "headers", "query", "body", "form", "json"})


def has_timeout_key(node: Node) -> bool:
    """Whether a subtree sets a read timeout: a ``timeout:``/``read_timeout:`` key or setter
    (not inside a ``params:``/``headers:`` hash)."""
    from workerlint.lang.ruby.parse import captures

    for found in captures(READ_TIMEOUT, node).get("key", []):
        if not _inside_data(found, node):
            return True
    return False


def _inside_data(key: Node, top: Node) -> bool:
    """Whether a key stands in the value of a ``params:``-like pair below ``top``."""
    current = key.parent
    while current is not None and current != top:
        if current.type == "pair":
            outer = current.child_by_field_name("key")
            if outer is not None and outer != key and nodes.key_name(outer) in _NOT_OPTIONS:
                return True
        current = current.parent
    return False
