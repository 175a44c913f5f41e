"""The per-file results cache and the whole-run manifest: exact, data only, safe when runs
overlap (app/results_cache.py, app/manifest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    BASE_WORKER,
    CHILD_WORKER,
    DIGEST_WORKER,
    EXPORT_WORKER,
    EXPORTS_CONTROLLER,
    FIXTURES,
    HTTP_WORKER,
    ORDER_MODEL,
    RELATION_WORKER,
    cache_parts,
    copy_project,
    run_cli,
    store_cache,
    write_files,
)

from workerlint.app import cli, manifest, replay, results_cache, runner, stamp
from workerlint.app.entry import main as console_main
from workerlint.app.linter import Linter, Options
from workerlint.core import cache
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

OLD = 1_600_000_000  # a time stamp long before any run (inputs older than the run's clock)

# A countdown beyond the broker's visibility timeout (WL605 reads the Celery setup).
LATER_NEWSLETTER = (
    "from mailer.tasks import render_newsletter\n\n\n"
    "def later(issue_id):\n"
    "    render_newsletter.apply_async((issue_id,), countdown=2 * 60 * 60)\n"
)
APP = {
    **gemfile_lock("7.2.4"),
    "Gemfile": 'source "https://rubygems.org"\ngem "sidekiq"\n',
    "Procfile": "web: bundle exec puma\nworker: bundle exec sidekiq -C config/sidekiq.yml\n",
    "config/sidekiq.yml": "---\nconcurrency: 5\nqueues:\n  - default\n  - low\n",
    "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "orders" do |t|\n  end\nend\n',
    "app/models/account.rb": "class Account < ActiveRecord::Base\nend\n",
    "app/models/order.rb": ORDER_MODEL.replace("end", "  scope :stale, -> { where(a: 1) }\nend"),
    "app/workers/base_worker.rb": BASE_WORKER,
    "app/services/child_worker.rb": CHILD_WORKER,
    "app/workers/sweep_worker.rb": RELATION_WORKER,
    "app/workers/digest_worker.rb": DIGEST_WORKER,
    "app/controllers/orders_controller.rb": (
        "class OrdersController < ApplicationController\n"
        "  def create\n    DigestWorker.perform_async(params[:id])\n  end\nend\n"
    ),
    # WL401 reads where ExportWorker's argument comes from: this controller's enqueue site.
    "app/controllers/exports_controller.rb": EXPORTS_CONTROLLER,
    "app/workers/export_worker.rb": EXPORT_WORKER,
}
# Each edit: a file the issue names, and its new content (a change of what rules read).
EDITS = {
    "base class": ("app/workers/base_worker.rb", "class BaseWorker\nend\n"),
    "model scope": (
        "app/models/order.rb",
        ORDER_MODEL.replace("end", "  scope :stale, -> { where(a: 1).limit(10) }\nend"),
    ),
    "sidekiq.yml": ("config/sidekiq.yml", "---\nconcurrency: 5\nqueues:\n  - default\n"),
    "Procfile": ("Procfile", "worker: bundle exec sidekiq -q default\n"),
    "db/schema.rb": (
        "db/schema.rb",
        'ActiveRecord::Schema.define do\n  create_table "orders" do |t|\n'
        '    t.index ["state"], unique: true\n  end\nend\n',
    ),
    "enqueue site": (
        "app/controllers/exports_controller.rb",
        EXPORTS_CONTROLLER.replace("params[:kind]", '"pdf"'),
    ),
}
# For each edit: files whose lint read what it changes (linted again), and files whose lint did
# not (answered by the cache). The edited file itself is linted again when it is checked.
DEPENDENTS = {
    "base class": ({"app/services/child_worker.rb"}, {"app/workers/sweep_worker.rb"}),
    "model scope": ({"app/workers/sweep_worker.rb"}, {"app/workers/digest_worker.rb"}),
    "sidekiq.yml": ({"app/workers/digest_worker.rb"}, {"app/workers/sweep_worker.rb"}),
    "Procfile": ({"app/workers/digest_worker.rb"}, {"app/workers/sweep_worker.rb"}),
    "db/schema.rb": ({"app/workers/sweep_worker.rb"}, {"app/workers/digest_worker.rb"}),
    "enqueue site": ({"app/workers/export_worker.rb"}, {"app/workers/digest_worker.rb"}),
}
UNRELATED = (
    "app/models/account.rb",
    "app/workers/base_worker.rb",
    "app/controllers/orders_controller.rb",
)


def _findings(root: Path, *, use_cache: bool = True, jobs: int | None = None) -> list[tuple]:
    result = runner.run([root], Options(use_cache=use_cache, jobs=jobs))
    return [
        (str(d.path.relative_to(root)), d.span, d.code, d.message, d.level, d.fix)
        for d in result.diagnostics
    ]


@pytest.fixture
def linted(monkeypatch):
    """The files linted (not answered by the cache) in this process."""
    seen: list[str] = []
    original = Linter.lint

    def lint(self, file, *args, **kwargs):
        seen.append(file.relpath)
        return original(self, file, *args, **kwargs)

    monkeypatch.setattr(Linter, "lint", lint)
    return seen


def test_a_warm_run_lints_nothing_and_finds_what_a_cold_run_finds(tmp_path, linted):
    root = write_files(tmp_path / "app", APP)
    cold = _findings(root, use_cache=False)
    assert {c for _, _, c, *_ in cold} >= {"WL201", "WL301"}
    assert _findings(root) == cold
    linted.clear()
    assert _findings(root) == cold
    assert linted == []


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_of_project_facts_relints_and_matches_a_cold_run(tmp_path, linted, edit):
    root = write_files(tmp_path / "app", APP)
    before = _findings(root)
    rel, text = EDITS[edit]
    (root / rel).write_text(text)
    linted.clear()
    after = _findings(root)
    relinted = set(linted)
    # Exact: the files that read what changed are linted again, and no others...
    dependents, independents = DEPENDENTS[edit]
    assert dependents <= relinted
    assert not relinted & independents
    assert not relinted & ({*UNRELATED} - {rel, *dependents})
    # ...and the result is the cold one.
    assert after == _findings(root, use_cache=False)
    if edit == "enqueue site":  # ExportWorker's argument is no longer request input
        assert [f for f in before if f[0] == "app/workers/export_worker.rb"]
        assert [f for f in before if f[2] == "WL401"] != [f for f in after if f[2] == "WL401"]
    if edit == "base class":  # ChildWorker is no longer a worker: its WL201 goes
        assert [f for f in before if f[0] == "app/services/child_worker.rb"]
        assert not [f for f in after if f[0] == "app/services/child_worker.rb"]
    if edit == "sidekiq.yml":  # the low queue is no longer processed
        assert not [f for f in before if f[2] == "WL107"]
        assert [f for f in after if f[2] == "WL107" and f[0] == "app/workers/digest_worker.rb"]


def test_a_celery_settings_module_edit_relints_and_matches_a_cold_run(tmp_path, linted):
    root = tmp_path / "celery"
    copy_project(FIXTURES / "celeryconfig_app", root)
    # A countdown beyond the broker's visibility timeout: its finding reads the Celery setup.
    (root / "mailer/schedule.py").write_text(LATER_NEWSLETTER)
    before = _findings(root)
    assert [f for f in before if f[0] == "mailer/schedule.py"]
    settings = root / "celeryconfig.py"
    settings.write_text(
        settings.read_text() + '\nbroker_transport_options = {"visibility_timeout": 10800}\n'
    )
    linted.clear()
    after = _findings(root)
    assert "mailer/schedule.py" in linted
    assert not {"mailer/tasks.py", "mailer/app.py", "mailer/__init__.py"} & set(linted)
    assert after == _findings(root, use_cache=False)
    assert not [f for f in after if f[0] == "mailer/schedule.py"]


def test_a_python_edit_relints_the_modules_that_read_it(tmp_path, linted):
    root = tmp_path / "celery"
    copy_project(FIXTURES / "celeryconfig_app", root)
    (root / "mailer/schedule.py").write_text(LATER_NEWSLETTER)
    (root / "mailer/other.py").write_text("def helper():\n    return 1\n")
    _findings(root)
    tasks = root / "mailer/tasks.py"
    tasks.write_text(tasks.read_text().replace("max_retries=3", "max_retries=4"))
    linted.clear()
    after = _findings(root)
    assert "mailer/tasks.py" in linted and "mailer/other.py" not in linted
    assert after == _findings(root, use_cache=False)


def test_an_index_is_read_only_through_a_recorder_while_a_file_is_linted(tmp_path, monkeypatch):
    """A new path by which a rule or the engine reaches project facts without the recorder
    (app/deps.py) would let a cached finding go stale: every fixture project is linted with
    the indexes, the provenance queries and the setups failing a read made outside a
    recorder."""
    from workerlint.app import deps
    from workerlint.lang.python.index import PythonIndex
    from workerlint.lang.python.provenance.query import Provenances as PythonProvenances
    from workerlint.lang.ruby.index import RubyIndex
    from workerlint.lang.ruby.provenance.query import Provenances as RubyProvenances
    from workerlint.project.frameworks.celery.model import CelerySetup
    from workerlint.project.frameworks.sidekiq.model import SidekiqSetup

    violations: list[str] = []
    guarded_classes = (RubyIndex, PythonIndex, RubyProvenances, PythonProvenances)
    for cls in (*guarded_classes, SidekiqSetup, CelerySetup):
        original = cls.__getattribute__

        def guarded(self, name, _original=original, _cls=cls):
            if deps.guard_violation():
                violations.append(f"{_cls.__qualname__}.{name}")
            return _original(self, name)

        monkeypatch.setattr(cls, "__getattribute__", guarded)
    projects = [*sorted(p for p in FIXTURES.iterdir() if p.is_dir()), None]
    for number, fixture in enumerate(projects):
        root = tmp_path / str(number)
        if fixture is None:
            write_files(root, APP)
        else:
            copy_project(fixture, root)
        linted = _findings(root)
        assert _findings(root) == linted == _findings(root, use_cache=False)
    assert violations == []


def test_a_forged_record_of_project_facts_is_not_trusted(tmp_path, linted):
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    forged = {
        "app/workers/sweep_worker.rb": [['["rb",[],"call","__init__",[]]', "0" * 64]],
        "app/workers/digest_worker.rb": [['["rb",["files"],"attr","x",[]]', "0" * 64]],
        "app/services/child_worker.rb": "not a list",
    }

    def forge(payload: dict) -> None:
        for rel, queries in forged.items():
            payload[rel][2]["q"] = queries
        payload["app/workers/export_worker.rb"][2] = {"q": []}

    _rewrite(cache.folder(root) / results_cache.CACHE_FILE, forge)
    linted.clear()
    warm = _findings(root)
    assert {*forged, "app/workers/export_worker.rb"} <= set(linted)
    assert "app/workers/base_worker.rb" not in linted  # its record is intact
    assert warm == _findings(root, use_cache=False)


def test_an_entry_of_another_shape_is_a_miss_for_its_file_alone(tmp_path, linted):
    """Each entry's shape is checked when read: the others are still taken."""
    root = write_files(tmp_path / "app", APP)
    _findings(root)

    def reshape(payload: dict) -> None:
        payload["app/workers/sweep_worker.rb"] = "not an entry"
        payload["app/workers/digest_worker.rb"] = [1, [], {}]

    _rewrite(cache.folder(root) / results_cache.CACHE_FILE, reshape)
    linted.clear()
    warm = _findings(root)
    assert {"app/workers/sweep_worker.rb", "app/workers/digest_worker.rb"} <= set(linted)
    assert "app/workers/base_worker.rb" not in linted
    assert warm == _findings(root, use_cache=False)


