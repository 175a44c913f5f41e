"""A run walks the project once: the index reuses the run's own discovery when it is the same
walk (the whole root, default excludes only), and walks again only when the run's excludes make
the two differ (the index must see every file whatever is excluded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HTTP_WORKER, ORDER_MODEL

from workerlint.app import runner
from workerlint.app.linter import Options
from workerlint.core import discovery
from workerlint.project import index as index_module
from workerlint.project.files import discover

REPO = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (REPO / "fixtures").iterdir() if p.is_dir())


@pytest.mark.parametrize("root", FIXTURES, ids=lambda p: p.name)
def test_the_index_files_of_a_root_walk_are_the_index_own(root: Path) -> None:
    found = discover([root], root)
    assert index_module.index_files_of(found.files, root) == index_module.index_files(root)


@pytest.fixture
def app(project) -> Path:
    return project(
        {
            "app/models/order.rb": ORDER_MODEL,
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/legacy/old_worker.rb": HTTP_WORKER.replace("PingWorker", "OldWorker"),
            "lib/tasks/jobs.rake": "task :x do\nend\n",
            "db/schema.rb": "ActiveRecord::Schema.define do\nend\n",
            "config/sidekiq.yml": "---\nqueues:\n  - default\n",
            "spec/ping_spec.rb": "describe 1 do\nend\n",
            "tasks.py": "import requests\n\ndef f():\n    requests.get('u')\n",
        }
    )


def walks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, ...]]:
    seen: list[tuple[Path, ...]] = []
    real = discovery.discover

    def counting(paths, root, *args, **kwargs):  # type: ignore[no-untyped-def]
        paths = list(paths)
        seen.append(tuple(paths))
        return real(paths, root, *args, **kwargs)

    monkeypatch.setattr(discovery, "discover", counting)
    return seen


def indexed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files each index build read, by relative path."""
    built: list[list[str]] = []
    real = index_module.build_index

    def recording(root, **kwargs):  # type: ignore[no-untyped-def]
        result = real(root, **kwargs)
        built.append(sorted([*result.ruby.files, *result.python.files]))
        return result

    monkeypatch.setattr(runner, "build_index", recording)
    return built


def test_a_run_of_the_root_walks_once_and_indexes_the_same_files(app, monkeypatch) -> None:
    seen = walks(monkeypatch)
    built = indexed(monkeypatch)
    result = runner.run([app], Options(use_cache=False))
    assert len(seen) == 1
    assert built[0] == sorted(p.relative_to(app).as_posix() for p in index_module.index_files(app))
    assert "db/schema.rb" in built[0] and "spec/ping_spec.rb" not in built[0]
    assert any(d.path.name == "ping_worker.rb" for d in result.diagnostics)


@pytest.mark.parametrize(
    "settings",
    [
        '[tool.workerlint]\nexclude = ["app/legacy"]\n',
        '[tool.workerlint]\nextend-exclude = ["*.rake"]\n',
    ],
)
def test_excludes_walk_again_so_the_index_still_sees_every_file(app, monkeypatch, settings) -> None:
    (app / "pyproject.toml").write_text(settings)
    built = indexed(monkeypatch)
    seen = walks(monkeypatch)
    runner.run([app], Options(use_cache=False))
    assert len(seen) == 2
    assert built[0] == sorted(p.relative_to(app).as_posix() for p in index_module.index_files(app))
    assert "app/legacy/old_worker.rb" in built[0] and "lib/tasks/jobs.rake" in built[0]


def test_a_nested_settings_file_excluding_walks_again(app, monkeypatch) -> None:
    (app / "app/legacy/.workerlint.toml").write_text('exclude = ["old_worker.rb"]\n')
    built = indexed(monkeypatch)
    seen = walks(monkeypatch)
    result = runner.run([app], Options(use_cache=False))
    assert len(seen) == 2
    assert "app/legacy/old_worker.rb" in built[0]
    assert not any(o.file.relpath == "app/legacy/old_worker.rb" for o in result.outcomes)


def test_one_file_walks_the_project_for_the_index(app, monkeypatch) -> None:
    built = indexed(monkeypatch)
    seen = walks(monkeypatch)
    runner.run([app / "app/workers/ping_worker.rb"], Options(use_cache=False))
    assert len(seen) == 2
    assert built[0] == sorted(p.relative_to(app).as_posix() for p in index_module.index_files(app))
