"""WL001 and the known gaps of tree-sitter-ruby: valid Ruby it rejects is a note, and the file's
other rules still run; real syntax errors next to look-alike code stay errors.

Every source here is also given to `ruby -c`: a gap's source must be valid Ruby, a real error's
must not be. Without `ruby` those checks skip (fail under WORKERLINT_REQUIRE_INTEGRATION=1).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from integration_support import WAIT_SECONDS, unavailable

from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.diagnostics import Level, SourceText

WORKER = "app/workers/ping_worker.rb"

ENDLESS = 'an endless method whose body is a command call (`def x = raise "y"`)'
ANONYMOUS_BLOCK = 'a command call passing an anonymous block (`div class: "x", &`)'
INDEX = "an index assignment with a space before the bracket (`opts [:a] = 1`)"
NESTED_HEREDOC = "a heredoc started inside an interpolation of another heredoc"
CHECKED = "; the rest of the file was checked"
NOT_RUN = "the file's other rules were not run"
TIMEOUT = (
    "`HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s "
    "per read (Net::HTTP's default), twice for idempotent requests"
)


def gap(construct: str) -> str:
    return f"tree-sitter-ruby cannot parse valid Ruby here: {construct}{CHECKED}"


def findings(root: Path) -> list[tuple[int, int, str, Level, str]]:
    result = run([root], Options(use_cache=False))
    rows = []
    for d in result.diagnostics:
        source = SourceText(d.path.read_bytes())
        pos = source.position(d.span.start)
        rows.append((pos.line, pos.column, d.code, d.level, d.message))
    return rows


def ruby_check(source: str, tmp_path: Path) -> tuple[bool, str]:
    """`ruby -c` on the source: (whether Ruby says `Syntax OK`, what it said)."""
    ruby = shutil.which("ruby")
    if ruby is None:
        unavailable("`ruby` not installed (package ruby): cannot confirm what Ruby accepts")
    assert ruby is not None
    path = tmp_path / "ruby_check.rb"
    path.write_text(source)
    proc = subprocess.run(
        [ruby, "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    said = proc.stdout + proc.stderr
    return proc.returncode == 0 and "Syntax OK" in proc.stdout, said


# -- each listed gap: a note, and the other rules still run -------------------------------------

GAPS = {
    "endless-method-command-body": (
        """\
class PingWorker
  include Sidekiq::Job

  def self.region = raise "set PING_REGION"
  def label() = I18n.t "ping.label"
  def fail!(url, code) = raise ArgumentError, "#{url} answered #{code}"
  def retry? = Rails.logger.warn "retrying" if ENV["PING_RETRY"]

  def perform(url)
    HTTParty.get(url)
  end
end
""",
        [
            (4, 21, ENDLESS),
            (5, 17, ENDLESS),
            (6, 26, ENDLESS),
            (7, 16, ENDLESS),
        ],
        (10, 14),
    ),
    "anonymous-block-in-command-call": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url)
  end

  private

  def with_retries(&)
    Retriable.retriable on: Net::OpenTimeout, tries: 3, &
  end

  def each_host(hosts, &)
    hosts.each do |host|
      logger.tagged "ping", host, &
    end
  end

  def forward(...)
    instrument "ping.forward", &
  end
end
""",
        [
            (11, 55, ANONYMOUS_BLOCK),
            (16, 33, ANONYMOUS_BLOCK),
            (21, 30, ANONYMOUS_BLOCK),
        ],
        (5, 14),
    ),
    # The `&` is not the last statement: tree-sitter's argument list swallows the next line; the
    # rewritten file's tree has the HTTP call as a statement of its own.
    "anonymous-block-before-a-statement": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url, &)
    Retriable.retriable on: Net::OpenTimeout,
                        tries: 3, &
    HTTParty.get(url)
  end
end
""",
        [(6, 35, ANONYMOUS_BLOCK)],
        (7, 14),
    ),
    "index-assignment-with-a-space": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url, attempt)
    opts = { follow_redirects: true }
    opts [:approved] = false
    @stats [:pings] += 1
    [1, 2].each { |n| opts [n] = attempt }
    HTTParty.get(url)
  end
end
""",
        [
            (6, 10, INDEX),
            (7, 22, INDEX),
            (8, 28, INDEX),
        ],
        (9, 14),
    ),
    # huginn's agent descriptions: a heredoc inside `#{}` inside a heredoc; tree-sitter reads the
    # inner body as code and the outer heredoc swallows the rest of the file.
    "heredoc-inside-a-heredoc-interpolation": (
        """\
class PingWorker
  include Sidekiq::Job

  DESCRIPTION = <<~MD
    Pings a host.

    #{
      example("Options", <<~JSON)
        "host": "example.com",
      JSON
    }
  MD

  def perform(url)
    HTTParty.get(url)
  end
end
""",
        [(9, 15, NESTED_HEREDOC)],
        (15, 14),
    ),
}


