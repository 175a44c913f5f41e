"""The pipeline of one run: find, project, files, project rules, filter, fix.

Parallel over files with processes above a threshold (serial below it, so that a pre-commit run
on a few files stays instant).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.app import gate as gate_mod
from workerlint.app import registry
from workerlint.core import suppress
from workerlint.core.diagnostics import Applicability, Diagnostic, Level, SourceText, Span
from workerlint.core.fs import DISK, FileSystem
from workerlint.core.problems import ProblemKind, SourceProblem
from workerlint.core.records import record
from workerlint.core.results import FileOutcome
from workerlint.core.rule import LanguageCheck, Rule
from workerlint.core.settings import Settings
from workerlint.lang.dispatch import DispatchTable, OnError
from workerlint.lang.python.index import HUEY, PythonIndex
from workerlint.lang.python.unit import PYTHON, PythonUnit
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.unit import RUBY, RubyUnit
from workerlint.lang.shown import shorten
from workerlint.project.context import FileContext, PythonFileContext
from workerlint.project.files import FileKind, SourceFile, in_worker_dir
from workerlint.project.frameworks.celery.provider import CeleryProvider
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup
from workerlint.project.index import Unit

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.formats.yaml import YamlError
    from workerlint.lang.ruby.model import ClassScope, FileFacts
    from workerlint.lang.ruby.semantic import SemanticModel
    from workerlint.lang.syntax import Syntax

# The Ruby checks of the rules reading one kind of file: their dispatch table, all of them, and
# those with per-file hooks.
RubyTable = tuple[DispatchTable, list[LanguageCheck], list[LanguageCheck]]
# The Python checks' dispatch table (lang/python/walk.py is imported when a Python file is linted).
PythonTable = tuple[DispatchTable, list[LanguageCheck]]

PARALLEL_THRESHOLD = 200


@record(frozen=True)
class Options:
    """What a run is asked to do (from the command line)."""

    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    force_exclude: bool = False
    use_cache: bool = True
    jobs: int | None = None
    # Only the example harness sets this: it applies display-only suggestions too, so that an
    # example's `fixed=` shows what the suggestion would make of the file.
    suggestions: bool = False
    # Whether the run gathers its notes (what --verbose prints): the Python index's summary
    # asks for every module's tasks, about 100 ms of a one-file run on netbox that no rule of
    # the file needed.
    notes: bool = True

    @property
    def allowed(self) -> frozenset[Applicability]:
        if self.suggestions:
            return frozenset(Applicability)
        if self.unsafe_fixes:
            return frozenset({Applicability.SAFE, Applicability.UNSAFE})
        return frozenset({Applicability.SAFE})


class Linter:
    """Lints the files of one project with one selection of rules (one per process)."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        selection: registry.Selection,
        index: RubyIndex,
        setup: SidekiqSetup,
        fs: FileSystem = DISK,
        python_index: PythonIndex | None = None,
        celery: CeleryProvider | None = None,
    ) -> None:
        self.root = root
        self.fs = fs  # where files are read from when no content is given
        self.celery = celery
        self.settings = settings
        self.selection = selection
        self.index = index
        self.python_index = python_index or PythonIndex()
        self.setup = setup
        self.selected = {r.code for r in selection.rules}
        self.rules: list[Rule] = [cls(settings.rule_options(cls.code)) for cls in selection.rules]
        for rule in self.rules:
            rule.explicitly_selected = selection.is_explicit(type(rule))
        # The engine's own findings: rules fed by hooks (core/rule.py), not by the walk.
        self.problem_rules = [r for r in self.rules if "source_problem" in r.hooks()]
        self.suppression_rules = [r for r in self.rules if "suppressions" in r.hooks()]
        self._tables: dict[str, RubyTable] = {}
        self._python: PythonTable | None = None
        self._gates: dict[str, gate_mod.Gate | None] = {}
        # What the relevance gate spared (app/gate.py): files not walked, and their bytes.
        self.gated_files = 0
        self.gated_bytes = 0
        # Whether each lint records what it asks of the project (app/deps.py: the results
        # cache sets it); the record goes with the file's outcome.
        self.record_deps = False

    def _python_checks(self) -> PythonTable:
        """The Python checks of the selected rules, and their dispatch table."""
        if self._python is None:
            checks = [r.python(r) for r in self.rules if r.has_check("python")]
            self._python = (DispatchTable.build(checks), checks)
        return self._python

    def _for_kind(self, kind: str) -> RubyTable:
        """The Ruby checks of the rules reading files of ``kind``, their dispatch table, and
        those with per-file hooks."""
        if kind not in self._tables:
            checks = [r.ruby(r) for r in self._rules_for(kind) if r.has_check("ruby")]
            hooks = [c for c in checks if _has_hook(c, "begin_file") or _has_hook(c, "end_file")]
            self._tables[kind] = (DispatchTable.build(checks), checks, hooks)
        return self._tables[kind]

    def _rules_for(self, kind: str) -> list[Rule]:
        """The selected rules reading files of ``kind``."""
        return [
            r
            for r in self.rules
            if kind in r.targets or ("ruby" in r.targets and kind in FileKind.RUBY_KINDS)
        ]

    @classmethod
    def gate_only(cls, settings: Settings, selection: registry.Selection) -> Linter:
        """A linter for its relevance gates only (``_gate``), which need no index."""
        return cls(Path(), settings, selection, RubyIndex(), None)  # type: ignore[arg-type]

    def _gate(self, kind: str) -> gate_mod.Gate | None:
        """The relevance gate of the rules walking files of ``kind`` (Python: ``"python"``),
        or None when some rule is always relevant or the gate is off."""
        if kind not in self._gates:
            if kind == PYTHON:
                from workerlint.lang.python import walk as python_walk

                checks = self._python_checks()[1]
                subscriptions = [(c.call_names, c.node_types) for c in checks]
                built = gate_mod.Gate.build(checks, subscriptions, python_walk.KEYWORDS)
            else:
                from workerlint.lang.ruby.walk import KEYWORDS

                _, checks, _ = self._for_kind(kind)
                subscriptions = [(c.call_names, c.node_types) for c in checks]
                built = gate_mod.Gate.build(checks, subscriptions, KEYWORDS)
            self._gates[kind] = built
        return self._gates[kind]

    def _ruby_relevant(
        self,
        file: SourceFile,
        data: bytes,
        facts: FileFacts,
        index: RubyIndex,
        plain: bool | None = None,
    ) -> bool:
        """Whether any rule could report in this Ruby file (the gate; True when it is off), by
        the index its walk would read."""
        gate = self._gate(file.kind)
        if gate is None:
            return True
        worker_dir = in_worker_dir(file.relpath, self.settings.worker_paths)
        workers = any(index.is_worker(c.name) for c in facts.classes)
        # As the walk decides worker code: a worker class, or a class in a worker folder that
        # is not a job of another queue system.
        code = workers or (
            worker_dir and any(not index.is_foreign_job(c.name) for c in facts.classes)
        )
        return self._passed(gate.relevant(data, code, workers, plain), data)

    def _passed(self, relevant: bool, data: bytes) -> bool:
        if not relevant:
            self.gated_files += 1
            self.gated_bytes += len(data)
        return relevant

    def _problems(
        self,
        file: SourceFile,
        source: SourceText,
        problems: Sequence[SourceProblem],
        outcome: FileOutcome,
    ) -> list[Diagnostic]:
        """The findings of the rules that report why a file could not be checked whole (what
        they skip goes to ``outcome``, for --verbose)."""
        if not problems or not self.problem_rules:
            return []
        ctx = self._context(file, source, None, [])
        for rule in self.problem_rules:
            ctx.rule = rule
            for problem in problems:
                try:
                    rule.source_problem(ctx, problem)
                except Exception as error:
                    ctx.sink.append(self.internal_error(rule, error, file.path))
        outcome.skipped.extend(ctx.skipped)
        return ctx.sink

    def internal_error(self, rule: Rule, error: BaseException, path: Path) -> Diagnostic:
        return internal_error(
            rule.code,
            f"internal error in {rule.code} ({rule.name})",
            error,
            path,
            "the other rules' findings for this file are unaffected",
        )

    def lint_safely(
        self,
        file: SourceFile,
        data: bytes | None = None,
        extra: Sequence[Diagnostic] = (),
        unit: Unit | None = None,
        *,
        own_facts: bool = False,
    ) -> FileOutcome:
        """``lint``, except that an engine failure on one file becomes an internal error note."""
        try:
            if self.record_deps:
                return self._lint_recorded(file, data, extra, unit, own_facts)
            return self.lint(file, data, extra, unit, own_facts=own_facts)
        except Exception as error:  # one file failing never loses the other files' findings
            diagnostic = internal_error(
                registry.INTERNAL_CODE,
                "internal error while checking this file",
                error,
                file.path,
                "the other files are unaffected",
            )
            return FileOutcome(file, None, [diagnostic, *extra])

    def _lint_recorded(
        self,
        file: SourceFile,
        data: bytes | None,
        extra: Sequence[Diagnostic],
        unit: Unit | None,
        own_facts: bool,
    ) -> FileOutcome:
        """``lint`` through recording views of the project (app/deps.py), the record kept
        with the outcome (``deps``)."""
        from workerlint.app import deps

        saved = self.index, self.python_index, self.setup, self.celery
        answers = deps.answers_for(*saved)
        record = deps.Record(answers)
        self.index = deps.Recorder(saved[0], record, "rb")  # type: ignore[assignment]
        self.python_index = deps.Recorder(saved[1], record, "py")  # type: ignore[assignment]
        self.setup = deps.Recorder(saved[2], record, "setup")  # type: ignore[assignment]
        self.celery = deps.CeleryView(record, answers)  # type: ignore[assignment]
        try:
            with record:
                outcome = self.lint(file, data, extra, unit, own_facts=own_facts)
        finally:
            self.index, self.python_index, self.setup, self.celery = saved
        outcome.deps = record.data()
        return outcome

    def lint(
        self,
        file: SourceFile,
        data: bytes | None = None,
        extra: Sequence[Diagnostic] = (),
        unit: Unit | None = None,
        *,
        own_facts: bool = False,
    ) -> FileOutcome:
        """Lint one file; ``extra`` are project-rule findings in it, filtered the same way.

        ``unit`` is the Ruby file as this run parsed it already (its bytes are then the file's).
        With ``own_facts`` (a buffer from standard input) the index sees this file as ``data``
        says, not as it is on disk.
        """
        # Content given by the caller (a buffer, a fixed text) may differ from what the index read.
        given = data is not None or own_facts
        if unit is not None:
            data = unit.data
        outcome = FileOutcome(file, None)
        try:
            if data is None:
                size = self.fs.size(file.path)
                if size > self.settings.max_file_size:
                    self._too_large(outcome, size)
                    return outcome
                data = self.fs.read_bytes(file.path)
        except OSError as error:
            outcome.skipped.append(f"{file.relpath}: cannot read: {error.strerror}")
            return outcome
        outcome.data = data
        source = SourceText(data)
        bad = _decode_problem(data)
        if bad is not None:
            outcome.diagnostics.extend(self._problems(file, source, [bad], outcome))
            return outcome
        tree = None
        if file.language == RUBY:
            ruby = unit if isinstance(unit, RubyUnit) else RubyUnit(file.relpath, data)
            outcome.unit = ruby
            diagnostics, tree = self._lint_ruby(file, source, outcome, ruby, own_facts, given)
        elif file.language == PYTHON:
            python = unit if isinstance(unit, PythonUnit) else PythonUnit(file.relpath, data)
            outcome.unit = python
            diagnostics, tree = self._lint_python(file, source, outcome, python, own_facts)
        else:
            diagnostics = self._lint_other(file, source, outcome)
        # A unit slimmed before its lint (app/source.py) tells its comments without a tree.
        comments = outcome.unit.comments if tree is None and outcome.unit is not None else None
        outcome.diagnostics = self.filter(file, source, [*diagnostics, *extra], tree, comments)
        return outcome

    def _too_large(self, outcome: FileOutcome, size: int) -> None:
        limit = self.settings.max_file_size
        problem = SourceProblem(ProblemKind.TOO_LARGE, Span(0, 0), size=size, limit=limit)
        outcome.diagnostics.extend(
            self._problems(outcome.file, SourceText(b""), [problem], outcome)
        )

    def _context(
        self,
        file: SourceFile,
        source: SourceText,
        tree: Tree | None,
        classes: list[ClassScope],
        document: object = None,
        index: RubyIndex | None = None,
        semantic: SemanticModel | None = None,
    ) -> FileContext:
        return FileContext(
            path=file.path,
            relpath=file.relpath,
            kind=file.kind,
            source=source,
            tree=tree,
            classes=classes,
            index=index or self.index,
            setup=self.setup,
            settings=self.settings,
            in_worker_dir=in_worker_dir(file.relpath, self.settings.worker_paths),
            document=document,
            semantic=semantic,
        )

    def _lint_ruby(
        self,
        file: SourceFile,
        source: SourceText,
        outcome: FileOutcome,
        unit: RubyUnit,
        own_facts: bool = False,
        given: bool = True,
    ) -> tuple[list[Diagnostic], Tree | None]:
        table, checks, hooks = self._for_kind(file.kind)
        syntax = unit.syntax
        tree = syntax.tree
        notes = self._problems(file, source, _syntax_problems(source, syntax), outcome)
        if syntax.error is not None:
            outcome.skipped.append(f"{file.relpath}: rules not run on a file with a syntax error")
            return notes, tree
        if not checks:
            return notes, tree
        # A file the index does not read (an excluded file named on the command line) is
        # checked with its own facts added, so that its classes are known to its rules.
        known = file.relpath in self.index.files and not own_facts
        index = None if known else self.index.with_file(unit.facts)
        # The gate reads the index's facts of the file when the index read these bytes: a file
        # it skips is not extracted again.
        gated = self.index.files[file.relpath] if known and not given else unit.facts
        if not self._ruby_relevant(file, source.data, gated, index or self.index, unit.plain):
            return notes, tree
        if tree is None:  # slimmed, yet let through: parsed again (beyond the tree budget)
            unit = outcome.unit = unit.again()
            tree = unit.syntax.tree
        classes = unit.classes
        ctx = self._context(file, source, tree, classes, index=index, semantic=unit.semantic)

        def failed(check: LanguageCheck, error: BaseException) -> None:
            ctx.sink.append(self.internal_error(check.rule, error, file.path))

        self._hooks(hooks, "begin_file", ctx, failed)
        if table:
            from workerlint.lang.ruby.walk import walk

            walk(tree, ctx, table, failed)
        self._hooks(hooks, "end_file", ctx, failed)
        outcome.skipped.extend(ctx.skipped)
        return [*notes, *ctx.sink], tree

    def _lint_python(
        self,
        file: SourceFile,
        source: SourceText,
        outcome: FileOutcome,
        unit: PythonUnit,
        own_facts: bool = False,
    ) -> tuple[list[Diagnostic], Tree | None]:
        table, checks = self._python_checks()
        syntax = unit.syntax
        tree = syntax.tree
        notes = self._problems(file, source, _syntax_problems(source, syntax), outcome)
        if syntax.error is not None:
            if syntax.template is None:  # a template or another language's script says so
                outcome.skipped.append(
                    f"{file.relpath}: rules not run on a file with a syntax error"
                )
            return notes, tree
        if not checks:
            return notes, tree
        # A file the index does not read (an excluded file named on the command line) is
        # checked with its own facts added, so that its tasks are known to its rules.
        known = file.relpath in self.python_index.files and not own_facts
        index = self.python_index if known else self.python_index.with_file(unit.facts)
        if all(c.worker_code_only for c in checks) and not index.has_task_code(file.relpath):
            return notes, tree  # nothing here is task code: no check would be dispatched
        gate = self._gate(PYTHON)
        if gate is not None:
            code = index.has_task_code(file.relpath)
            # Outside task code, the checks that react there only to enqueues need one of
            # their names, unless a Huey task (called by whatever name binds it) may be called.
            narrow = gate.narrows and not code and HUEY not in index.frameworks()
            relevant = gate.relevant(
                source.data, code, file.relpath in index.task_modules, unit.plain, narrow
            )
            if not self._passed(relevant, source.data):
                return notes, tree
        if tree is None:  # slimmed, yet let through: parsed again (beyond the tree budget)
            unit = outcome.unit = PythonUnit(file.relpath, source.data)
            tree = unit.syntax.tree
        module = index.module_of(file.relpath)
        ctx = PythonFileContext(
            path=file.path,
            relpath=file.relpath,
            kind=file.kind,
            source=source,
            tree=tree,
            semantic=unit.semantic(module),
            module=module,
            index=index,
            settings=self.settings,
            celery=self.celery,
        )

        def failed(check: LanguageCheck, error: BaseException) -> None:
            ctx.sink.append(self.internal_error(check.rule, error, file.path))

        self._hooks(checks, "begin_file", ctx, failed)
        if table:
            from workerlint.lang.python import walk as python_walk

            python_walk.walk(tree, ctx, table, failed)
        self._hooks(checks, "end_file", ctx, failed)
        outcome.skipped.extend(ctx.skipped)
        return [*notes, *ctx.sink], tree

    @staticmethod
    def _hooks(
        checks: list[LanguageCheck],
        name: str,
        ctx: FileContext | PythonFileContext,
        failed: OnError,
    ) -> None:
        for check in checks:
            if not _has_hook(check, name):
                continue
            ctx.rule = check.rule
            try:
                getattr(check, name)(ctx)
            except Exception as error:
                failed(check, error)
        ctx.rule = None

    def _lint_other(
        self, file: SourceFile, source: SourceText, outcome: FileOutcome
    ) -> list[Diagnostic]:
        rules = self._rules_for(file.kind)
        document = None
        diagnostics: list[Diagnostic] = []
        if file.kind in FileKind.YAML_KINDS:
            from workerlint.formats.yaml import YamlError, load_yaml

            document = load_yaml(source.data, self.settings.env_map)
            if isinstance(document, YamlError):
                diagnostics.extend(self._problems(file, source, [_yaml_problem(document)], outcome))
                outcome.skipped.append(
                    f"{file.relpath}: rules not run on a file with a syntax error"
                )
                return diagnostics
        ctx = self._context(file, source, None, [], document)
        for rule in rules:
            ctx.rule = rule
            try:
                rule.check_file(ctx)
            except Exception as error:
                ctx.sink.append(self.internal_error(rule, error, file.path))
        outcome.skipped.extend(ctx.skipped)
        return ctx.sink

    def filter(
        self,
        file: SourceFile,
        source: SourceText,
        diagnostics: list[Diagnostic],
        tree: Tree | None = None,
        comments: frozenset[int] | None = None,
    ) -> list[Diagnostic]:
        """Drop what per-file ignores and inline suppressions silence; add WL002. Which
        directives are comments: ``comments`` when given (a slimmed unit's), else the tree's."""
        kept = [
            d
            for d in diagnostics
            if d.internal
            or not suppress.per_file_ignored(
                file.relpath, d.code, d.name, self.settings.per_file_ignores
            )
        ]
        is_comment = comments.__contains__ if comments is not None else _comment_checker(tree)
        directives = suppress.parse(source, _resolve_code, is_comment)
        kept = suppress.apply(kept, directives, source)
        kept.extend(
            d
            for d in self._suppression_findings(file, source, directives)
            if d.internal
            or not suppress.per_file_ignored(
                file.relpath, d.code, d.name, self.settings.per_file_ignores
            )
        )
        return sorted(kept, key=Diagnostic.sort_key)

    def _suppression_findings(
        self, file: SourceFile, source: SourceText, directives: list[suppress.Suppression]
    ) -> list[Diagnostic]:
        """The findings of the rules that judge suppression comments (which silenced nothing)."""
        if not directives or not self.suppression_rules:
            return []
        ctx = self._context(file, source, None, [])
        for rule in self.suppression_rules:
            ctx.rule = rule
            try:
                rule.suppressions(ctx, directives, self.selected)
            except Exception as error:
                ctx.sink.append(self.internal_error(rule, error, file.path))
        return ctx.sink


