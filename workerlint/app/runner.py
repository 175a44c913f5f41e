"""One run over the paths given: group them by project, lint, run project rules, fix."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workerlint.app import registry
from workerlint.app.celery_cache import CachedCeleryProvider
from workerlint.app.linter import PARALLEL_THRESHOLD, Linter, Options, gate_for
from workerlint.app.results_cache import (
    ResultsCache,
    chain_context,
    deps_hold,
    project_context,
    stored_deps,
)
from workerlint.app.source import UnitStore, tree_budget
from workerlint.app.stamp import tool_stamp
from workerlint.core import cache, fixes, later
from workerlint.core import settings as settings_mod
from workerlint.core.diagnostics import Diagnostic, Fix
from workerlint.core.digest import content_digest
from workerlint.core.fs import DISK, FileSystem, RecordingFileSystem
from workerlint.core.layers import ProjectSettings
from workerlint.core.results import FileOutcome, Progress, RunResult
from workerlint.core.rule import LanguageCheck, Rule
from workerlint.core.settings import Selectors, Settings
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.unit import PYTHON, PythonUnit
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.unit import RUBY, RubyUnit
from workerlint.project.context import ProjectContext
from workerlint.project.files import (
    Discovery,
    FileKind,
    SourceFile,
    classify,
    discover,
    folder_of,
    sidekiq_yaml_files,
)
from workerlint.project.frameworks.celery.provider import CeleryProvider
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup
from workerlint.project.frameworks.sidekiq.setup_cache import SetupCache
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import setup_reads
from workerlint.project.frameworks.sidekiq.version import read_setup, read_version
from workerlint.project.index import (
    Extracted,
    Pending,
    Unit,
    build_index,
    extract_pending,
    index_files_of,
    store_listing,
)
from workerlint.project.roots import find_root

if TYPE_CHECKING:
    from workerlint.app.gate import Gate
    from workerlint.app.workers import Workers

MAX_FIX_ROUNDS = 20
# Files whose change can change what the project rules find anywhere in the project.
CONFIGURATION_KINDS = frozenset(
    {
        FileKind.SIDEKIQ_YAML,
        FileKind.DATABASE_YAML,
        FileKind.PROCFILE,
        FileKind.GEMFILE_LOCK,
        FileKind.RUBY_CONFIG,
        FileKind.SIDEKIQ_INITIALIZER,
        FileKind.DOCKERFILE,
        FileKind.COMPOSE,
        FileKind.SYSTEMD_UNIT,
        FileKind.SUPERVISOR_CONF,
        FileKind.S6_RUN,
        FileKind.PYTHON_LOCK,
        FileKind.REQUIREMENTS,
    }
)


def group_by_root(paths: Sequence[Path], fs: FileSystem = DISK) -> dict[Path, list[Path]]:
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        groups.setdefault(find_root(path, fs), []).append(fs.resolve(path))
    return groups


def project_settings(
    root: Path, config: Path | None, overrides: Mapping[str, Any], fs: FileSystem = DISK
) -> ProjectSettings:
    """The root's settings with the command line's overrides, and the nested files under it.

    The command line's selectors replace the root file's and come after every nested file;
    with ``--config`` one settings file applies to every file (nested files are not read).
    """
    found = settings_mod.load(config, registry, fs=fs) if config else None
    base = found or settings_mod.discover(root, registry, fs)
    base = base.with_overrides(**overrides)
    selectors = Selectors(
        overrides.get("select"), overrides.get("ignore") or (), overrides.get("extend_select") or ()
    )
    if not selectors.empty:
        only = None if selectors.select is None else (*selectors.select, *selectors.extend_select)
        base = base.with_overrides(layers=(selectors,), only=only)
    return ProjectSettings(root, base, registry, cascade=config is None, fs=fs)


def run(
    paths: Sequence[Path],
    options: Options,
    *,
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    stdin: tuple[Path, bytes] | None = None,
    progress: Progress | None = None,
    fs: FileSystem = DISK,
) -> RunResult:
    """Check ``paths``; or, with ``stdin``, one buffer named by its path (which need not exist).

    The buffer is checked as that file of its project would be; the project itself (its index,
    its configuration) is read from ``fs``: the disk, or a project in memory (core/fs.py).
    """
    if stdin is not None:
        paths = [stdin[0]]
    buffers = {fs.resolve(stdin[0]): stdin[1]} if stdin is not None else {}
    outcomes: list[FileOutcome] = []
    notes: list[str] = []
    warnings: list[str] = []
    roots: list[Path] = []
    used: list[Settings] = []
    queue = list(group_by_root(paths, fs).items())
    while queue:
        root, group = queue.pop(0)
        tree = project_settings(root, config, overrides or {}, fs)
        found, index_paths = _discover(group, root, tree, options, fs)
        if buffers:
            index_paths = None
        files = found.files
        for path in buffers:
            buffer = _buffer_file(root, path, files, found.skipped, fs)
            if buffer is not None:
                files = [buffer]
        notes.append(f"project root {root} (settings: {tree.base.source or 'defaults'})")
        notes.extend(f"{path}: skipped: {reason}" for path, reason in found.skipped)
        queue.extend((inner, [inner]) for inner in found.nested)
        roots.append(root)
        used.append(tree.base)
        project = ProjectRun(root, tree, options, notes, warnings, buffers, progress, fs)
        project.index_paths = index_paths
        project.whole = not buffers and all(path == root for path in group)
        outcomes.extend(project.check(files))
    diagnostics = sorted((d for o in outcomes for d in o.diagnostics), key=Diagnostic.sort_key)
    notes.extend(note for o in outcomes for note in o.skipped)
    return RunResult(
        outcomes, diagnostics, notes, roots, used, warnings, catalogue=registry.all_rules()
    )


class _ProjectFacts:
    """What a cached file's findings are checked against (app/deps.py): this run's indexes and
    setups (each stored query asked again, once per run); a coarse record, against every input
    (``everything``: the index fingerprint and what the setups read)."""

    def __init__(self, run: ProjectRun, everything: str) -> None:
        from workerlint.app import deps

        self.fingerprint = everything
        answers = deps.answers_for(run.index, run.python_index, run.setup, run.celery)
        self.replayer = deps.Replayer(answers)

    def stored(self, asked: dict[str, Any]) -> dict[str, Any]:
        return stored_deps(asked, self.fingerprint)

    def hold(self, stored: Any) -> bool:
        return deps_hold(stored, self.fingerprint, self.replayer.holds)


def _under(folder: Path) -> Callable[[Path], bool]:
    """``path.is_relative_to(folder)``, told from the text on POSIX (a path's text is its parts
    joined by the separator): asked of every file the index reads, where ``is_relative_to``
    parsed both paths each time."""
    text = str(folder)
    if os.sep != "/" or text.endswith("/"):  # another separator, or a root: pathlib's reading
        return lambda path: path.is_relative_to(folder)
    prefix = text + "/"

    def under(path: Path) -> bool:
        found = str(path)
        return found == text or found.startswith(prefix)

    return under


class ProjectRun:
    """Checking some files of one project: its index and setup, one linter per settings layer."""

    def __init__(
        self,
        root: Path,
        tree: ProjectSettings,
        options: Options,
        notes: list[str],
        warnings: list[str],
        buffers: Mapping[Path, bytes] | None = None,
        progress: Progress | None = None,
        fs: FileSystem = DISK,
    ) -> None:
        self.root = root
        self.fs = fs
        self.tree = tree
        self.options = options
        self.notes = notes
        self.warnings = warnings
        # Files whose content comes from standard input, not from disk.
        self.buffers = dict(buffers or {})
        self.progress = progress
        self._linters: dict[tuple[tuple[str, ...], bool], Linter] = {}
        # The files the index reads, when the run's discovery found them already (_discover).
        self.index_paths: list[Path] | None = None
        # Whether the files checked are the whole project as discovered (the root was named).
        self.whole = False
        self.index = RubyIndex()
        self.python_index = PythonIndex()
        self.setup = read_version(root, tree.base.sidekiq_version, fs)
        self.celery = CeleryProvider(root, self.python_index, fs)
        self.results = ResultsCache(root, "", enabled=False)
        self._chain_keys: dict[tuple[tuple[str, ...], bool], str] = {}

    def check(self, files: list[SourceFile]) -> list[FileOutcome]:
        serial = _serial(len(files), self.options) or bool(self.buffers)
        self.workers: Workers | None = None
        if not serial:
            # Imported only here: a serial run (the default) never loads multiprocessing.
            from workerlint.app.workers import Workers

            self.workers = Workers(_jobs(self.options), [f.path for f in files])
        try:
            return self._check(files, serial)
        finally:
            if self.workers is not None:
                self.workers.close()

    def _check(self, files: list[SourceFile], serial: bool) -> list[FileOutcome]:
        started = time.perf_counter()
        settings = self.tree.base
        # Parsed once per run: the files this process lints, and the configuration files the
        # Sidekiq setup reads, keep the unit the index parsed (app/source.py).
        linted = {f.path for f in files if f.language in (RUBY, PYTHON)}
        if self.workers is not None:  # this process's part of them
            linted = {path for path in linted if self.workers.here(path)}
        in_config = _under(self.root / "config")

        def keep(path: Path, data: bytes) -> bool:
            if path in linted:
                return True
            # Configuration files are read here; in a parallel run they are linted here too.
            return in_config(path) and (not serial or setup_reads(data))

        # The gate's answer for a linted file with neither worker code nor worker classes: its
        # unit is slimmed when it is False (app/source.py), and the lint need not scan again.
        lean = {f.path: f for f in files} if not (self.options.fix or self.options.diff) else {}
        gates: dict[tuple[tuple[str, ...], str], Gate | None] = {}

        def relevance(path: Path, data: bytes) -> bool | None:
            file = lean.get(path) if path in linted else None
            if file is None or in_config(path):
                return None
            chain = self.tree.chain(folder_of(file.relpath))
            kind = PYTHON if file.language == PYTHON else file.kind
            if (chain, kind) not in gates:
                settings = self.tree.for_chain(chain)
                gates[chain, kind] = gate_for(settings, registry.for_settings(settings), kind)
            gate = gates[chain, kind]
            return None if gate is None else gate.relevant(data, False, False)

        self.units = UnitStore(
            keep,
            linger=in_config,
            relevance=relevance,
            budget=self._tree_budget(),
        )
        indexes = build_index(
            self.root,
            worker_base_classes=settings.worker_base_classes,
            task_decorators=settings.task_decorators,
            task_base_classes=settings.task_base_classes,
            worker_paths=settings.worker_paths,
            use_cache=self.options.use_cache,
            max_file_size=settings.max_file_size,
            unit_for=self.units.unit,
            fs=self.fs,
            extract=self._extract_in_workers if self.workers is not None else None,
            files=self.index_paths,
        )
        # What the run reads after the index is built, until the files are linted, is a part of
        # every file's results key (app/results_cache.py). Recorded from here: nothing reads
        # what this recorder noted before its window (the run's manifest records the index's
        # reads beneath it), and noting each indexed file's stamp twice cost saleor 5 ms.
        self.fs = self._inputs = RecordingFileSystem(self.fs)
        self._inputs.open_window()
        self.index = indexes.ruby
        self.python_index = indexes.python
        self.celery = self._celery_provider()
        self.notes.extend(indexes.problems)
        self.setup = self._read_setup()
        self.notes.extend(self.setup.notes)
        if self.python_index.files and self.options.notes:
            self.notes.extend(_python_notes(self.python_index))
        self.notes.append(
            f"indexed {len(self.index.files)} Ruby files; Sidekiq "
            + (
                f"{self.setup.version_text} ({self.setup.version_source})"
                if self.setup.version_text
                else "version unknown (assuming 8)"
            )
        )
        chains = {f.path: self.tree.chain(folder_of(f.relpath)) for f in files}
        context = self._context_files(files)
        chains.update((f.path, self.tree.chain(folder_of(f.relpath))) for f in context)
        project = self._project_diagnostics(chains)
        for path in self._stale_buffers():
            if project.pop(path, None):
                self.notes.append(
                    f"{path}: the project rules read the configuration from disk, and this "
                    "buffer differs from the file there: their findings in it are not shown"
                )
        self.results = self._results_cache(indexes.fingerprint)
        outcomes = self._lint(files, chains, project)
        outcomes.extend(self._lint_context(context, chains, project))
        self._save_results([*files, *context])
        if self.options.fix or self.options.diff:
            outcomes = [self._fix(o, chains[o.file.path]) for o in outcomes]
            if self.options.fix and not self.options.diff and any(o.original for o in outcomes):
                outcomes = self._refresh_project_findings(outcomes, chains, project)
        rules = len(self.linter(()).selection.rules)
        self.notes.append(
            f"checked {len(files)} file(s) with {rules} rules "
            f"in {time.perf_counter() - started:.3f}s"
        )
        return outcomes

    def _results_cache(self, fingerprint: str) -> ResultsCache:
        """The results cache, keyed by the index and what the setups read (built now, the
        Celery setup too, so that no file's lint reads more of the project; a project without
        Python files has an empty one, read from nothing: not imported)."""
        if self.python_index.files:
            self.celery.get()
        inputs = self._inputs.close_window()
        enabled = (
            self.options.use_cache
            and self.fs.persistent
            and not self.buffers
            and not (self.options.fix or self.options.diff)
        )
        context = project_context(self.root) if enabled else ""
        everything = content_digest(f"{fingerprint}\0{inputs}".encode())
        self._project_facts = _ProjectFacts(self, everything)
        for linter in self._linters.values():
            linter.record_deps = enabled
        return ResultsCache(self.root, context, enabled)

    def _save_results(self, files: list[SourceFile]) -> None:
        """Written unless a file's lint read more of the project than the key covers (then
        the key would not be exact: nothing is kept)."""
        if self._inputs.late - {f.path for f in files}:
            return
        later.after_answer(self.results.save)

    def _cached(
        self, file: SourceFile, chain: tuple[str, ...], extra: list[Diagnostic], unit: Unit | None
    ) -> tuple[FileOutcome | None, bytes | None]:
        """The file's stored outcome when the cache holds one for its key; else None, and its
        bytes when they were read (the lint reuses them)."""
        if not self.results.enabled or file.path in self.buffers:
            return None, None
        linter = self.linter(chain)
        try:
            if unit is not None:
                data = unit.data
            elif self.fs.size(file.path) > linter.settings.max_file_size:
                return None, None
            else:
                data = self.fs.read_bytes(file.path)
        except OSError:
            return None, None
        key = self._results_key(file, chain, data, extra)
        found = self.results.get(file.relpath, key, self._project_facts.hold)
        if found is None:
            return None, data
        return FileOutcome(file, data, *found), data

    def _results_key(
        self, file: SourceFile, chain: tuple[str, ...], data: bytes | str, extra: list[Diagnostic]
    ) -> str:
        key = (chain, False)
        if key not in self._chain_keys:
            linter = self.linter(chain)
            self._chain_keys[key] = chain_context(
                linter.settings, linter.selected, linter.selection.explicit, False
            )
        digest = data if isinstance(data, str) else content_digest(data)
        return self.results.key(self._chain_keys[key], file, digest, extra)

    def _remember(
        self, outcome: FileOutcome, chain: tuple[str, ...], extra: list[Diagnostic]
    ) -> None:
        """Keep a linted file's outcome, keyed by the bytes it was linted from."""
        if not self.results.enabled or outcome.file.path in self.buffers:
            return
        if outcome.data is not None:
            digest = content_digest(outcome.data)
        elif outcome.digest is not None:
            digest = outcome.digest
        else:
            return  # not read, or failed: nothing to keep
        if any(d.internal for d in outcome.diagnostics) or outcome.deps is None:
            return
        key = self._results_key(outcome.file, chain, digest, extra)
        deps = self._project_facts.stored(outcome.deps)
        self.results.put(outcome.file.relpath, key, outcome.diagnostics, outcome.skipped, deps)

    def _tree_budget(self) -> int | None:
        """The source bytes whose trees each process holds until their lint (app/source.py);
        unbounded when fixing: the fix loop reads the linted units' trees."""
        return None if self.options.fix or self.options.diff else tree_budget()

    def _extract_in_workers(self, pending: list[Pending]) -> list[Extracted]:
        """The index's pending files read and parsed where they will be linted: configuration
        files (the setup reads them) and this process's part here, while the workers read the
        others."""
        assert self.workers is not None
        in_config = _under(self.root / "config")
        mine = [in_config(p.path) or self.workers.here(p.path) for p in pending]
        here = [p for p, ours in zip(pending, mine, strict=True) if ours]
        there = [p for p, ours in zip(pending, mine, strict=True) if not ours]
        found = self.workers.extract(there, self._tree_budget())
        return [*extract_pending(here, self.fs, self.units.unit), *found()]

    def _read_setup(self) -> SidekiqSetup:
        settings = self.tree.base
        cache = self._setup_cache()
        try:
            setup = read_setup(
                self.root,
                settings.sidekiq_version,
                settings,
                self.index,
                self.fs,
                unit_for=self.units.ruby_unit,
                cache=cache,
            )
            cache.save()
            return setup
        except Exception as error:  # a shape the model does not expect must not stop the run
            self.warnings.append(
                f"{self.root}: could not model the Sidekiq configuration ({type(error).__name__}: "
                f"{error}); the configuration rules (WL1) are silent for this project"
            )
            return read_version(self.root, settings.sidekiq_version, self.fs)

    def _celery_provider(self) -> CeleryProvider:
        """The Celery setup, kept between runs while what its build asked is unchanged
        (app/celery_cache.py)."""
        return CachedCeleryProvider(
            self.root,
            self.python_index,
            self.fs,
            self.tree.base.celery_version,
            enabled=self.options.use_cache,
        )

    def _setup_cache(self) -> SetupCache:
        """What the Sidekiq setup computed from the project's files in the last run
        (frameworks/sidekiq/setup_cache.py); the run still reads every file it reads."""
        enabled = self.options.use_cache and self.fs.persistent
        return SetupCache(self.root, tool_stamp(), enabled)

    def linter(self, chain: tuple[str, ...], *, project_only: bool = False) -> Linter:
        """The linter for the files under the nested settings files of ``chain``."""
        key = (chain, project_only)
        if key not in self._linters:
            settings = self.tree.for_chain(chain)
            selection = registry.for_settings(settings)
            if project_only:
                rules = tuple(r for r in selection.rules if "project" in r.targets)
                selection = registry.Selection(rules, selection.explicit)
            self._linters[key] = Linter(
                self.root,
                settings,
                selection,
                self.index,
                self.setup,
                self.fs,
                python_index=self.python_index,
                celery=self.celery,
            )
            self._linters[key].record_deps = self.results.enabled
        return self._linters[key]

    def _stale_buffers(self) -> list[Path]:
        """Buffers whose content is not what the file on disk holds."""
        stale = []
        for path, data in self.buffers.items():
            try:
                same = self.fs.read_bytes(path) == data
            except OSError:
                same = False
            if not same:
                stale.append(path)
        return stale

    def _context_files(self, files: list[SourceFile]) -> list[SourceFile]:
        """When a configuration input is checked, every other file of the project, so that the
        project rules' findings are reported wherever they point (pre-commit passes only the
        changed files: removing a queue from the YAML must still fail on the workers)."""
        changed = [
            f
            for f in files
            if f.kind in CONFIGURATION_KINDS
            or (f.language == PYTHON and f.relpath in self.celery.get().sources)
        ]
        stale = set(self._stale_buffers())
        if not changed or all(f.path in stale for f in changed) or self.whole:
            return []  # (the whole project: no other file to walk for)
        settings = self.tree.base
        everything = discover(
            [self.root],
            self.root,
            (*settings.exclude, *settings.extend_exclude),
            nested_excludes=self.tree.excludes,
            fs=self.fs,
        )
        checked = {f.path for f in files}
        return [f for f in everything.files if f.path not in checked]

    def _project_diagnostics(
        self, chains: Mapping[Path, tuple[str, ...]]
    ) -> dict[Path, list[Diagnostic]]:
        """Run whole-project rules once; keep each finding where its file's settings select it."""
        selected: dict[str, Any] = {}
        for chain in sorted({(), *chains.values()}):
            for rule in self.linter(chain).rules:
                if "project" in rule.targets:
                    selected.setdefault(rule.code, rule)
        if not selected:
            return {}
        ctx = ProjectContext(
            root=self.root,
            index=self.index,
            setup=self.setup,
            settings=self.tree.base,
            python_index=self.python_index,
            celery=self.celery,
            fs=self.fs,
        )
        for rule in selected.values():
            ctx.rule = rule
            try:
                ruby = _ruby_project_check(rule, self.index, self.setup)
                if ruby is not None:
                    ruby(rule).check_project(ctx)
                python = _python_project_check(rule, self.python_index)
                if python is not None:
                    python(rule).check_project(ctx)
            except Exception as error:
                ctx.sink.append(self.linter(()).internal_error(rule, error, self.root))
        if self.python_index.files:
            self.notes.extend(self.celery.get().notes)
        self.notes.extend(ctx.skipped)
        by_path: dict[Path, list[Diagnostic]] = {}
        for diagnostic in ctx.sink:
            if diagnostic.internal:
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
                continue
            chain = chains.get(diagnostic.path)
            if chain is not None and diagnostic.code in self.linter(chain).selected:
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
        return by_path

    def _lint(
        self,
        files: list[SourceFile],
        chains: Mapping[Path, tuple[str, ...]],
        project: dict[Path, list[Diagnostic]],
    ) -> list[FileOutcome]:
        work = [(f, chains[f.path], project.get(f.path, [])) for f in files]
        if self.progress is not None:
            self.progress.start(len(work))
        if _serial(len(files), self.options):
            outcomes = []
            for file, chain, extra in work:
                data, unit = None, self.units.take(file.path)
                if file.path in self.buffers:
                    data, unit = self.buffers[file.path], None
                linter = self.linter(chain)
                hit, read = self._cached(file, chain, extra, unit)
                if hit is None:
                    hit = linter.lint_safely(
                        file,
                        data or read,
                        extra=extra,
                        unit=unit,
                        own_facts=file.path in self.buffers,
                    )
                    self._remember(hit, chain, extra)
                outcomes.append(self._release(hit))
                if self.progress is not None:
                    self.progress.advance(1)
            return outcomes
        # In parallel: this process's part, and the files whose unit it holds (the
        # configuration the setup read), are linted here; the others in the worker that parsed
        # (or will parse) them. The workers start first; this process lints meanwhile.
        assert self.workers is not None
        here: dict[Path, FileOutcome] = {}
        mine: list[tuple[SourceFile, tuple[str, ...], list[Diagnostic], Unit | None, bytes | None]]
        mine = []
        there = []
        for file, chain, extra in work:
            unit = self.units.take(file.path)
            hit, read = self._cached(file, chain, extra, unit)
            if hit is None and unit is None and not self.workers.here(file.path):
                there.append((file, chain, extra))
            elif hit is None:
                mine.append((file, chain, extra, unit, read))
            else:
                here[file.path] = self._release(hit)
        linters = {chain: self.linter(chain) for chain in {c for _, c, _ in there}}
        advance = self.progress.advance if self.progress is not None else None
        found = self.workers.lint(there, linters, advance)
        for file, chain, extra, unit, read in mine:
            hit = self.linter(chain).lint_safely(file, read, extra=extra, unit=unit)
            self._remember(hit, chain, extra)
            here[file.path] = self._release(hit)
        if self.progress is not None:
            self.progress.advance(len(here))
        done = {o.file.path: o for o in found()}
        for file, chain, extra in there:
            self._remember(done[file.path], chain, extra)
        return [here.get(file.path) or done[file.path] for file, _, _ in work]

    def _release(self, outcome: FileOutcome) -> FileOutcome:
        """The outcome without its parsed file (tree, semantic model), unless the fix loop
        will read it: a large project is not held in memory tree by tree once linted."""
        if not (self.options.fix or self.options.diff):
            outcome.unit = None
        return outcome

    def _lint_context(
        self,
        files: list[SourceFile],
        chains: Mapping[Path, tuple[str, ...]],
        project: dict[Path, list[Diagnostic]],
    ) -> list[FileOutcome]:
        """The project rules (and only they) over files not asked for; only files with a
        finding are kept."""
        outcomes = []
        for file in files:
            linter = self.linter(chains[file.path], project_only=True)
            extra = project.get(file.path, [])
            if not extra and not (file.language in (RUBY, PYTHON) and linter.rules):
                continue
            outcome = self._release(linter.lint_safely(file, extra=extra))
            outcome.context = True
            if outcome.diagnostics:
                outcomes.append(outcome)
        return outcomes

    def _refresh_project_findings(
        self,
        outcomes: list[FileOutcome],
        chains: Mapping[Path, tuple[str, ...]],
        before: dict[Path, list[Diagnostic]],
    ) -> list[FileOutcome]:
        """After fixes were written, run the project rules again on the new files, and re-check
        the files whose project findings may have changed (a fixed key can change a pool's
        check)."""
        if not any("project" in r.targets for r in self.linter(()).rules):
            return outcomes
        try:
            self.setup = read_setup(
                self.root,
                self.tree.base.sidekiq_version,
                self.tree.base,
                self.index,
                self.fs,
                unit_for=self.units.ruby_unit,
            )
        except Exception:  # reported by the first pass already
            return outcomes
        self.celery = CeleryProvider(
            self.root, self.python_index, self.fs, self.tree.base.celery_version
        )
        self._linters.clear()
        after = self._project_diagnostics(chains)
        refreshed = []
        for outcome in outcomes:
            path = outcome.file.path
            if path in before or path in after:
                linter = self.linter(chains[path], project_only=outcome.context)
                unit = outcome.unit if outcome.data is not None else None
                new = linter.lint_safely(
                    outcome.file, outcome.data, extra=after.get(path, []), unit=unit
                )
                new.original, new.fixed, new.context = (
                    outcome.original,
                    outcome.fixed,
                    outcome.context,
                )
                if outcome.context and not new.diagnostics:
                    continue
                outcome = new
            refreshed.append(outcome)
        return refreshed

    def _fix(self, outcome: FileOutcome, chain: tuple[str, ...]) -> FileOutcome:
        """Apply fixes until nothing changes; a fix whose result does not parse is dropped.

        Each round parses the new text once: the unit that checks it parses is the one linted.
        """
        data = outcome.data
        if data is None or outcome.context:
            return outcome
        linter = self.linter(chain)
        original = data
        current = outcome
        dropped: set[Fix] = set()
        applied = 0
        for _ in range(MAX_FIX_ROUNDS):
            candidates = [
                f
                for f in fixes.applicable(current.diagnostics, self.options.allowed)
                if f not in dropped
            ]
            batch = fixes.non_overlapping(candidates)
            if not batch:
                break
            new = fixes.apply(data, batch)
            unit = _unit(outcome.file, new)
            if not _parses(outcome.file.kind, new, unit):
                good = [f for f in batch if _parses(outcome.file.kind, fixes.apply(data, [f]))]
                dropped.update(f for f in batch if f not in good)
                batch = good[:1]
                new = fixes.apply(data, batch)
                unit = _unit(outcome.file, new)
            if not batch or new == data:
                break
            applied += len(batch)
            data = new
            current = linter.lint_safely(
                outcome.file, data, unit=unit, own_facts=outcome.file.path in self.buffers
            )
        if data == original:
            return outcome
        if isinstance(current.unit, (RubyUnit, PythonUnit)):
            self.units.offer(outcome.file.path, current.unit)
        current.original = original
        current.fixed = applied
        if self.options.fix and not self.options.diff and outcome.file.path not in self.buffers:
            self.fs.write_bytes(outcome.file.path, data)
        return current


