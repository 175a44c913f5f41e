"""The one-file and pre-commit path (the Speed issue): what a run on a few files keeps from the
runs before it (the index's unchanged entries as stored; the project's file listing) is exactly
what it would have computed again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import BASE_WORKER, CHILD_WORKER, ORDER_MODEL, RELATION_WORKER, run_cli

from workerlint.core import cache, discovery
from workerlint.project import index as index_module
from workerlint.project.index import _CACHE_FILE, build_index


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
    # The base and the delta the second run wrote (its three entries, the rest unchanged).
    assert set(_body(cache.delta_path(path))["ruby"]) == {
        "app/workers/sweep_worker.rb",
        "app/models/order.rb",
        "app/workers/gone_worker.rb",
    }
    table, raw = index_module._load_cache(path)
    assert set(raw) == set(table) and "app/workers/gone_worker.rb" in table
    written = {"ruby": {}, "python": {}}
    for rel in sorted(raw):
        written["python" if rel.endswith(".py") else "ruby"][rel] = raw[rel]
    encoded = index_module._encoded(table, {})  # every entry encoded afresh
    cache.write_body(path, index_module._cache_header(), encoded)
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


def _walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = discovery.discover

    def counting(paths, root, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(root)
        return real(paths, root, *args, **kwargs)

    monkeypatch.setattr(discovery, "discover", counting)
    return seen


def _listed(root: Path) -> list[Path]:
    return index_module.listed_index_files(root)


def _settle(root: Path) -> None:
    """Every file and folder stamped a minute ago: none is racy (core/cache.py ``racy``)."""
    for path in [root, *root.rglob("*")]:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


def test_the_listing_is_kept_while_nothing_it_read_changed(app: Path, monkeypatch) -> None:
    _settle(app)
    seen = _walks(monkeypatch)
    assert _listed(app) == index_module.index_files(app)
    assert len(seen) == 2 and (cache.folder(app) / "files.json").is_file()
    assert _listed(app) == index_module.index_files(app)
    assert len(seen) == 3  # the second listing was the stored one


@pytest.mark.parametrize(
    "change",
    ["add", "remove", "add-folder", "gitignore", "gitignore-edit", "nested", "rename-folder"],
)
def test_the_listing_sees_every_change_to_the_tree(app: Path, change: str) -> None:
    (app / ".gitignore").write_text("# nothing\n")
    _listed(app)
    assert _listed(app) == index_module.index_files(app)
    if change == "add":
        (app / "app/models/invoice.rb").write_text("class Invoice\nend\n")
    elif change == "remove":
        (app / "app/models/order.rb").unlink()
    elif change == "add-folder":
        (app / "app/models/billing").mkdir()
        (app / "app/models/billing/invoice.rb").write_text("class Invoice\nend\n")
    elif change == "gitignore":
        (app / "app/services/.gitignore").write_text("child_worker.rb\n")
    elif change == "gitignore-edit":
        (app / ".gitignore").write_text("app/services\n")  # another size, another stamp
    elif change == "nested":
        (app / "app/services/Gemfile").write_text('source "https://rubygems.org"\n')
    else:
        (app / "app/services").rename(app / "app/operations")
    expected = index_module.index_files(app)
    assert _listed(app) == expected
    assert _listed(app) == expected  # stored again, and still right


def test_a_racy_listing_is_not_stored(app: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "clock", lambda folder: 0)  # every stamp at or after the clock
    assert _listed(app) == index_module.index_files(app)
    assert not (cache.folder(app) / "files.json").exists()


def test_a_damaged_listing_is_ignored(app: Path) -> None:
    _listed(app)
    path = cache.folder(app) / "files.json"
    first, _, body = path.read_bytes().partition(b"\n")
    payload = json.loads(body)
    payload["found"].append("app/models/ghost.rb")
    path.write_bytes(first + b"\n" + json.dumps(payload).encode())  # checksum now wrong
    assert _listed(app) == index_module.index_files(app)


def test_a_file_added_to_the_tree_is_seen_by_a_one_file_run(app: Path) -> None:
    child = "app/services/child_worker.rb"
    base = app / "app/workers/base_worker.rb"
    base.unlink()
    assert _findings(app, child) == []
    assert _findings(app, child) == []  # replayed or listed from the cache
    base.write_text(BASE_WORKER)
    assert [d["code"] for d in _findings(app, child)] == ["WL201"]
    assert _findings(app, child) == _findings(app, child, "--no-cache")
    base.unlink()
    assert _findings(app, child) == []


def test_a_full_run_stores_the_listing_the_one_file_run_after_it_reads(
    app: Path, monkeypatch
) -> None:
    _settle(app)
    assert _findings(app, ".") == _findings(app, ".", "--no-cache")
    payload = _body(cache.folder(app) / "files.json")
    expected = index_module.index_files(app)
    assert payload["found"] == [p.relative_to(app).as_posix() for p in expected]
    seen = _walks(monkeypatch)
    assert _listed(app) == expected
    assert seen == []  # the full run's walk, not another
    (app / "app/models/invoice.rb").write_text("class Invoice\nend\n")
    assert _listed(app) == index_module.index_files(app)


def test_the_listing_leaves_out_the_probes_its_folders_answer(app: Path) -> None:
    """A name a listed folder did not hold, or held as a plain file or folder, is not stamped
    again (core/implied.py): the folder's stamp stands for it."""
    (app / "app/workers/linked.rb").symlink_to(app / "app/workers/base_worker.rb")
    _settle(app)
    _listed(app)
    inputs = _body(cache.folder(app) / "files.json")["inputs"]
    listed = {rel for rel, how, _ in inputs if how == "list"}
    probes = [rel for rel, how, _ in inputs if how == "probe"]
    assert "app/workers" in listed
    for rel in probes:  # only probes of what a listing cannot vouch for are left
        folder = rel.rpartition("/")[0]
        assert folder not in listed or (app / rel).is_symlink(), rel
    assert _listed(app) == index_module.index_files(app)
    (app / "app/workers/linked.rb").unlink()
    (app / "app/workers/linked.rb").symlink_to(app / "app/models/order.rb")
    assert _listed(app) == index_module.index_files(app)
