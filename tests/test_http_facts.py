"""HTTP requests as facts (facts.py's HttpRequest): the timeout state of a request."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

WORKER = """\
class SyncWorker
  include Sidekiq::Job

  def perform(url)
    {call}
  end
end
"""


def findings(project, call: str, *flags: str) -> list[dict]:
    root = project({"app/workers/sync_worker.rb": WORKER.format(call=call)})
    result = run_cli("check", ".", "--output-format", "json", "--select", "WL201", *flags, cwd=root)
    return json.loads(result.out)["diagnostics"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "HTTParty.get(url, timeout: nil)",
            "`HTTParty.get` sets `timeout` to nil, which turns the read timeout off: a hung "
            "server holds this worker thread for up to 60 s per read (Net::HTTP's default), "
            "twice for idempotent requests",
        ),
        (
            'Faraday.new(url, params: { timeout: 1 }).get("/x")',
            "`Faraday.new.get` has no read timeout: a hung server holds this worker thread as "
            "long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)",
        ),
        (
            'Faraday.new(url, headers: { "timeout" => "1" }).get("/x")',
            "`Faraday.new.get` has no read timeout: a hung server holds this worker thread as "
            "long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)",
        ),
    ],
)
def test_a_timeout_that_is_not_one_is_reported(project, call, message):
    assert [d["message"] for d in findings(project, call)] == [message]


def test_a_nil_timeout_is_fixed_to_the_configured_seconds(project):
    (found,) = findings(project, "HTTParty.get(url, timeout: nil)")
    assert found["fix"]["applicability"] == "unsafe"
    assert [e["content"] for e in found["fix"]["edits"]] == ["10"]


@pytest.mark.parametrize(
    "call",
    [
        "HTTParty.get(url, timeout: 5)",
        'Faraday.new(url, request: { timeout: 5 }).get("/x")',
        'Faraday.new(url, params: { q: 1 }, request: { timeout: 5 }).get("/x")',
        "HTTParty.get(url, **options)",  # unknown: not reported
    ],
)
def test_real_timeouts_and_unknown_options_are_not_reported(project, call):
    assert findings(project, call) == []