@pytest.mark.parametrize("case", sorted(GAPS))
def test_gap_is_a_note_and_the_other_rules_run(case: str, project):
    source, notes, (http_line, http_column) = GAPS[case]
    root = project({WORKER: source})
    expected = [(line, column, "WL001", Level.NOTE, gap(what)) for line, column, what in notes]
    expected.append((http_line, http_column, "WL201", Level.WARNING, TIMEOUT))
    assert findings(root) == sorted(expected, key=lambda row: (row[0], row[1]))


@pytest.mark.parametrize("case", sorted(GAPS))
def test_gap_source_is_valid_ruby(case: str, tmp_path: Path):
    ok, said = ruby_check(GAPS[case][0], tmp_path)
    assert ok, said


# -- real syntax errors next to look-alike code --------------------------------------------------

ERRORS = {
    # The inner heredoc is never closed: Ruby rejects the file, and so does workerlint.
    "heredoc-inside-a-heredoc-never-closed": (
        """\
class PingWorker
  DESCRIPTION = <<~MD
    #{
      example("Options", <<~JSON)
        "host": "example.com",
    }
  MD
end
""",
        [(5, 15, "syntax error near `:`")],
    ),
    # Ruby reads `opts [:a]` as a call of a method `opts` when no local variable `opts` exists.
    "index-assignment-on-a-method-call": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    opts [:approved] = false
    HTTParty.get(url)
  end
end
""",
        [(5, 10, "syntax error near `[:approved]`")],
    ),
    "index-assignment-without-a-value": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    opts = {}
    opts [:approved] =
  end
end
""",
        [(6, 22, "syntax error near `=`")],
    ),
    "anonymous-block-without-a-block-parameter": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    Retriable.retriable on: Net::OpenTimeout, tries: 3, &
  end
end
""",
        [(5, 55, "syntax error near `, &`")],
    ),
    "endless-method-as-an-argument": (
        """\
class PingWorker
  include Sidekiq::Job

  private def region = raise "set PING_REGION"
end
""",
        [(4, 24, "syntax error near `raise`")],
    ),
    "endless-method-with-a-broken-body": (
        """\
class PingWorker
  include Sidekiq::Job

  def region = raise "set PING_REGION" +
end
""",
        [(4, 40, "syntax error: missing `identifier`")],
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_real_error_near_look_alike_code_is_an_error(case: str, project):
    source, errors = ERRORS[case]
    root = project({WORKER: source})
    assert findings(root) == [
        (line, column, "WL001", Level.ERROR, f"{message}; {NOT_RUN}")
        for line, column, message in errors
    ]


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_real_error_source_is_invalid_ruby(case: str, tmp_path: Path):
    ok, said = ruby_check(ERRORS[case][0], tmp_path)
    assert not ok, said


# -- a gap and a real error in one file ------------------------------------------------------------

BOTH = {
    "endless-method-then-unclosed-def": (
        """\
class PingWorker
  include Sidekiq::Job

  def self.region = raise "set PING_REGION"

  def perform(url)
    HTTParty.get(url)
end
""",
        (4, 21, ENDLESS),
        (1, 1, "syntax error near `class PingWorker`"),
    ),
    "anonymous-block-then-unclosed-def": (
        """\
class PingWorker
  include Sidekiq::Job

  def with_retries(&)
    Retriable.retriable on: Net::OpenTimeout, tries: 3, &
  end

  def perform(url)
    HTTParty.get(url)
end
""",
        (5, 55, ANONYMOUS_BLOCK),
        (1, 1, "syntax error near `class PingWorker`"),
    ),
    "index-assignment-then-unclosed-array": (
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    opts = {}
    opts [:approved] = false
    hosts = [url,
  end
end
""",
        (6, 10, INDEX),
        (1, 1, "syntax error near `class PingWorker`"),
    ),
}


@pytest.mark.parametrize("case", sorted(BOTH))
def test_gap_and_real_error_in_one_file(case: str, project):
    source, (gap_line, gap_column, construct), (line, column, message) = BOTH[case]
    root = project({WORKER: source})
    note = (
        f"tree-sitter-ruby cannot parse valid Ruby here: {construct}; "
        f"{NOT_RUN} (syntax error on line {line})"
    )
    assert findings(root) == sorted(
        [
            (gap_line, gap_column, "WL001", Level.NOTE, note),
            (line, column, "WL001", Level.ERROR, f"{message}; {NOT_RUN}"),
        ]
    )


@pytest.mark.parametrize("case", sorted(BOTH))
def test_gap_and_real_error_source_is_invalid_ruby(case: str, tmp_path: Path):
    ok, said = ruby_check(BOTH[case][0], tmp_path)
    assert not ok, said


def test_fix_is_kept_in_a_file_with_a_gap(project):
    """A fix's result is checked for real errors only: a gap elsewhere does not drop it."""
    source = GAPS["index-assignment-with-a-space"][0]
    root = project({WORKER: source})
    run([root], Options(use_cache=False, fix=True, unsafe_fixes=True))
    fixed = (root / WORKER).read_text()
    assert "opts [:approved] = false" in fixed
    assert "HTTParty.get(url" in fixed and fixed != source