def _has_hook(check: LanguageCheck, name: str) -> bool:
    """Whether the check implements the per-file hook ``name``."""
    return getattr(type(check), name) is not getattr(LanguageCheck, name)


def internal_error(
    code: str, what: str, error: BaseException, path: Path, unaffected: str
) -> Diagnostic:
    """An internal-error note: what failed, the exception, where in workerlint, what is safe."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    at = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = f"{what}: {type(error).__name__}: {error}{at}; {unaffected}"
    return Diagnostic(code, "internal-error", Level.NOTE, message, path, Span(0, 0), internal=True)


def _resolve_code(token: str) -> str | None:
    rule = registry.lookup(token)
    return rule.code if rule else None


def _comment_checker(tree: Tree | None) -> Callable[[int], bool]:
    if tree is None:
        return lambda _offset: True
    root = tree.root_node

    def is_comment(offset: int) -> bool:
        node = root.descendant_for_byte_range(offset, offset + 1)
        return node is not None and node.type == "comment"

    return is_comment


def _first_line(source: SourceText, start: int, end: int) -> Span:
    """The span from ``start`` to ``end``, cut at the end of ``start``'s line."""
    index = source.line_index(start)
    line_end = (
        source.line_starts[index + 1] - 1 if index + 1 < source.line_count else len(source.data)
    )
    return Span(start, max(start, min(end, line_end)))


