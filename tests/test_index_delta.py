"""The index cache as a base file and a delta of the entries changed since (project/index.py):
a one-file run writes the delta only; the base is rewritten when the delta grows or an entry is
dropped; whatever the two files hold, and however runs interleave, the index equals one built
without the cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import in_processes

from workerlint.core import cache
from workerlint.project import index as index_module
from workerlint.project.index import build_index
from workerlint.project.index_layers import LANGUAGES

TASK = "from shop.celery import app\n\n\n@app.task\ndef task_{n}(x):\n    return x + {n}\n"


def _make(root: Path, count: int = 8) -> Path:
    (root / "shop").mkdir(parents=True)
    (root / "shop/__init__.py").write_text("")
    (root / "shop/celery.py").write_text("from celery import Celery\n\napp = Celery('shop')\n")
    for n in range(count):
        (root / f"shop/tasks_{n}.py").write_text(TASK.format(n=n))
    return root


def _edit(root: Path, n: int, tag: str, bump: int = 1) -> None:
    path = root / f"shop/tasks_{n}.py"
    path.write_text(TASK.format(n=n) + f"\ndef extra_{tag}():\n    pass\n")
    stat = path.stat()  # a later time stamp, whatever the clock's tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def _same_as_without_cache(root: Path) -> None:
    cached = build_index(root)
    fresh = build_index(root, use_cache=False)
    assert cached.python.files == fresh.python.files
    assert cached.fingerprint == fresh.fingerprint


def test_an_edit_writes_a_delta_and_leaves_the_base(tmp_path):
    root = _make(tmp_path / "app")
    build_index(root)
    base = cache.folder(root) / "index.json"
    delta = cache.delta_path(base)
    before = base.read_bytes()
    assert not delta.exists()
    _edit(root, 1, "a")
    _same_as_without_cache(root)
    assert base.read_bytes() == before and delta.is_file()
    _, raw = index_module._load_entries(delta)
    assert set(raw) == {"shop/tasks_1.py"}
    _edit(root, 2, "b")  # the delta keeps both
    _same_as_without_cache(root)
    assert set(index_module._load_entries(delta)[1]) == {"shop/tasks_1.py", "shop/tasks_2.py"}
    assert base.read_bytes() == before


def test_a_large_delta_or_a_removed_file_rewrites_the_base(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "DELTA_MAX", 2)
    root = _make(tmp_path / "app")
    build_index(root)
    base = cache.folder(root) / "index.json"
    delta = cache.delta_path(base)
    before = base.read_bytes()
    for n in range(3):
        _edit(root, n, "a")
    _same_as_without_cache(root)
    assert not delta.exists() and base.read_bytes() != before
    _edit(root, 4, "b")
    _same_as_without_cache(root)
    assert delta.exists()
    (root / "shop/tasks_4.py").unlink()
    _same_as_without_cache(root)
    assert not delta.exists()
    _same_as_without_cache(root)


def test_a_delta_beside_another_base_is_still_exact(tmp_path):
    """Two runs at once: one writes a delta while the other rewrote the base (or the other
    way round); every entry is keyed by its file's stamp, so the index stays exact."""
    root = _make(tmp_path / "app")
    build_index(root)
    base = cache.folder(root) / "index.json"
    delta = cache.delta_path(base)
    _edit(root, 1, "a")
    build_index(root)  # a delta against the first base
    old_delta = delta.read_bytes()
    _edit(root, 1, "b")
    _edit(root, 3, "b")
    delta.unlink()
    base.unlink()
    build_index(root)  # a new base, holding the newer entries
    delta.write_bytes(old_delta)  # the late writer's delta
    _same_as_without_cache(root)
    # A damaged delta is ignored; a delta without a base is not read.
    delta.write_bytes(old_delta[:-30])
    _same_as_without_cache(root)
    base.unlink()
    delta.write_bytes(old_delta)
    assert index_module._load_cache(base) == ({}, {})
    _same_as_without_cache(root)


def _runs(root: str, worker: int, rounds: int) -> None:
    for round_ in range(rounds):  # each worker its own files, each edit a stamp of its own
        _edit(Path(root), worker * 2 + round_ % 2, f"w{worker}r{round_}", bump=round_ + 1)
        build_index(Path(root))


def test_concurrent_runs_never_corrupt_the_cache(tmp_path, monkeypatch):
    root = _make(tmp_path / "app")
    build_index(root)
    in_processes(_runs, [(str(root), w, 12) for w in range(3)], 120)
    folder = cache.folder(root)
    for path in (folder / "index.json", cache.delta_path(folder / "index.json")):
        if path.exists():  # each file whole: its checksum holds
            assert index_module._load_entries(path)[0]
    _same_as_without_cache(root)
    shutil.rmtree(folder)
    _same_as_without_cache(root)


def test_entries_are_encoded_one_by_one_as_the_whole_payload_would_be(tmp_path):
    root = _make(tmp_path / "shop_app")
    (root / "lib").mkdir()
    (root / "lib/ping_worker.rb").write_text("class PingWorker\n  include Sidekiq::Job\nend\n")
    build_index(root)  # writes the cache
    stored = cache.folder(root) / "index.json"
    payload = cache.read(stored, index_module._cache_header())
    assert set(payload["ruby"]) == {"lib/ping_worker.rb"} and len(payload["python"]) == 10
    body = stored.read_bytes().partition(b"\n")[2]
    assert body == cache.dumps(payload).encode()  # the format of cache.write
    assert list(payload) == list(LANGUAGES)  # in order, as the whole payload was
    assert all(list(entries) == sorted(entries) for entries in payload.values())
