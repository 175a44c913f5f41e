"""The Sidekiq setup's cache (frameworks/sidekiq/setup_cache.py): exact, data only.

Each input the setup reads is edited in turn; the setup then built must be the one a run without
the cache builds, and the findings those of a --no-cache run."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import cache_parts, store_cache, write_files

from workerlint.app import runner
from workerlint.app.linter import Options
from workerlint.core import cache
from workerlint.formats import yaml as yaml_mod
from workerlint.formats.yaml import YamlDoc, load_yaml, mapping_get, mapping_items
from workerlint.project.frameworks.sidekiq import setup_cache
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup
from workerlint.project.frameworks.sidekiq.setup_cache import SetupCache
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

SIDEKIQ_YML = """\
---
defaults: &defaults
  concurrency: <%= ENV.fetch("SIDEKIQ_THREADS", 8) %>
  queues:
    - default
    - low
production:
  <<: *defaults
  timeout: 20
staging:
  <<: *defaults
"""
INITIALIZER = """\
Sidekiq.configure_server do |config|
  config.redis = { url: ENV["REDIS_URL"], size: WorkerPool::REDIS }
  config.capsule("single") do |cap|
    cap.concurrency = 1
    cap.queues = %w[serial]
  end
end
Sidekiq.default_job_options = { retry: 3, backtrace: true }
"""
APP = {
    **gemfile_lock("7.2.4"),
    "Gemfile": 'source "https://rubygems.org"\ngem "sidekiq"\n',
    "Procfile": "web: bundle exec puma\nworker: bundle exec sidekiq -C config/sidekiq.yml\n",
    "config/sidekiq.yml": SIDEKIQ_YML,
    "config/database.yml": (
        "default: &default\n  adapter: postgresql\n  pool: <%= ENV['DB_POOL'] || 5 %>\n"
        "production:\n  <<: *default\n  database: app\n"
    ),
    "config/application.rb": (
        "module App\n  class Application < Rails::Application\n"
        "    config.load_defaults 7.1\n    config.active_job.queue_adapter = :sidekiq\n"
        "  end\nend\n"
    ),
    "config/initializers/sidekiq.rb": INITIALIZER,
    "config/initializers/other.rb": "Rails.application.config.time_zone = 'UTC'\n",
    "lib/worker_pool.rb": "module WorkerPool\n  REDIS = 4\nend\n",
    "app/workers/digest_worker.rb": (
        "class DigestWorker\n  include Sidekiq::Job\n  sidekiq_options queue: 'rare'\n\n"
        "  def perform(id)\n    Account.find(id).touch\n  end\nend\n"
    ),
}
# Each edit: an input of the setup, its new content, and what must then be computed again.
EDITS: dict[str, tuple[str, str, str]] = {
    "sidekiq.yml": (
        "config/sidekiq.yml",
        SIDEKIQ_YML.replace("    - low\n", "    - low\n    - rare\n"),
        "yaml",
    ),
    "Procfile": ("Procfile", "worker: bundle exec sidekiq -c 40 -q default\n", ""),
    "Gemfile.lock": ("Gemfile.lock", gemfile_lock("6.5.1")["Gemfile.lock"], ""),
    "initializer": (
        "config/initializers/sidekiq.rb",
        INITIALIZER.replace("cap.concurrency = 1", "cap.concurrency = 3"),
        "ruby",
    ),
    "a new initializer": (
        "config/initializers/zz_sidekiq.rb",
        "Sidekiq.configure_server do |config|\n  config.concurrency = 50\nend\n",
        "ruby",
    ),
    "database.yml": (
        "config/database.yml",
        "production:\n  adapter: postgresql\n  pool: 2\n",
        "yaml",
    ),
    "a constant the initializer reads": (
        "lib/worker_pool.rb",
        "module WorkerPool\n  REDIS = 64\nend\n",
        "ruby",
    ),
    "an ENV value ERB reads (--env)": (
        ".workerlint.toml",
        'env = { SIDEKIQ_THREADS = "30", DB_POOL = "3" }\n',
        "yaml",
    ),
}


@pytest.fixture
def runs(monkeypatch):
    """Each run's setup, and the setup cache it used (hits and misses)."""
    seen: list[tuple[SidekiqSetup, SetupCache]] = []
    made: list[SetupCache] = []
    original_read = runner.ProjectRun._read_setup

    class Recording(SetupCache):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    def read_setup(self: runner.ProjectRun) -> SidekiqSetup:
        setup = original_read(self)
        seen.append((setup, made[-1]))
        return setup

    monkeypatch.setattr(runner, "SetupCache", Recording)
    monkeypatch.setattr(runner.ProjectRun, "_read_setup", read_setup)
    return seen


def _run(root: Path, seen: list, *, use_cache: bool = True) -> tuple[list[tuple], Any, SetupCache]:
    yaml_mod._LOADED.clear()  # as in a new process
    result = runner.run([root], Options(use_cache=use_cache))
    findings = [
        (str(d.path.relative_to(root)), d.span, d.code, d.message, d.level, d.fix)
        for d in result.diagnostics
    ]
    setup, used = seen[-1]
    return findings, _view(setup), used


def _view(setup: SidekiqSetup) -> Any:
    """The setup as plain data (YAML nodes compare by identity; their fields compare here)."""
    return dataclasses.asdict(setup)  # type: ignore[call-overload]