def test_an_entry_that_does_not_parse_is_a_miss_for_its_file_alone(tmp_path, linted):
    """Each entry is a line parsed when its file is looked up (cache.read_members): one that
    is not JSON costs that file its entry, not the others theirs."""
    root = write_files(tmp_path / "app", APP)
    cold = _findings(root, use_cache=False)
    _findings(root)
    path = cache.folder(root) / results_cache.CACHE_FILE
    first, _, body = path.read_bytes().partition(b"\n")
    texts = cache.members_of(body)
    broken = "app/workers/sweep_worker.rb"
    texts[broken] = texts[broken][:-7]  # cut off: no longer JSON
    store_cache(path, json.loads(first), {rel: cache.raw(text) for rel, text in texts.items()})
    linted.clear()
    assert _findings(root) == cold
    assert broken in linted
    assert "app/workers/base_worker.rb" not in linted


def test_an_unrelated_edit_of_a_linted_file_relints_it(tmp_path, linted):
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    path = root / "app/workers/sweep_worker.rb"
    path.write_text(path.read_text().replace('"stale"', '"old"'))
    linted.clear()
    assert _findings(root) == _findings(root, use_cache=False)
    assert "app/workers/sweep_worker.rb" in linted


def test_settings_and_selection_are_part_of_the_key(tmp_path):
    root = write_files(tmp_path / "app", APP)
    everything = _findings(root)
    (root / ".workerlint.toml").write_text('ignore = ["WL201"]\n')
    assert _findings(root) == _findings(root, use_cache=False)
    assert _findings(root) != everything
    (root / ".workerlint.toml").unlink()
    assert _findings(root) == everything


