"""The generic harness that runs every rule's examples (Fixit's VALID/INVALID, RuboCop's carets).

A rule's examples are the ``examples.*`` files in its folder (their format: app/examples.py).
Each case runs as a project of its own, held in memory (core/fs.py's MemoryFileSystem: nothing
is written to disk): the file under test, the case's other files, a ``Gemfile`` (a
``pyproject.toml`` for a Python case; unless the case has one), an empty ``__init__.py`` in each
folder of a Python case's files that lacks one (they are packages, as in a Django project), and
a ``.workerlint.toml`` holding the case's settings and options; only the rule runs,
with the rules it ``needs``. Outcomes are named as ast-grep names
them: *noisy* (a finding nobody drew), *missing* (a drawn finding not made), *wrong* (made on
that line, but with another range or message, or another fixed text).
"""

from __future__ import annotations

import inspect
from pathlib import Path, PurePosixPath
from typing import Any

from workerlint.app.examples import Case, Finding, cases_in, toml_key, toml_value
from workerlint.app.linter import Options
from workerlint.core.diagnostics import Applicability, Diagnostic, SourceText
from workerlint.core.fs import MemoryFileSystem
from workerlint.core.records import record
from workerlint.core.results import RunResult
from workerlint.core.rule import Rule

GEMFILE = 'source "https://rubygems.org"\ngem "sidekiq"\n'
PYPROJECT = '[project]\nname = "shop"\ndependencies = ["celery"]\n'
# Where a case's project stands in memory (no such folder is read or written on disk).
ROOT = Path("/workerlint-example")
SETTINGS_FILE = ".workerlint.toml"


def folder_of(rule: type[Rule]) -> Path:
    """The rule's folder (where its examples are)."""
    return Path(inspect.getfile(rule)).parent


def examples_of(rule: type[Rule]) -> list[Case]:
    return cases_in(folder_of(rule))


def settings_toml(rule: type[Rule], case: Case) -> str:
    """The case's ``.workerlint.toml``: its settings, and its options under the rule's code."""
    lines = [f"{toml_key(key)} = {toml_value(value)}" for key, value in case.settings.items()]
    if case.options:
        lines.append(f"[rules.{rule.code}]")
        lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in case.options.items())
    return "\n".join(lines) + "\n"


def project_files(rule: type[Rule], case: Case) -> dict[str, str]:
    """Every file of the case's project, by path relative to its root."""
    python = case.path.endswith(".py")
    marker = {"pyproject.toml": PYPROJECT} if python else {"Gemfile": GEMFILE}
    files = {**marker, **case.files, SETTINGS_FILE: settings_toml(rule, case)}
    files[case.path] = case.text
    if python:
        for path in [p for p in files if p.endswith(".py")]:
            folder = PurePosixPath(path).parent
            while folder.parts:
                files.setdefault(f"{folder.as_posix()}/__init__.py", "")
                folder = folder.parent
    return files


def selected(rule: type[Rule]) -> tuple[str, ...]:
    """The rules a case runs: the rule and those it needs."""
    return (rule.code, *rule.needs)


def run_case(rule: type[Rule], case: Case, *, fix: bool = False) -> tuple[RunResult, str]:
    """Run the case's rule over its file under test; the result, and that file's text after
    the run (changed only with ``fix``: every fix applied, display-only suggestions too)."""
    from workerlint.app.runner import run

    options = (
        Options(fix=True, unsafe_fixes=True, use_cache=False, suggestions=True)
        if fix
        else Options(use_cache=False)
    )
    overrides: dict[str, Any] = {"only": selected(rule)}
    files = {rel: content.encode() for rel, content in project_files(rule, case).items()}
    fs = MemoryFileSystem(ROOT, files)
    path = ROOT / case.path
    result = run([path], options, overrides=overrides, fs=fs)
    return result, fs.read_bytes(path).decode()


@record(frozen=True)
class Outcome:
    """What the rule did with a case."""

    findings: list[Finding]
    fixed: str | None
    errors: list[str]


def _finding(diagnostic: Diagnostic, source: SourceText) -> Finding:
    start = source.position(diagnostic.span.start)
    end = source.position(diagnostic.span.end)
    end_column = end.column if end.line == start.line else len(source.line_text(start.line - 1)) + 1
    end_column = max(end_column, start.column + 1)  # an empty span shows one caret
    return Finding(start.line, start.column, end_column, diagnostic.message)


def outcome(rule: type[Rule], case: Case) -> Outcome:
    """Run a case: the rule's findings in the file under test, its fixed text (when the case
    has one to compare), and internal errors."""
    result, _ = run_case(rule, case)
    source = SourceText(case.text.encode())
    errors = [d.message for d in result.diagnostics if d.internal]
    found = []
    for d in result.diagnostics:
        if d.code != rule.code or d.internal or d.path != ROOT / case.path:
            continue
        found.append(_finding(d, source))
        if rule.suggestion_only and d.fix and d.fix.applicability is not Applicability.DISPLAY_ONLY:
            errors.append(f"a suggestion-only rule made a {d.fix.applicability.value} fix")
    fixed = run_case(rule, case, fix=True)[1] if case.fixed is not None else None
    return Outcome(found, fixed, errors)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def check_case(rule: type[Rule], case: Case) -> list[str]:
    """Problems with one case, each naming it and where it is drawn: empty when the rule does
    what the case says."""
    done = outcome(rule, case)
    source = _shown(case.source)
    problems = [f"internal error: {e}" for e in done.errors]
    remaining = list(done.findings)
    for want in case.expected:
        if want.finding in remaining:
            remaining.remove(want.finding)
            continue
        at = f"({source}:{want.at})"
        near = [f for f in remaining if f.line == want.finding.line]
        if near:
            problems.append(f"wrong: expected {want.finding} {at}\n       got      {near[0]}")
            remaining.remove(near[0])
        else:
            problems.append(f"missing: {want.finding} {at}")
    problems.extend(f"noisy: {f}" for f in remaining)
    if case.fixed is not None and done.fixed != case.fixed:
        problems.append(f"wrong fix:\n--- expected\n{case.fixed}--- got\n{done.fixed}")
    if not problems:
        return []
    kind = "valid" if case.valid else "invalid"
    return [f"{source}:{case.line}: case `{case.name}` ({kind}) in {case.path}:", *problems]


def snapshot(rule: type[Rule]) -> str:
    """What a user sees of the rule alone over its invalid cases: the text output of each (no
    colour), under the case's name, paths relative to the case's project."""
    from workerlint.core.output import text

    blocks = []
    for case in examples_of(rule):
        if case.valid:
            continue
        result, _ = run_case(rule, case)
        blocks.append(f"# case: {case.name}\n{text.render(result, ROOT)}")
    return "\n".join(blocks)
