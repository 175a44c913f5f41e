"""Whether Rails defers an ActiveJob enqueue made in a transaction to the commit (WL203's
ActiveJob half; workerlint/project/frameworks/sidekiq/active_job.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workerlint.project.frameworks.sidekiq.active_job import (
    AfterCommitSetting,
    after_commit_settings,
    deferral,
    load_defaults,
)
from workerlint.project.frameworks.sidekiq.version import read_setup

ON = AfterCommitSetting("true", "config/application.rb:9", jobs_only=False)
NEVER = AfterCommitSetting(":never", "config/application.rb:9", jobs_only=False)
DEFAULT = AfterCommitSetting(":default", "config/application.rb:9", jobs_only=False)
JOBS_ON = AfterCommitSetting("true", "app/jobs/application_job.rb:2", jobs_only=True)


@pytest.mark.parametrize(
    ("version", "defaults", "settings", "mail", "deferred"),
    [
        (None, None, (), False, None),
        ((5, 2, 8), (5, 2), (), False, False),
        ((7, 1, 3), (7, 1), (), False, False),
        ((7, 1, 3), (7, 1), (ON,), False, False),  # the setting does not exist before 7.2
        ((7, 2, 1), (7, 0), (), False, False),
        ((7, 2, 1), None, (), False, False),
        ((7, 2, 1), (7, 2), (), False, True),
        ((7, 2, 1), (7, 2), (), True, True),
        ((7, 2, 1), (7, 2), (NEVER,), False, False),
        ((7, 2, 1), (7, 0), (DEFAULT,), False, True),
        ((8, 0, 1), (8, 0), (), False, False),
        ((8, 1, 2), (8, 1), (DEFAULT,), False, False),
        ((8, 1, 2), (8, 1), (ON,), True, True),
        ((8, 1, 2), (8, 1), (JOBS_ON,), False, True),
        ((8, 1, 2), (8, 1), (JOBS_ON,), True, False),  # mail deliveries do not inherit it
        ((8, 2, 0), (8, 1), (), False, False),
        ((8, 2, 0), (8, 2), (), False, True),
        ((8, 2, 0), (8, 2), (NEVER,), False, False),
    ],
)
def test_deferral(version, defaults, settings, mail, deferred) -> None:
    text = ".".join(str(n) for n in version) if version else None
    assert deferral(version, text, defaults, settings, mail=mail).deferred is deferred


def test_settings_are_read_as_written() -> None:
    assert load_defaults(b"module A\n  class App\n    config.load_defaults 7.2\n") == (7, 2)
    assert load_defaults(b'    config.load_defaults("8.0")\n') == (8, 0)
    assert load_defaults(b"# config.load_defaults 7.2\n") is None
    data = (
        b"config.active_job.enqueue_after_transaction_commit = :never\n"
        b"ActiveJob::Base.enqueue_after_transaction_commit = true\n"
        b"self.enqueue_after_transaction_commit = true\n"
    )
    assert after_commit_settings("config/initializers/jobs.rb", data) == [
        AfterCommitSetting(":never", "config/initializers/jobs.rb:1", jobs_only=False),
        AfterCommitSetting("true", "config/initializers/jobs.rb:2", jobs_only=False),
    ]
    assert after_commit_settings("app/jobs/application_job.rb", data)[2] == AfterCommitSetting(
        "true", "app/jobs/application_job.rb:3", jobs_only=True
    )


def test_the_setup_reads_versions_defaults_and_settings(tmp_path: Path) -> None:
    files = {
        "Gemfile.lock": "GEM\n  specs:\n    activejob (7.2.1)\n    rails (7.2.1)\n",
        "config/application.rb": "class App\n  config.load_defaults 7.2\nend\n",
        "config/environments/development.rb": (
            "config.active_job.enqueue_after_transaction_commit = :never\n"
        ),
        "config/environments/production.rb": (
            "config.active_job.enqueue_after_transaction_commit = :always\n"
        ),
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    setup = read_setup(tmp_path, None)
    assert (setup.active_job_version, setup.load_defaults) == ((7, 2, 1), (7, 2))
    assert [s.where for s in setup.after_commit] == ["config/environments/production.rb:1"]
    assert setup.active_job_deferral(mail=True).deferred is True
