"""Temporary: every rule's examples files hold exactly its VALID/INVALID tuples (the conversion
of the tuples into examples.rb/examples.yml lost nothing). Removed with the tuples."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from workerlint.app import registry
from workerlint.app.examples import Case, cases_in
from workerlint.app.testing import parse_annotated
from workerlint.core.rule import Valid


def _old(example: Valid) -> tuple:
    text, findings = parse_annotated(example.code)
    return (
        example.path,
        text,
        tuple((f.line, f.column, f.end_column, f.message) for f in findings),
        tuple(sorted(example.files.items())),
        tuple(sorted((k, repr(v)) for k, v in example.options.items())),
        tuple(sorted((k, repr(v)) for k, v in example.settings.items())),
        getattr(example, "fixed", None),
    )


def _new(case: Case) -> tuple:
    return (
        case.path,
        case.text,
        tuple((f.line, f.column, f.end_column, f.message) for f in case.findings),
        tuple(sorted(case.files.items())),
        tuple(sorted((k, repr(v)) for k, v in case.options.items())),
        tuple(sorted((k, repr(v)) for k, v in case.settings.items())),
        case.fixed,
    )


@pytest.mark.parametrize("rule", registry.all_rules(), ids=lambda r: r.code)
def test_examples_files_hold_the_tuples(rule):
    cases = cases_in(Path(inspect.getfile(rule)).parent)
    for valid, examples in ((True, rule.VALID), (False, rule.INVALID)):
        new = sorted(_new(c) for c in cases if c.valid is valid)
        old = sorted(_old(e) for e in examples)
        assert len(new) == len(old)
        for n, o in zip(new, old, strict=True):
            for field, a, b in zip(
                ("path", "text", "findings", "files", "options", "settings", "fixed"),
                n,
                o,
                strict=True,
            ):
                assert a == b, f"{rule.code}: {field} differs"
