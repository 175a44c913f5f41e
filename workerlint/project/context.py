"""The concrete contexts rules get: a Ruby or Python file with the project around it, and the
project.

They carry the project index and the Sidekiq setup, so they live in the project layer; the
language layer asks for what it needs through lang/ruby/context.py's protocol.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workerlint.core.context import Reporter
from workerlint.core.diagnostics import Diagnostic, Fix, Level, SourceText, Span

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.core.fs import FileSystem
    from workerlint.core.rule import Rule
    from workerlint.core.settings import Settings
    from workerlint.lang.python.index import PythonIndex, Task
    from workerlint.lang.python.semantic import Function
    from workerlint.lang.python.semantic import SemanticModel as PythonSemanticModel
    from workerlint.lang.ruby.index import RubyIndex
    from workerlint.lang.ruby.model import ClassScope
    from workerlint.lang.ruby.semantic import SemanticModel
    from workerlint.project.frameworks.celery.model import CelerySetup
    from workerlint.project.frameworks.celery.provider import CeleryProvider
    from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup


class FileContext(Reporter):
    """What a rule sees of one file, and where it reports."""

    def __init__(
        self,
        *,
        path: Path,
        relpath: str,
        kind: str,
        source: SourceText,
        tree: Tree | None,
        classes: list[ClassScope],
        index: RubyIndex,
        setup: SidekiqSetup,
        settings: Settings,
        in_worker_dir: bool,
        document: object = None,
        semantic: SemanticModel | None = None,
    ) -> None:
        self.path = path
        self.relpath = relpath
        self.kind = kind
        self.source = source
        self.tree = tree
        self.classes = classes
        self.index = index
        self.setup = setup
        self.settings = settings
        self.in_worker_dir = in_worker_dir
        self.document = document
        if semantic is not None:
            self.__dict__["semantic"] = semantic  # the file's own model (cached_property below)
        self.sink: list[Diagnostic] = []
        self.skipped: list[str] = []
        self.rule: Rule | None = None
        self.memo: dict[tuple[str, int, int], Any] = {}
        # Walk state, kept current by the engine while it dispatches nodes.
        self.class_scope: ClassScope | None = None
        self.method: Node | None = None
        self.in_worker_code = False

    def report(
        self,
        where: Node | Span,
        message: str,
        *,
        fix: Fix | None = None,
        level: Level | None = None,
        cwe: int | None = None,
    ) -> None:
        span = where if isinstance(where, Span) else Span(where.start_byte, where.end_byte)
        self._emit(self.path, span, message, fix, level, cwe)

    @property
    def data(self) -> bytes:
        return self.source.data

    @cached_property
    def semantic(self) -> SemanticModel:
        """The file's semantic model, built on first use and shared by every rule."""
        if self.tree is None:
            raise ValueError(f"{self.relpath}: no syntax tree, so no semantic model")
        from workerlint.lang.ruby.semantic import SemanticModel  # a Ruby file's: when one is linted

        return SemanticModel(self.tree.root_node, self.classes)


class ProjectContext(Reporter):
    """What a whole-project rule sees; it reports into any project file. ``index`` and
    ``setup`` are the Ruby index and the Sidekiq setup; ``python_index`` the Python modules;
    ``celery`` the CelerySetup (built on first use); ``fs`` the file system the run reads."""

    def __init__(
        self,
        *,
        root: Path,
        index: RubyIndex,
        setup: SidekiqSetup,
        settings: Settings,
        python_index: PythonIndex | None = None,
        celery: CeleryProvider | None = None,
        fs: FileSystem | None = None,
    ) -> None:
        self.root = root
        self.index = index
        self.python_index = python_index
        self.setup = setup
        self.settings = settings
        self.celery_provider = celery
        self.fs = fs
        self.sink: list[Diagnostic] = []
        self.skipped: list[str] = []
        self.rule: Rule | None = None

    def report_at(
        self,
        relpath: str,
        span: Span,
        message: str,
        *,
        fix: Fix | None = None,
        level: Level | None = None,
        cwe: int | None = None,
    ) -> None:
        self._emit(self.root / relpath, span, message, fix, level, cwe)

    @property
    def celery(self) -> CelerySetup:
        return _celery(self.celery_provider)


def _celery(provider: CeleryProvider | None) -> CelerySetup:
    if provider is None:
        from workerlint.project.frameworks.celery.model import CelerySetup

        return CelerySetup()
    return provider.get()


class PythonFileContext(Reporter):
    """What a rule's Python check sees of one file (lang/python/context.py), and where it
    reports."""

    def __init__(
        self,
        *,
        path: Path,
        relpath: str,
        kind: str,
        source: SourceText,
        tree: Tree,
        semantic: PythonSemanticModel,
        module: str,
        index: PythonIndex,
        settings: Settings,
        celery: CeleryProvider | None = None,
    ) -> None:
        self.celery_provider = celery
        self.path = path
        self.relpath = relpath
        self.kind = kind
        self.source = source
        self.tree = tree
        self.semantic = semantic
        self.module = module
        self.index = index
        self.settings = settings
        self.sink: list[Diagnostic] = []
        self.skipped: list[str] = []
        self.rule: Rule | None = None
        self.memo: dict[tuple[str, int, int], Any] = {}
        # Walk state, kept current by the engine while it dispatches nodes.
        self.function: Function | None = None
        self.task: Task | None = None
        self.in_worker_code = False

    def report(
        self,
        where: Node | Span,
        message: str,
        *,
        fix: Fix | None = None,
        level: Level | None = None,
        cwe: int | None = None,
    ) -> None:
        span = where if isinstance(where, Span) else Span(where.start_byte, where.end_byte)
        self._emit(self.path, span, message, fix, level, cwe)

    @property
    def data(self) -> bytes:
        return self.source.data

    @property
    def celery(self) -> CelerySetup:
        """The project's CelerySetup (project/frameworks/celery), built on first use."""
        return _celery(self.celery_provider)
