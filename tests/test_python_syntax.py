"""A Python file that does not parse: a real error, a template, or another language's script."""

from __future__ import annotations

import pytest

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