def test_an_unchanged_project_takes_the_setup_from_the_cache(tmp_path, runs):
    root = write_files(tmp_path / "app", APP)
    cold, cold_setup, used = _run(root, runs, use_cache=False)
    assert not used.hits and not (cache.folder(root) / setup_cache.CACHE_FILE).exists()
    first, first_setup, used = _run(root, runs)
    assert (first, first_setup) == (cold, cold_setup)
    assert sorted(used.misses) == ["ruby", "yaml", "yaml"] and not used.hits
    warm, warm_setup, used = _run(root, runs)
    assert sorted(used.hits) == ["ruby", "yaml", "yaml"] and not used.misses
    assert (warm, warm_setup) == (cold, cold_setup)
    # What was cached is what the setup is made of: the Ruby configuration and both files.
    ruby = runs[-1][0].ruby
    assert ruby.redis_pool is not None and ruby.redis_pool.value == 4
    assert [c.name for c in ruby.capsules] == ["single"]
    assert {y.relpath for y in runs[-1][0].yaml_files} == {"config/sidekiq.yml"}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_of_an_input_rebuilds_what_it_feeds_and_matches_a_run_without_the_cache(
    tmp_path, runs, edit
):
    root = write_files(tmp_path / "app", APP)
    _run(root, runs)
    _, before, _ = _run(root, runs)
    rel, text, rebuilt = EDITS[edit]
    write_files(root, {rel: text})
    after_findings, after, used = _run(root, runs)
    fresh_findings, fresh, _ = _run(root, runs, use_cache=False)
    assert after == fresh
    assert after_findings == fresh_findings
    assert after != before  # the edit changed the setup (so the test can fail)
    if rebuilt:
        assert rebuilt in used.misses
    assert "ruby" in used.misses + used.hits
    # A run after it takes everything from the cache again, and still finds the same.
    again_findings, again, used = _run(root, runs)
    assert (again_findings, again) == (fresh_findings, fresh)
    assert not used.misses


def test_damaged_or_misshapen_entries_are_computed_again(tmp_path, runs):
    root = write_files(tmp_path / "app", APP)
    cold, cold_setup, _ = _run(root, runs, use_cache=False)
    _run(root, runs)
    path = cache.folder(root) / setup_cache.CACHE_FILE
    header, payload = cache_parts(path)
    for kind in payload:  # every entry of the right checksum but the wrong shape
        for key in payload[kind]:
            payload[kind][key] = {"doc": [[["scalar", 1]], 0, None, None]}
    store_cache(path, header, payload)
    findings, setup, used = _run(root, runs)
    assert (findings, setup) == (cold, cold_setup)
    assert not used.hits
    path.write_bytes(b"not a cache")
    findings, setup, used = _run(root, runs)
    assert (findings, setup) == (cold, cold_setup) and not used.hits


def test_a_setup_cache_tracked_by_git_is_not_trusted(tmp_path, runs):
    root = write_files(tmp_path / "app", APP)
    _run(root, runs)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-f", ".workerlint_cache/setup.json"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    findings, setup, used = _run(root, runs)
    assert not used.hits and sorted(used.misses) == ["ruby", "yaml", "yaml"]
    assert (findings, setup) == _run(root, runs, use_cache=False)[:2]


def test_a_stored_document_keeps_aliases_as_one_node_and_is_shared_by_the_run():
    data = SIDEKIQ_YML.encode()
    loaded = load_yaml(data, {})
    encoded = setup_cache.encode_yaml(loaded)
    decoded = setup_cache.decode_yaml(json.loads(json.dumps(encoded)))
    assert isinstance(decoded, YamlDoc) and decoded.root is not None
    assert setup_cache.encode_yaml(decoded) == encoded
    assert decoded.rendered == loaded.rendered  # the ERB rendering, tags and segments too
    production = mapping_get(decoded.root, "production")
    staging = mapping_get(decoded.root, "staging")
    assert production is not None and staging is not None
    (_, merged_p), *_ = mapping_items(production)
    (_, merged_s), *_ = mapping_items(staging)
    assert merged_p is merged_s  # `<<: *defaults` twice: the anchored node itself
    # Primed from a store, load_yaml gives the stored document itself for the rest of the run.
    store = SetupCache(Path("/nonexistent"), "t", enabled=False)
    store._stored["yaml"] = dict(store._used["yaml"])  # nothing yet
    other = b"concurrency: 3\n" + b"#" * 10  # bytes no earlier test loaded
    store.prime_yaml(other, {})
    assert store.misses == ["yaml"]
    key = next(iter(store._used["yaml"]))
    warm = SetupCache(Path("/nonexistent"), "t", enabled=False)
    warm._stored["yaml"] = {key: store._used["yaml"][key]}
    yaml_mod._LOADED.clear()
    warm.prime_yaml(other, {})
    assert warm.hits == ["yaml"]
    first = load_yaml(other, {})
    assert first is load_yaml(other, {}) and isinstance(first, YamlDoc)
    assert setup_cache.encode_yaml(first) == store._used["yaml"][key]


def test_a_yaml_error_round_trips():
    broken = load_yaml(b"a: [1, 2\n", {})
    assert not isinstance(broken, YamlDoc)
    assert setup_cache.decode_yaml(setup_cache.encode_yaml(broken)) == broken
