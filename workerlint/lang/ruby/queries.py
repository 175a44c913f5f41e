"""Shared tree-sitter queries, run on small subtrees only (never on a whole file).

Only built-in predicates may be used (a misspelt predicate silently matches everything);
tests/test_metadata.py compiles every query listed in ``ALL``.
"""

from __future__ import annotations

from workerlint.lang.ruby.libraries.timeouts import READ_TIMEOUT

# Every assignment in a subtree (connection building and setters are found among them).
ASSIGNMENTS = "[(assignment) (operator_assignment)] @assignment"

ALL = {"READ_TIMEOUT": READ_TIMEOUT, "ASSIGNMENTS": ASSIGNMENTS}