def _discover(
    group: list[Path], root: Path, tree: ProjectSettings, options: Options, fs: FileSystem
) -> tuple[Discovery, list[Path] | None]:
    """The files of ``group``, and the files the index reads when that walk was the index's
    own (the whole root, no exclude beyond the defaults, no nested file excluding anything), so
    the tree is walked once (project/index.py's ``index_files_of``)."""
    excluding = False

    def nested_excludes(folder: str) -> list[tuple[str, tuple[str, ...]]]:
        nonlocal excluding
        found = tree.excludes(folder)
        excluding = excluding or bool(found)
        return found

    exclude = (*tree.base.exclude, *tree.base.extend_exclude)
    # The index's own walk (the whole root, no exclude) is kept as the project's listing, so
    # that the one-file run after this one does not walk the tree (project/index.py).
    listing = options.use_cache and fs.persistent and group == [root] and not exclude
    clock = cache.clock(cache.folder(root)) if listing else None
    through = RecordingFileSystem(fs) if listing else fs
    found = discover(
        group,
        root,
        exclude,
        force_exclude=options.force_exclude,
        nested_excludes=nested_excludes,
        fs=through,
    )
    if excluding or exclude or any(path != root for path in group):
        return found, None
    paths = index_files_of(found.files, root, through)
    if isinstance(through, RecordingFileSystem):
        store_listing(root, paths, through, clock)
    return found, paths


