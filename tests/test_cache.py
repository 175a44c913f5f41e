"""The cache never runs code and never changes findings: planted, damaged and tracked files."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import (
    BASE_WORKER,
    CHILD_WORKER,
    ORDER_MODEL,
    RELATION_WORKER,
    SAMPLE_APP,
    cache_parts,
    field_at,
    run_cli,
    store_cache,
)

from workerlint.core import cache
from workerlint.lang.ruby.model import ClassFacts, FileFacts
from workerlint.lang.ruby.nodes import NOT_LITERAL, Symbol
from workerlint.project.frameworks.sidekiq import setup_cache
from workerlint.project.index import _CACHE_FILE, _cache_header, build_index, codec


class _Payload:
    """Unpickling this creates the marker file: what an attacker's pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def _findings(root: Path, *flags: str) -> list[dict]:
    result = run_cli("check", str(root), "--output-format", "json", *flags, cwd=root)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["diagnostics"]


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"},
    )  # fmt: skip


@pytest.fixture
def app(project):
    return project(
        {
            "app/workers/base_worker.rb": BASE_WORKER,
            "app/services/child_worker.rb": CHILD_WORKER,
            "app/workers/sweep_worker.rb": RELATION_WORKER,
            "app/models/order.rb": ORDER_MODEL,
        }
    )


@pytest.mark.parametrize("name", ["index.pickle", _CACHE_FILE, setup_cache.CACHE_FILE])
@pytest.mark.parametrize("kind", ["pickle", "garbage", "json-shaped"])
def test_planted_cache_files_never_run_and_change_nothing(app, tmp_path, name, kind):
    expected = _findings(app, "--no-cache")
    assert {d["code"] for d in expected} == {"WL201", "WL301"}
    marker = tmp_path / "pwned"
    folder = cache.folder(app)
    folder.mkdir()
    if kind == "pickle":
        data = pickle.dumps(_Payload(marker))
    elif kind == "garbage":
        data = bytes(range(256)) * 8
    else:
        data = json.dumps({**_cache_header(), "checksum": "0" * 64}).encode() + b"\n{}"
    (folder / name).write_bytes(data)
    assert _findings(app) == expected
    assert not marker.exists()
    assert _findings(app) == expected  # the second run reads what the first one wrote


def _forge(app: Path) -> None:
    """Rewrite a valid cache so that BaseWorker no longer includes Sidekiq::Job, checksum too."""
    path = cache.folder(app) / _CACHE_FILE
    header, payload = cache_parts(path)
    facts = payload["ruby"]["app/workers/base_worker.rb"][2]
    facts[field_at(FileFacts, "classes")][0][field_at(ClassFacts, "includes")] = []
    store_cache(path, header, payload)
    # Same size and time stamp as the real file would not be needed: the digest matches.
    # The caches derived from the facts (each file's results, keyed by content; the run's
    # manifest) are dropped, so that the next run reads the forged facts.
    for derived in (cache.folder(app) / "results.json", *cache.folder(app).glob("run-*")):
        derived.unlink(missing_ok=True)


def test_a_forged_cache_tracked_by_git_is_ignored(app):
    expected = _findings(app, "--no-cache")
    _git(app, "init", "-q")
    _findings(app)  # writes the cache
    _forge(app)
    # Untracked, a valid cache is trusted: the forgery hides ChildWorker's finding...
    assert [d["code"] for d in _findings(app)] == ["WL301"]
    _forge(app)
    _git(app, "add", "-f", ".workerlint_cache/index.json")
    # ...but a cache that came with the code (a pull request can add one) is never read.
    assert _findings(app) == expected


