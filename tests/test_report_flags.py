"""What the report says and where it goes: levels in headers, fix hunks, escaped controls,
--statistics, --quiet and --output-file."""

from __future__ import annotations

import json

import pytest
from conftest import HTTP_WORKER, run_cli

from workerlint.core.diagnostics import Applicability, Edit, Fix, SourceText
from workerlint.core.output.text import Hunk, hunks

# An ESC and a BEL in a string before the call: they must not reach the terminal.
CONTROL_WORKER = (
    "class TrackWorker\n"
    "  include Sidekiq::Job\n"
    "  @@seen = []\n"
    "\n"
    "  def perform(id)\n"
    '    @@seen << "\x1b[2J#{id}"\n'
    '    x = "\x1b[31m\x07"; HTTParty.get(id)\n'
    "  end\n"
    "end\n"
)


def test_text_and_concise_share_one_header_with_the_level(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    header = (
        "app/workers/ping_worker.rb:5:14: warning: WL201 `HTTParty.get` has no read timeout: a "
        "hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), "
        "twice for idempotent requests"
    )
    text = run_cli("check", ".", cwd=root).out.splitlines()
    concise = run_cli("check", ".", "--output-format", "concise", cwd=root).out.splitlines()
    assert text[0] == concise[0] == header


def test_controls_are_escaped_and_carets_stay_aligned(project):
    root = project({"app/workers/track_worker.rb": CONTROL_WORKER})
    result = run_cli("check", ".", cwd=root)
    assert "\x1b" not in result.out and "\x07" not in result.out
    lines = result.out.splitlines()
    assert lines[0].startswith(
        'app/workers/track_worker.rb:6:5: warning: WL304 `@@seen << "\\x1b[2J#{id}"` adds to'
    )
    frame = lines[lines.index('7 |     x = "\\x1b[31m\\x07"; HTTParty.get(id)') :][:5]
    assert frame == [
        '7 |     x = "\\x1b[31m\\x07"; HTTParty.get(id)',
        "  |                                  ^^^^^^^ WL201 http-call-without-timeout",
        "  |",
        "  = fix (unsafe, with --fix --unsafe-fixes): add `timeout: 10` to `HTTParty.get`",
        '7 -     x = "\\x1b[31m\\x07"; HTTParty.get(id)',
    ]
    # The carets sit under `get(id)` as printed.
    assert frame[1].index("^") == frame[0].index("get(id)")
    concise = run_cli("check", ".", "--output-format", "concise", cwd=root).out
    assert "\x1b" not in concise and '"\\x1b[2J#{id}"' in concise


def test_fix_hunks_keep_their_line_numbers():
    source = SourceText(b"a\nb\nc\nd\ne\nf\n")
    fix = Fix(
        Applicability.SAFE,
        "t",
        (
            Edit(0, 0, "top\n"),  # insert a line before line 1
            Edit(2, 3, "B"),  # line 2
            Edit(8, 12, ""),  # delete lines 5-6
        ),
    )
    assert hunks(fix, source) == [
        Hunk(1, 1, ["a"], ["top", "a"]),
        Hunk(2, 3, ["b"], ["B"]),
        Hunk(5, 6, ["e", "f"], []),
    ]


def test_multi_hunk_fix_diff_in_text(project):
    worker = (
        "class RelayWorker\n"
        "  include Sidekiq::Job\n"
        "\n"
        "  def perform(order_id)\n"
        '    redis = Redis.new(url: ENV.fetch("REDIS_URL"))\n'
        '    redis.set("order", order_id)\n'
        "  ensure\n"
        "    redis&.close\n"
        "  end\n"
        "end\n"
    )
    root = project({"app/workers/relay_worker.rb": worker})
    out = run_cli("check", ".", "--select", "WL501", cwd=root).out
    diff = out.split("(display-only, not applied): ", 1)[1].splitlines()[1:]
    assert diff[: diff.index("")] == [
        "4 -   def perform(order_id)",
        '4 +   REDIS = ConnectionPool::Wrapper.new(size: 5) { Redis.new(url: ENV.fetch("REDIS_URL")) }',
        "5 +",
        "6 +   def perform(order_id)",
        "  ...",
        '5 -     redis = Redis.new(url: ENV.fetch("REDIS_URL"))',
        "7 +     redis = REDIS",
        "  ...",
        "7 -   ensure",
        "8 -     redis&.close",
    ]


def test_statistics_table_and_json():
    table = run_cli("check", "fixtures/sample_app", "--statistics", "--no-cache")
    assert table.code == 1
    lines = table.out.splitlines()
    assert lines[0].split() == ["count", "code", "level", "fixable", "unsafe", "name"]
    rows = [line.split() for line in lines[1:-1]]
    assert rows[0] == ["11", "WL202", "warning", "0", "0", "external-call-without-circuit-breaker"]
    assert ["2", "WL403", "error", "1", "1", "non-json-job-argument"] in rows
    assert ["1", "WL403", "note", "0", "0", "non-json-job-argument"] in rows
    assert sum(int(row[0]) for row in rows) == 43
    assert lines[-1].startswith("Found 43 problems")
    data = json.loads(
        run_cli(
            "check", "fixtures/sample_app", "--statistics", "--output-format", "json", "--no-cache"
        ).out
    )
    assert data[0] == {
        "code": "WL202",
        "name": "external-call-without-circuit-breaker",
        "level": "warning",
        "count": 11,
        "fixable": 0,
        "unsafe_fixable": 0,
    }
    assert sum(row["count"] for row in data) == 43
    quiet = run_cli("check", "fixtures/sample_app", "--statistics", "-q", "--no-cache")
    assert quiet.out.splitlines() == lines[:-1]


def test_statistics_split_a_rule_by_level(project):
    # WL401 reports code evaluation as an error and a constant name as a note (no code of the
    # project enqueues the worker: only a person gives its arguments).
    worker = (
        "class EvalWorker\n"
        "  include Sidekiq::Job\n"
        "\n"
        "  def perform(code, kind)\n"
        "    eval(code)\n"
        "    kind.constantize.new\n"
        "  end\n"
        "end\n"
    )
    root = project({"app/workers/eval_worker.rb": worker})
    out = run_cli("check", ".", "--statistics", "--select", "WL401", cwd=root).out
    assert [line.split()[:3] for line in out.splitlines()[1:3]] == [
        ["1", "WL401", "error"],
        ["1", "WL401", "note"],
    ]


def test_quiet_prints_findings_only(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    text = run_cli("check", ".", "-q", cwd=root)
    assert text.code == 1
    assert "Found" not in text.out and text.out.startswith("app/workers/ping_worker.rb:5:14:")
    concise = run_cli("check", ".", "--quiet", "--output-format", "concise", cwd=root)
    assert len(concise.out.splitlines()) == 1
    clean = run_cli("check", "fixtures/clean", "-q")
    assert clean.code == 0 and clean.out == ""


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "gitlab"])
def test_output_file_gets_the_report(project, fmt):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    expected = run_cli("check", ".", "--output-format", fmt, cwd=root)
    result = run_cli(
        "check", ".", "--output-format", fmt, "--output-file", "reports/out.txt", cwd=root,
        env={"FORCE_COLOR": "1", "NO_COLOR": ""},
    )  # fmt: skip
    assert result.code == expected.code == 1
    assert result.out == ""
    assert (root / "reports/out.txt").read_text(encoding="utf-8") == expected.out
    assert result.err == expected.err


def test_output_file_that_cannot_be_written(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    (root / "taken").write_text("a file, not a folder")
    result = run_cli("check", ".", "--output-file", "taken/out.txt", cwd=root)
    assert result.code == 2
    assert result.err.startswith("workerlint: error: cannot write the report to taken/out.txt:")