def test_serial_and_parallel_runs_share_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    root = write_files(tmp_path / "app", APP)
    cold = _findings(root, use_cache=False)
    assert _findings(root, jobs=2) == cold
    assert _findings(root, jobs=1) == cold
    (root / "app/workers/base_worker.rb").write_text("class BaseWorker\nend\n")
    assert _findings(root, jobs=2) == _findings(root, use_cache=False)


def _rewrite(path: Path, change: Callable[[Any], None]) -> None:
    """``change`` a cache file's payload in place, stored under its checksum (a cache file
    forged, not damaged)."""
    header, payload = cache_parts(path)
    change(payload)
    store_cache(path, header, payload)


def _forge(root: Path) -> None:
    """Rewrite the results cache so that every stored file has no finding (checksum too)."""

    def no_findings(payload: dict) -> None:
        for entry in payload.values():
            entry[1][0] = []

    _rewrite(cache.folder(root) / results_cache.CACHE_FILE, no_findings)


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_a_forged_results_cache_tracked_by_git_is_ignored(tmp_path):
    root = write_files(tmp_path / "app", APP)
    cold = _findings(root, use_cache=False)
    _git(root, "init", "-q")
    _findings(root)
    _forge(root)
    assert _findings(root) == []  # untracked and intact: trusted (this is what it stores)
    _forge(root)
    _git(root, "add", "-f", f".workerlint_cache/{results_cache.CACHE_FILE}")
    assert _findings(root) == cold


