"""The examples file format (workerlint/app/examples.py): cases, drawn findings, files, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from workerlint.app.examples import RUBY, YAML, ExampleError, Finding, parse

RB = Path("rules/calls/x/examples.rb")
YML = Path("rules/config/x/examples.yml")


def test_a_ruby_case_with_a_finding_a_fix_and_another_file():
    text = """\
# WL201 http-call-without-timeout: its examples

# case: httparty-get-without-timeout (invalid)
# note: The first note line,
# note: and the second.
# options: { timeout-seconds = 5 }
# settings: { http-wrappers = ["Crm"], env = { RAILS_ENV = "production" } }
class PingWorker
  def perform(url)
    HTTParty.get(url)
    #        ^^^^^^^^ `HTTParty.get` has no read timeout
  end
end

# fixed:
class PingWorker
  def perform(url)
    HTTParty.get(url, timeout: 5)
  end
end

# file: config/sidekiq.yml
# :concurrency: 5
#
# :queues: [default]

# file: app/models/order.rb
class Order < ApplicationRecord
end
"""
    [case] = parse(text, RB, RUBY)
    assert (case.name, case.valid, case.line, case.where) == (
        "httparty-get-without-timeout",
        False,
        3,
        f"{RB}:3",
    )
    assert case.note == "The first note line, and the second."
    assert case.options == {"timeout-seconds": 5}
    assert case.settings == {"http-wrappers": ["Crm"], "env": {"RAILS_ENV": "production"}}
    assert case.path == "app/workers/example_worker.rb"
    assert case.text == "class PingWorker\n  def perform(url)\n    HTTParty.get(url)\n  end\nend\n"
    assert case.findings == [Finding(3, 14, 22, "`HTTParty.get` has no read timeout")]
    assert [e.at for e in case.expected] == [11]
    assert case.fixed == (
        "class PingWorker\n  def perform(url)\n    HTTParty.get(url, timeout: 5)\n  end\nend\n"
    )
    assert case.files == {
        "config/sidekiq.yml": ":concurrency: 5\n\n:queues: [default]\n",
        "app/models/order.rb": "class Order < ApplicationRecord\nend\n",
    }


def test_findings_in_column_one_and_two_are_drawn_with_the_hash_touching_the_carets():
    text = """\
---
# case: misspelt-key (invalid)
:concurency: 10
#^^^^^^^^^^ unknown key
production:
 :x: 1
 #^^ two columns from the second
---
# file: Procfile
worker: bundle exec sidekiq
"""
    [case] = parse(text, YML, YAML)
    assert case.path == "config/sidekiq.yml"
    assert case.text == ":concurency: 10\nproduction:\n :x: 1\n"
    assert case.findings == [
        Finding(1, 1, 12, "unknown key"),
        Finding(3, 2, 5, "two columns from the second"),
    ]
    # A Procfile is written as source in examples.yml; the `---` above a directive is no file's.
    assert case.files == {"Procfile": "worker: bundle exec sidekiq\n"}


def test_a_case_that_names_its_file_under_test_and_draws_several_findings_on_a_line():
    text = """\
# case: two-findings (invalid)
# file: app/jobs/sync_job.rb
  a(b(c))
# ^ outer
#   ^^^^ inner
# case: clean (valid)
x = 1
"""
    first, second = parse(text, RB, RUBY)
    assert first.path == "app/jobs/sync_job.rb"
    assert first.text == "  a(b(c))\n"
    assert first.findings == [Finding(1, 3, 4, "outer"), Finding(1, 5, 9, "inner")]
    assert (second.name, second.valid, second.text, second.findings) == (
        "clean",
        True,
        "x = 1\n",
        [],
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x = 1\n# case: a (valid)\ny\n", "only comments may come before the first `# case:`"),
        ("# case: a (valid)\nx\n#^^ no\n", "a valid case draws no finding"),
        ("# case: a (invalid)\nx\n", "an invalid case draws at least one finding"),
        ("# case: a (valid)\nx\n# case: a (invalid)\nx\n# ^ y\n", "a second case named `a`"),
        ("# case: a (valid)\nx\n# case: Bad_Name (valid)\nx\n", "not a directive of the format"),
        ("# file: app/a.rb\n# case: a (valid)\nx\n", "comes after a `# case:` line"),
        ("# case: a (valid)\nx\n# options: { a = 1 }\n", "`# options:` belongs right under"),
        ("# case: a (valid)\n# options: nope\nx\n", "not a TOML inline table"),
        ("# case: a (valid)\n# options: [1]\nx\n", "expected a TOML inline table"),
        ("# case: a (invalid)\n# ^^ x\ny\n", "a finding is drawn under a line of code"),
        ("# case: a (valid)\nx\n# file: Gemfile.lock\nGEM\n", "each of its lines starts with `# `"),
        ("# case: a (valid)\n# file: config/sidekiq.yml\n# a: 1\n", "not written in the language"),
        ("# case: a (valid)\nx\n# file: app/b.rb\ny\n#   ^ z\n", "only in the file under test"),
        ("# case: a (valid)\nx\n# fixed:\ny\n", "a valid case has nothing to fix"),
        ("# case: a (valid)\n", "has no code"),
    ],
)
def test_format_errors_name_the_line(text, error):
    with pytest.raises(ExampleError, match=str(RB).replace(".", r"\.")) as raised:
        parse(text, RB, RUBY)
    assert error in str(raised.value)