def test_damaged_or_foreign_caches_are_ignored(app):
    expected = _findings(app, "--no-cache")
    path = cache.folder(app) / _CACHE_FILE
    damages = {
        "checksum": lambda d: {**d, "checksum": "f" * 64},
        "version": lambda d: {**d, "tool": "0.0.0"},
        "shape": lambda d: {**d, "shape": ["FileFacts", []]},
        "extra key": lambda d: {**d, "more": 1},
        "truncated": None,
    }
    for what, damage in damages.items():
        _findings(app)
        _forge(app)
        data = path.read_bytes()
        if damage is None:
            path.write_bytes(data[: len(data) // 2])
        else:
            first, _, body = data.partition(b"\n")
            path.write_bytes(json.dumps(damage(json.loads(first))).encode() + b"\n" + body)
        assert _findings(app) == expected, what


def test_entries_of_the_wrong_shape_are_ignored(app):
    expected = _findings(app, "--no-cache")
    path = cache.folder(app) / _CACHE_FILE
    for bad in (["x"], 7, None, {"path": "app/workers/base_worker.rb"}):
        _findings(app)
        header, payload = cache_parts(path)
        payload["ruby"]["app/workers/base_worker.rb"][2] = bad
        payload["ruby"]["app/services/child_worker.rb"][2][field_at(FileFacts, "path")] = "x.rb"
        store_cache(path, header, payload)
        assert _findings(app) == expected


def test_a_symlinked_cache_folder_is_neither_read_nor_written(app, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    cache.folder(app).symlink_to(outside, target_is_directory=True)
    _findings(app)
    assert list(outside.iterdir()) == []


def test_facts_round_trip_through_json():
    index = build_index(SAMPLE_APP, use_cache=False).ruby
    for facts in index.files.values():
        data = json.loads(json.dumps(codec.encode(facts, FileFacts)))
        assert codec.decode(data, FileFacts) == facts
    literals = (NOT_LITERAL, Symbol("low"), ("a", Symbol("b"), (1, 2.5)), None, True, 3, "s")
    for value in literals:
        back = codec.decode(json.loads(json.dumps(codec.encode(value))), object)
        assert back == value and type(back) is type(value)
    assert codec.decode({"float": "inf"}, object) == float("inf")
    with pytest.raises(codec.DecodeError):
        codec.decode({"float": "nan"}, object)
    with pytest.raises(codec.DecodeError):
        codec.decode({"set": [1]}, object)


def test_the_code_base_never_unpickles():
    package = Path(__file__).resolve().parent.parent
    for folder in ("workerlint", "rules"):
        for source in (package / folder).rglob("*.py"):
            if source.name == "examples.py":  # examples to lint (WL401 shows pickle.loads)
                continue
            text = source.read_text()
            assert "pickle.load" not in text and "import pickle" not in text, source


@pytest.mark.parametrize("spawn", ["posix_spawnp", "subprocess"])
def test_git_is_asked_with_or_without_posix_spawn(tmp_path, monkeypatch, spawn):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    tracked, untracked = tmp_path / "tracked.json", tmp_path / "untracked.json"
    tracked.write_text("{}")
    untracked.write_text("{}")
    subprocess.run(["git", "-C", str(tmp_path), "add", "tracked.json"], check=True)
    if spawn == "subprocess":
        monkeypatch.delattr(os, "posix_spawnp")
    assert cache.tracked_by_git(tracked) and not cache.tracked_by_git(untracked)
    assert cache._git_output(["git", "-C", str(tmp_path), "no-such-command"]) is None


def test_git_is_asked_once_per_cache_folder_while_its_index_is_the_same(tmp_path, monkeypatch):
    """A run reads up to seven cache files: git is asked once for the folder, and again only
    when its index changed (``git add`` writes a new one)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "app" / cache.CACHE_DIR
    folder.mkdir(parents=True)
    names = ["index.json", "results.json", "setup.json", "run-k.manifest"]
    for name in names:
        (folder / name).write_text("{}")
    (tmp_path / "app/[weird]").mkdir()  # a folder name git would read as a pattern
    (tmp_path / "app/[weird]/w.json").write_text("{}")
    (tmp_path / "app/w").mkdir()
    (tmp_path / "app/w/w.json").write_text("{}")
    subprocess.run(["git", "-C", str(tmp_path), "add", "app/w/w.json"], check=True)
    asked: list[list[str]] = []
    real = cache._git_output

    def counted(argv: list[str]) -> bytes | None:
        asked.append(argv)
        return real(argv)

    monkeypatch.setattr(cache, "_git_output", counted)
    monkeypatch.setattr(cache, "_TRACKED", {})
    assert [cache.tracked_by_git(folder / name) for name in names] == [False] * 4
    assert len(asked) == 1
    subprocess.run(
        ["git", "-C", str(tmp_path), "add", "-f", str(folder / "setup.json")], check=True
    )
    assert [cache.tracked_by_git(folder / name) for name in names] == [False, False, True, False]
    assert len(asked) == 2
    assert not cache.tracked_by_git(tmp_path / "app/[weird]/w.json")  # not app/w/w.json
    assert cache.tracked_by_git(tmp_path / "app/w/w.json")


def test_an_unreadable_git_file_means_not_tracked(tmp_path):
    """A ``.git`` file (a worktree's) that is not text: git cannot answer, the index cannot be
    read, so nothing is tracked; the run goes on (it raised UnicodeDecodeError)."""
    (tmp_path / ".git").write_bytes(b"gitdir: \xff\xfe\n")
    stored = tmp_path / cache.CACHE_DIR / "index.json"
    stored.parent.mkdir()
    stored.write_text("{}")
    assert not cache.tracked_by_git(stored)
