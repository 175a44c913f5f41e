"""What the Python analysis asks of the file being checked (a protocol the project's concrete
PythonFileContext fulfils): the tree and semantic model, the module's dotted name, the project
index (tasks, modules), the settings, and the walk's position (the function, the task)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.core.context import RuleMeta
    from workerlint.core.diagnostics import SourceText
    from workerlint.core.settings import Settings
    from workerlint.lang.python.index import PythonIndex, Task
    from workerlint.lang.python.semantic import Function, SemanticModel


class PythonContext(Protocol):
    path: Path
    relpath: str
    source: SourceText
    tree: Tree
    module: str  # the file's dotted module name
    index: PythonIndex
    settings: Settings
    semantic: SemanticModel  # the file's semantic model (lang/python/semantic.py)
    # Facts recognizers computed for this file, keyed by (kind, start, end): each is computed
    # once however many rules ask.
    memo: dict[tuple[str, int, int], Any]
    rule: RuleMeta | None
    # Walk state, kept current by the walk while it dispatches nodes.
    function: Function | None  # the module function or method the node is in
    task: Task | None  # the task whose body that function is
    in_worker_code: bool  # task code (PYTHON.md §9)

    def report(self, where: Any, message: str, **details: Any) -> None: ...

    def skip(self, reason: str) -> None: ...
