"""Each file is parsed once per run (ARCHITECTURE.md, data flow): cold, warm, parallel, fixing,
while the trees the run holds until their lint stay within the tree budget (app/source.py), as
this small project's do; beyond it, a file is parsed at most twice (again for its lint).

tree-sitter's parser is replaced by one that writes a digest of every text it parses to a log
file (worker processes inherit it and append to the same file), so the test sees every parse of
the run, in every process.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest
from conftest import HTTP_WORKER, ORDER_MODEL

from workerlint.app import runner
from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.app.source import BUDGET_VARIABLE
from workerlint.lang.ruby import parse as parse_module
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

INITIALIZER = """\
Sidekiq.configure_server do |config|
  config.redis = { url: ENV["REDIS_URL"], size: 5 }
end
"""
ROUTES = "Rails.application.routes.draw do\n  resources :orders\nend\n"
SYMBOL_WORKER = """\
class Audit{n}Worker
  include Sidekiq::Job

  def perform(id)
    Order.find(id).touch
    Audit{n}Worker.perform_async(:retry)
  end
end
"""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


class _CountingParser:
    def __init__(self, real: object, log: Path) -> None:
        self.real = real
        self.log = log

    def parse(self, data: bytes) -> object:
        with self.log.open("a") as handle:
            handle.write(f"{digest(data)} {os.getpid()}\n")
        return self.real.parse(data)  # type: ignore[attr-defined]


@pytest.fixture
def parses(tmp_path, monkeypatch):
    """A function returning the parse counts so far, by file (digest -> count), and resetting."""
    log = tmp_path / "parses.log"
    log.touch()
    counting = _CountingParser(parse_module._parser(), log)
    monkeypatch.setattr(parse_module, "_parser", lambda: counting)

    def counts() -> Counter[str]:
        lines = log.read_text().splitlines()
        found = Counter(line.split()[0] for line in lines)
        counts.processes = {line.split()[1] for line in lines}  # type: ignore[attr-defined]
        log.write_text("")
        return found

    return counts


@pytest.fixture
def app(project):
    files = {
        **gemfile_lock("6.5.12"),
        "config/sidekiq.yml": "---\nconcurrency: 10\nqueues:\n  - default\n",
        "config/initializers/sidekiq.rb": INITIALIZER,
        "config/routes.rb": ROUTES,
        "app/models/order.rb": ORDER_MODEL,
        "lib/report_helper.rb": "module ReportHelper\n  LIMIT = 5\nend\n",
        "app/workers/ping_worker.rb": HTTP_WORKER,
    }
    for n in range(12):
        files[f"app/workers/audit{n}_worker.rb"] = SYMBOL_WORKER.format(n=n)
    return project(files)


def ruby_files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): digest(p.read_bytes())
        for p in sorted(root.rglob("*.rb"))
        if ".workerlint_cache" not in p.parts
    }


def by_file(root: Path, counts: Counter[str]) -> dict[str, int]:
    return {rel: counts[d] for rel, d in ruby_files(root).items()}


def test_cold_and_warm_serial_runs_parse_each_file_once(app, parses):
    everything = dict.fromkeys(ruby_files(app), 1)
    run([app], Options())  # cold: no cache
    assert by_file(app, parses()) == everything
    # Warm: the index, the Sidekiq setup's reading of the initializer (setup_cache.py) and
    # every file's findings come from the caches: nothing is parsed.
    run([app], Options())
    assert {rel: n for rel, n in by_file(app, parses()).items() if n} == {}
    # One file edited and checked, warm: that file only.
    ping = app / "app/workers/ping_worker.rb"
    ping.write_text(ping.read_text() + "# edited\n")
    run([ping], Options())
    assert {rel: n for rel, n in by_file(app, parses()).items() if n} == {
        "app/workers/ping_worker.rb": 1,
    }
    # The initializer edited: the setup reads it again. A comment changes no answer the checked
    # file's lint asked of the setup (app/deps.py), so its findings come from the cache.
    initializer = app / "config/initializers/sidekiq.rb"
    initializer.write_text(initializer.read_text() + "# edited\n")
    run([ping], Options())
    assert {rel: n for rel, n in by_file(app, parses()).items() if n} == {
        "config/initializers/sidekiq.rb": 1,
    }


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("cache", [False, True])
def test_parallel_runs_parse_each_file_once_in_all_processes(app, parses, monkeypatch, cache, jobs):
    """This process takes a part of the files, the workers the others: each parsed once."""
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    if cache:
        run([app], Options())  # fills the cache
        parses()
    serial = run([app], Options(use_cache=cache))
    parses()
    parallel = run([app], Options(use_cache=cache, jobs=jobs))
    expected = dict.fromkeys(ruby_files(app), 0 if cache else 1)
    # With the cache every file's findings, and what the setup read, come from it: no parse.
    assert by_file(app, parses()) == expected
    if not cache:  # every process parsed a part
        assert len(parses.processes) == jobs
    assert [(d.path, d.span, d.code, d.message) for d in parallel.diagnostics] == [
        (d.path, d.span, d.code, d.message) for d in serial.diagnostics
    ]


def test_a_fix_run_parses_each_text_once(app, parses):
    before = ruby_files(app)
    result = run([app], Options(fix=True, unsafe_fixes=True, use_cache=False))
    counts = parses()
    fixed = {o.file.relpath for o in result.outcomes if o.fixed}
    # The Symbol argument of each audit worker became a String, ping_worker got a timeout, and
    # the Redis pool (WL101) was raised in the initializer, which the setup then reads again.
    assert fixed == {
        *(f"app/workers/audit{n}_worker.rb" for n in range(12)),
        "app/workers/ping_worker.rb",
        "config/initializers/sidekiq.rb",
    }
    after = ruby_files(app)
    # Every text the run saw (each file before, each fixed text) was parsed exactly once.
    assert {d: counts[d] for d in {*before.values(), *after.values()}} == dict.fromkeys(
        {*before.values(), *after.values()}, 1
    )
    assert sum(counts.values()) == len(before) + len(fixed)


@pytest.mark.parametrize("jobs", [1, 2])
def test_beyond_the_tree_budget_a_file_is_parsed_at_most_twice(app, parses, monkeypatch, jobs):
    """Budget 0: no unit keeps its tree until its lint, so a file whose lint walks it is parsed
    again; the others (kept from the walk by the gate, or read by the setup) once. The findings
    are the same."""
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    held = run([app], Options(use_cache=False, jobs=jobs))
    assert by_file(app, parses()) == dict.fromkeys(ruby_files(app), 1)
    monkeypatch.setenv(BUDGET_VARIABLE, "0")
    lean = run([app], Options(use_cache=False, jobs=jobs))
    counts = by_file(app, parses())
    assert set(counts.values()) == {1, 2}
    assert counts["app/workers/ping_worker.rb"] == 2  # walked: parsed again for its lint
    assert counts["config/initializers/sidekiq.rb"] == 1  # the setup's: kept whole
    assert [(d.path, d.span, d.code, d.message) for d in lean.diagnostics] == [
        (d.path, d.span, d.code, d.message) for d in held.diagnostics
    ]
