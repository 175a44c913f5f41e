"""WL402's Python check: a task argument sizing a loop, an allocation, a query slice, a sleep or a
chunk, unbounded (PYTHON.md §2); levels from WL401's "other sinks" row by where the argument
comes from (PYTHON.md §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.rules.arguments.job_argument_reaches_dangerous_sink.python import (
    ORIGIN,
    level_of,
    provenance,
    task_findings,
)

from workerlint import LanguageCheck, Span

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext


class SizesWorkCheck(LanguageCheck):
    node_types = frozenset({"function_definition"})
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = task_findings(node, ctx)
        if found is None:
            return
        task, findings = found
        for finding in findings:
            if finding.use != "size":
                continue
            origin = provenance(finding, task, ctx)
            level = level_of("size", origin.kind)
            arg = finding.origin.arg
            chain = " -> ".join((*origin.chain, finding.origin.describe(), f"`{finding.label}`"))
            subject = finding.subject or arg
            message = (
                f"task argument `{arg}` sizes work without a bound; "
                f"{origin.reason or ORIGIN[origin.kind]}: {chain}; bound it "
                f"(`min({subject}, MAX)`) or return/raise when it is above a maximum"
            )
            ctx.report(Span(finding.start, finding.end), message, level=level)