@pytest.mark.parametrize("damage", ["truncated", "checksum", "entry", "diagnostic", "tool"])
def test_a_damaged_results_cache_is_ignored(tmp_path, damage):
    root = write_files(tmp_path / "app", APP)
    cold = _findings(root, use_cache=False)
    _findings(root)
    path = cache.folder(root) / results_cache.CACHE_FILE
    first, _, body = path.read_bytes().partition(b"\n")
    header, payload = json.loads(first), json.loads(body)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-40])
    elif damage == "checksum":
        path.write_bytes(first + b"\n" + body.replace(b"WL201", b"WL999"))
    else:
        if damage == "entry":
            payload["app/services/child_worker.rb"] = {"not": "a list"}
        elif damage == "diagnostic":
            for entry in payload.values():
                for diagnostic in entry[1][0]:
                    diagnostic[2] = "error"
        else:
            header["tool"] = "0"
        store_cache(path, header, payload)
    assert _findings(root) == cold


def test_a_symlinked_cache_folder_is_not_written(tmp_path):
    root = write_files(tmp_path / "app", APP)
    outside = tmp_path / "outside"
    outside.mkdir()
    cache.folder(root).symlink_to(outside, target_is_directory=True)
    assert _findings(root) == _findings(root, use_cache=False)
    assert list(outside.iterdir()) == []


