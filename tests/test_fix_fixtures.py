"""Every fix applied to the whole fixtures/ folder: the results parse and a second run is a no-op.

The same for the display-only suggestions (never applied by ``--fix``, but shown as diffs): a
suggestion that would not parse, or that would leave its finding in place, is a bad suggestion.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project

from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.results import RunResult


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    copy_project(FIXTURES, target)
    return target


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_parses(root: Path) -> None:
    from workerlint.formats.yaml import YamlError, load_yaml
    from workerlint.lang.ruby.parse import parse

    for path in root.rglob("*.rb"):
        assert not parse(path.read_bytes()).root_node.has_error, path
    for path in root.rglob("*.yml"):
        document = load_yaml(path.read_bytes(), {})
        assert not isinstance(document, YamlError), path


def _fixed_by_rule(first: RunResult, second: RunResult) -> Counter[str]:
    """Findings of the first run that the second no longer has, per rule."""
    after = Counter(d.code for d in second.diagnostics)
    before = Counter(d.code for d in first.diagnostics)
    return Counter(
        {code: before[code] - after[code] for code in before if before[code] > after[code]}
    )


def _fix_twice(root: Path, options: Options) -> tuple[RunResult, RunResult, RunResult]:
    plain = run([root], Options(use_cache=False))
    first = run([root], options)
    _assert_parses(root)
    snapshot = _files(root)
    second = run([root], options)
    assert sum(o.fixed for o in second.outcomes) == 0
    assert _files(root) == snapshot
    assert not [d for d in second.diagnostics if d.internal]
    return plain, first, second


def test_all_fixes_over_fixtures_parse_and_are_stable(fixtures_copy: Path) -> None:
    plain, first, second = _fix_twice(
        fixtures_copy, Options(use_cache=False, fix=True, unsafe_fixes=True)
    )
    assert sum(o.fixed for o in first.outcomes) == EXPECTED_FIXED
    assert dict(_fixed_by_rule(plain, second)) == EXPECTED_FIXED_BY_RULE


def test_all_suggestions_over_fixtures_parse_and_are_stable(fixtures_copy: Path) -> None:
    plain, _, second = _fix_twice(
        fixtures_copy, Options(use_cache=False, fix=True, unsafe_fixes=True, suggestions=True)
    )
    # Display-only suggestions, applied, remove their own findings too.
    gone = _fixed_by_rule(plain, second)
    for code in SUGGESTION_RULES:
        assert gone[code] >= 1, code


# Fixes applied (a fix may settle several merged findings) and findings gone, per rule.
EXPECTED_FIXED = 20
EXPECTED_FIXED_BY_RULE = {
    "WL002": 1,
    "WL101": 4,
    "WL102": 4,
    "WL104": 1,
    "WL112": 2,
    "WL201": 4,
    "WL203": 1,
    "WL301": 2,
    "WL403": 3,
}
SUGGESTION_RULES = ("WL202", "WL302", "WL404", "WL501", "WL601")
