"""The one-file and pre-commit path (the Speed issue): what a run on a few files keeps from the
runs before it (the index's unchanged entries as stored; the project's file listing) is exactly
what it would have computed again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import HTTP_WORKER, ORDER_MODEL, RELATION_WORKER, run_cli

from workerlint.core import cache
from workerlint.project import index as index_module
from workerlint.project.index import _CACHE_FILE, build_index

BASE_WORKER = """\
class BaseWorker
  include Sidekiq::Job
end
"""
CHILD_WORKER = (
    HTTP_WORKER.replace("PingWorker", "ChildWorker")
    .replace("  include Sidekiq::Job\n", "")
    .replace("class ChildWorker", "class ChildWorker < BaseWorker")
)


@pytest.fixture
def app(project) -> Path:
    return project(
        {
            "app/workers/base_worker.rb": BASE_WORKER,
            "app/services/child_worker.rb": CHILD_WORKER,
            "app/workers/sweep_worker.rb": RELATION_WORKER,
            "app/models/order.rb": ORDER_MODEL,
            "lib/tasks/jobs.rake": "task :x do\nend\n",
            "db/schema.rb": "ActiveRecord::Schema.define do\nend\n",
            "tasks.py": "import requests\n\ndef f():\n    requests.get('u')\n",
        }
    )


def _body(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[2])


def _touch(path: Path) -> None:
    """A new time stamp, the same content."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_unchanged_entries_are_written_back_as_encoding_them_would(app: Path) -> None:
    build_index(app)
    path = cache.folder(app) / _CACHE_FILE
    (app / "app/workers/sweep_worker.rb").write_text(RELATION_WORKER + "# edited\n")
    _touch(app / "app/models/order.rb")  # restamped, its facts kept
    (app / "app/workers/gone_worker.rb").write_text(BASE_WORKER.replace("Base", "Gone"))
    build_index(app)
    written = _body(path)
    table, raw = index_module._load_cache(path)
    assert set(raw) == set(table) and "app/workers/gone_worker.rb" in table
    index_module._save_cache(path, table, {})  # every entry encoded afresh
    assert _body(path) == written
    assert (
        written["ruby"]["app/models/order.rb"][0][1]
        == (app / "app/models/order.rb").stat().st_mtime_ns
    )


def _findings(root: Path, *args: str) -> list[dict]:
    result = run_cli("check", *args, "--output-format", "json", cwd=root)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["diagnostics"]


def test_a_one_file_run_after_a_base_class_edit_sees_it(app: Path) -> None:
    child = "app/services/child_worker.rb"
    assert [d["code"] for d in _findings(app, child)] == ["WL201"]
    base = app / "app/workers/base_worker.rb"
    base.write_text(BASE_WORKER.replace("  include Sidekiq::Job\n", ""))
    assert _findings(app, child) == _findings(app, child, "--no-cache") == []
    base.write_text(BASE_WORKER)
    assert [d["code"] for d in _findings(app, child)] == ["WL201"]