def _syntax_problems(source: SourceText, syntax: Syntax) -> list[SourceProblem]:
    """The grammar gaps of a Ruby file, then its first real syntax error, as problems."""
    fault = syntax.error
    error_line = source.position(fault.start).line if fault is not None else None
    problems = [
        SourceProblem(
            ProblemKind.GRAMMAR_GAP,
            _first_line(source, gap.start, gap.end),
            detail=gap.construct,
            error_line=error_line,
        )
        for gap in syntax.gaps
    ]
    if fault is not None and syntax.template is not None:
        template = syntax.template
        span = _first_line(source, template.start, template.end)
        if template.interpreter is not None:
            kind, detail = ProblemKind.FOREIGN_SCRIPT, shorten(template.interpreter, 40)
        else:
            kind, detail = ProblemKind.TEMPLATE, shorten(template.tag, 40)
        problems.append(SourceProblem(kind, span, detail=detail))
        return problems
    if fault is not None:
        near = source.data[fault.start : fault.end].decode(errors="replace").strip().splitlines()
        problems.append(
            SourceProblem(
                ProblemKind.SYNTAX,
                _first_line(source, fault.start, fault.end),
                detail=shorten(near[0], 40) if near else "",
                missing=fault.missing,
            )
        )
    return problems


def _yaml_problem(error: YamlError) -> SourceProblem:
    from workerlint.formats.yaml import ALIAS_LIMIT_MESSAGE

    limit = error.message == ALIAS_LIMIT_MESSAGE or error.message.startswith("YAML nesting deeper")
    kind = ProblemKind.DATA_LIMIT if limit else ProblemKind.DATA_SYNTAX
    return SourceProblem(kind, Span(error.offset, error.offset), detail=error.message)


def _decode_problem(data: bytes) -> SourceProblem | None:
    if b"\x00" in data[:8192]:
        start = data.index(b"\x00")
        return SourceProblem(ProblemKind.BINARY, Span(start, start + 1))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        span = Span(error.start, min(error.start + 1, len(data)))
        return SourceProblem(ProblemKind.ENCODING, span, detail=f"0x{data[error.start]:02x}")
    return None


def gate_for(settings: Settings, selection: registry.Selection, kind: str) -> gate_mod.Gate | None:
    """The relevance gate a linter of ``selection`` applies to files of ``kind`` (Python:
    ``"python"``), or None when it lets every file through. Relevance only grows with what the
    index says of a file (worker code, worker classes), so a file not relevant with neither is
    never walked (app/source.py slims its unit)."""
    return Linter.gate_only(settings, selection)._gate(kind)
