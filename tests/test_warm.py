"""Values decoded ahead by the resident server (core/warm.py, app/server.py ``decode_ahead``): a
run takes one only when it was decoded from the very bytes it read, once, and the server reads
nothing but regular files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from workerlint.app import server
from workerlint.core import cache, warm
from workerlint.project import index

HEADER = {"format": cache.FORMAT, "shape": "test"}


@pytest.fixture(autouse=True)
def nothing_held():
    warm.release()
    yield
    warm.release()
    warm._kept.clear()


def _cache_file(path: Path, payload: object) -> Path:
    cache.write(path, HEADER, payload)
    return path


def test_a_value_decoded_ahead_from_the_same_bytes_is_taken_once(tmp_path):
    path = _cache_file(tmp_path / "results.json", {"a.rb": ["k", [], []]})
    server.decode_ahead([("cache", str(path))], lambda: False)
    data, (_, _, held) = warm._held[("cache", str(path))]
    assert data == path.read_bytes()
    first = cache.read(path, HEADER)
    assert first is held and first == {"a.rb": ["k", [], []]}
    second = cache.read(path, HEADER)
    assert second == first and second is not first  # taken once: a run may change it


def test_a_value_decoded_from_other_bytes_is_not_taken(tmp_path):
    path = _cache_file(tmp_path / "results.json", {"a.rb": ["k", [], []]})
    server.decode_ahead([("cache", str(path))], lambda: False)
    held = warm._held[("cache", str(path))][1]
    _cache_file(path, {"b.rb": ["k", [], []]})
    assert cache.read(path, HEADER) == {"b.rb": ["k", [], []]}
    assert held[2] == {"a.rb": ["k", [], []]}
    assert ("cache", str(path)) not in warm._held


def test_a_damaged_file_reads_as_it_does_without_the_server(tmp_path):
    path = _cache_file(tmp_path / "results.json", {"a.rb": ["k", [], []]})
    head, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(head + b"\n" + body.replace(b"a.rb", b"b.rb"))
    with pytest.raises(cache.CacheError) as without:
        cache.read(path, HEADER)
    server.decode_ahead([("cache", str(path))], lambda: False)
    with pytest.raises(cache.CacheError) as ahead:
        cache.read(path, HEADER)
    assert str(ahead.value) == str(without.value) == f"{path}: checksum mismatch"


def test_the_index_entries_decoded_ahead_equal_a_fresh_decode(tmp_path):
    from conftest import SAMPLE_APP, copy_project

    root = copy_project(SAMPLE_APP, tmp_path / "app")
    index.build_index(root)
    path = cache.folder(root) / index._CACHE_FILE
    fresh = index._load_layer(path)
    server.decode_ahead([("index", str(path))], lambda: False)
    held = warm._held[("index", str(path))][1]
    taken = index._load_layer(path)
    assert taken is held and taken == fresh and len(taken.table) > 30


def test_only_regular_files_are_read_ahead_and_an_interruption_stops_it(tmp_path):
    real = _cache_file(tmp_path / "real.json", [1])
    other = _cache_file(tmp_path / "other.json", [2])
    link = tmp_path / "link.json"
    link.symlink_to(real)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # reading it would wait for a writer
    asked = [("cache", str(p)) for p in (fifo, link, tmp_path / "gone.json", real)]
    server.decode_ahead([*asked, ("no such kind", str(real))], lambda: False)
    assert set(warm._held) == {("cache", str(real))}
    calls = iter([False, True])
    server.decode_ahead([("cache", str(real)), ("cache", str(other))], lambda: next(calls))
    assert set(warm._held) == {("cache", str(real))}


def test_a_process_records_what_it_decoded(tmp_path):
    path = _cache_file(tmp_path / "x.json", [1])
    before = len(warm.asked())
    cache.read(path, HEADER)
    cache.read(path, HEADER)
    assert warm.asked()[before:] == [("cache", str(path))]


class _Decoded:
    def __init__(self, data: bytes) -> None:
        self.data = data


def _value(kind: str, path: str, data: bytes) -> object:
    """What a run that read ``data`` at ``path`` gets (core/cache.py reads through this)."""
    return warm.value_in(kind, path, io.BytesIO(data))


@warm.decoder("test-kept")
def _test_decoder(data: bytes) -> _Decoded:
    return _Decoded(data)


def test_a_held_value_taken_or_found_stale_is_never_freed_in_the_process():
    """A forked run that freed the server's objects would copy every page they are on."""
    import gc
    import weakref

    warm.hold("test-kept", "/taken", b"same")
    warm.hold("test-kept", "/stale", b"before")
    taken = _value("test-kept", "/taken", b"same")
    fresh = _value("test-kept", "/stale", b"after")
    assert (taken.data, fresh.data) == (b"same", b"after")
    stale = weakref.ref(warm._kept[-1][1])
    taken_ref = weakref.ref(taken)
    del taken, fresh
    gc.collect()
    assert taken_ref() is not None and stale() is not None and stale().data == b"before"


