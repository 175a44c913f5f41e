"""The console command's replay (app/replay.py): before the CLI loads, from the manifest of the
run's project root, and exactly (a change the manifest's compacted inputs still see runs again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HTTP_WORKER, RELATION_WORKER, run_cli, write_files

from workerlint.app import entry, replay
from workerlint.core import cache
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

OLD = 1_600_000_000  # before any run: no input is racy
APP = {
    **gemfile_lock("7.2.4"),
    "Gemfile": 'source "https://rubygems.org"\ngem "sidekiq"\n',
    "config/sidekiq.yml": "---\nconcurrency: 5\nqueues:\n  - default\n",
    "app/models/order.rb": "class Order < ApplicationRecord\nend\n",
    "app/workers/ping_worker.rb": HTTP_WORKER,
    "app/workers/sweep_worker.rb": RELATION_WORKER,
    "lib/tasks/notes.txt": "not Ruby\n",
}
ARGS = ("check", ".", "--output-format", "json")


def _app(root: Path) -> Path:
    write_files(root, APP)
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.utime(Path(folder) / name, (OLD, OLD), follow_symlinks=False)
    os.utime(root, (OLD, OLD))
    return root


@pytest.fixture
def console(monkeypatch, capsys, lint_runs):
    """The console command in this process, from a folder: (exit code, stdout, whether the
    linter ran)."""
    runs = lint_runs

    def run(folder: Path, *args: str) -> tuple[int, str, bool]:
        monkeypatch.chdir(folder)
        monkeypatch.setattr(sys, "argv", ["workerlint", *args])
        before = len(runs)
        code = entry.main()
        out, _err = capsys.readouterr()
        return code, out, len(runs) > before

    return run


def test_a_replay_loads_neither_the_cli_nor_argparse(tmp_path):
    root = _app(tmp_path / "app")
    probe = (
        "import sys\n"
        "from workerlint.app.entry import main\n"
        f"sys.argv = ['workerlint', *{list(ARGS)!r}]\n"
        "code = main()\n"
        "light = ('argparse', 'json')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('workerlint') or m in light)\n"
        f"print('\\n'.join(loaded), file=open({str(tmp_path / 'loaded.txt')!r}, 'w'))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    outputs = []
    for _ in range(2):  # the first run writes the manifest, the second replays it
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, check=False
        )
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])
    loaded = (tmp_path / "loaded.txt").read_text().split()
    assert loaded == [
        "workerlint",
        "workerlint.app",
        "workerlint.app.client",
        "workerlint.app.entry",
        "workerlint.app.replay",
        "workerlint.app.stamp",
        "workerlint.core",
        "workerlint.core.cache",
        "workerlint.core.digest",
        "workerlint.core.warm",
    ]


def test_a_run_from_a_subfolder_replays_from_the_root_cache(tmp_path, console):
    root = _app(tmp_path / "app")
    workers = root / "app/workers"
    first = console(workers, "check", "--output-format", "json")
    assert first[2] and first[0] == 1
    assert not (workers / cache.CACHE_DIR).exists()  # stored in the root's cache folder
    assert console(workers, "check", "--output-format", "json") == (*first[:2], False)


def test_a_subfolder_that_becomes_a_project_of_its_own_runs_again(tmp_path, console):
    """The subfolder's marker file was probed and absent: the manifest keeps that as the
    listing of the folder, whose stamp the new file changes."""
    root = _app(tmp_path / "app")
    workers = root / "app/workers"
    console(workers, *ARGS)
    assert not console(workers, *ARGS)[2]
    (workers / "pyproject.toml").write_text("[project]\nname = 'workers'\n")
    out = _runs_as_without_cache(console, workers)
    assert json.loads(out) != json.loads(console(root, *ARGS)[1])  # another project now


def _runs_as_without_cache(console, folder: Path) -> str:
    """Runs the console command in ``folder``: it must lint (not replay) and print what a
    ``--no-cache`` run prints; its output."""
    code, out, ran = console(folder, *ARGS)
    assert ran
    expected = run_cli(*ARGS, "--no-cache", cwd=folder)
    assert (code, out) == (expected.code, expected.out)
    return out


def _stored_inputs(root: Path) -> list[replay.Input]:
    (manifest,) = cache.folder(root).glob("run-*")
    found = replay.decoded(manifest.read_bytes())
    assert found is not None
    return found[2]


def test_probes_a_listing_answers_are_not_stored(tmp_path, console):
    root = _app(tmp_path / "app")
    console(root, *ARGS)
    inputs = {path: (how, stamp) for path, how, stamp, _content in _stored_inputs(root)}
    workers = str(root / "app/workers")
    assert inputs[workers][0] == "list"
    assert f"{workers}/.workerlint.toml" not in inputs  # absent from the listing: implied
    assert f"{workers}/.gitignore" not in inputs
    assert inputs[f"{workers}/ping_worker.rb"][0] == "read"  # a read keeps its own stamp


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".gitignore", "sweep_worker.rb\n"),
        (".workerlint.toml", 'ignore = ["WL201"]\n'),
        ("Gemfile", 'source "https://rubygems.org"\n'),
        ("setup.py", "from setuptools import setup\n"),
    ],
)
def test_a_name_probed_in_a_listed_folder_runs_again_when_it_appears(tmp_path, console, name, text):
    root = _app(tmp_path / "app")
    console(root, *ARGS)
    assert not console(root, *ARGS)[2]
    (root / "app/workers" / name).write_text(text)
    _runs_as_without_cache(console, root)


def test_a_file_added_anywhere_runs_a_one_file_run_again(tmp_path, console):
    """A one-file run takes the index's file list from the stored listing (project/listing.py):
    the folders that listing read are the run's inputs too (before, a recorder between them
    kept them out of the manifest, and the run was replayed with a new file in the index)."""
    root = _app(tmp_path / "app")
    one = ("check", "app/workers/ping_worker.rb", "--output-format", "json")
    console(root, *ARGS)  # stores the listing
    for manifest in cache.folder(root).glob("run-*"):
        manifest.unlink()  # the one-file run's is then the only one
    assert console(root, *one)[2]
    assert not console(root, *one)[2]
    (root / "app/models/invoice.rb").write_text("class Invoice < ApplicationRecord\nend\n")
    code, out, ran = console(root, *one)
    assert ran
    expected = run_cli(*one, "--no-cache", cwd=root)
    assert (code, out) == (expected.code, expected.out)
    listed = {path for path, how, *_ in _stored_inputs(root) if how == "list"}
    assert {str(root / "app/models"), str(root / "app")} <= listed


def test_a_file_the_run_only_stamped_is_stored_as_the_run_found_it(tmp_path):
    """The manifest takes an index file's stamp from the run's own (core/fs.py ``stat_pairs``):
    a change after the run looked is a change at the replay (stamping it again at the end
    would have stored the new stamp for an answer made from the old file)."""
    from workerlint.app.manifest import Manifest
    from workerlint.core.fs import DISK, RecordingFileSystem

    root = _app(tmp_path / "app")
    (root / "app/models/alias.rb").symlink_to(root / "app/workers/ping_worker.rb")
    manifest = Manifest(["check", "app"], root)
    assert manifest.start()
    recorder = RecordingFileSystem(DISK)
    model, alias = root / "app/models/order.rb", root / "app/models/alias.rb"
    for path in (model, alias):
        recorder.stamp(path, 1 << 20)
    stored = {entry[0]: entry for entry in manifest.inputs(recorder, []) or []}
    assert stored[str(alias)][1:] == ["stat", cache.stamp(alias, "stat"), None]
    assert stored[str(alias)][2][:2] == ["f", True]
    model.write_text("class Order < ApplicationRecord\n  self.table_name = 'o'\nend\n")
    os.utime(model, (OLD, OLD + 5))  # not racy: before the run's clock
    inputs = manifest.inputs(recorder, []) or []
    (entry,) = [e for e in inputs if e[0] == str(model)]
    assert entry[1:3] == ["stat", ["f", False, len(APP["app/models/order.rb"]), OLD * 10**9]]
    assert not replay.unchanged(inputs)
    assert replay.unchanged([e for e in inputs if e[0] != str(model)])


def test_a_file_replaced_by_a_folder_runs_again(tmp_path, console):
    root = _app(tmp_path / "app")
    console(root, *ARGS)
    notes = root / "lib/tasks/notes.txt"
    notes.unlink()
    notes.mkdir()
    (notes / "extra.rb").write_text(HTTP_WORKER.replace("Ping", "Extra"))
    _runs_as_without_cache(console, root)


def test_a_probed_link_keeps_its_own_stamp(tmp_path, console):
    """A link's answer follows its target, which can change without its folder's stamp."""
    root = _app(tmp_path / "app")
    settings = root / "app/workers/.workerlint.toml"
    settings.symlink_to(tmp_path / "shared.toml")  # dangling: no settings yet
    os.utime(settings.parent, (OLD, OLD))
    console(root, *ARGS)
    assert not console(root, *ARGS)[2]
    (tmp_path / "shared.toml").write_text('ignore = ["WL201"]\n')
    _runs_as_without_cache(console, root)


def test_a_manifest_found_out_of_date_is_checked_once(tmp_path, console, monkeypatch):
    root = _app(tmp_path / "app")
    console(root, *ARGS)
    checks: list[int] = []
    original = replay.unchanged
    monkeypatch.setattr(replay, "unchanged", lambda inputs: checks.append(1) or original(inputs))
    worker = root / "app/workers/ping_worker.rb"
    worker.write_text(worker.read_text() + "# edited\n")
    assert console(root, *ARGS)[2]
    assert checks == [1]  # by the console's replay; the CLI's own replay skips it


def test_the_linted_files_inputs_come_first(tmp_path, console):
    """A replay stops at the first changed input: the files a run lints are stored first, as
    the likeliest to have changed (an edit, then the same files checked again)."""
    root = _app(tmp_path / "app")
    console(root, "check", "app/workers/sweep_worker.rb", "app/workers/ping_worker.rb")
    inputs = _stored_inputs(root)
    assert [(path, how) for path, how, _stamp, _content in inputs[:2]] == [
        (str(root / "app/workers/ping_worker.rb"), "read"),
        (str(root / "app/workers/sweep_worker.rb"), "read"),
    ]
    assert len(inputs) > 2


def test_a_manifest_keeps_its_inputs_and_output_exactly():
    """Fields apart by NUL (app/replay.py): a path with a space, a new line or bytes that are
    not UTF-8, and output holding NUL or anything else, come back as they were written."""
    odd = os.fsdecode(b"/app/caf\xe9 worker\n.rb")
    inputs = [
        (odd, "read", ["f", False, 120, 1_700_000_000_123_456_789], None),
        ("/app/workers", "list", ["d", True, 5, 6], "0f" * 16),
        ("/app/.git", "probe", ["-"], None),
    ]
    answer = ("one\0two\n\u00e9\n", "warning: \ud800 kept\n", 1)
    first, body = replay.encoded("k" * 32, inputs, answer)
    found = replay.decoded(first.encode() + b"\n" + body)
    assert found is not None
    tool, key, stored, got = found
    assert (tool, key, got) == (replay.tool_stamp(), "k" * 32, answer)
    assert stored == [
        (odd, "read", "f,False,120,1700000000123456789", None),
        ("/app/workers", "list", "d,True,5,6", "0f" * 16),
        ("/app/.git", "probe", "-", None),
    ]
    empty = replay.encoded("k", [], ("", "", 0))
    assert replay.decoded(empty[0].encode() + b"\n" + empty[1]) == (tool, "k", [], ("", "", 0))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],  # cut short
        lambda data: data.replace(b"one", b"One"),  # a byte changed (the checksum tells)
        lambda data: data.replace(b"workerlint-manifest", b"workerlint-manifesto"),
        lambda data: data.replace(b"\n", b" ", 1),  # no header line
        lambda data: b'{"format":2,"shape":"manifest"}\n{}',  # an earlier version's JSON
    ],
)
def test_a_damaged_manifest_is_none(damage):
    first, body = replay.encoded("k", [("/a", "read", ["f", False, 1, 2], None)], ("one\n", "", 1))
    assert replay.decoded(first.encode() + b"\n" + body) is not None
    assert replay.decoded(damage(first.encode() + b"\n" + body)) is None


def test_a_manifest_whose_counts_lie_is_none():
    """A checksum matches whatever was written: the counts are checked against the fields."""
    from workerlint.core.digest import checksum

    def stored(body: str) -> bytes:
        data = body.encode()
        return f"{replay.MAGIC} {cache.FORMAT} t {checksum(data)}".encode() + b"\n" + data

    assert replay.decoded(stored("k\x001\x000\x003\x000\x00one")) == ("t", "k", [], ("one", "", 1))
    for body in (
        "k\x001\x001\x003\x000\x00one",  # an input that is not there
        "k\x001\x000\x004\x000\x00one",  # more output than there is
        "k\x002\x000\x003\x000\x00one",  # an exit code a stored run never has
        "k\x001\x00-1\x003\x000\x00one",
        "k\x001\x00x\x003\x000\x00one",
    ):
        assert replay.decoded(stored(body)) is None, body


def test_a_replay_stamps_each_input_as_the_cache_stamps_it(tmp_path):
    """``cache.stamp_text_now`` writes the stamp text itself (no list): the same text as
    ``stamp_text(cache.stamp(...))`` for every kind of path and every way it was asked."""
    (tmp_path / "file.rb").write_text("class A; end\n")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "file.rb", tmp_path / "to_file")
    os.symlink(tmp_path / "folder", tmp_path / "to_folder")
    os.symlink(tmp_path / "gone", tmp_path / "dangling")
    names = ["file.rb", "folder", "pipe", "to_file", "to_folder", "dangling", "missing"]
    for name in names:
        for how in ("probe", "stat", "read", "list"):
            path = str(tmp_path / name)
            assert cache.stamp_text_now(path, how) == cache.stamp_text(cache.stamp(path, how)), (
                name,
                how,
            )
