"""Every case of every rule's examples files, run with the rule alone, as one generic test; the
harness's own outcomes; and each rule's snapshot (tests/snapshots/rules/<CODE>.txt)."""

from pathlib import Path

import pytest
from conftest import check_snapshot

from workerlint.app import registry
from workerlint.app.examples import RUBY, parse
from workerlint.app.testing import check_case, examples_of, snapshot

CASES = [
    pytest.param(rule, case, id=f"{rule.code}-{case.name}")
    for rule in registry.all_rules()
    for case in examples_of(rule)
]


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_example(rule, case):
    problems = check_case(rule, case)
    assert not problems, "\n".join(problems)


WRONG = """\
# case: drawn-wrong (invalid)
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url)
    #        ^^^^ `HTTParty.get` has no read timeout
    HTTParty.post(url, timeout: 5)
    # ^ a finding that is not made
  end
end

# fixed:
class PingWorker
end

# case: said-valid (valid)
class PingWorker
  include Sidekiq::Job

  def perform(url) = HTTParty.get(url)
end
"""
MESSAGE = (
    "`HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s "
    "per read (Net::HTTP's default), twice for idempotent requests"
)


def test_the_harness_names_what_went_wrong_and_where():
    source = Path("rules/calls/http_call_without_timeout/examples.rb")
    drawn_wrong, said_valid = parse(WRONG, source, RUBY)
    rule = registry.lookup("http-call-without-timeout")
    fixed = drawn_wrong.text.replace("get(url)", "get(url, timeout: 10)")
    assert check_case(rule, drawn_wrong) == [
        f"{source}:1: case `drawn-wrong` (invalid) in app/workers/example_worker.rb:",
        "wrong: expected 5:14-18 `HTTParty.get` has no read timeout "
        f"({source}:7)\n       got      5:14-22 {MESSAGE}",
        f"missing: 6:7-8 a finding that is not made ({source}:9)",
        f"wrong fix:\n--- expected\nclass PingWorker\nend\n--- got\n{fixed}",
    ]
    assert check_case(rule, said_valid) == [
        f"{source}:17: case `said-valid` (valid) in app/workers/example_worker.rb:",
        f"noisy: 4:31-39 {MESSAGE}",
    ]


@pytest.mark.parametrize("rule", registry.all_rules(), ids=lambda r: r.code)
def test_rule_snapshot(rule):
    """tests/snapshots/rules/<CODE>.txt: the text output of the rule over its invalid cases;
    refresh with WORKERLINT_UPDATE_SNAPSHOTS=1 and read the diff."""
    check_snapshot(f"rules/{rule.code}.txt", snapshot(rule))
