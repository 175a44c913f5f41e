"""Unknown values are never compared or printed: no message (nor --verbose skip reason) of any
fixture project shows Python's None, a sentinel's repr or an ERB placeholder.

fixtures/config/erb_queue_names builds queue names with `hostname` in backticks; before unknown
names were skipped, WL106 said "Queue `None` is listed twice" there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_APP, run_cli

PROJECTS = [SAMPLE_APP, FIXTURES / "clean", *sorted(p for p in (FIXTURES / "config").iterdir())]
LEAKS = (
    re.compile(r"\bNone\b"),  # Python's None formatted into text
    re.compile(r"object at 0x[0-9a-f]+"),  # the repr of a sentinel or any object
    re.compile(r"NOT_LITERAL|MUTABLE_COLLECTION"),  # the reprs of workerlint's sentinels
    re.compile(r"__wl_erb_unknown_\d+__"),  # the ERB evaluator's placeholder for unknown text
)


def leaks(text: str) -> list[str]:
    return [pattern.pattern for pattern in LEAKS if pattern.search(text)]


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_no_message_shows_an_unknown_value(root: Path):
    result = run_cli(
        "check", str(root), "--output-format", "json", "--no-cache", "--verbose", "--exit-zero"
    )
    assert result.code == 0, result.err
    messages = [d["message"] for d in json.loads(result.out)["diagnostics"]]
    assert [(m, leaks(m)) for m in messages if leaks(m)] == []
    skipped = [line for line in result.err.splitlines() if line.startswith("workerlint: WL")]
    assert [(line, leaks(line)) for line in skipped if leaks(line)] == []


@pytest.mark.parametrize("text", ["Queue `None` is listed twice", "<x.Unknown object at 0x7f3a>"])
def test_the_leak_patterns_catch_what_they_are_for(text: str):
    assert leaks(text)


def test_the_leak_patterns_leave_words_alone():
    assert leaks("Nonetheless, `none` and `NoneType`-free text (0x1f)") == []


# -- unknown queue lists are never compared with the queues jobs go to (WL107) -------------------

REPORT_WORKER = """\
class ReportWorker
  include Sidekiq::Job
  sidekiq_options queue: "reports"

  def perform(id)
  end
end
"""
LOCK_7 = "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.0)\n"

UNKNOWN_QUEUES = {
    "procfile-shell-variable": (
        {"Procfile": "worker: bundle exec sidekiq -q $WORKER_QUEUE -q default\n"},
        "WL107: queue `reports`: the queues of `worker` (Procfile:1) in production "
        "(`-q $WORKER_QUEUE` (Procfile:1) reads a shell variable) are unknown",
    ),
    "ruby-queues-not-a-list": (
        {
            "config/sidekiq.yml": ":concurrency: 5\n",
            "config/initializers/sidekiq.rb": (
                "Sidekiq.configure_server do |config|\n  config.queues = QUEUES.map(&:to_s)\nend\n"
            ),
        },
        "WL107: queue `reports`: the queues of the default process in production "
        "(`config.queues = QUEUES.map(&:to_s)` (config/initializers/sidekiq.rb:2) is not a "
        "list) are unknown",
    ),
    "yaml-capsule-queue-built-by-erb": (
        {
            "config/sidekiq.yml": (
                ":queues: [default]\ncapsules:\n  bulk:\n    concurrency: 2\n    queues:\n"
                "      - <%= `hostname`.strip %>_bulk\n"
            ),
        },
        "WL107: queue `reports`: the queues of capsule `bulk` in the default process in "
        "production (the queue name at config/sidekiq.yml:6 is unknown: built by ERB that "
        "cannot be evaluated) are unknown",
    ),
}


@pytest.mark.parametrize("case", sorted(UNKNOWN_QUEUES))
def test_unknown_queue_lists_are_not_compared(case: str, project):
    files, reason = UNKNOWN_QUEUES[case]
    root = project({"Gemfile.lock": LOCK_7, "app/workers/report_worker.rb": REPORT_WORKER, **files})
    result = run_cli(
        "check", ".", "--select", "WL107", "--no-cache", "--verbose", "--output-format", "json",
        cwd=root,
    )  # fmt: skip
    assert json.loads(result.out)["diagnostics"] == []
    assert f"workerlint: {reason}\n" in result.err


def test_a_capsule_with_an_unknown_name_still_listens_to_its_queues(project):
    root = project(
        {
            "Gemfile.lock": LOCK_7,
            "app/workers/report_worker.rb": REPORT_WORKER,
            "config/sidekiq.yml": ":queues: [default]\n",
            "config/initializers/sidekiq.rb": (
                "Sidekiq.configure_server do |config|\n"
                "  config.capsule(BULK_CAPSULE) do |cap|\n"
                "    cap.concurrency = 2\n"
                "    cap.queues = %w[reports]\n"
                "  end\n"
                "end\n"
            ),
        }
    )
    result = run_cli(
        "check", ".", "--select", "WL1", "--no-cache", "--output-format", "json", cwd=root
    )
    assert json.loads(result.out)["diagnostics"] == []
