"""The SidekiqSetup model (workerlint/project/frameworks/sidekiq/setup.py): processes, values, sources, statuses.

Version formulas are pinned to SIDEKIQ-FACTS.md ("Redis connection pool vs concurrency",
"Concurrency", "The YAML file"); WL101's 6.4 formula is also pinned against real Sidekiq by
tests/test_integration_sidekiq.py.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from workerlint.core.settings import Settings
from workerlint.formats.procfile import parse_procfile
from workerlint.project.frameworks.sidekiq.keys import ignored_keys, read_keys
from workerlint.project.frameworks.sidekiq.setup import default_concurrency, default_timeout
from workerlint.project.frameworks.sidekiq.version import gemfile_lock, read_setup


def _setup(root: Path, files: dict[str, str], **settings: object):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    chosen = Settings(**settings)  # type: ignore[arg-type]
    return read_setup(root, chosen.sidekiq_version, chosen, None)


# SIDEKIQ-FACTS.md, "Concurrency": 25 up to 5.1; 10 in 5.2 - 6.x; 5 from 7.0.
@pytest.mark.parametrize(
    ("version", "expected"),
    [((5, 0, 0), 25), ((5, 1, 3), 25), ((5, 2, 0), 10), ((6, 5, 12), 10), ((7, 0, 0), 5),
     ((8, 1, 7), 5)],
)  # fmt: skip
def test_default_concurrency(version, expected):
    assert default_concurrency(version) == expected


# SIDEKIQ-FACTS.md, "The YAML file": shutdown timeout 8 in 5.x, 25 from 6.0.
@pytest.mark.parametrize(("version", "expected"), [((5, 2, 10), 8), ((6, 0, 0), 25), ((8,), 25)])
def test_default_timeout(version, expected):
    assert default_timeout(version) == expected


# SIDEKIQ-FACTS.md, "The YAML file": known and ignored keys by version.
def test_keys_by_version():
    assert "capsules" not in read_keys((6, 5, 12))
    assert "capsules" in read_keys((7, 0, 0))
    assert "max_iteration_runtime" not in read_keys((7, 2, 0))
    assert "max_iteration_runtime" in read_keys((7, 3, 0))
    assert "redis_idle_timeout" in read_keys((8, 0, 0))
    assert {"pidfile", "logfile", "daemon"} <= read_keys((5, 2, 10))
    assert {"pidfile", "logfile", "daemon"} <= ignored_keys((6, 0, 0))
    assert "strict" in read_keys((6, 1, 3)) and "strict" in ignored_keys((6, 2, 0))
    assert "on_complex_arguments" in ignored_keys((7, 0, 0))
    assert {"redis", "namespace"} <= ignored_keys((5, 0, 0))


def test_minimal_app_value_sources(tmp_path):
    setup = _setup(
        tmp_path,
        {
            **gemfile_lock("6.4.1"),
            "config/sidekiq.yml": ":concurrency: 10\n",
            "config/initializers/sidekiq.rb": (
                "Sidekiq.configure_server { |config| config.redis = "
                '{ url: "redis://127.0.0.1:6390/0", size: 11 } }\n'
            ),
        },
    )
    assert setup.version == (6, 4, 1) and setup.version_source == "Gemfile.lock:4"
    assert setup.environments == ("production",)
    (process,) = setup.processes
    assert process.label == "the default process" and process.config_file == "config/sidekiq.yml"
    assert (process.concurrency.value, process.concurrency.status) == (10, "known")
    assert process.concurrency.source.where == "config/sidekiq.yml:1"
    assert process.concurrency.literal
    assert (process.timeout.value, process.timeout.status, process.timeout.source) == (
        25,
        "default",
        None,
    )
    pool = setup.ruby.redis_pool
    assert (pool.value, pool.status, pool.literal) == (11, "known", True)
    assert pool.source.where == "config/initializers/sidekiq.rb:1"
    assert setup.ruby.redis_form == "hash"
    assert pickle.loads(pickle.dumps(setup)).processes == setup.processes


def test_procfile_processes_flags_and_environments(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/sidekiq.yml": ":concurrency: 5\n:queues: [a, b]\nstaging:\n  :concurrency: 7\n",
            "Procfile": (
                "web: bundle exec puma\n"
                "worker: bundle exec sidekiq -c 12 -q critical,3 -q default -t 20\n"
                "eu: bundle exec sidekiq -e production -C config/sidekiq.yml\n"
            ),
            "Procfile.dev": "jobs: bundle exec sidekiq -c 1\n",
        },
    )
    assert setup.environments == ("production", "staging")
    titles = [(p.name, p.environment) for p in setup.processes]
    assert titles == [("worker", "production"), ("worker", "staging"), ("eu", "production")]
    worker = setup.processes[0]
    assert worker.concurrency.value == 12 and worker.concurrency.source.where == "Procfile:2"
    assert [(q.name, q.weight) for q in worker.queues] == [("critical", 3), ("default", None)]
    assert worker.queues_source.where == "Procfile:2"
    assert worker.timeout.value == 20
    eu = setup.processes[2]
    assert eu.concurrency.value == 5 and [q.name for q in eu.queues] == ["a", "b"]


def test_environment_section_merges_shallowly(tmp_path):
    setup = _setup(
        tmp_path,
        {
            **gemfile_lock("7.2.4"),
            "config/sidekiq.yml": (
                ":concurrency: 5\n:timeout: 20\n:queues: [a]\n"
                "production:\n  :concurrency: 15\n  :queues: [b, c]\n"
            ),
        },
    )
    (process,) = setup.processes
    assert process.concurrency.value == 15 and process.concurrency.source.line == 5
    assert process.timeout.value == 20 and process.timeout.source.line == 2
    assert [q.name for q in process.queues] == ["b", "c"]


def test_erb_statuses_and_env_settings(tmp_path):
    files = {
        **gemfile_lock("6.5.12"),
        "config/sidekiq.yml": (
            ':concurrency: <%= ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 } %>\n'
            ':timeout: <%= ENV["SIDEKIQ_TIMEOUT"] %>\n'
        ),
    }
    (process,) = _setup(tmp_path, files).processes
    assert (process.concurrency.value, process.concurrency.status) == (20, "default")
    assert process.concurrency.variables == ("SIDEKIQ_CONCURRENCY",)
    assert process.concurrency.describe() == (
        "20 (config/sidekiq.yml:1, default of SIDEKIQ_CONCURRENCY)"
    )
    assert process.timeout.status == "unknown"
    (process,) = _setup(
        tmp_path, {}, env=(("SIDEKIQ_CONCURRENCY", "30"), ("SIDEKIQ_TIMEOUT", "10"))
    ).processes
    assert (process.concurrency.value, process.concurrency.status) == (30, "known")
    assert process.timeout.value == 10


def test_version_default_and_rails_max_threads(tmp_path):
    (process,) = _setup(tmp_path, gemfile_lock("7.1.0")).processes
    assert (process.concurrency.value, process.concurrency.status) == (5, "default")
    assert process.concurrency.origin() == "Sidekiq 7.1.0's default"
    (process,) = _setup(tmp_path, {}, env=(("RAILS_MAX_THREADS", "16"),)).processes
    assert process.concurrency.value == 16
    assert process.concurrency.origin() == "RAILS_MAX_THREADS from --env"


def test_capsules_yaml_and_ruby(tmp_path):
    setup = _setup(
        tmp_path,
        {
            **gemfile_lock("7.3.10"),
            "config/sidekiq.yml": (
                ":concurrency: 10\ncapsules:\n  serial:\n    concurrency: 1\n    queues: [ledger]\n"
            ),
            "config/initializers/sidekiq.rb": (
                "Sidekiq.configure_server do |config|\n"
                '  config.capsule("api") { |cap| cap.queues = %w[api] }\n'
                "end\n"
            ),
        },
    )
    (process,) = setup.processes
    assert [(c.name, c.origin) for c in process.capsules] == [("serial", "yaml"), ("api", "ruby")]
    shares = [(name, v.value if v else None) for name, v in process.capsule_concurrencies()]
    # SIDEKIQ-FACTS.md: a Ruby capsule inherits the process's concurrency.
    assert shares == [("default", 10), ("serial", 1), ("api", 10)]
    assert process.total_threads == 21


def test_capsules_ignored_before_7(tmp_path):
    setup = _setup(
        tmp_path,
        {
            **gemfile_lock("6.5.12"),
            "config/sidekiq.yml": ":concurrency: 10\ncapsules:\n  x:\n    concurrency: 1\n",
        },
    )
    assert setup.processes[0].capsules == () and setup.processes[0].total_threads == 10


def test_ruby_pool_forms(tmp_path):
    init = "config/initializers/sidekiq.rb"
    setup = _setup(
        tmp_path,
        {
            **gemfile_lock("6.0.0"),
            init: (
                "Sidekiq.configure_server do |config|\n"
                "  config.redis = ConnectionPool.new(size: 9) { Redis.new }\n"
                "end\n"
            ),
        },
    )
    assert setup.ruby.redis_form == "connection_pool" and setup.ruby.redis_pool.value == 9
    (tmp_path / init).write_text(
        "Sidekiq.configure_server do |config|\n"
        '  settings = { url: ENV["REDIS_URL"], size: ENV.fetch("POOL", 14).to_i }\n'
        "  config.redis = settings\n"
        "end\n"
    )
    setup = _setup(tmp_path, {})
    pool = setup.ruby.redis_pool
    assert (pool.value, pool.status, pool.variables) == (14, "default", ("POOL",))
    (tmp_path / init).write_text(
        "Sidekiq.configure_server do |config|\n  config.redis = RedisConfig.options\nend\n"
    )
    assert _setup(tmp_path, {}).ruby.redis_pool.status == "unknown"
    (tmp_path / init).write_text(
        "Sidekiq.configure_server do |config|\n  config.redis = { url: ENV['REDIS_URL'] }\nend\n"
    )
    assert _setup(tmp_path, {}).ruby.redis_pool is None


def test_database_pools_anchors_three_tier_and_url(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/database.yml": (
                "default: &default\n  adapter: postgresql\n  pool: 8\n"
                "production:\n  primary:\n    <<: *default\n  cache:\n    <<: *default\n"
                "    pool: 3\n"
                'staging:\n  url: <%= ENV["DATABASE_URL"] %>\n'
                "development:\n  <<: *default\n"
            ),
        },
    )
    assert setup.environments == ("production", "staging")
    pools = {(p.environment, p.database): p for p in setup.database.pools}
    primary = pools[("production", "primary")]
    assert primary.pool.value == 8 and primary.pool.source.line == 3  # in the anchor
    assert pools[("production", "cache")].pool.value == 3
    staging = pools[("staging", None)]
    assert staging.pool is None and staging.url


def test_activejob_adapter_and_prefix(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/application.rb": (
                "module Shop\n  class Application < Rails::Application\n"
                "    config.active_job.queue_adapter = :sidekiq\n"
                '    config.active_job.queue_name_prefix = "shop"\n  end\nend\n'
            ),
            "config/environments/production.rb": (
                "Rails.application.configure do\n"
                '  config.active_job.queue_name_prefix = "shop_production"\nend\n'
            ),
        },
    )
    assert setup.ruby.active_job_adapter["*"].value == "sidekiq"
    assert setup.ruby.queue_name_prefix["*"].value == "shop"
    assert setup.ruby.queue_name_prefix["production"].value == "shop_production"


def test_default_job_options(tmp_path):
    setup = _setup(
        tmp_path,
        {"config/initializers/sidekiq.rb": 'Sidekiq.default_job_options = { "retry" => 5 }\n'},
    )
    assert [(k, v.value) for k, v in setup.ruby.default_job_options] == [("retry", 5)]


def test_default_job_options_assignments_merge(tmp_path):
    # Sidekiq merges each assignment into the defaults (and 6.x calls it default_worker_options).
    setup = _setup(
        tmp_path,
        {
            "config/initializers/sidekiq.rb": (
                "Sidekiq.default_worker_options = { retry: false, backtrace: true }\n"
                "Sidekiq.default_job_options = { retry: 3, dead: false }\n"
            )
        },
    )
    assert [(k, v.value) for k, v in setup.ruby.default_job_options] == [
        ("retry", 3),
        ("backtrace", True),
        ("dead", False),
    ]


def test_environments_setting_overrides(tmp_path):
    setup = _setup(
        tmp_path,
        {"config/sidekiq.yml": ":concurrency: 5\nstaging:\n  :concurrency: 2\n"},
        environments=("staging",),
    )
    assert setup.environments == ("staging",)
    assert [p.concurrency.value for p in setup.processes] == [2]


def test_no_yaml_default_file_and_erb_file(tmp_path):
    setup = _setup(tmp_path, {"config/sidekiq.yml.erb": ":concurrency: <%= 3 + 4 %>\n"})
    (process,) = setup.processes
    assert process.config_file == "config/sidekiq.yml.erb" and process.concurrency.value == 7


def test_scheduler_file_is_not_a_sidekiq_file(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/sidekiq_schedule.yml": ":schedule:\n  x:\n    every: 1h\n",
            "config/sidekiq_eu.yml": ":concurrency: 3\n",
        },
    )
    assert [y.relpath for y in setup.yaml_files] == ["config/sidekiq_eu.yml"]


def test_procfile_parser_spans():
    text = "worker: bundle exec sidekiq --queue=low -c ${CONC:-5} && echo done\n"
    (command,) = parse_procfile("Procfile", text)
    flags = [(f.option, f.value, text[f.source.start : f.source.end]) for f in command.flags]
    assert flags == [
        ("queue", "low", "--queue=low"),
        ("concurrency", "${CONC:-5}", "-c ${CONC:-5}"),
    ]


def test_shell_default_in_procfile(tmp_path):
    setup = _setup(tmp_path, {"Procfile": "worker: bundle exec sidekiq -c ${CONC:-8}\n"})
    value = setup.processes[0].concurrency
    assert (value.value, value.status, value.variables) == (8, "default", ("CONC",))


def test_shell_variable_environment_is_every_checked_one(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/sidekiq.yml": ":concurrency: 5\nstaging:\n  :concurrency: 2\n",
            "Procfile": "worker: bundle exec sidekiq -e $RAILS_ENV -C config/sidekiq.yml\n",
        },
    )
    assert setup.environments == ("production", "staging")
    assert [(p.environment, p.concurrency.value) for p in setup.processes] == [
        ("production", 5),
        ("staging", 2),
    ]


def test_config_file_missing_from_repository_is_unknown(tmp_path):
    setup = _setup(
        tmp_path, {"Procfile": "worker: bundle exec sidekiq -C config/generated.yml -t 20\n"}
    )
    (process,) = setup.processes
    assert process.concurrency.status == "unknown"
    assert process.concurrency.note == "config/generated.yml is not in the repository"
    assert process.queues is None  # so WL107 cannot say a queue is never processed
    assert process.timeout.value == 20


def test_erb_control_flow_makes_the_file_unknown(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "config/sidekiq.yml": (
                "<% if ENV['BIG'] %>\n:concurrency: 50\n<% else %>\n:concurrency: [\n<% end %>\n"
            )
        },
    )
    (process,) = setup.processes
    assert process.concurrency.status == "unknown" and process.queues is None
    assert "ERB control flow" in process.concurrency.note


def test_bin_shell_script_commands(tmp_path):
    setup = _setup(
        tmp_path,
        {
            "bin/worker": '#!/usr/bin/env bash\nset -e\nexec bundle exec sidekiq -c 7 -q a "$@"\n',
            "bin/sidekiq": "#!/usr/bin/env ruby\nload Gem.bin_path('sidekiq', 'sidekiq')\n",
        },
    )
    (process,) = setup.processes
    assert process.label == "`worker` (bin/worker:3)"
    assert process.concurrency.value == 7 and [q.name for q in process.queues] == ["a"]


def test_pool_size_from_a_project_constant(tmp_path):
    from workerlint.project.index import build_index

    files = {
        "config/initializers/redis_sizes.rb": "REDIS_POOL_SIZE = 15\n",
        "config/initializers/sidekiq.rb": (
            "Sidekiq.configure_server do |config|\n"
            "  config.redis = { size: REDIS_POOL_SIZE }\nend\n"
        ),
    }
    _setup(tmp_path, files)
    index = build_index(tmp_path, use_cache=False).ruby
    setup = read_setup(tmp_path, None, Settings(), index)
    pool = setup.ruby.redis_pool
    assert (pool.value, pool.status, pool.literal) == (15, "known", False)
    assert pool.origin() == "config/initializers/sidekiq.rb:2, constant REDIS_POOL_SIZE"


def test_each_config_file_is_read_once_per_build(tmp_path):
    """The Ruby configuration and the Active Job settings read the same ``config/**/*.rb``:
    one build reads each file, and lists the folder, once."""
    from collections import Counter

    from workerlint.core.fs import DiskFileSystem

    asked: Counter[tuple[str, str]] = Counter()

    class Counting(DiskFileSystem):
        def read_bytes(self, path: Path) -> bytes:
            asked["read", path.relative_to(tmp_path).as_posix()] += 1
            return super().read_bytes(path)

        def rglob(self, folder: Path, pattern: str) -> list[Path]:
            asked["rglob", folder.relative_to(tmp_path).as_posix()] += 1
            return super().rglob(folder, pattern)

    files = {
        "config/application.rb": (
            "module Shop\n  class Application < Rails::Application\n"
            "    config.load_defaults 7.1\n"
            "    config.active_job.queue_adapter = :sidekiq\n  end\nend\n"
        ),
        "config/environments/production.rb": (
            "Rails.application.configure do\n"
            "  config.active_job.enqueue_after_transaction_commit = :never\nend\n"
        ),
        "config/initializers/sidekiq.rb": (
            "Sidekiq.configure_server do |config|\n  config.concurrency = 7\nend\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    setup = read_setup(tmp_path, None, Settings(), None, fs=Counting())
    assert setup.ruby.active_job_adapter["*"].value == "sidekiq"
    assert setup.load_defaults == (7, 1)
    assert [(s.value, s.where) for s in setup.after_commit] == [
        (":never", "config/environments/production.rb:2")
    ]
    assert {key: n for key, n in asked.items() if key[1].startswith("config")} == {
        ("rglob", "config"): 1,
        ("read", "config/application.rb"): 1,
        ("read", "config/environments/production.rb"): 1,
        ("read", "config/initializers/sidekiq.rb"): 1,
    }
