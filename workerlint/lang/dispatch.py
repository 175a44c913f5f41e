"""What the single walk of either language does with a node a check subscribed to: the dispatch
table of the checks by node type and by call name, and the delivery of a node to its checks
(lang/ruby/walk.py and lang/python/walk.py keep the scope on the context, and call these)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Protocol

from workerlint.core.records import record

if TYPE_CHECKING:
    from workerlint.core.rule import LanguageCheck, Rule

OnError = Callable[["LanguageCheck", BaseException], None]


class Walked(Protocol):
    """What delivery reads and sets on a file's context during the walk."""

    rule: Rule | None
    in_worker_code: bool


@record
class DispatchTable:
    by_type: dict[str, list[LanguageCheck]] = field(default_factory=dict)
    by_call: dict[str, list[LanguageCheck]] = field(default_factory=dict)

    @classmethod
    def build(cls, checks: Sequence[LanguageCheck]) -> DispatchTable:
        table = cls()
        for check in checks:
            for kind in check.node_types:
                table.by_type.setdefault(kind, []).append(check)
            for name in check.call_names:
                table.by_call.setdefault(name, []).append(check)
        return table

    def __bool__(self) -> bool:
        return bool(self.by_type or self.by_call)


def deliver(
    checks: list[LanguageCheck],
    node: object,
    ctx: Walked,
    failed: set[int],
    on_error: OnError,
) -> None:
    """Give ``node`` to each check (a ``worker_code_only`` one only in worker code), as its
    rule; a check that failed on the file (``failed``: their ids) is given nothing more."""
    for check in checks:
        if id(check) in failed or (check.worker_code_only and not ctx.in_worker_code):
            continue
        ctx.rule = check.rule
        try:
            check.visit(node, ctx)  # type: ignore[arg-type]
        except Exception as error:  # a failing rule never loses the others' findings
            failed.add(id(check))
            on_error(check, error)
    ctx.rule = None
