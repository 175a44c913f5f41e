"""The results cache as a base file and a delta of the entries changed since
(app/results_cache.py): a one-file edit writes the delta only; the base is rewritten when the
delta grows; whatever the two files hold, and however runs interleave, the findings are a cold
run's."""

from __future__ import annotations

from pathlib import Path

from conftest import in_processes, write_files
from test_results_cache import APP, EDITS, _findings

from workerlint.app import results_cache
from workerlint.core import cache


def _files(root: Path) -> tuple[Path, Path]:
    base = cache.folder(root) / results_cache.CACHE_FILE
    return base, cache.delta_path(base)


def _entries(path: Path, root: Path) -> dict:
    return cache.read(path, results_cache.ResultsCache(root, "", enabled=False)._header())


def _edit(root: Path, name: str) -> None:
    rel, text = EDITS[name]
    (root / rel).write_text(text)


def test_an_edit_writes_a_delta_and_leaves_the_base(tmp_path):
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    base, delta = _files(root)
    before = base.read_bytes()
    assert not delta.exists()
    _edit(root, "enqueue site")
    assert _findings(root) == _findings(root, use_cache=False)
    assert base.read_bytes() == before
    first = set(_entries(delta, root))
    assert "app/controllers/exports_controller.rb" in first and len(first) < len(APP) // 2
    _edit(root, "base class")  # the delta keeps both edits' entries
    assert _findings(root) == _findings(root, use_cache=False)
    assert base.read_bytes() == before
    assert set(_entries(delta, root)) >= first | {"app/workers/base_worker.rb"}


def test_a_large_delta_rewrites_the_base(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "DELTA_MAX", 1)
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    base, delta = _files(root)
    before = base.read_bytes()
    _edit(root, "base class")
    _edit(root, "enqueue site")
    assert _findings(root) == _findings(root, use_cache=False)
    assert not delta.exists() and base.read_bytes() != before


def test_a_delta_beside_another_base_is_still_exact(tmp_path, monkeypatch):
    """Two runs at once: one writes a delta while the other rewrote the base; every entry
    holds only under its own key and deps, so the findings stay a cold run's."""
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    base, delta = _files(root)
    _edit(root, "base class")
    _findings(root)  # a delta against the first base
    old_delta = delta.read_bytes()
    for name in ("enqueue site", "model scope", "sidekiq.yml"):
        _edit(root, name)
    base.unlink()
    delta.unlink()
    _findings(root)  # a new base, holding the newer entries
    delta.write_bytes(old_delta)  # the late writer's delta
    cold = _findings(root, use_cache=False)
    assert _findings(root) == cold
    delta.write_bytes(old_delta[:-30])  # a damaged delta is ignored
    assert _findings(root) == cold
    base.unlink()  # a delta without a base is not read
    delta.write_bytes(old_delta)
    unread = results_cache.ResultsCache(root, "x")
    assert unread._base == {} and unread._delta == {}
    assert _findings(root) == cold


def _runs(root: str, worker: int, rounds: int) -> None:
    names = sorted(EDITS)
    for round_ in range(rounds):
        name = names[(worker + round_) % len(names)]
        if round_ % 2:
            _edit(Path(root), name)
        else:
            rel = EDITS[name][0]
            (Path(root) / rel).write_text(APP[rel])
        _findings(Path(root))


def test_concurrent_runs_never_corrupt_the_cache(tmp_path):
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    in_processes(_runs, [(str(root), w, 6) for w in range(3)], 240)
    for path in _files(root):
        if path.exists():  # each file whole: its checksum holds
            assert _entries(path, root)
    assert not [p for p in cache.folder(root).iterdir() if p.name.endswith(".tmp")]
    cold = _findings(root, use_cache=False)
    assert _findings(root) == cold
    assert _findings(root) == cold
