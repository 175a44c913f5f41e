"""The speed benchmark's own logic (not timings): what the floor parses, what counts as missed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from workerlint.project.files import DEFAULT_EXCLUDES

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_floor_excludes_are_workerlints_defaults() -> None:
    floor = _load("floor")
    hidden_folders = {".*"}  # the floor skips every hidden folder by its leading dot
    expected = frozenset(DEFAULT_EXCLUDES) - hidden_folders
    excludes = floor.EXCLUDES
    assert excludes == expected


def _floor_count(root: Path) -> int:
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "floor.py"), str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def test_floor_of_a_rails_app_parses_app_lib_config(tmp_path: Path) -> None:
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\n')
    for path in ("app/workers/a.rb", "lib/b.rb", "config/c.rb", "db/schema.rb", "script/d.rb"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x = 1\n")
    (tmp_path / "app/workers/.hidden").mkdir()
    (tmp_path / "app/workers/.hidden/e.rb").write_text("x = 1\n")
    assert _floor_count(tmp_path) == 3


def test_floor_of_a_python_project_parses_every_py_outside_the_excludes(tmp_path: Path) -> None:
    for path in ("shop/tasks.py", "shop/models.py", "tests/test_x.py", ".venv/y.py", "venv/z.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x = 1\n")
    assert _floor_count(tmp_path) == 2


def test_missed_targets() -> None:
    corpus = _load("corpus")
    row = corpus.Row
    fast = row("small", 300, 0.2, 0.18, 0.12, 0.05, 0.5, 0.9, 0.5, 0.9, 60.0)
    # the one-file and pre-commit targets are for the runs through the server
    big = row("big", 1500, 1.0, 0.9, 0.6, 0.08, 0.25, 0.5, 0.09, 0.25, 95.0)
    assert corpus.missed([fast, big]) == []
    slow = row("big", 1500, 1.0, 1.5, 0.9, 0.2, 0.09, 0.25, 0.15, 0.4, 120.0)
    assert corpus.missed([fast, slow]) == [
        "cold, 1 process: above 1.0x the summed floor",
        "cold, 2 processes: above 0.7x the summed floor",
        "big: warm 0.20x the floor (target 0.1x)",
        "big: one file 150 ms (target 100 ms)",
        "big: pre-commit 400 ms (target 300 ms)",
        "big: peak memory 120 MB (target 100 MB)",
    ]


def test_corpus_measures_a_git_repository_of_the_project(tmp_path: Path) -> None:
    """corpus.py commits the copy, as its .gitignore says, so a run asks git as in a real
    project (whether the cache files are tracked)."""
    corpus = _load("corpus")
    (tmp_path / "app/workers").mkdir(parents=True)
    (tmp_path / "app/workers/sync_worker.rb").write_text("class SyncWorker; end\n")
    (tmp_path / ".gitignore").write_text("/log/\n")
    (tmp_path / "log").mkdir()
    (tmp_path / "log/development.log").write_text("noise\n")
    corpus.as_repository(tmp_path)
    git = ["git", "-C", str(tmp_path)]
    listed = subprocess.run([*git, "ls-files"], capture_output=True, text=True, check=True)
    assert listed.stdout.split() == [".gitignore", "app/workers/sync_worker.rb"]
    status = subprocess.run(
        [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
    )
    assert status.stdout == ""
    author = subprocess.run(
        [*git, "log", "--format=%an %ad", "--date=iso-strict"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert author.stdout.strip() == "corpus 2026-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        ('{"dir_info": {"editable": true}, "url": "file:///src/workerlint"}', True),
        ('{"dir_info": {}, "url": "file:///src/workerlint"}', False),
        (None, False),  # installed from an index: no direct_url.json
    ],
)
def test_corpus_tells_an_editable_install(
    monkeypatch: pytest.MonkeyPatch, direct_url: str | None, expected: bool
) -> None:
    from importlib import metadata

    corpus = _load("corpus")

    class Installed:
        def read_text(self, name: str) -> str | None:
            return direct_url if name == "direct_url.json" else None

    monkeypatch.setattr(metadata, "distribution", lambda name: Installed())
    assert corpus.editable() is expected


def test_same_tells_an_unchanged_run_from_a_changed_one(tmp_path: Path) -> None:
    """benchmarks/same.py: the proof a speed change owes (findings per code before/after)."""
    from conftest import SAMPLE_APP, copy_project

    app = copy_project(SAMPLE_APP, tmp_path / "shop")
    script = [sys.executable, "-P", str(BENCHMARKS / "same.py")]
    for out in ("before", "after"):
        done = subprocess.run(
            [*script, "run", str(tmp_path / out), str(app)], capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stdout.startswith("shop "), done.stderr
        assert "exit 1, 43 findings" in done.stdout
    assert not (app / ".workerlint_cache").exists()  # --no-cache: nothing written
    same = subprocess.run(
        [*script, "compare", str(tmp_path / "before"), str(tmp_path / "after")],
        capture_output=True,
        text=True,
    )
    assert (same.returncode, same.stdout.split()) == (0, ["shop", "unchanged"])
    worker = app / "app/workers/webhook_delivery_worker.rb"
    worker.write_text(worker.read_text().replace("HTTParty.post", "HTTParty.get", 1))
    subprocess.run([*script, "run", str(tmp_path / "after"), str(app)], check=True)
    moved = subprocess.run(
        [*script, "compare", str(tmp_path / "before"), str(tmp_path / "after")],
        capture_output=True,
        text=True,
    )
    assert moved.returncode == 1 and moved.stdout.startswith("shop") and "CHANGED" in moved.stdout


def test_instructions_reads_callgrinds_count() -> None:
    instructions = _load("instructions")
    report = "==12== Events    : Ir\n==12== Collected : 1180258402\n==12==\n==12== I   refs:  1,180,258,402\n"
    assert instructions.collected(report) == 1_180_258_402
    with pytest.raises(ValueError, match="no callgrind count"):
        instructions.collected("valgrind: command not found")


def test_instructions_edits_each_file_by_appending_a_comment(tmp_path: Path) -> None:
    instructions = _load("instructions")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/a.rb").write_text("class A; end\n")
    instructions.edit(tmp_path, ["app/a.rb"], "1")
    assert (tmp_path / "app/a.rb").read_text() == "class A; end\n\n# edited 1\n"
