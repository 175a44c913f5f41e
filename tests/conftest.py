"""Shared helpers: run the CLI as a user would, and build scratch projects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SAMPLE_APP = FIXTURES / "sample_app"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/<name>; WORKERLINT_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("WORKERLINT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
    assert path.is_file(), f"missing snapshot {name}: run with WORKERLINT_UPDATE_SNAPSHOTS=1"
    assert actual == path.read_text()


def caches_in_the_repository() -> set[Path]:
    """Every ``.workerlint_cache`` folder in this repository's tree (its venv and .git aside)."""
    found = set()
    for folder, subfolders, _ in os.walk(REPO):
        if ".workerlint_cache" in subfolders:
            found.add(Path(folder) / ".workerlint_cache")
        subfolders[:] = [
            s for s in subfolders if s not in (".git", ".venv", "__pycache__", ".workerlint_cache")
        ]
    return found


@pytest.fixture(scope="session", autouse=True)
def no_cache_left_in_the_repository():
    """Tests that run on the repository's fixtures use --no-cache / use_cache=False or a copy:
    a run of the suite leaves no ``.workerlint_cache`` in the tree."""
    before = caches_in_the_repository()
    yield
    left = sorted(str(p.relative_to(REPO)) for p in caches_in_the_repository() - before)
    assert not left, f"tests left a cache in the repository: {left}"


@pytest.fixture(autouse=True)
def collector_as_it_was():
    """A test that runs the console command in this process (app/entry.py sets how often the
    garbage collector runs, and freezes decoded values) leaves the collector as it found it."""
    import gc

    from workerlint.core import warm

    threshold, freezing = gc.get_threshold(), warm.freeze_decoded
    yield
    gc.set_threshold(*threshold)
    if warm.freeze_decoded and not freezing:
        gc.unfreeze()
    warm.freeze_decoded = freezing


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``python -m workerlint`` as a user would. A ``check`` run from this repository (the
    default folder) never writes a cache into the tree: ``--no-cache`` is added."""
    if cwd is None and args[:1] == ("check",) and "--no-cache" not in args:
        args = (*args, "--no-cache")
    # Bytecode may be cached (PYTHONDONTWRITEBYTECODE would make every CLI run compile workerlint
    # again: most of this suite's time on a machine that sets it).
    dropped = ("FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    # PYTHONSAFEPATH: import the installed workerlint, not the source folder in the current
    # directory (there `workerlint.rules` is only found through the installed package mapping).
    full_env.update({"NO_COLOR": "1", "PYTHONSAFEPATH": "1", **(env or {})})
    proc = subprocess.run(
        [sys.executable, "-m", "workerlint", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def cache_parts(path: Path) -> tuple[dict[str, Any], Any]:
    """A cache file's header line and payload (core/cache.py), parsed."""
    first, _, body = path.read_bytes().partition(b"\n")
    return json.loads(first), json.loads(body)


def store_cache(path: Path, header: dict[str, Any], payload: dict[str, Any]) -> None:
    """``payload`` stored under ``header`` with a checksum that matches (a forged cache file,
    not a damaged one), one member per line as core/cache.py's ``json_object`` writes the
    results (still the JSON of the same object for the caches read whole). A value that is an
    iterator of pieces (``cache.raw``) is written as it is."""
    from workerlint.core import cache

    body = b"".join(cache.json_object(payload.items(), lines=True))
    header = {**header, "checksum": cache.checksum(body)}
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def field_at(cls: type, name: str) -> int:
    """Where a dataclass's field is in its cached data (project/codec.py: a list of the values
    of its fields, in their declared order)."""
    import dataclasses

    return [f.name for f in dataclasses.fields(cls)].index(name)


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    return root


@pytest.fixture
def sample_app(tmp_path: Path) -> Path:
    """A private copy of fixtures/sample_app, safe to fix in place."""
    target = tmp_path / "sample_app"
    copy_project(SAMPLE_APP, target)
    return target


@pytest.fixture
def project(tmp_path: Path):
    """A factory for scratch projects: project({"app/workers/x.rb": "..."}) -> root."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "proj"
        root.mkdir(exist_ok=True)
        (root / "Gemfile").write_text('source "https://rubygems.org"\n')
        return write_files(root, files)

    return make


HTTP_WORKER = """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url)
  end
end
"""
# A worker through a base class in another file (editing the base class changes the child's
# findings): the cache tests' case for facts that cross files.
BASE_WORKER = "class BaseWorker\n  include Sidekiq::Job\nend\n"
CHILD_WORKER = (
    HTTP_WORKER.replace("PingWorker", "ChildWorker")
    .replace("  include Sidekiq::Job\n", "")
    .replace("class ChildWorker", "class ChildWorker < BaseWorker")
)
# A worker with a queue of its own and nothing to report (pre-commit and cache tests).
DIGEST_WORKER = """\
class DigestWorker
  include Sidekiq::Job
  sidekiq_options queue: "low"

  def perform(account_id)
    Account.find(account_id).touch
  end
end
"""
# A request parameter reaching `constantize` through a job (provenance and cache tests).
EXPORTS_CONTROLLER = """\
class ExportsController < ApplicationController
  def create
    ExportWorker.perform_async(params[:kind])
  end
end
"""
EXPORT_WORKER = """\
class ExportWorker
  include Sidekiq::Job

  def perform(kind)
    kind.constantize.new.run
  end
end
"""

RELATION_WORKER = """\
class SweepWorker
  include Sidekiq::Job

  def perform
    Order.where(state: "stale").each { |order| order.destroy }
  end
end
"""

ORDER_MODEL = "class Order < ActiveRecord::Base\nend\n"


@pytest.fixture
def lint_runs(monkeypatch) -> list[int]:
    """A list that grows by one each time this process lints a project (``runner.run``): a run
    the manifest replayed leaves it as it was."""
    from workerlint.app import runner

    runs: list[int] = []
    original = runner.run

    def counted(*args, **kwargs):
        runs.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "run", counted)
    return runs


def in_processes(target: Callable[..., object], argsets: list[tuple], timeout: float) -> None:
    """Runs ``target`` at once in a forked process per tuple of arguments: each must exit 0
    (two runs at once must never corrupt a cache)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=target, args=args) for args in argsets]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout)
        assert worker.exitcode == 0


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a fixture project without the cache a run may have left in it (the README's
    first command lints the sample apps in place): each test starts from the project alone."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".workerlint_cache"))
    return target