def _buffer_file(
    root: Path,
    path: Path,
    found: list[SourceFile],
    skipped: list[tuple[str, str]],
    fs: FileSystem,
) -> SourceFile | None:
    """The SourceFile of a standard-input buffer, unless discovery excluded its name."""
    rel = path.relative_to(root).as_posix()
    if any(skip == rel for skip, _ in skipped):
        return None
    existing = next((f for f in found if f.path == path), None)
    if existing is not None:
        return existing
    classified = classify(rel, path if fs.is_file(path) else None, fs, sidekiq_yaml_files(root, fs))
    if classified is None:
        skipped.append((rel, "not a kind of file workerlint reads (by its name)"))
        return None
    return SourceFile(path, rel, *classified)


def _serial(count: int, options: Options) -> bool:
    return count < PARALLEL_THRESHOLD or _jobs(options) < 2


def project_check(rule: Rule, language: str) -> type[LanguageCheck] | None:
    """The rule's check of ``language`` when it has a project check (``check_project``), else
    None; imported here, on first use."""
    if not rule.has_check(language):
        return None
    check: type[LanguageCheck] | None = getattr(rule, language)
    if check is None or check.check_project is LanguageCheck.check_project:
        return None
    return check


def _ruby_project_check(
    rule: Rule, index: RubyIndex, setup: SidekiqSetup
) -> type[LanguageCheck] | None:
    """The Ruby half of the rule's project check (the Sidekiq setup's), or None. None too in a
    project without Ruby files whose Sidekiq setup holds nothing of the project (only the
    default process): every such check is silent on it (tests/test_lazy_imports.py runs them
    all on such projects), so a Python project never imports the Ruby checks."""
    if not index.files and setup.defaults_only:
        return None
    return project_check(rule, "ruby")


