"""A Python file that does not parse: a real error, a template, or another language's script."""

from __future__ import annotations

import pytest
from conftest import run_cli

from workerlint.lang.python.syntax import check


@pytest.mark.parametrize(
    ("first_line", "interpreter"),
    [
        (b"#!/usr/bin/env ruby", "ruby"),
        (b"#!/usr/bin/env -S ruby -w", "ruby"),
        (b"#! /bin/bash -e", "bash"),
        (b"#!/usr/local/bin/node", "node"),
    ],
)
def test_foreign_script_names_its_interpreter(first_line: bytes, interpreter: str) -> None:
    syntax = check(first_line + b"\nputs(ARGV.map { |a| a.upcase })\n")
    assert syntax.error is not None
    assert syntax.template is not None
    assert syntax.template.interpreter == interpreter
    assert (syntax.template.start, syntax.template.end) == (0, len(first_line))


@pytest.mark.parametrize(
    "first_line", [b"#!/usr/bin/env python3", b"#!/usr/bin/python3.11", b"#!/usr/bin/env pypy3"]
)
def test_python_shebang_keeps_the_syntax_error(first_line: bytes) -> None:
    syntax = check(first_line + b"\ndef f(:\n    pass\n")
    assert syntax.error is not None
    assert syntax.template is None


def test_a_ruby_shebang_on_a_file_that_parses_is_not_reported() -> None:
    syntax = check(b"#!/usr/bin/env ruby\nprint('hi')\n")
    assert syntax.error is None and syntax.template is None


def test_templates_and_other_scripts_are_not_reported_and_verbose_names_them(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "sdk"\n')
    (tmp_path / "sdk").mkdir()
    (tmp_path / "sdk" / "client.py").write_text(
        "from client.{{ version }} import Client\n{% for s in services %}\n{% endfor %}\n"
    )
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "report.py").write_text("#!/usr/bin/env ruby\nputs(ARGV.map { |a| a })\n")
    (tmp_path / "bin" / "broken.py").write_text("def f(:\n    pass\n")
    result = run_cli(
        "check", ".", "--no-cache", "--verbose", "--output-format", "concise", cwd=tmp_path
    )
    assert result.out.splitlines()[0] == (
        "bin/broken.py:1:7: error: WL001 syntax error: missing `)`; the file's other rules were not run"
    )
    assert (
        "workerlint: WL001: bin/report.py:1: not checked: a `ruby` script (its `#!` line) named as Python source\n"
        in result.err
    )
    assert (
        "workerlint: WL001: sdk/client.py:1: not checked: a template (`{{ version }}`) named as Python source\n"
        in result.err
    )
    assert "sdk/client.py: rules not run" not in result.err
