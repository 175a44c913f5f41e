"""Each hand-written case under fixtures/config/ gives exactly these WL1 findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, run_cli

CASES = FIXTURES / "config"

# (code, path, line, column, message)
EXPECTED: dict[str, list[tuple[str, str, int, int, str]]] = {
    "addons": [],
    "database_url": [
        (
            "WL102",
            "config/database.yml",
            7,
            11,
            "Database pool of 5 (config/database.yml:7; production (primary)) is below the "
            "12 job threads of the default process in production (concurrency 12 "
            "(config/sidekiq.yml:1)): each job thread using ActiveRecord holds a "
            "connection, so jobs wait and raise ActiveRecord::ConnectionTimeoutError under "
            "load",
        ),
    ],
    # Queue names built with `hostname` in backticks: unknown, never compared (no "Queue `None`
    # is listed twice"); weights that read unset variables: the order is unknown (no WL109).
    "erb_queue_names": [
        (
            "WL106",
            "config/sidekiq.yml",
            12,
            38,
            "The weight of this queue must be a non-negative integer, not `high`",
        ),
    ],
    "procfile_queues": [
        (
            "WL103",
            "Procfile",
            3,
            27,
            "`bulk` (Procfile:3) in production runs 60 job threads (concurrency 60 "
            "(Procfile:3)), above max-concurrency 50: more threads add GVL contention and "
            "connections, not throughput; run more processes instead",
        ),
        (
            "WL109",
            "Procfile",
            3,
            33,
            "Strict order over 3 queues (`exports`, `reports` and `cleanup`) (`bulk` "
            "(Procfile:3) in production): Sidekiq takes jobs from `reports` only when "
            "`exports` is empty, so a flood in `exports` starves the rest; give the queues "
            "weights",
        ),
        (
            "WL107",
            "app/workers/audit_worker.rb",
            3,
            26,
            "Queue `audits` is not processed: the Sidekiq processes listen to `cleanup`, "
            "`critical`, `default`, `exports` and `reports` (Procfile:2, Procfile:3); jobs "
            "pushed to it stay in Redis and never run (if another app's Sidekiq processes it, "
            "list it in `extra-queues`)",
        ),
    ],
    "production_missing": [
        (
            "WL101",
            "config/initializers/sidekiq.rb",
            2,
            49,
            "Redis pool of 3 (config/initializers/sidekiq.rb:2) is below the 5 connections "
            "Sidekiq 7.1.0 needs for concurrency 5 (Sidekiq 7.1.0's default; every "
            "capsule's pool holds its concurrency: capsule `default`): it will refuse to "
            "boot",
        ),
    ],
    "sidekiq52": [
        (
            "WL101",
            "config/initializers/sidekiq.rb",
            3,
            43,
            "Redis pool of 20 (config/initializers/sidekiq.rb:3) is below the 27 "
            "connections Sidekiq 5.2.10 needs for concurrency 25 (config/sidekiq.yml:2; "
            "concurrency + 2): it will refuse to boot",
        ),
        (
            "WL109",
            "config/sidekiq.yml",
            6,
            1,
            "Strict order over 3 queues (`critical`, `default` and `low`): Sidekiq takes "
            "jobs from `default` only when `critical` is empty, so a flood in `critical` "
            "starves the rest; give the queues weights",
        ),
    ],
    "sidekiq65_sections": [
        (
            "WL102",
            "config/database.yml",
            4,
            9,
            "Database pool of 10 (config/database.yml:4; production and staging) is below "
            "the 20 job threads of the default process in production (concurrency 20 "
            "(config/sidekiq.yml:11)): each job thread using ActiveRecord holds a "
            "connection, so jobs wait and raise ActiveRecord::ConnectionTimeoutError under "
            "load; also too small for the default process in staging",
        ),
        (
            "WL101",
            "config/initializers/sidekiq.rb",
            4,
            83,
            "Redis pool of 15 (config/initializers/sidekiq.rb:4) is below the 22 "
            "connections Sidekiq 6.5.12 needs for concurrency 20 (config/sidekiq.yml:11; "
            "concurrency + 2) (the default process in production): it will refuse to boot; "
            "also too small for concurrency 15 (config/sidekiq.yml:13) in the default "
            "process in staging",
        ),
        (
            "WL105",
            "config/sidekiq.yml",
            2,
            1,
            "`strict` is dropped when the file is loaded from Sidekiq 6.2: list the queues "
            "with weights to get weighted order; Sidekiq 6.5.12 ignores it",
        ),
        (
            "WL106",
            "config/sidekiq.yml",
            6,
            5,
            "Queue `default` is listed twice (first at config/sidekiq.yml:4): Sidekiq "
            "6.5.12 raises at boot",
        ),
        (
            "WL105",
            "config/sidekiq.yml",
            7,
            1,
            "Sidekiq never reads `redis` from its YAML file (in any version): set the pool "
            "in `Sidekiq.configure_server { |config| config.redis = { ... } }` (Sidekiq "
            "6.5.12)",
        ),
        (
            "WL104",
            "config/sidekiq.yml",
            14,
            3,
            "Unknown key `timout` in the `staging` section: Sidekiq 6.5.12 or a known "
            "add-on does not read it, so it is ignored without a word; did you mean "
            "`timeout`?",
        ),
    ],
    "sidekiq702": [
        (
            "WL106",
            "config/sidekiq.yml",
            10,
            5,
            "Capsule `bulk` has no `concurrency`: a capsule declared in the YAML gets nil "
            "and Sidekiq fails at boot",
        ),
    ],
    "sidekiq72_ruby": [
        (
            "WL102",
            "config/database.yml",
            4,
            11,
            "Database pool of 50 (config/database.yml:4; production (primary)) is below the "
            "80 job threads of the Sidekiq process (capsules `default` 25 "
            "(config/sidekiq.yml:1) + `throttled` 30 (config/initializers/sidekiq.rb:5) + "
            "`single` 25 (config/sidekiq.yml:1)): each job thread using ActiveRecord holds "
            "a connection, so jobs wait and raise ActiveRecord::ConnectionTimeoutError "
            "under load",
        ),
        (
            "WL102",
            "config/database.yml",
            8,
            11,
            "Database pool of 40 (config/database.yml:8; production (replica)) is below the "
            "80 job threads of the Sidekiq process (capsules `default` 25 "
            "(config/sidekiq.yml:1) + `throttled` 30 (config/initializers/sidekiq.rb:5) + "
            "`single` 25 (config/sidekiq.yml:1)): each job thread using ActiveRecord holds "
            "a connection, so jobs wait and raise ActiveRecord::ConnectionTimeoutError "
            "under load",
        ),
        (
            "WL101",
            "config/initializers/sidekiq.rb",
            2,
            49,
            "Redis pool of 20 (config/initializers/sidekiq.rb:2) is below the 30 "
            "connections Sidekiq 7.2.4 needs for concurrency 30 "
            "(config/initializers/sidekiq.rb:5; every capsule's pool holds its concurrency: "
            "capsule `throttled`): it will refuse to boot; also too small for capsule "
            "`default` at concurrency 25 (config/sidekiq.yml:1) and capsule `single` at "
            "concurrency 25 (config/sidekiq.yml:1)",
        ),
        (
            "WL103",
            "config/initializers/sidekiq.rb",
            5,
            23,
            "The Sidekiq process runs 80 job threads (capsules `default` 25 "
            "(config/sidekiq.yml:1) + `throttled` 30 (config/initializers/sidekiq.rb:5) + "
            "`single` 25 (config/sidekiq.yml:1)), above max-concurrency 50: more threads "
            "add GVL contention and connections, not throughput; run more processes instead",
        ),
    ],
    "sidekiq8_erb": [
        (
            "WL102",
            "config/database.yml",
            3,
            9,
            "Database pool of 5 (config/database.yml:3, default of DB_POOL; production) is "
            "below the 12 job threads of the default process in production (concurrency 12 "
            "(config/sidekiq.yml.erb:10, default of PROD_CONCURRENCY)): each job thread "
            "using ActiveRecord holds a connection, so jobs wait and raise "
            "ActiveRecord::ConnectionTimeoutError under load",
        ),
        (
            "WL103",
            "config/sidekiq.yml.erb",
            2,
            15,
            "The default process in staging runs 64 job threads (concurrency 64 "
            "(config/sidekiq.yml.erb:2, default of SIDEKIQ_CONCURRENCY)), above "
            "max-concurrency 50: more threads add GVL contention and connections, not "
            "throughput; run more processes instead",
        ),
        (
            "WL108",
            "config/sidekiq.yml.erb",
            3,
            11,
            "Shutdown timeout of 30 s (config/sidekiq.yml.erb:3, default of "
            "SIDEKIQ_TIMEOUT) is not below the 30 s grace period (grace-period) (the "
            "default process in production): the platform sends SIGKILL before Sidekiq can "
            "push unfinished jobs back, so they are killed mid-run and run again",
        ),
    ],
}


def _copy(case: str, tmp_path: Path) -> Path:
    target = tmp_path / case
    copy_project(CASES / case, target)
    return target


def _findings(root: Path, *extra: str) -> list[tuple[str, str, int, int, str]]:
    result = run_cli(
        "check", ".", "--select", "WL1", "--output-format", "json", "--no-cache", *extra, cwd=root
    )
    assert result.code in (0, 1), result.err
    data = json.loads(result.out)
    return [
        (d["code"], d["path"], d["start_line"], d["start_column"], d["message"])
        for d in data["diagnostics"]
    ]


def test_every_case_has_expectations():
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case_findings(case: str, tmp_path: Path):
    assert _findings(_copy(case, tmp_path)) == EXPECTED[case]


def test_unsafe_fixes_rewrite_only_the_values(tmp_path: Path):
    root = _copy("sidekiq65_sections", tmp_path)
    result = run_cli(
        "check", ".", "--select", "WL1", "--fix", "--unsafe-fixes", "--no-cache", cwd=root
    )
    assert result.code in (0, 1), result.err
    initializer = (root / "config/initializers/sidekiq.rb").read_text()
    assert "size: 22 }" in initializer
    database = (root / "config/database.yml").read_text()
    assert "  pool: 20\n" in database
    assert database.count("pool:") == 1  # the anchor's value, not a new key per environment
    sidekiq = (root / "config/sidekiq.yml").read_text()
    assert "  :timeout: 20\n" in sidekiq and ":timout:" not in sidekiq


def test_env_supplies_variables(tmp_path: Path):
    root = _copy("sidekiq8_erb", tmp_path)
    found = _findings(root, "--env", "SIDEKIQ_CONCURRENCY=40", "--env", "STAGING_TIMEOUT=45")
    codes = [(code, line) for code, _, line, _, _ in found]
    assert ("WL103", 2) not in codes  # 40 threads is within max-concurrency
    assert ("WL108", 12) in codes  # the staging timeout is now known


def test_verbose_names_skipped_checks(tmp_path: Path):
    root = _copy("database_url", tmp_path)
    result = run_cli("check", ".", "--select", "WL102", "--no-cache", "--verbose", cwd=root)
    assert "WL102: production (analytics): database pool unknown (given by `url:`)" in result.err
    assert "WL102: staging: database pool unknown (given by `url:`)" in result.err


def test_verbose_says_which_values_are_unknown(tmp_path: Path):
    root = _copy("erb_queue_names", tmp_path)
    result = run_cli("check", ".", "--select", "WL1", "--no-cache", "--verbose", cwd=root)
    for line in (
        "WL106: config/sidekiq.yml:7: queue name unknown (built by ERB that cannot be "
        "evaluated): not compared with the other queues",
        "WL106: config/sidekiq.yml:11: queue name unknown (built by ERB that cannot be "
        "evaluated): not compared with the other queues",
        "WL107: queue `digests`: the queues of the default process in production (the queue "
        "name at config/sidekiq.yml:7 is unknown: built by ERB that cannot be evaluated) are "
        "unknown",
        "WL109: the default process in staging: weight unknown: `critical` "
        "(config/sidekiq.yml:16: reads CRITICAL_WEIGHT with no default), `default` "
        "(config/sidekiq.yml:17: reads DEFAULT_WEIGHT with no default) and `low` "
        "(config/sidekiq.yml:18: reads LOW_WEIGHT with no default)",
        "WL103: the default process in production: job threads unknown: concurrency unknown "
        "(config/sidekiq.yml:2, cannot be evaluated)",
    ):
        assert f"workerlint: {line}\n" in result.err