def _python_project_check(rule: Rule, index: PythonIndex) -> type[LanguageCheck] | None:
    """The Python half of the rule's project check, or None. None too in a project without
    Python files: its CelerySetup is empty and every such check is silent on it
    (tests/test_lazy_imports.py runs them all on such projects), so a Ruby project never
    imports the Python checks (core/rule.py, FolderCheck)."""
    if not index.files:
        return None
    return project_check(rule, "python")


def _jobs(options: Options) -> int:
    """Serial unless asked: on 2 cores, processes were no faster (README, "Speed")."""
    return options.jobs or 1


def _unit(file: SourceFile, data: bytes) -> Unit | None:
    if file.language == RUBY:
        return RubyUnit(file.relpath, data)
    if file.language == PYTHON:
        return PythonUnit(file.relpath, data)
    return None


def _parses(kind: str, data: bytes, unit: Unit | None = None) -> bool:
    if kind in FileKind.RUBY_KINDS:
        return (unit or RubyUnit("", data)).syntax.error is None
    if kind == FileKind.PYTHON:
        return (unit or PythonUnit("", data)).syntax.error is None
    if kind in FileKind.YAML_KINDS:
        from workerlint.formats.yaml import YamlError, load_yaml

        return not isinstance(load_yaml(data, {}), YamlError)
    return True


def _python_notes(index: PythonIndex) -> list[str]:
    """What ``--verbose`` tells of the Python side: modules, tasks per framework, task code."""
    counts: dict[str, int] = {}
    for task in index.tasks:
        counts[task.framework] = counts.get(task.framework, 0) + 1
    tasks = ", ".join(f"{n} {framework}" for framework, n in sorted(counts.items())) or "none"
    return [
        f"indexed {len(index.files)} Python files; tasks: {tasks}; "
        f"{len(index.task_modules)} task modules, {len(index.reached)} functions of other "
        "modules called from task code"
    ]
