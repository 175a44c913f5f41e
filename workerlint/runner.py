"""One run over the paths given: group them by project, lint, run project rules, fix."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workerlint import fixes, registry
from workerlint import settings as settings_mod
from workerlint.diagnostics import Diagnostic, Fix
from workerlint.engine import PARALLEL_THRESHOLD, FileOutcome, Linter, Options, RunResult
from workerlint.files import FileKind, SourceFile, discover, find_root
from workerlint.project import build_index, read_setup, read_version
from workerlint.rule import ProjectContext
from workerlint.settings import Settings

if TYPE_CHECKING:
    from tree_sitter import Tree

MAX_FIX_ROUNDS = 20


def group_by_root(paths: Sequence[Path]) -> dict[Path, list[Path]]:
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        groups.setdefault(find_root(path.resolve()), []).append(path.resolve())
    return groups


def project_settings(root: Path, config: Path | None, overrides: Mapping[str, Any]) -> Settings:
    base = settings_mod.load(config) if config else settings_mod.discover(root)
    return base.with_overrides(**overrides)


def run(
    paths: Sequence[Path],
    options: Options,
    *,
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> RunResult:
    outcomes: list[FileOutcome] = []
    notes: list[str] = []
    warnings: list[str] = []
    roots: list[Path] = []
    used: list[Settings] = []
    queue = list(group_by_root(paths).items())
    while queue:
        root, group = queue.pop(0)
        settings = project_settings(root, config, overrides or {})
        found = discover(
            group,
            root,
            (*settings.exclude, *settings.extend_exclude),
            force_exclude=options.force_exclude,
        )
        notes.append(f"project root {root} (settings: {settings.source or 'defaults'})")
        notes.extend(f"{path}: skipped: {reason}" for path, reason in found.skipped)
        queue.extend((inner, [inner]) for inner in found.nested)
        roots.append(root)
        used.append(settings)
        outcomes.extend(_run_project(root, found.files, settings, options, notes, warnings))
    diagnostics = sorted((d for o in outcomes for d in o.diagnostics), key=Diagnostic.sort_key)
    notes.extend(note for o in outcomes for note in o.skipped)
    return RunResult(outcomes, diagnostics, notes, roots, used, warnings)


def _run_project(
    root: Path,
    files: list[SourceFile],
    settings: Settings,
    options: Options,
    notes: list[str],
    warnings: list[str],
) -> list[FileOutcome]:
    started = time.perf_counter()
    selection = registry.select(settings.select, settings.ignore, settings.extend_select)
    trees: dict[Path, tuple[bytes, Tree]] = {}
    serial = _serial(len(files), options)
    index = build_index(
        root,
        exclude=(*settings.exclude, *settings.extend_exclude),
        worker_base_classes=settings.worker_base_classes,
        use_cache=options.use_cache,
        max_file_size=settings.max_file_size,
        extra_files=tuple(f.path for f in files if f.is_ruby),
        trees=trees if serial else None,
    )
    notes.extend(index.problems)
    try:
        setup = read_setup(root, settings.sidekiq_version, settings, index)
    except Exception as error:  # a shape the model does not expect must not stop the run
        setup = read_version(root, settings.sidekiq_version)
        warnings.append(
            f"{root}: could not model the Sidekiq configuration ({type(error).__name__}: "
            f"{error}); the configuration rules (WL1) are silent for this project"
        )
    notes.append(
        f"indexed {len(index.files)} Ruby files; Sidekiq "
        + (
            f"{setup.version_text} ({setup.version_source})"
            if setup.version_text
            else "version unknown (assuming 8)"
        )
    )
    linter = Linter(root, settings, selection, index, setup)
    project = _project_diagnostics(linter, root, files, notes)
    outcomes = _lint_files(linter, files, project, options, trees)
    if options.fix or options.diff:
        outcomes = [_fix(linter, o, options) for o in outcomes]
        if options.fix and not options.diff and any(o.original is not None for o in outcomes):
            outcomes = _refresh_project_findings(linter, outcomes, project)
    notes.append(
        f"checked {len(files)} file(s) with {len(selection.rules)} rules "
        f"in {time.perf_counter() - started:.3f}s"
    )
    return outcomes


def _project_diagnostics(
    linter: Linter, root: Path, files: list[SourceFile], notes: list[str]
) -> dict[Path, list[Diagnostic]]:
    """Run whole-project rules; keep findings in the files being checked."""
    rules = [r for r in linter.rules if "project" in r.targets]
    if not rules:
        return {}
    ctx = ProjectContext(
        root=root, index=linter.index, setup=linter.setup, settings=linter.settings
    )
    for rule in rules:
        ctx.rule = rule
        try:
            rule.check_project(ctx)
        except Exception as error:
            ctx.sink.append(linter.internal_error(rule, error, root))
    notes.extend(ctx.skipped)
    checked = {f.path for f in files}
    by_path: dict[Path, list[Diagnostic]] = {}
    for diagnostic in ctx.sink:
        if diagnostic.path in checked or diagnostic.internal:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    return by_path


_worker_linter: Linter | None = None


def _init_worker(linter: Linter) -> None:
    global _worker_linter
    _worker_linter = linter


def _lint_chunk(
    chunk: list[tuple[SourceFile, list[Diagnostic]]],
) -> list[FileOutcome]:
    assert _worker_linter is not None
    results = []
    for file, extra in chunk:
        outcome = _worker_linter.lint_safely(file, extra=extra)
        if not outcome.diagnostics:
            outcome.data = None  # not needed for rendering: do not send it back
        results.append(outcome)
    return results


def _serial(count: int, options: Options) -> bool:
    return count < PARALLEL_THRESHOLD or _jobs(options) < 2


def _jobs(options: Options) -> int:
    return options.jobs or os.cpu_count() or 1


def _lint_files(
    linter: Linter,
    files: list[SourceFile],
    project: dict[Path, list[Diagnostic]],
    options: Options,
    trees: dict[Path, tuple[bytes, Tree]],
) -> list[FileOutcome]:
    work = [(f, project.get(f.path, [])) for f in files]
    if _serial(len(files), options):
        outcomes = []
        for file, extra in work:
            data, tree = trees.pop(file.path, (None, None))
            outcomes.append(linter.lint_safely(file, data, extra=extra, tree=tree))
        return outcomes
    jobs = _jobs(options)
    size = max(8, len(work) // (jobs * 8))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    outcomes = []
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(linter,)) as pool:
        for result in pool.map(_lint_chunk, chunks):
            outcomes.extend(result)
    return outcomes


def _refresh_project_findings(
    linter: Linter, outcomes: list[FileOutcome], before: dict[Path, list[Diagnostic]]
) -> list[FileOutcome]:
    """After fixes were written, run the project rules again on the new files, and re-check the
    files whose project findings may have changed (a fixed key can change a pool's check)."""
    if not any("project" in r.targets for r in linter.rules):
        return outcomes
    try:
        setup = read_setup(
            linter.root, linter.settings.sidekiq_version, linter.settings, linter.index
        )
    except Exception:  # reported by the first pass already
        return outcomes
    linter = Linter(linter.root, linter.settings, linter.selection, linter.index, setup)
    after = _project_diagnostics(linter, linter.root, [o.file for o in outcomes], [])
    refreshed = []
    for outcome in outcomes:
        path = outcome.file.path
        if path in before or path in after:
            new = linter.lint_safely(outcome.file, outcome.data, extra=after.get(path, []))
            new.original, new.fixed = outcome.original, outcome.fixed
            outcome = new
        refreshed.append(outcome)
    return refreshed


def _parses(kind: str, data: bytes) -> bool:
    if kind in FileKind.RUBY_KINDS:
        from workerlint.ruby.syntax import has_real_error

        return not has_real_error(data)
    if kind in FileKind.YAML_KINDS:
        from workerlint.config.yaml import YamlError, load_yaml

        return not isinstance(load_yaml(data, {}), YamlError)
    return True


def _fix(linter: Linter, outcome: FileOutcome, options: Options) -> FileOutcome:
    """Apply fixes until nothing changes; a fix whose result does not parse is dropped."""
    data = outcome.data
    if data is None:
        return outcome
    original = data
    current = outcome
    dropped: set[Fix] = set()
    applied = 0
    for _ in range(MAX_FIX_ROUNDS):
        candidates = [
            f for f in fixes.applicable(current.diagnostics, options.allowed) if f not in dropped
        ]
        batch = fixes.non_overlapping(candidates)
        if not batch:
            break
        new = fixes.apply(data, batch)
        if not _parses(outcome.file.kind, new):
            good = [f for f in batch if _parses(outcome.file.kind, fixes.apply(data, [f]))]
            dropped.update(f for f in batch if f not in good)
            batch = good[:1]
            new = fixes.apply(data, batch)
        if not batch or new == data:
            break
        applied += len(batch)
        data = new
        current = linter.lint_safely(outcome.file, data)
    if data == original:
        return outcome
    current.original = original
    current.fixed = applied
    if options.fix and not options.diff:
        write_atomic(outcome.file.path, data)
    return current


def write_atomic(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
