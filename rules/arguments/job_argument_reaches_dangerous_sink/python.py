"""WL401's Python check: a task argument reaching code, a command, deserialization, SQL text, a
module or attribute name, a file path or a URL's host (PYTHON.md §2, §9), its level by the sink
and by where the argument comes from across the project's enqueue sites."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.lang.python.job_arguments import analyse_task
from workerlint.lang.python.provenance.facts import REQUEST, STORED, UNKNOWN
from workerlint.lang.python.provenance.query import INTERNAL, Provenance

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.index import Task
    from workerlint.project.context import PythonFileContext
    from workerlint.taint import Finding

# Kind of sink -> what it is (the Ruby half's words).
KINDS = {
    "code": "code evaluation",
    "shell": "a shell command",
    "deserialization": "unsafe deserialization",
    "sql": "SQL text",
    "constant": "a module or class name",
    "method": "an attribute name",
    "file": "a file path",
    "url": "the scheme or host of a URL",
    "url_whole": "the scheme or host of a URL",
}
CWE = {"code": 94, "shell": 78, "deserialization": 502, "sql": 89, "constant": 470,
       "method": 470, "file": 22, "url": 918, "url_whole": 918}  # fmt: skip
ADVICE = {
    "code": "never evaluate job data: dispatch through a literal dict of allowed handlers",
    "shell": "check it against an allow-list, and pass the command as a list without a shell "
    '(`subprocess.run(["cmd", arg])`)',
    "deserialization": "parse it as JSON (`json.loads`) instead of loading objects from it",
    "sql": "pass it as a query parameter (`cursor.execute(sql, [value])`, `filter(name=value)`)",
    "constant": "check it against an allow-list (`if {arg} not in ALLOWED: raise ...`) or look "
    "it up in a literal dict",
    "method": "check it against an allow-list (`if {arg} not in ALLOWED: raise ...`) or `match` "
    "on literal names",
    "file": "check it against an allow-list or a full-match pattern "
    '(`re.fullmatch(r"[\\w-]+", name)`) before building the path',
    "url": "keep the scheme and host fixed and put the argument only in the path or query",
    "url_whole": "check its host against an allow-list (`urlsplit({arg}).hostname`) before the "
    "request",
}
ORIGIN = {
    REQUEST: "it comes from the request",
    STORED: "it comes from stored data",
    UNKNOWN: "where it comes from is not known",
    INTERNAL: "the app passes only internal values",
}
RUNS = frozenset({"code", "shell", "deserialization"})


def level_of(sink: str, kind: str) -> Level | None:
    """RULES.md WL401's table: the level of a finding at ``sink`` for an argument of provenance
    ``kind``, or None when it is not reported."""
    if sink == "url_whole":
        return {REQUEST: Level.ERROR, STORED: Level.WARNING}.get(kind)
    if sink in RUNS:
        return Level.NOTE if kind == INTERNAL else Level.ERROR
    return {REQUEST: Level.ERROR, STORED: Level.WARNING, UNKNOWN: Level.WARNING}.get(
        kind, Level.NOTE
    )


def argument_findings(
    node: Node, ctx: PythonFileContext, use: str
) -> Iterator[tuple[Finding, Provenance, str]]:
    """The data-flow findings of ``use`` of the task whose body ``node`` (a function definition)
    is, each with its argument's provenance and the path shown (enqueue site -> sink)."""
    task = ctx.task
    function = ctx.function
    if task is None or function is None or function.node != node or task.body != function.qualname:
        return
    for finding in analyse_task(task, node, ctx):
        if finding.use != use:
            continue
        origin = provenance(finding, task, ctx)
        chain = " -> ".join((*origin.chain, finding.origin.describe(), f"`{finding.label}`"))
        yield finding, origin, chain


def provenance(finding: Finding, task: Task, ctx: PythonFileContext) -> Provenance:
    """Where the task argument of ``finding`` comes from, across the project."""
    facts = ctx.index.files[task.relpath].function(task.body)
    params = list(facts.params) if facts is not None else []
    arg = finding.origin.arg
    job = [p for p in params if p not in ("self", "cls")]
    if task.options.get("bind") is True or (task.framework == "arq" and job[:1] == ["ctx"]):
        job = job[1:]
    position = job.index(arg) if arg in job else -1
    return ctx.index.provenance.of(task, position, arg)


class DangerousSinkCheck(LanguageCheck):
    node_types = frozenset({"function_definition"})
    # The gate: it reports only on a task's function (the index decides which).
    gate_worker_classes = True
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        for finding, origin, chain in argument_findings(node, ctx, "injection"):
            level = level_of(finding.sink, origin.kind)
            if level is None:
                line = ctx.source.line_index(finding.start) + 1
                ctx.skip(
                    f"{ctx.relpath}:{line}: `{finding.label}` gets task argument "
                    f"`{finding.origin.arg}` as a whole URL and {ORIGIN[origin.kind]}: a task "
                    "made to call the URLs it is given is reported only for request or stored data"
                )
                continue
            advice = ADVICE[finding.sink].replace("{arg}", finding.subject or "url")
            message = (
                f"task argument `{finding.origin.arg}` reaches {KINDS[finding.sink]} without "
                f"validation; {origin.reason or ORIGIN[origin.kind]}: {chain}; {advice}"
            )
            ctx.report(
                Span(finding.start, finding.end), message, level=level, cwe=CWE[finding.sink]
            )