def test_concurrent_runs_never_corrupt_the_cache(tmp_path):
    root = write_files(tmp_path / "app", APP)
    expected = run_cli("check", ".", "--output-format", "json", "--no-cache", cwd=root).out
    outputs: list[str] = []

    def check() -> None:
        outputs.append(run_cli("check", ".", "--output-format", "json", cwd=root).out)

    for _ in range(2):
        threads = [threading.Thread(target=check) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outputs == [expected] * 6
    folder = cache.folder(root)
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    payload = cache.read(
        folder / results_cache.CACHE_FILE, results_cache.ResultsCache(root, "")._header()
    )
    assert "app/workers/digest_worker.rb" in payload


# -- the whole-run manifest ------------------------------------------------------------------


def _backdate(root: Path) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.utime(Path(folder) / name, (OLD, OLD), follow_symlinks=False)
    os.utime(root, (OLD, OLD))


@pytest.fixture(params=["cli", "console"])
def cli_run(request, monkeypatch, capsys, lint_runs):
    """``workerlint check`` in this process: (exit code, stdout, stderr, whether it ran); asked
    of the CLI, or as the console command asks (app/entry.py: the replay before the CLI)."""
    runs = lint_runs

    def check(root: Path, *args: str) -> tuple[int, str, str, bool]:
        monkeypatch.chdir(root)
        before = len(runs)
        if request.param == "cli":
            code = cli.main(["check", *args])
        else:
            monkeypatch.setattr(sys, "argv", ["workerlint", "check", *args])
            code = console_main()
        out, err = capsys.readouterr()
        return code, out, err, len(runs) > before

    return check


def test_the_manifest_replays_an_unchanged_run(tmp_path, cli_run):
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    first = cli_run(root, ".", "--output-format", "json")
    assert first[3] and first[0] == 1
    second = cli_run(root, ".", "--output-format", "json")
    assert second[:3] == first[:3] and not second[3]  # printed, not run
    text = cli_run(root, ".")
    assert text[3]  # other arguments: another manifest


def test_a_replayed_run_does_not_load_the_rule_api_or_the_engine(tmp_path):
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    probe = (
        "import sys\n"
        "from workerlint.app.cli import main\n"
        "code = main(['check', '.', '--output-format', 'json'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('workerlint.'))\n"
        f"print('\\n'.join(loaded), file=open({str(tmp_path / 'loaded.txt')!r}, 'w'))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    for _ in range(2):  # the first run writes the manifest, the second replays it
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, check=False
        )
        assert done.returncode == 1, done.stderr
    loaded = (tmp_path / "loaded.txt").read_text().split()  # outside the project: not an input
    assert "workerlint.app.manifest" in loaded
    heavy = {"workerlint.core.rule", "workerlint.core.diagnostics", "workerlint.app.runner"}
    assert not heavy & set(loaded), heavy & set(loaded)


@pytest.mark.parametrize(
    "change", ["edit", "new file", "new folder", "settings", "remove", "touch"]
)
def test_any_change_of_an_input_runs_again(tmp_path, cli_run, change):
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    cli_run(root, ".", "--output-format", "json")
    worker = root / "app/workers/sweep_worker.rb"
    if change == "edit":
        worker.write_text(worker.read_text().replace("destroy", "delete"))
    elif change == "new file":
        (root / "app/workers/other_worker.rb").write_text(HTTP_WORKER.replace("Ping", "Other"))
    elif change == "new folder":
        write_files(root, {"app/workers/deep/more_worker.rb": HTTP_WORKER.replace("Ping", "More")})
    elif change == "settings":
        (root / ".workerlint.toml").write_text('ignore = ["WL301"]\n')
    elif change == "remove":
        worker.unlink()
    else:
        os.utime(worker)
    code, out, _err, ran = cli_run(root, ".", "--output-format", "json")
    assert ran
    expected = run_cli("check", ".", "--output-format", "json", "--no-cache", cwd=root)
    assert (code, out) == (expected.code, expected.out)


def test_a_racy_input_is_checked_by_content(tmp_path, cli_run):
    """An input changed in the same tick as the run read it keeps its stamp: the manifest
    keeps the digest of what the run read, and compares it."""
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    cli_run(root, ".", "--output-format", "json")
    worker = root / "app/workers/sweep_worker.rb"
    worker.write_text(worker.read_text().replace("destroy", "delete"))
    # Stamped at or after the next run's clock, as a write in the same tick as it would be (a
    # real same-tick write depends on the machine's speed and its time stamps' grain).
    later = time.time_ns() + 60 * 10**9
    os.utime(worker, ns=(later, later))
    cli_run(root, ".", "--output-format", "json")
    stamp = os.stat(worker)
    worker.write_text(worker.read_text().replace("delete", "purge!"))  # same size
    os.utime(worker, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    _code, out, _, ran = cli_run(root, ".", "--output-format", "json")
    assert ran
    assert out == run_cli("check", ".", "--output-format", "json", "--no-cache", cwd=root).out


def test_a_tracked_or_damaged_manifest_is_ignored(tmp_path, cli_run):
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    _git(root, "init", "-q")
    first = cli_run(root, ".", "--output-format", "json")
    (stored,) = cache.folder(root).glob("run-*")
    found = replay.decoded(stored.read_bytes())
    assert found is not None
    _tool, key, inputs, (_out, err, code) = found
    line, body = replay.encoded(key, inputs, ("forged\n", err, code))
    stored.write_bytes(line.encode() + b"\n" + body)
    assert cli_run(root, ".", "--output-format", "json")[1] == "forged\n"  # trusted: untracked
    _git(root, "add", "-f", str(stored.relative_to(root)))
    again = cli_run(root, ".", "--output-format", "json")
    assert again[3] and again[1] == first[1]
    _git(root, "rm", "-q", "-f", "--cached", str(stored.relative_to(root)))
    stored.write_bytes(stored.read_bytes()[:100])
    damaged = cli_run(root, ".", "--output-format", "json")
    assert damaged[3] and damaged[1] == first[1]


def test_runs_that_write_are_never_replayed(tmp_path, cli_run):
    root = write_files(tmp_path / "app", APP)
    _backdate(root)
    for args in (["--fix"], ["--diff"], ["--no-cache"], ["--output-format", "github"]):
        cli_run(root, ".", *args)
        assert cli_run(root, ".", *args)[3], args
    assert not list(cache.folder(root).glob("run-*"))


@pytest.mark.parametrize(
    "fixture", ["sample_app", "python_app", "celeryconfig_app", "clean", "config/procfile_queues"]
)
def test_fixtures_give_the_same_output_cold_cached_and_replayed(tmp_path, fixture):
    root = tmp_path / "copy"
    copy_project(FIXTURES / fixture, root)
    args = ("check", ".", "--output-format", "json")
    expected = run_cli(*args, "--no-cache", cwd=root)
    for _ in range(2):
        got = run_cli(*args, cwd=root)
        assert (got.code, got.out, got.err) == (expected.code, expected.out, expected.err)
    (cache.folder(root) / "clock").unlink()
    for stored in cache.folder(root).glob("run-*"):
        stored.unlink()  # the results cache alone
    got = run_cli(*args, cwd=root)
    assert (got.code, got.out) == (expected.code, expected.out)
    got = run_cli(*args, "--jobs", "2", cwd=root)
    assert (got.code, got.out) == (expected.code, expected.out)


def test_the_tool_stamp_is_deterministic():
    assert stamp.tool_stamp() == stamp.tool_stamp()
    assert manifest.KEEP >= 1


def test_the_tool_stamp_lists_every_code_file_and_no_bytecode_folder(tmp_path):
    (tmp_path / "app" / "__pycache__").mkdir(parents=True)
    (tmp_path / "app" / "run.py").write_text("x = 1\n")
    (tmp_path / "app" / "__pycache__" / "run.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "app" / "__pycache__" / "stray.py").write_text("never imported\n")
    (tmp_path / "notes.txt").write_text("not code\n")
    found: list[str] = []
    stamp._code_files(str(tmp_path), "", found)
    info = (tmp_path / "app" / "run.py").stat()
    assert found == [f"app/run.py:{info.st_size}:{info.st_mtime_ns}"]


def test_recording_views_behave_as_what_they_wrap():
    """A rule given a recorded set or dictionary of an index gets what the real one gives (a
    failing operator would be an internal error only when the cache is on)."""
    from workerlint.app import deps

    record = deps.Record(deps.Answers({}))
    real = frozenset({"a", "b"})
    view = deps.RecordingSet(real, record, "set")
    for other in (frozenset({"a"}), {"a", "c"}):
        assert (other & view, view & other) == (other & real, real & other)
        assert (other | view, view | other) == (other | real, real | other)
        assert (other - view, view - other, other ^ view) == (
            other - real,
            real - other,
            other ^ real,
        )
        assert (view <= other, other <= view, view == other) == (
            real <= other,
            other <= real,
            real == other,
        )
    assert ("a" in view, "z" in view, len(view), bool(view)) == (True, False, 2, True)
    mapping = {"a": 1}
    seen = deps.RecordingMapping(mapping, record, "map")
    assert (seen == mapping, dict(seen), {"b": 2} | seen, seen | {"b": 2}) == (
        True,
        mapping,
        {"b": 2, "a": 1},
        {"a": 1, "b": 2},
    )
    assert (seen.get("z"), "a" in seen, seen["a"], len(seen)) == (None, True, 1, 1)
    # Each distinct question is one query: membership, size, the whole.
    assert sorted(record.queries) == sorted(
        [
            'set\0"a"',
            'set\0"z"',
            "set\0#",
            "set\0*",
            'map\0"a"',
            'map\0"z"',
            "map\0#",
            "map\0*",
        ]
    )


def test_a_key_of_an_index_dictionary_is_asked_for_as_present_without_its_value():
    """``relpath in index.files`` is a membership query answered with a bool (the facts it
    holds are not digested), asked again as such on a later run."""
    from workerlint.app import deps

    class Index:
        def __init__(self, files: dict[str, object]) -> None:
            self.files = files

    class Unencodable:
        pass

    answers = deps.Answers({"py": Index({"a.py": Unencodable()})})
    record = deps.Record(answers)
    view = deps.Recorder(answers.roots["py"], record, "py")
    assert ("a.py" in view.files, "b.py" in view.files) == (True, False)
    assert not record.coarse  # the value itself could not have been digested
    queries = sorted(record.queries.items())
    assert [json.loads(q.partition("\0")[0])[2] for q, _ in queries] == ["has", "has"]
    assert deps.Replayer(deps.Answers({"py": Index({"a.py": 1})})).holds([list(q) for q in queries])
    assert not deps.Replayer(deps.Answers({"py": Index({"b.py": 1})})).holds(
        [list(q) for q in queries]
    )


def test_a_files_facts_are_digested_by_content_once_per_object():
    """An answer holding a module's facts (a ``resolve`` Target) is digested with a summary of
    them: equal facts give equal digests in any object, other facts another digest."""
    from workerlint.app import deps
    from workerlint.lang.python.unit import PythonUnit

    source = b"from celery import shared_task\n\n\n@shared_task\ndef ping(x):\n    return x\n"
    first, again = (PythonUnit("shop/tasks.py", source).facts for _ in range(2))
    other = PythonUnit("shop/tasks.py", source.replace(b"return x", b"return 2 * x")).facts
    assert first is not again and first == again and first != other
    assert deps.digest_of(("resolved", first)) == deps.digest_of(("resolved", again))
    assert deps.digest_of(("resolved", first)) != deps.digest_of(("resolved", other))
    summary = deps.canonical(first)
    assert summary[0] == "workerlint.lang.python.model.ModuleFacts#"
    assert deps.canonical(first) is summary  # made once for the object


def test_canonical_data_sorts_a_set_by_its_items_json_and_tells_true_from_one():
    """A set's items are in the order of their JSON text (the same in every process), and a
    digest made once for a scalar answer is that of its type too (``True == 1`` as a key)."""
    from workerlint.app import deps

    assert deps.canonical(frozenset({'a"', "a#", "\u00e9", "z"})) == [
        "set",
        ["\u00e9", "a#", 'a"', "z"],
    ]
    nested = deps.canonical({("b", 1), ("a", 2)})
    assert nested == ["set", [["tuple", ["a", 2]], ["tuple", ["b", 1]]]]
    assert deps.digest_of(True) != deps.digest_of(1)
    assert deps.digest_of(1) == deps.digest_of(1) != deps.digest_of("1")
    assert deps.digest_of(None) == deps.digest_of(None) != deps.digest_of(False)