def test_the_console_command_collects_less_often_and_freezes_what_it_decoded(tmp_path):
    """Only the console command's process (app/entry.py): a library caller's collector is as
    it was."""
    import json
    import subprocess
    import sys

    from conftest import SAMPLE_APP, copy_project

    root = copy_project(SAMPLE_APP, tmp_path / "app")
    index.build_index(root)
    probe = (
        "import gc, json, sys\n"
        "from workerlint.project import index\n"
        "from pathlib import Path\n"
        "before = gc.get_freeze_count()\n"
        "default = gc.get_threshold()\n"
        "index._load_layer(Path('.workerlint_cache/index.json'))\n"
        "library = [gc.get_threshold(), gc.get_freeze_count() - before]\n"
        "from workerlint.app import entry\n"
        "entry.collect_less_often()\n"
        "index._load_layer(Path('.workerlint_cache/index.json'))\n"
        "console = [gc.get_threshold(), gc.get_freeze_count() - before]\n"
        "print(json.dumps([list(default), library, console]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    default, (threshold, frozen), (console_threshold, console_frozen) = json.loads(done.stdout)
    # Python's own threshold (700 up to 3.12, 2,000 in 3.13) is left as it is.
    assert threshold == default and default[0] in (700, 2000) and frozen == 0
    assert console_threshold == [10_000, 10, 10] and console_frozen > 1000


@warm.deriver("test-derived", "test-kept")
def _test_deriver(value: _Decoded, params: str) -> tuple[bytes, str]:
    if params == "fail":
        raise ValueError(params)
    return value.data, params


def test_a_table_derived_ahead_is_taken_once_and_only_with_its_very_value():
    warm.hold("test-kept", "/p", b"same")
    warm.hold("test-kept", "/q", b"same")
    for path in ("/p", "/q"):
        warm.derive("test-derived", path, "k")
    warm.derive("test-derived", "/p", "fail")  # a failing deriver derives nothing
    warm.derive("test-derived", "/absent", "k")  # nothing held there
    warm.derive("no such deriver", "/p", "k")
    assert set(warm._derived) == {("test-derived", "/p", "k"), ("test-derived", "/q", "k")}
    taken = _value("test-kept", "/p", b"same")
    assert warm.derived("test-derived", "/p", "other", taken) is None  # other params
    assert warm.derived("test-derived", "/p", "k", taken) == (b"same", "k")
    assert warm.derived("test-derived", "/p", "k", taken) is None  # taken once
    # derived from another object than the caller's (equal, but not the one it took)
    assert warm.derived("test-derived", "/q", "k", _Decoded(b"same")) is None
    assert warm.asked_derived()[-3:] == [
        ("test-derived", "/p", "other"),
        ("test-derived", "/p", "k"),
        ("test-derived", "/q", "k"),
    ]
    warm.hold("test-kept", "/p", b"same")
    warm.derive("test-derived", "/p", "k")
    warm.release()
    assert not warm._derived and not warm._held


def test_the_server_reads_what_a_run_said_and_drops_what_is_malformed():
    import json

    said = {
        "decoded": [["index", "/a"], ["index"], [1, "/b"], "x"],
        "derived": [["python-tasks", "/a", "[]"], ["python-tasks", "/a"], ["n", "/a", 3]],
    }
    read, write = os.pipe()
    os.write(write, json.dumps(said).encode())
    os.close(write)
    assert server._read_all(read) == ([("index", "/a")], [("python-tasks", "/a", "[]")])
    read, write = os.pipe()
    os.write(write, b'[["index", "/a"]]')  # not what a run says
    os.close(write)
    assert server._read_all(read) is None


@pytest.mark.parametrize(
    ("now", "taken"),
    [
        (b"0123456789", True),
        (b"0123456780", False),  # differs in the last piece
        (b"012345678", False),  # shorter
        (b"0123456789a", False),  # longer
        (b"", False),
    ],
)
def test_a_file_is_compared_with_the_held_bytes_piece_by_piece(tmp_path, monkeypatch, now, taken):
    monkeypatch.setattr(warm, "_PIECE", 4)
    path = tmp_path / "x.bin"
    path.write_bytes(now)
    warm.hold("test-kept", str(path), b"0123456789")
    held = warm._held[("test-kept", str(path))][1]
    with open(path, "rb") as file:
        found = warm.value_in("test-kept", str(path), file)
    assert (found is held) == taken and found.data == now
