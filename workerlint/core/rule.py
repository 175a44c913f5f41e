"""The Rule base class, its metadata, its examples, and the contexts rules report through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from workerlint.core.diagnostics import Diagnostic, Fix, Level, SourceText, Span

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.core.settings import Settings
    from workerlint.lang.ruby.model import ClassScope
    from workerlint.project.index import ProjectIndex, SidekiqSetup


@dataclass(frozen=True)
class Valid:
    """Code a rule must not report.

    ``path`` is where the example file lives in a scratch project; ``files`` adds other project
    files (models, initializers) the project index should see; ``settings`` are
    ``[tool.workerlint]`` values and ``options`` the rule's own options.
    """

    code: str
    path: str = "app/workers/example_worker.rb"
    files: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Invalid(Valid):
    """Code a rule must report, with each finding drawn as ``^^^ message`` under its range.

    ``fixed`` is the file after applying the rule's fixes: safe, unsafe, and display-only
    suggestions too (which a user's ``--fix`` never applies), so that the example shows what the
    suggestion's diff would make of the file.
    """

    fixed: str | None = None


class Rule:
    """Base class of every rule. The class docstring is the rule's documentation (Markdown)."""

    code: ClassVar[str]
    name: ClassVar[str]
    level: ClassVar[Level]
    summary: ClassVar[str]
    fix_availability: ClassVar[str] = "none"  # "always" | "sometimes" | "none"
    # Every fix of the rule is display-only: a suggestion shown as a diff, never applied.
    suggestion_only: ClassVar[bool] = False
    tags: ClassVar[tuple[str, ...]] = ()
    precision: ClassVar[str] = "high"
    # Security rules: the weaknesses (CWE numbers) the rule reports, and GitHub's
    # security-severity (a CVSS-like score, 0.1-10: 9+ critical, 7+ high, 4+ medium, else low),
    # which code scanning reads from the rule only. A rule with several CWEs sets each finding's.
    cwe: ClassVar[tuple[int, ...]] = ()
    security_severity: ClassVar[float | None] = None
    # File kinds the rule reads (see files.FileKind), or "project" for whole-project rules.
    targets: ClassVar[frozenset[str]] = frozenset({"ruby"})
    # Only nodes inside worker code are dispatched to the rule (RULES.md, "Worker code").
    worker_code_only: ClassVar[bool] = True
    # Subscriptions: node types, and calls by method name (RuboCop's RESTRICT_ON_SEND).
    node_types: ClassVar[frozenset[str]] = frozenset()
    call_methods: ClassVar[frozenset[str]] = frozenset()
    # Options under [tool.workerlint.rules.<code>] with their defaults.
    option_defaults: ClassVar[Mapping[str, Any]] = {}
    VALID: ClassVar[tuple[Valid, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = {**self.option_defaults, **(options or {})}
        # Named by code or name in select/extend-select (not only through a prefix): a rule that
        # is silent by default in some projects may still report when asked for by name.
        self.explicitly_selected = False

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @property
    def fixable(self) -> bool:
        return self.fix_availability != "none"

    # Hooks. A Ruby rule implements visit(); file rules check_file(); project rules check_project().
    def begin_file(self, ctx: FileContext) -> None:
        """Called before the walk of each Ruby file."""

    def visit(self, node: Node, ctx: FileContext) -> None:
        """Called for each subscribed node of the single walk."""

    def end_file(self, ctx: FileContext) -> None:
        """Called after the walk of each Ruby file."""

    def check_file(self, ctx: FileContext) -> None:
        """Called once for each non-Ruby file of a targeted kind."""

    def check_project(self, ctx: ProjectContext) -> None:
        """Called once per run for rules targeting "project"."""


class _Reporter:
    rule: Rule | None
    sink: list[Diagnostic]
    skipped: list[str]

    def skip(self, reason: str) -> None:
        """Record a check that was not made, and why (shown by ``--verbose``)."""
        code = self.rule.code if self.rule is not None else "engine"
        self.skipped.append(f"{code}: {reason}")

    def _emit(
        self,
        path: Path,
        span: Span,
        message: str,
        fix: Fix | None,
        level: Level | None,
        cwe: int | None = None,
    ) -> None:
        rule = self.rule
        if rule is None:  # pragma: no cover - the engine always sets the rule
            raise RuntimeError("report() outside a rule")
        if cwe is not None and cwe not in rule.cwe:
            raise ValueError(f"{rule.code} reported CWE-{cwe}, which its `cwe` does not list")
        self.sink.append(
            Diagnostic(rule.code, rule.name, level or rule.level, message, path, span, fix, cwe=cwe)
        )


class FileContext(_Reporter):
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
        index: ProjectIndex,
        setup: SidekiqSetup,
        settings: Settings,
        in_worker_dir: bool,
        document: object = None,
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
        self.sink: list[Diagnostic] = []
        self.skipped: list[str] = []
        self.rule: Rule | None = None
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


class ProjectContext(_Reporter):
    """What a whole-project rule sees; it reports into any project file."""

    def __init__(
        self, *, root: Path, index: ProjectIndex, setup: SidekiqSetup, settings: Settings
    ) -> None:
        self.root = root
        self.index = index
        self.setup = setup
        self.settings = settings
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
