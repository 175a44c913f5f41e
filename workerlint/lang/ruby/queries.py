"""Shared tree-sitter queries, run on small subtrees only (never on a whole file).

Only built-in predicates may be used (a misspelt predicate silently matches everything);
tests/test_metadata.py compiles every query listed in ``ALL``.
"""

from __future__ import annotations

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

# Every assignment in a subtree (connection building and setters are found among them).
ASSIGNMENTS = "[(assignment) (operator_assignment)] @assignment"

ALL = {"READ_TIMEOUT": READ_TIMEOUT, "ASSIGNMENTS": ASSIGNMENTS}
