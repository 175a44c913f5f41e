"""End-to-end tests of the command line, through a subprocess, for every flag."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import HTTP_WORKER, ORDER_MODEL, RELATION_WORKER, SAMPLE_APP, run_cli


def test_check_sample_app_prints_frames_and_fails():
    result = run_cli("check", "fixtures/sample_app")
    assert result.code == 1
    assert (
        "fixtures/sample_app/app/workers/webhook_delivery_worker.rb:17:25: warning: WL201 "
        "`HTTParty.post` has no read timeout" in result.out
    )
    assert "17 |     response = HTTParty.post(endpoint.url, body: body, headers: headers)" in (
        result.out
    )
    assert "   |                         ^^^^^^^^" in result.out
    assert result.out.rstrip().endswith(
        "Found 43 problems (3 errors, 29 warnings, 11 notes) in 40 files. 2 fixable with --fix. "
        "4 more fixable with --fix --unsafe-fixes."
    )


def test_check_clean_file_exits_zero():
    result = run_cli("check", "fixtures/clean/clean_worker.rb")
    assert result.code == 0, result.out
    assert result.out == "All checks passed (1 file checked).\n"


def test_missing_path_is_a_usage_error():
    result = run_cli("check", "no/such/place")
    assert result.code == 2
    assert "no such file or folder: no/such/place" in result.err


def test_explain_by_code_and_by_name():
    by_code = run_cli("explain", "WL201")
    by_name = run_cli("explain", "http-call-without-timeout")
    assert by_code.code == by_name.code == 0
    assert by_code.out == by_name.out
    for section in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
        "## Fix safety",
        "## Options",
    ):
        assert section in by_code.out
    assert by_code.out.startswith("# http-call-without-timeout (WL201)\n")


def test_explain_json():
    result = run_cli("explain", "WL301", "--output-format", "json")
    record = json.loads(result.out)
    assert record["code"] == "WL301"
    assert record["name"] == "unbatched-relation-iteration"
    assert record["level"] == "warning"
    assert record["fix"] == "sometimes"
    assert record["documentation"].startswith("## What it does")


def test_explain_unknown_rule_names_closest():
    result = run_cli("explain", "WL2011")
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip() == "workerlint: error: unknown rule `WL2011`; did you mean `WL201`?"
    by_name = run_cli("explain", "http-call-without-timout")
    assert "did you mean `http-call-without-timeout`?" in by_name.err


def test_rules_lists_every_rule():
    result = run_cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    wl201 = next(line for line in lines if line.startswith("WL201"))
    assert wl201.split()[:4] == ["WL201", "http-call-without-timeout", "warning", "fix"]
    assert wl201.endswith("An HTTP request in worker code with no read timeout.")
    wl001 = next(line for line in lines if line.startswith("WL001"))
    assert wl001.split()[:3] == ["WL001", "syntax-error", "error"]
    assert " fix " not in wl001
    data = json.loads(run_cli("rules", "--output-format", "json").out)
    assert [r["code"] for r in data] == sorted(r["code"] for r in data)


def test_json_output_contract(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", ".", "--output-format", "json", cwd=root)
    assert result.code == 1
    document = json.loads(result.out)
    assert set(document) == {"version", "diagnostics", "summary"}
    [diagnostic] = document["diagnostics"]
    assert diagnostic == {
        "code": "WL201",
        "name": "http-call-without-timeout",
        "level": "warning",
        "message": diagnostic["message"],
        "path": "app/workers/ping_worker.rb",
        "start_line": 5,
        "start_column": 14,
        "end_line": 5,
        "end_column": 22,
        "fix": {
            "applicability": "unsafe",
            "title": "add `timeout: 10` to `HTTParty.get`",
            "edits": [
                {
                    "start_line": 5,
                    "start_column": 21,
                    "end_line": 5,
                    "end_column": 21,
                    "content": ", timeout: 10",
                }
            ],
        },
    }
    assert diagnostic["message"].startswith("`HTTParty.get` has no read timeout")
    assert document["summary"] == {
        "files": 2 - 1,
        "problems": 1,
        "errors": 0,
        "warnings": 1,
        "notes": 0,
        "fixable": 0,
        "unsafe_fixable": 1,
        "fixed": 0,
    }


def test_concise_output(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", "--output-format", "concise", cwd=root)
    assert result.out.splitlines()[0] == (
        "app/workers/ping_worker.rb:5:14: warning: WL201 `HTTParty.get` has no read timeout: a "
        "hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), "
        "twice for idempotent requests"
    )


def test_paths_outside_cwd_are_shown_as_given(project, tmp_path):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", str(root), "--output-format", "concise", cwd=tmp_path.parent)
    relative = (root / "app/workers/ping_worker.rb").relative_to(tmp_path.parent).as_posix()
    assert result.out.startswith(f"{relative}:5:14: warning: WL201")


def _codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.out)["diagnostics"]]


def test_select_ignore_and_extend_select(project):
    root = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/sweep_worker.rb": RELATION_WORKER,
            "app/models/order.rb": ORDER_MODEL,
        }
    )

    def codes(*flags: str) -> list[str]:
        return _codes(run_cli("check", ".", "--output-format", "json", *flags, cwd=root))

    assert codes() == ["WL201", "WL301"]
    assert codes("--select", "WL2") == ["WL201"]
    assert codes("--select", "unbatched-relation-iteration") == ["WL301"]
    assert codes("--ignore", "WL3") == ["WL201"]
    assert codes("--select", "WL201", "--extend-select", "WL301") == ["WL201", "WL301"]
    assert codes("--select", "WL201,WL301", "--ignore", "WL201") == ["WL301"]
    assert codes("--select", "WL2", "--ignore", "WL201") == []
    assert codes("--select", "WL201", "--ignore", "WL2") == ["WL201"]  # most specific wins


def test_unknown_selector_is_an_error(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", ".", "--select", "WL2011", cwd=root)
    assert result.code == 2
    assert "unknown rule selector `WL2011`; did you mean `WL201`?" in result.err


def test_fail_level_and_exit_zero(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    assert run_cli("check", ".", cwd=root).code == 1
    assert run_cli("check", ".", "--fail-level", "error", cwd=root).code == 0
    assert run_cli("check", ".", "--exit-zero", cwd=root).code == 0
    note_only = project(
        {
            "app/workers/ping_worker.rb": "x = 1 # workerlint:disable WL201\n",
        }
    )
    assert run_cli("check", ".", cwd=note_only).code == 0  # WL002 is a note
    assert run_cli("check", ".", "--fail-level", "note", cwd=note_only).code == 1


def test_verbose_says_what_was_skipped(project):
    root = project(
        {
            "app/workers/broken_worker.rb": "class Broken\n  def perform(\nend\n",
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/splat_worker.rb": "class S\n  def perform(url, o) = HTTParty.get(url, **o)\nend\n",
        }
    )
    result = run_cli("check", ".", "--verbose", cwd=root)
    assert (
        "workerlint: app/workers/broken_worker.rb: rules not run on a file with a syntax error"
        in (result.err)
    )
    assert "workerlint: indexed 3 Ruby files; Sidekiq version unknown (assuming 8)" in result.err
    assert (
        "workerlint: WL201: app/workers/splat_worker.rb:2: `HTTParty.get` takes its options from "
        "a splat or a variable: its timeout cannot be known"
    ) in result.err
    assert run_cli("check", ".", cwd=root).err == ""


def test_fix_applies_only_safe_fixes(project):
    source = HTTP_WORKER.replace(
        "  def perform", "  # workerlint:disable-next-line WL301\n  def perform"
    )
    root = project({"app/workers/ping_worker.rb": source})
    result = run_cli("check", ".", "--fix", cwd=root)
    assert result.code == 1  # WL201 remains: its fix is unsafe
    assert (root / "app/workers/ping_worker.rb").read_text() == HTTP_WORKER
    assert "Fixed 1 problem. Found 1 problem (1 warning) in 1 file." in result.out


def test_unsafe_fixes(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert result.code == 0
    assert "HTTParty.get(url, timeout: 10)" in (root / "app/workers/ping_worker.rb").read_text()
    assert result.out == "Fixed 1 problem. All checks passed (1 file checked).\n"
    again = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
    assert again.out == "All checks passed (1 file checked).\n"


def test_diff_prints_and_changes_nothing(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", ".", "--diff", "--unsafe-fixes", cwd=root)
    assert result.code == 1
    assert result.out == (
        "--- a/app/workers/ping_worker.rb\n"
        "+++ b/app/workers/ping_worker.rb\n"
        "@@ -2,6 +2,6 @@\n"
        "   include Sidekiq::Job\n"
        " \n"
        "   def perform(url)\n"
        "-    HTTParty.get(url)\n"
        "+    HTTParty.get(url, timeout: 10)\n"
        "   end\n"
        " end\n"
    )
    assert "Would fix 1 problem in 1 file." in result.err
    assert (root / "app/workers/ping_worker.rb").read_text() == HTTP_WORKER
    assert run_cli("check", ".", "--diff", cwd=root).code == 0  # nothing safe to apply


def test_settings_in_pyproject_and_workerlint_toml(project):
    root = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/sweep_worker.rb": RELATION_WORKER,
            "app/models/order.rb": ORDER_MODEL,
            "pyproject.toml": '[tool.workerlint]\nselect = ["WL3"]\n',
        }
    )
    assert _codes(run_cli("check", ".", "--output-format", "json", cwd=root)) == ["WL301"]
    # found by walking up from a single named file
    single = run_cli("check", "app/workers/ping_worker.rb", "--output-format", "json", cwd=root)
    assert _codes(single) == []
    (root / ".workerlint.toml").write_text(
        'ignore = ["WL301"]\n[rules.WL201]\ntimeout-seconds = 3\n'
    )
    result = run_cli("check", ".", "--output-format", "json", cwd=root)
    [diagnostic] = json.loads(result.out)["diagnostics"]
    assert diagnostic["fix"]["edits"][0]["content"] == ", timeout: 3"
    # the command line overrides the file's select; the file's ignore still applies
    flags = ("--output-format", "json", "--select", "WL2,WL3")
    assert _codes(run_cli("check", ".", *flags, cwd=root)) == ["WL201"]


def test_settings_errors_name_the_nearest_key(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    toml = root / ".workerlint.toml"
    toml.write_text('extend-selct = ["WL2"]\n')
    result = run_cli("check", ".", cwd=root)
    assert result.code == 2
    assert "unknown setting `extend-selct`; did you mean `extend-select`?" in result.err
    toml.write_text("[rules.WL201]\ntimeout-second = 5\n")
    assert (
        "unknown option of WL201 `timeout-second`; did you mean `timeout-seconds`?"
        in run_cli("check", ".", cwd=root).err
    )
    toml.write_text("[rules.WL2010]\n")
    assert "did you mean `WL201`?" in run_cli("check", ".", cwd=root).err
    toml.write_text('fail-level = "fatal"\n')
    assert "`fail-level` must be one of error, warning, note" in run_cli("check", ".", cwd=root).err
    toml.write_text('[rules.WL201]\ntimeout-seconds = "5"\n')
    assert (
        "`rules.WL201.timeout-seconds` must be of type int" in run_cli("check", ".", cwd=root).err
    )


def test_explicit_config_flag(project, tmp_path):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    config = tmp_path / "strict.toml"
    config.write_text('select = ["WL3"]\n')
    result = run_cli("check", ".", "--config", str(config), "--output-format", "json", cwd=root)
    assert _codes(result) == []


def test_env_and_sidekiq_version_flags_are_accepted(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli(
        "check",
        ".",
        "--env",
        "SIDEKIQ_CONCURRENCY=20",
        "--sidekiq-version",
        "7.2.4",
        "--verbose",
        cwd=root,
    )
    assert "Sidekiq 7.2.4 (setting sidekiq-version)" in result.err
    bad = run_cli("check", ".", "--env", "NOEQUALS", cwd=root)
    assert bad.code == 2
    assert "--env expects NAME=VALUE, got `NOEQUALS`" in bad.err


def test_sample_app_is_untouched_by_checks():
    before = {p: p.read_bytes() for p in Path(SAMPLE_APP).rglob("*.rb")}
    run_cli("check", "fixtures/sample_app", "--diff", "--unsafe-fixes")
    assert {p: p.read_bytes() for p in Path(SAMPLE_APP).rglob("*.rb")} == before


def test_force_exclude_and_jobs(project):
    root = project(
        {
            "spec/workers/ping_worker.rb": HTTP_WORKER,
            ".workerlint.toml": 'extend-exclude = ["legacy"]\n',
            "app/workers/legacy/old_worker.rb": HTTP_WORKER,
        }
    )
    named = ("spec/workers/ping_worker.rb", "app/workers/legacy/old_worker.rb")
    assert run_cli("check", *named, "--output-format", "json", cwd=root).code == 1
    forced = run_cli("check", *named, "--force-exclude", "--output-format", "json", cwd=root)
    assert forced.code == 0
    assert json.loads(forced.out)["summary"]["files"] == 0
    assert (root / ".workerlint_cache").is_dir()
    shutil.rmtree(root / ".workerlint_cache")
    assert run_cli("check", ".", "--jobs", "1", "--no-cache", cwd=root).code == 0
    assert not (root / ".workerlint_cache").exists()


def test_baseline_accepts_old_findings_and_survives_line_moves(project):
    root = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/sweep_worker.rb": RELATION_WORKER,
            "app/models/order.rb": ORDER_MODEL,
        }
    )
    written = run_cli("check", ".", "--write-baseline", "workerlint-baseline.json", cwd=root)
    assert written.code == 0
    assert written.out == "Wrote a baseline of 2 findings to workerlint-baseline.json.\n"
    document = json.loads((root / "workerlint-baseline.json").read_text())
    assert [(e["code"], e["path"], e["count"]) for e in document["findings"]] == [
        ("WL201", "app/workers/ping_worker.rb", 1),
        ("WL301", "app/workers/sweep_worker.rb", 1),
    ]
    flags = ("--baseline", "workerlint-baseline.json", "--output-format", "json")
    assert run_cli("check", ".", *flags, cwd=root).code == 0
    # moved down two lines: still accepted; a second, new HTTP call is reported
    worker = root / "app/workers/ping_worker.rb"
    worker.write_text(
        HTTP_WORKER.replace("  def perform(url)\n", "  # pings\n\n  def perform(url)\n").replace(
            "    HTTParty.get(url)\n", "    HTTParty.get(url)\n    HTTParty.get(url)\n"
        )
    )
    result = run_cli("check", ".", *flags, cwd=root)
    assert result.code == 1
    assert [(d["code"], d["start_line"]) for d in json.loads(result.out)["diagnostics"]] == [
        ("WL201", 8)
    ]
    bad = root / "broken.json"
    bad.write_text("{")
    broken = run_cli("check", ".", "--baseline", "broken.json", cwd=root)
    assert broken.code == 2
    assert "broken.json: cannot read the baseline" in broken.err
