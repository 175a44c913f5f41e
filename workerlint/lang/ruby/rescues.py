"""Error paths: code in a ``rescue`` clause (or after a ``rescue`` modifier) runs only when the
code it guards raises. WL602 reads them for a ``sleep`` that waits only after an error, WL601 for
an enqueue that runs once per failing step of a loop, not once per step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import shown

if TYPE_CHECKING:
    from tree_sitter import Node

SCOPES = ("method", "singleton_method", "class", "module", "singleton_class")


@record(frozen=True)
class ErrorPath:
    """The ``rescue`` clause (or modifier) a node is in: it runs only when that clause rescues
    an error."""

    clause: Node
    retries: bool  # a `retry` follows the node in the clause

    @property
    def line(self) -> int:
        return self.clause.start_point[0] + 1

    def rescued(self) -> str:
        """What the clause rescues, as messages name it: ```Net::ReadTimeout``` or ``an error``."""
        exceptions = next((c for c in self.clause.named_children if c.type == "exceptions"), None)
        names = [shown.describe(e, 80) for e in exceptions.named_children] if exceptions else []
        return " or ".join(f"`{n}`" for n in names) if names else "an error"

    def describe(self) -> str:
        then = " and retries" if self.retries else ""
        what = self.rescued()
        return f"only on the error path: each time it rescues {what} (line {self.line}){then}"


def clause_of(child: Node, parent: Node, node: Node) -> ErrorPath | None:
    """The error path ``parent`` puts ``child`` on (``child`` is ``node`` or an ancestor of it):
    the body of a ``rescue`` clause, or the rescuing side of a ``rescue`` modifier."""
    if parent.type == "rescue" and child.type == "then":
        return ErrorPath(parent, _retries_after(child, node))
    if parent.type == "rescue_modifier" and child != parent.named_children[0]:
        return ErrorPath(parent, False)
    return None


def error_path(node: Node, within: Node) -> ErrorPath | None:
    """The innermost error path ``node`` is on below ``within`` (an ancestor: a loop), if any."""
    child = node
    current = node.parent
    while current is not None and current != within and current.type not in SCOPES:
        found = clause_of(child, current, node)
        if found is not None:
            return found
        child = current
        current = current.parent
    return None


def _retries_after(clause_body: Node, node: Node) -> bool:
    """Whether a ``retry`` of this clause comes after ``node`` (not in a nested rescue)."""
    stack = list(clause_body.named_children)
    while stack:
        current = stack.pop()
        if current.type == "retry" and current.start_byte > node.end_byte:
            return True
        if current.type not in ("rescue", "block", "do_block", "lambda", *SCOPES):
            stack.extend(current.named_children)
    return False
