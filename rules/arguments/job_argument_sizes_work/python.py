"""WL402's Python check: a task argument sizing a loop, an allocation, a query slice, a sleep or a
chunk, unbounded (PYTHON.md §2); levels from WL401's "other sinks" row by where the argument
comes from (PYTHON.md §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.rules.arguments.job_argument_reaches_dangerous_sink.python import (
    ORIGIN,
    argument_findings,
    level_of,
)

from workerlint import LanguageCheck, Span

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext


class SizesWorkCheck(LanguageCheck):
    node_types = frozenset({"function_definition"})
    # The gate: it reports only on a task's function (the index decides which).
    gate_worker_classes = True
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        for finding, origin, chain in argument_findings(node, ctx, "size"):
            arg = finding.origin.arg
            message = (
                f"task argument `{arg}` sizes work without a bound; "
                f"{origin.reason or ORIGIN[origin.kind]}: {chain}; bound it "
                f"(`min({finding.subject or arg}, MAX)`) or return/raise when it is above a maximum"
            )
            level = level_of("size", origin.kind)
            ctx.report(Span(finding.start, finding.end), message, level=level)
