"""Units of files the relevance gate keeps from the walk are slimmed before their lint
(app/source.py): their tree is not kept, and they are never parsed again. Beyond the tree budget
the units of the other files are slimmed too, and parsed again if their lint walks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from workerlint.app.linter import Linter, Options
from workerlint.app.runner import ProjectRun, project_settings
from workerlint.app.source import BUDGET_VARIABLE
from workerlint.project.files import discover


def _lint_units(root: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> list:
    """(unit given, outcome's unit, whether its tree was held at the lint, whether the gate
    kept the file from the walk) per linted file."""
    seen = []
    original = Linter.lint

    def lint(self, file, data=None, extra=(), unit=None, *, own_facts=False):  # type: ignore[no-untyped-def]
        held = unit is not None and "tree" in unit.__dict__
        gated = self.gated_files
        outcome = original(self, file, data, extra, unit, own_facts=own_facts)
        seen.append((unit, outcome.unit, held, self.gated_files > gated))
        return outcome

    monkeypatch.setattr(Linter, "lint", lint)
    tree = project_settings(root, None, {})
    run = ProjectRun(root, tree, Options(use_cache=False, jobs=1, **options), [], [])
    run.check(discover([root], root, fs=run.fs).files)
    return seen


@pytest.mark.parametrize("name", ["sample_app", "python_app"])
def test_a_gated_files_tree_is_not_kept_nor_parsed_again(name, monkeypatch):
    if not (FIXTURES / name).is_dir():
        pytest.skip(f"no fixture {name}")
    seen = _lint_units(FIXTURES / name, monkeypatch)
    gated = [(given, used, held) for given, used, held, out in seen if given and out]
    assert gated, f"{name} has files no rule can report in"
    for given, used, held in gated:
        if given.plain is False:  # decided before the index: slimmed, linted from that
            assert not held and given.syntax.tree is None
            assert used is given
    slimmed = [given for given, _, _ in gated if given.plain is False]
    assert len(slimmed) * 2 > len(gated)  # most gated files need no index to tell
    assert any(held for given, _, held, out in seen if given and not out)


def test_no_unit_is_slimmed_with_the_gate_off_or_when_fixing(monkeypatch):
    monkeypatch.setenv("WORKERLINT_NO_GATE", "1")
    assert all(
        given.plain is None
        for given, *_ in _lint_units(FIXTURES / "sample_app", monkeypatch)
        if given
    )
    monkeypatch.delenv("WORKERLINT_NO_GATE")
    assert all(
        given.plain is None
        for given, *_ in _lint_units(FIXTURES / "sample_app", monkeypatch, diff=True)
        if given
    )


@pytest.mark.parametrize("name", ["sample_app", "python_app"])
def test_beyond_the_tree_budget_a_walked_files_unit_is_parsed_again(name, monkeypatch):
    if not (FIXTURES / name).is_dir():
        pytest.skip(f"no fixture {name}")
    held = _lint_units(FIXTURES / name, monkeypatch)
    # Under the budget (this fixture is small) every walked file's lint reads the index's tree.
    assert any(h for given, used, h, out in held if given and not out and used is given)
    monkeypatch.setenv(BUDGET_VARIABLE, "0")
    seen = [
        (given, used, h)
        for given, used, h, out in _lint_units(FIXTURES / name, monkeypatch)
        if given and not out and not given.relpath.startswith("config/")
    ]
    assert seen
    assert not any(h for _, _, h in seen)  # no tree held until the lint
    again = [(given, used) for given, used, _ in seen if used is not given]
    assert again  # the walked ones: a new unit, parsed for the lint, with the same facts
    for given, used in again:
        assert given.syntax.tree is None and used.syntax.tree is not None
        assert used.facts == given.facts
