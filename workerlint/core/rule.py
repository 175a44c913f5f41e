"""The Rule base class and its metadata (its examples are files in its folder: app/examples.py).

What a rule may ask of a file or of the project is in core/context.py (the protocols) and in the
concrete contexts of each language and of the project (lang/ruby/context.py, project/context.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

from workerlint.core.diagnostics import Level

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from workerlint.core.context import FileContext, Node, ProjectContext
    from workerlint.core.problems import SourceProblem
    from workerlint.core.suppress import Suppression


class LanguageCheck:
    """A rule's check of one language: its subscriptions and hooks over that language's file
    context (lang/ruby/context.py, lang/python/context.py). A rule names it in its class
    attribute of that language (``ruby = FolderCheck("RubyTimeoutCheck")``, ``python =
    FolderCheck("TimeoutCheck")``); it lives in the rule's folder (``ruby.py``, ``python.py``),
    is imported on first use, and reports as the rule."""

    # Subscriptions: node types, and calls by the name they are made by (Ruby: the method
    # name, as RuboCop's RESTRICT_ON_SEND; Python: the attribute in ``requests.get(...)``, the
    # name in ``get(...)``).
    node_types: ClassVar[frozenset[str]] = frozenset()
    call_names: ClassVar[frozenset[str]] = frozenset()
    # Only nodes inside worker code (for Python: task code, PYTHON.md §9) are dispatched.
    worker_code_only: ClassVar[bool] = True
    # The relevance gate (CONTRIBUTING.md, "The relevance gate"): the walk of a file is
    # skipped for the check when the file holds none of its words. None: the words are derived
    # from its subscriptions (call names, and the keyword each node type is written with); set
    # them only when the check reacts to something else, or it is never skipped wrongly.
    gate_words: ClassVar[frozenset[str] | None] = None
    # The check reports only in a module that defines a task (the index knows): beside
    # ``worker_code_only``, the gate skips a module that has none.
    gate_worker_classes: ClassVar[bool] = False
    # The words one of which a module that defines no task must hold for the check to report
    # in it, when they are fewer than its words anywhere (it reads definitions only when they
    # are tasks); None: its words are the same everywhere.
    gate_words_without_worker_classes: ClassVar[frozenset[str] | None] = None
    # The words one of which a module without task code must hold for the check to report in
    # it, where the linter says they apply (for Python, a project without a Huey task: a Huey
    # task is called by whatever name binds it); None: its words are the same everywhere.
    gate_words_without_worker_code: ClassVar[frozenset[str] | None] = None
    # The check's hooks report, or it reacts to what neither its words nor the index can say:
    # the gate never skips it.
    always_relevant: ClassVar[bool] = False

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.options = rule.options

    @property
    def explicitly_selected(self) -> bool:
        return self.rule.explicitly_selected

    def begin_file(self, ctx: FileContext) -> None:
        """Called before the walk of each file of the language."""

    def visit(self, node: Node, ctx: FileContext) -> None:
        """Called for each subscribed node of the single walk."""

    def end_file(self, ctx: FileContext) -> None:
        """Called after the walk of each file of the language."""

    def check_project(self, ctx: ProjectContext) -> None:
        """Called once per run for a rule targeting "project": the language's half of a
        configuration rule (Ruby's reads ``ctx.setup``, the SidekiqSetup; Python's
        ``ctx.celery``, the CelerySetup), the Ruby check's first."""


class FolderCheck:
    """A rule's LanguageCheck, named by its class in the module of the rule's folder that the
    attribute names (``python = FolderCheck("TimeoutCheck")`` is ``TimeoutCheck`` in the rule's
    ``python.py``), imported when first asked for: a run that lints no Python file and sets up
    no Python project never loads the Python front end (tests/test_lazy_imports.py)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.module = ""
        self._check: type[LanguageCheck] | None = None

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.module = f"{owner.__module__}.{attribute}"

    @overload
    def __get__(self, instance: None, owner: type) -> type[LanguageCheck]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> type[LanguageCheck]: ...
    def __get__(self, instance: object, owner: type | None = None) -> type[LanguageCheck]:
        if self._check is None:
            check = getattr(importlib.import_module(self.module), self.name)
            if not (isinstance(check, type) and issubclass(check, LanguageCheck)):
                raise TypeError(f"{self.module}.{self.name} is not a LanguageCheck")
            self._check = check
        return self._check


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
    # False when the rule's weakness applies only to the findings that name it (WL601: only a
    # loop that request input sizes is a flooding weakness); otherwise a rule with one CWE
    # gives it to every finding.
    cwe_on_every_finding: ClassVar[bool] = True
    # File kinds the rule reads (see files.FileKind), or "project" for whole-project rules.
    # What it does with them is in its checks (below): the rule class holds no code of either
    # language, so loading the catalogue loads neither front end (tests/test_lazy_imports.py).
    targets: ClassVar[frozenset[str]] = frozenset({"ruby"})
    # Options under [tool.workerlint.rules.<code>] with their defaults.
    option_defaults: ClassVar[Mapping[str, Any]] = {}
    # Options the rule no longer has -> what replaced them (naming one is a settings error that
    # says so, rather than "unknown option").
    removed_options: ClassVar[Mapping[str, str]] = {}
    # Rules (by code) that this rule's examples run beside: the example harness runs each case
    # with the rule alone, plus these (a rule judging another rule's findings needs that rule).
    needs: ClassVar[tuple[str, ...]] = ()
    # The rule's check of Ruby files and of the Sidekiq setup, when it has one: a FolderCheck
    # naming its class in the rule's ruby.py (loaded on first use; ``has_check`` asks without
    # loading), so that a run over Python files alone never loads the Ruby front end.
    ruby: ClassVar[type[LanguageCheck] | FolderCheck | None] = None
    # The rule's check of Python files (PYTHON.md), when it has one: a FolderCheck naming its
    # class in the rule's python.py (loaded on first use; ``has_check`` asks without loading).
    python: ClassVar[type[LanguageCheck] | FolderCheck | None] = None

    @classmethod
    def has_check(cls, language: str) -> bool:
        """Whether the rule has a check of ``language`` (its attribute of that name), without
        importing it."""
        for klass in cls.__mro__:
            if language in vars(klass):
                return vars(klass)[language] is not None
        return False

    @classmethod
    def languages(cls) -> tuple[str, ...]:
        """The languages whose code the rule checks (its configuration rules: the frameworks
        of those languages)."""
        found = []
        if cls.has_check("ruby"):
            found.append("ruby")
        if cls.has_check("python") or "python" in cls.targets:
            found.append("python")
        return tuple(found)

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

    # A rule's checks of Ruby and Python code (their hooks: begin_file, visit, end_file,
    # check_project) are its LanguageChecks; a file rule implements check_file().
    def check_file(self, ctx: FileContext) -> None:
        """Called once for each file of a targeted kind that is neither Ruby nor Python."""

    # Engine hooks: the engine's own findings are rules too (WL001, WL002), fed by these.
    def source_problem(self, ctx: FileContext, problem: SourceProblem) -> None:
        """Called for each reason a file could not be checked whole (core/problems.py)."""

    def suppressions(
        self, ctx: FileContext, directives: Sequence[Suppression], selected: Collection[str]
    ) -> None:
        """Called with a file's suppression comments once every finding was filtered: which
        codes each silenced, and the codes selected in this run."""

    @classmethod
    def hooks(cls) -> frozenset[str]:
        """The engine hooks this rule implements (by name)."""
        return frozenset(
            name
            for name in ("source_problem", "suppressions")
            if getattr(cls, name) is not getattr(Rule, name)
        )
