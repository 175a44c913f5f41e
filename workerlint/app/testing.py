"""The generic harness that runs every rule's examples (Fixit's VALID/INVALID, RuboCop's carets).

An ``Invalid`` example draws each expected finding under the line it is on::

    HTTParty.get(url)
             ^^^^^^^^ `HTTParty.get` has no read timeout...

The caret lines are removed to get the file; each gives the line, the start and end columns and
the message. Outcomes are named as ast-grep names them: *noisy* (a finding nobody expected),
*missing* (an expected finding not made), *wrong* (made, but with another range, message or fix).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workerlint.app.linter import Options
from workerlint.core.diagnostics import Applicability, SourceText
from workerlint.core.rule import Invalid, Rule, Valid

_CARET = re.compile(r"^(?P<indent>[ \t]*)(?P<carets>\^+)(?: (?P<message>.*))?$")


@dataclass(frozen=True)
class Finding:
    line: int
    column: int
    end_column: int  # exclusive; on a multi-line span, the end of the first line
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}-{self.end_column} {self.message}"


def parse_annotated(code: str) -> tuple[str, list[Finding]]:
    """Split annotated example code into the file's text and the findings drawn in it."""
    kept: list[str] = []
    expected: list[Finding] = []
    for raw in code.splitlines(keepends=True):
        match = _CARET.match(raw.rstrip("\r\n"))
        if match and kept:
            column = len(match.group("indent")) + 1
            width = len(match.group("carets"))
            message = match.group("message") or ""
            expected.append(Finding(len(kept), column, column + width, message))
        else:
            kept.append(raw)
    return "".join(kept), expected


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def write_project(root: Path, rule: type[Rule], example: Valid, text: str) -> Path:
    """A scratch project holding the example file, its companion files and its settings."""
    (root / "Gemfile").write_text('source "https://rubygems.org"\ngem "sidekiq"\n')
    for rel, content in example.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    lines = [f"{key} = {_toml_value(value)}" for key, value in example.settings.items()]
    if example.options:
        lines.append(f"[rules.{rule.code}]")
        lines.extend(f'"{k}" = {_toml_value(v)}' for k, v in example.options.items())
    (root / ".workerlint.toml").write_text("\n".join(lines) + "\n")
    path = root / example.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def findings(rule: type[Rule], example: Valid) -> tuple[list[Finding], str | None, list[str]]:
    """Run the example; return the rule's findings, the fixed text, and internal errors."""
    from workerlint.app.runner import run

    text, _ = parse_annotated(example.code)
    with tempfile.TemporaryDirectory(prefix="workerlint-example-") as tmp:
        path = write_project(Path(tmp), rule, example, text)
        result = run([path], Options(use_cache=False))
        errors = [d.message for d in result.diagnostics if d.internal]
        source = SourceText(text.encode())
        found = []
        for d in result.diagnostics:
            if d.code != rule.code or d.internal or d.path != path:
                continue
            start = source.position(d.span.start)
            end = source.position(d.span.end)
            end_column = (
                end.column
                if end.line == start.line
                else (len(source.line_text(start.line - 1)) + 1)
            )
            end_column = max(end_column, start.column + 1)  # a zero-width span shows one caret
            found.append(Finding(start.line, start.column, end_column, d.message))
            if (
                rule.suggestion_only
                and d.fix
                and d.fix.applicability is not Applicability.DISPLAY_ONLY
            ):
                errors.append(f"a suggestion-only rule made a {d.fix.applicability.value} fix")
        fixed = None
        if isinstance(example, Invalid) and example.fixed is not None:
            run([path], Options(fix=True, unsafe_fixes=True, use_cache=False, suggestions=True))
            fixed = path.read_text()
        return found, fixed, errors


def check_example(rule: type[Rule], example: Valid) -> list[str]:
    """Problems with one example: empty when the rule behaves as the example says."""
    _, expected = parse_annotated(example.code)
    if isinstance(example, Invalid) and not expected:
        return ["an Invalid example must draw at least one finding with ^^^"]
    if not isinstance(example, Invalid) and expected:
        return ["a Valid example must not draw findings"]
    found, fixed, errors = findings(rule, example)
    problems = [f"internal error: {e}" for e in errors]
    remaining = list(found)
    for want in expected:
        if want in remaining:
            remaining.remove(want)
            continue
        near = [f for f in remaining if f.line == want.line]
        if near:
            problems.append(f"wrong: expected {want}\n       got      {near[0]}")
            remaining.remove(near[0])
        else:
            problems.append(f"missing: {want}")
    problems.extend(f"noisy: {f}" for f in remaining)
    if isinstance(example, Invalid) and example.fixed is not None and fixed != example.fixed:
        problems.append(f"wrong fix:\n--- expected\n{example.fixed}--- got\n{fixed}")
    return problems
