"""The file-system seam (core/fs.py): a project in memory reads and runs as the same project on
disk, and a run in memory never touches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HTTP_WORKER, SAMPLE_APP, copy_project

from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.fs import MemoryFileSystem

ROOT = Path("/nowhere-on-disk/app")


def _memory(files: dict[str, str]) -> MemoryFileSystem:
    return MemoryFileSystem(ROOT, {rel: text.encode() for rel, text in files.items()})


def test_folders_exist_where_files_are_below_them():
    fs = _memory({"Gemfile": "", "app/workers/a.rb": "x", "app/workers/b.rb": "y", "config/x": ""})
    assert fs.is_file(ROOT / "Gemfile") and not fs.is_dir(ROOT / "Gemfile")
    assert fs.is_dir(ROOT) and fs.is_dir(ROOT / "app") and fs.is_dir(ROOT / "app/workers")
    assert not fs.exists(ROOT / "lib") and not fs.exists(ROOT.parent)
    assert not fs.exists(Path("/etc/hostname"))  # nothing outside the root, even on disk
    assert [(e.name, e.is_dir, e.is_file) for e in fs.scandir(ROOT)] == [
        ("Gemfile", False, True),
        ("app", True, False),
        ("config", True, False),
    ]
    assert fs.glob(ROOT / "app/workers", "*.rb") == [
        ROOT / "app/workers/a.rb",
        ROOT / "app/workers/b.rb",
    ]
    assert fs.rglob(ROOT, "*.rb") == [ROOT / "app/workers/a.rb", ROOT / "app/workers/b.rb"]
    assert fs.resolve(ROOT / "app/../Gemfile") == ROOT / "Gemfile"
    assert (fs.read_bytes(ROOT / "app/workers/a.rb"), fs.size(ROOT / "app/workers/b.rb")) == (
        b"x",
        1,
    )
    with pytest.raises(FileNotFoundError):
        fs.read_bytes(ROOT / "app")
    with pytest.raises(NotADirectoryError):
        fs.scandir(ROOT / "Gemfile")


def _found(result, root: Path) -> list[tuple[str, str, int, int, str]]:
    return sorted(
        (d.code, d.path.relative_to(root).as_posix(), d.span.start, d.span.end, d.message)
        for d in result.diagnostics
    )


def test_the_sample_app_in_memory_gives_what_it_gives_on_disk(tmp_path):
    disk_root = tmp_path / "sample_app"
    copy_project(SAMPLE_APP, disk_root)
    files = {
        p.relative_to(disk_root).as_posix(): p.read_bytes()
        for p in sorted(disk_root.rglob("*"))
        if p.is_file()
    }
    on_disk = run([disk_root], Options(use_cache=False))
    in_memory = run([ROOT], Options(use_cache=False), fs=MemoryFileSystem(ROOT, files))
    assert len(on_disk.diagnostics) > 30
    assert _found(in_memory, ROOT) == _found(on_disk, disk_root)
    assert in_memory.roots == [ROOT]


def test_fixes_in_memory_change_the_mapping_only():
    fs = _memory({"Gemfile": "", "app/workers/ping_worker.rb": HTTP_WORKER})
    path = ROOT / "app/workers/ping_worker.rb"
    # use_cache is asked for, but a project in memory keeps no cache.
    result = run(
        [path],
        Options(fix=True, unsafe_fixes=True, use_cache=True),
        overrides={"only": ("WL201",)},
        fs=fs,
    )
    assert result.roots == [ROOT]
    assert [o.fixed for o in result.outcomes] == [1]
    assert "HTTParty.get(url, timeout: 10)" in fs.files["app/workers/ping_worker.rb"].decode()
    assert sorted(fs.files) == ["Gemfile", "app/workers/ping_worker.rb"]
    assert not ROOT.parent.exists()


@pytest.mark.parametrize("largest", [0, 3, 1 << 20])
def test_a_stamp_is_noted_as_its_size_and_time_asked_one_by_one(tmp_path, largest):
    """``stamp`` (one question where the index asked two): the same answer, the same inputs
    noted and the same window digest, for a file within the limit, beyond it, and missing."""
    from workerlint.core.fs import DISK, RecordingFileSystem

    small = tmp_path / "a.rb"
    small.write_text("x = 1\n")  # 6 bytes
    missing = tmp_path / "gone.rb"
    one_by_one, together = RecordingFileSystem(DISK), RecordingFileSystem(DISK)
    for fs in (one_by_one, together):
        fs.open_window()
    size = one_by_one.size(small)
    expected = None if size > largest else (size, one_by_one.mtime_ns(small))
    assert together.stamp(small, largest) == expected
    assert (expected is None) == (largest < 6)
    with pytest.raises(FileNotFoundError):
        one_by_one.size(missing)
    with pytest.raises(FileNotFoundError):
        together.stamp(missing, largest)
    assert together.touched == one_by_one.touched == {small: "stat", missing: "stat"}
    assert together.close_window() == one_by_one.close_window()
    assert MemoryFileSystem(ROOT, {"a.rb": b"x = 1\n"}).stamp(ROOT / "a.rb", largest) == (
        None if largest < 6 else (6, 0)
    )


def test_a_stamp_without_a_window_notes_its_path_once_by_its_rank(tmp_path):
    from workerlint.core.fs import DISK, RecordingFileSystem

    read, probed = tmp_path / "a.rb", tmp_path / "b.rb"
    read.write_text("x = 1\n")
    probed.write_text("y\n")
    fs = RecordingFileSystem(DISK)
    fs.read_bytes(read)
    fs.is_file(probed)
    assert fs.touched == {read: "read", probed: "probe"}
    assert fs.stamp(read, 100) == (6, read.stat().st_mtime_ns)
    assert fs.stamp(probed, 100) == (2, probed.stat().st_mtime_ns)
    assert fs.touched == {read: "read", probed: "stat"}


def test_what_a_recorder_adopts_reaches_the_recorder_beneath(tmp_path):
    """A cache's answer stands for its inputs in every recorder a question would have passed
    (the run manifest's is beneath the run's own: tests/test_replay.py)."""
    from workerlint.core.fs import DISK, RecordingFileSystem

    inner = RecordingFileSystem(DISK)
    outer = RecordingFileSystem(inner)
    outer.adopt(iter([(tmp_path / "app", "list", ["d", False, 1])]))
    assert inner.touched == outer.touched == {tmp_path / "app": "list"}


def test_the_disks_answer_to_a_stamp_is_kept_while_it_stays_the_same(tmp_path):
    """What the run manifest stamps an index file with (app/manifest.py)."""
    from workerlint.core.fs import DISK, RecordingFileSystem

    path = tmp_path / "a.rb"
    path.write_text("x = 1\n")
    inner = RecordingFileSystem(DISK)
    outer = RecordingFileSystem(inner)  # not the disk: the recorder beneath keeps it
    assert outer.stamp(path, 100) == inner.stamp(path, 100) == (6, path.stat().st_mtime_ns)
    assert outer.stat_pairs == {} and inner.stat_pairs[path][1].st_size == 6
    path.write_text("x = 12\n")
    assert inner.stamp(path, 100)[0] == 7
    assert inner.stat_pairs[path] is None  # changed during the run: stamped again at its end
    with pytest.raises(FileNotFoundError):
        inner.stamp(tmp_path / "gone.rb", 100)
    assert tmp_path / "gone.rb" not in inner.stat_pairs
