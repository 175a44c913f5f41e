"""Which Sidekiq YAML file each process reads (the file ``-C`` names, whatever its name), and
which Procfiles run in development only (RULES.md, "Environments" and the WL1 inputs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from workerlint.formats.procfile import is_development_procfile
from workerlint.project.files import FileKind, classify, sidekiq_yaml_files
from workerlint.project.frameworks.sidekiq.version import gemfile_lock, read_setup

STRICT = ":concurrency: 80\n:queues: [a, b, c]\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"Gemfile": "", **gemfile_lock("7.2.0"), **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _findings(result_out: str) -> list[tuple[str, str, int]]:
    found = json.loads(result_out)["diagnostics"]
    return [(d["code"], d["path"], d["start_line"]) for d in found]


@pytest.mark.parametrize(
    ("name", "development"),
    [
        ("Procfile", False),
        ("Procfile.dev", True),
        ("Procfile.development", True),
        ("Procfile.debug", True),
        ("Procfile.local", True),
        ("Procfile.test", True),
        ("Procfile.dev.sample", True),
        ("Procfile.sample", True),
        ("procfile.DEV", True),
        ("Procfile.latest", False),
        ("Procfile.docker", False),
        ("Procfile.devops", False),
        ("bin/dev", False),
    ],
)
def test_development_procfiles(name: str, development: bool) -> None:
    assert is_development_procfile(name) is development


def test_a_config_file_of_any_name_is_read_and_checked(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "Procfile": "worker: bundle exec sidekiq -C config/workers/default.yml\n",
            "bin/jobs": "#!/usr/bin/env bash\nexec bundle exec sidekiq -C ./deploy/jobs.yml\n",
            "config/workers/default.yml": STRICT,
            "deploy/jobs.yml": STRICT,
        },
    )
    assert sidekiq_yaml_files(root) == {"config/workers/default.yml", "deploy/jobs.yml"}
    named = sidekiq_yaml_files(root)
    assert classify("deploy/jobs.yml", root / "deploy/jobs.yml", sidekiq_yaml=named) == (
        FileKind.SIDEKIQ_YAML,
        None,
    )
    assert classify("deploy/jobs.yml", root / "deploy/jobs.yml") is None
    setup = read_setup(root, None)
    assert [(p.name, p.config_file, p.total_threads) for p in setup.processes] == [
        ("worker", "config/workers/default.yml", 80),
        ("jobs", "deploy/jobs.yml", 80),
    ]
    expected = [
        ("WL103", "config/workers/default.yml", 1),
        ("WL109", "config/workers/default.yml", 2),
        ("WL103", "deploy/jobs.yml", 1),
        ("WL109", "deploy/jobs.yml", 2),
    ]
    whole = run_cli("check", ".", "--no-cache", "--output-format", "json", cwd=root)
    assert _findings(whole.out) == expected
    # The same findings when only the file is checked (pre-commit passes the changed file).
    alone = run_cli("check", "deploy/jobs.yml", "--no-cache", "--output-format", "json", cwd=root)
    assert ("WL103", "deploy/jobs.yml", 1) in _findings(alone.out)
    assert ("WL109", "deploy/jobs.yml", 2) in _findings(alone.out)


def test_verbose_says_which_file_each_process_reads(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "Procfile": (
                "web: bundle exec puma\n"
                "worker: bundle exec sidekiq -C config/workers/default.yml\n"
                "eu: bundle exec sidekiq -C $EU_CONFIG\n"
                "us: bundle exec sidekiq -C config/workers/us.yml\n"
                "ops: bundle exec sidekiq -C /etc/sidekiq/ops.yml\n"
                "up: bundle exec sidekiq -C ../shared/sidekiq.yml\n"
            ),
            "Procfile.dev.sample": "jobs: bundle exec sidekiq -q a -q b -q c\n",
            "config/workers/default.yml": ":concurrency: 5\n",
        },
    )
    result = run_cli("check", ".", "--no-cache", "--verbose", cwd=root)
    for line in (
        "Sidekiq process `worker` (Procfile:2) reads config/workers/default.yml (its `-C`)",
        "Sidekiq process `eu` (Procfile:3) cannot read its YAML file: `Procfile:3`: "
        "`-C $EU_CONFIG` names its file with a shell expansion; what that file sets is unknown",
        "Sidekiq process `us` (Procfile:4) cannot read config/workers/us.yml (its `-C`): it is "
        "not in the repository; what it sets is unknown",
        "Sidekiq process `ops` (Procfile:5) cannot read its YAML file: `Procfile:5`: "
        "`-C /etc/sidekiq/ops.yml` is an absolute path (outside the repository); what that "
        "file sets is unknown",
        "Sidekiq process `up` (Procfile:6) cannot read its YAML file: `Procfile:6`: "
        "`-C ../shared/sidekiq.yml` leaves the project; what that file sets is unknown",
        "Sidekiq process `jobs` (Procfile.dev.sample:1) runs in development only "
        "(Procfile.dev.sample is a development Procfile): not checked",
    ):
        assert f"workerlint: {line}\n" in result.err, result.err


def test_a_config_file_outside_the_project_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "shared.yml"
    outside.write_text(STRICT)
    root = _write(
        tmp_path / "app",
        {
            "Procfile": f"a: bundle exec sidekiq -C {outside}\nb: bundle exec sidekiq -C ../shared.yml\n"
        },
    )
    setup = read_setup(root, None)
    assert setup.yaml_files == ()
    assert [p.concurrency.status for p in setup.processes] == ["unknown", "unknown"]
    assert sidekiq_yaml_files(root) == frozenset()


def test_only_development_procfiles_define_no_production_process(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "Procfile.debug": "sidekiq: bundle exec sidekiq -q critical -q default -q low\n",
            "Procfile.dev": "sidekiq: bundle exec sidekiq -q critical -q default -q low\n",
        },
    )
    setup = read_setup(root, None)
    assert not setup.has_sidekiq_definition
    assert [(p.label, p.environment) for p in setup.processes] == [
        ("the default process", "production")
    ]
    root = _write(tmp_path / "other", {"Procfile.dev": "s: bundle exec sidekiq -e production\n"})
    assert read_setup(root, None).has_sidekiq_definition
