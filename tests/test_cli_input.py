"""The command line a team expects: strict input, standard input, explain/rules, rich only on a
terminal, --fix with a baseline."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HTTP_WORKER, ORDER_MODEL, RELATION_WORKER, REPO, run_cli

# -- strict input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--sidekiq-version", "banana"],
            "`--sidekiq-version`: `banana` is not a version (expected X.Y or X.Y.Z)",
        ),
        (["--jobs", "0"], "argument --jobs: must be at least 1, got 0"),
        (["--jobs", "two"], "argument --jobs: `two` is not a whole number"),
        (["--select", ""], "--select: an empty rule selector (give codes, names or prefixes)"),
        (["--ignore", "WL201,"], "--ignore: an empty rule selector"),
        (["--unsafe-fixes"], "--unsafe-fixes needs --fix or --diff"),
        (["--config", "nowhere.toml"], "--config: no such settings file: nowhere.toml"),
        (["--stdin-filename", "a.rb"], "--stdin-filename names the file read from standard input"),
    ],
)
def test_bad_flags_are_one_clear_line_and_exit_2(project, args, message):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run_cli("check", ".", *args, cwd=root)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("workerlint: error: ")
    assert message in result.err


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            'per-file-ignores = { "app/*" = ["WL2011"] }\n',
            '`per-file-ignores."app/*"`: unknown rule selector `WL2011`; did you mean `WL201`?',
        ),
        ('fail-level = "loud"\n', "`fail-level` must be one of error, warning, note"),
        ('worker-paths = "app/x"\n', "`worker-paths` must be a list of strings"),
        ('sidekiq-version = "seven"\n', "`sidekiq-version`: `seven` is not a version"),
        ("env = { X = [1] }\n", "`env` must be a table of strings (or numbers)"),
        ('[rules.WL201]\ntimeout-seconds = "5"\n', "`rules.WL201.timeout-seconds` must be"),
    ],
)
def test_bad_settings_name_the_file_and_the_key(project, settings, message):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER, ".workerlint.toml": settings})
    result = run_cli("check", ".", cwd=root)
    assert result.code == 2
    assert result.err.startswith(f"workerlint: error: {root / '.workerlint.toml'}: ")
    assert message in result.err


@pytest.mark.parametrize(
    "content",
    ["[1, 2]\n", '{"version": 1}\n', '{"version": 1, "findings": [{"code": 1}]}\n', "not json"],
)
def test_a_file_that_is_not_a_baseline_is_an_error_before_any_work(project, content):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER, "base.json": content})
    result = run_cli("check", ".", "--baseline", "base.json", cwd=root)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("workerlint: error: base.json: ")


def test_a_run_with_nothing_to_check_says_so(project):
    root = project({"spec/workers/ping_worker_spec.rb": HTTP_WORKER, "README.md": "hi\n"})
    result = run_cli("check", "spec", "README.md", "--force-exclude", cwd=root)
    assert result.code == 0
    assert "All checks passed (0 files checked)." in result.out
    assert result.err == (
        "workerlint: warning: no file to check in spec, README.md (excluded, or not a kind of "
        "file workerlint reads; --verbose says which)\n"
    )


# -- standard input -----------------------------------------------------------------------------


def _stdin(args: list[str], data: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workerlint", *args],
        input=data,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"},
        timeout=60,
        check=False,
    )


def test_standard_input_is_checked_as_the_named_file(project):
    root = project({"app/models/order.rb": ORDER_MODEL, "app/workers/sweep_worker.rb": "\n"})
    name = "app/workers/sweep_worker.rb"
    on_disk = root / "app/workers/copy_worker.rb"
    on_disk.write_text(RELATION_WORKER)
    expected = json.loads(
        run_cli("check", "app/workers/copy_worker.rb", "--output-format", "json", cwd=root).out
    )["diagnostics"]
    piped = _stdin(
        ["check", "-", "--stdin-filename", name, "--output-format", "json"], RELATION_WORKER, root
    )
    # a note (exit 0): the chain is filtered and nothing in the project batches Order
    assert piped.returncode == 0, piped.stderr
    found = json.loads(piped.stdout)["diagnostics"]
    assert [{**d, "path": "x"} for d in found] == [{**d, "path": "x"} for d in expected]
    assert [d["path"] for d in found] == [name]
    assert [d["code"] for d in found] == ["WL301"]
    # A buffer of a file that does not exist yet, named from another folder.
    new = _stdin(
        ["check", "-", "--stdin-filename", str(root / "app/workers/new_worker.rb")],
        HTTP_WORKER,
        REPO,
    )
    assert new.returncode == 1
    assert "new_worker.rb:5:14:" in new.stdout


def test_standard_input_fix_prints_the_fixed_buffer(project):
    root = project({"app/workers/ping_worker.rb": "\n"})
    source = HTTP_WORKER.replace(
        "HTTParty.get(url)", "HTTParty.get(url) # workerlint:disable WL301"
    )
    piped = _stdin(
        ["check", "-", "--stdin-filename", "app/workers/ping_worker.rb", "--fix"], source, root
    )
    assert piped.stdout == HTTP_WORKER
    assert "WL201" in piped.stderr and "Fixed 1 problem" in piped.stderr
    assert (root / "app/workers/ping_worker.rb").read_text() == "\n"  # the file is untouched


def test_standard_input_honours_force_exclude(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    piped = _stdin(
        ["check", "-", "--stdin-filename", "spec/ping_worker_spec.rb", "--force-exclude"],
        HTTP_WORKER,
        root,
    )
    assert piped.returncode == 0
    assert "no file to check in standard input" in piped.stderr


# -- explain and rules --------------------------------------------------------------------------


def test_explain_all_and_a_family(project):
    every = run_cli("explain", "--all")
    assert every.code == 0
    headers = re.findall(r"^# [a-z-]+ \((WL\d{3})\)$", every.out, re.M)
    assert headers == sorted(headers) and len(headers) == 36
    assert "# http-call-without-timeout (WL201)" in every.out
    family = run_cli("explain", "WL2")
    assert family.code == 0
    lines = family.out.splitlines()
    assert lines[0] == "`WL2` selects 3 rules; explain one:"
    assert [line.split()[0] for line in lines[2:]] == ["WL201", "WL202", "WL203"]
    assert run_cli("explain").code == 2
    assert run_cli("explain", "WL201", "--all").code == 2


def test_rules_select(project):
    result = run_cli("rules", "--select", "WL1,WL604", "--output-format", "json")
    assert [r["code"] for r in json.loads(result.out)] == [
        *(f"WL10{i}" for i in range(1, 10)),
        *(f"WL11{i}" for i in range(5)),
        "WL604",
    ]
    bad = run_cli("rules", "--select", "WL9")
    assert bad.code == 2 and "unknown rule selector `WL9`" in bad.err


# -- rich: only for a person at a terminal ------------------------------------------------------

_PROBE = """\
import sys
from workerlint.app.cli import main
code = main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules if name.split(".")[0] == "rich"})
print("RICH" if loaded else "NO-RICH", file=sys.stderr)
sys.exit(code)
"""


def _probe(args: list[str], cwd: Path = REPO, tty: bool = False) -> tuple[str, str]:
    """Run the CLI in a fresh interpreter; (stdout, stderr). ``tty``: stdout and stderr on a
    pseudo-terminal, as for a person."""
    env = {**os.environ, "PYTHONSAFEPATH": "1", "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-c", _PROBE, *args]
    if not tty:
        proc = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        return proc.stdout, proc.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    return text, text


def test_a_pre_commit_like_check_never_imports_rich(sample_app):
    worker = sample_app / "app/workers/audit_log_worker.rb"
    _, err = _probe(["check", "--force-exclude", str(worker)], cwd=sample_app)
    assert err.endswith("NO-RICH\n")
    for command in (["explain", "WL201"], ["rules"]):
        _, err = _probe(command)
        assert err.endswith("NO-RICH\n"), command


def test_explain_and_rules_use_rich_on_a_terminal():
    out, _ = _probe(["explain", "WL201"], tty=True)
    assert "RICH" in out and "NO-RICH" not in out
    assert "\x1b[" in out and "http-call-without-timeout (WL201)" in out
    out, _ = _probe(["rules"], tty=True)
    assert "RICH" in out and "┃" in out  # a rich table


def test_a_check_of_many_files_shows_progress_on_a_terminal(project):
    root = project({f"app/workers/w{i}_worker.rb": f"class W{i}Worker\nend\n" for i in range(210)})
    out, _ = _probe(["check", "."], cwd=root, tty=True)
    assert "RICH" in out and "NO-RICH" not in out
    small, _ = _probe(["check", "app/workers/w1_worker.rb"], cwd=root, tty=True)
    assert "NO-RICH" in small


# -- --fix with a baseline ----------------------------------------------------------------------


def test_fixing_a_line_does_not_bring_back_another_accepted_finding_on_it(project):
    """WL201's fix edits line 5; WL202, accepted in the baseline, stands on the same line."""
    lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n    stoplight (4.1.0)\n"
    root = project({"Gemfile.lock": lock, "app/workers/ping_worker.rb": HTTP_WORKER})
    first = run_cli("check", ".", "--output-format", "json", "--write-baseline", "b.json", cwd=root)
    assert first.code == 0
    accepted = json.loads((root / "b.json").read_text())["findings"]
    assert sorted(e["code"] for e in accepted) == ["WL201", "WL202"]
    fixed = run_cli(
        "check", ".", "--fix", "--unsafe-fixes", "--baseline", "b.json", "--output-format",
        "json", cwd=root,
    )  # fmt: skip
    assert "timeout: 10" in (root / "app/workers/ping_worker.rb").read_text()
    assert json.loads(fixed.out)["diagnostics"] == []
    assert fixed.code == 0
    assert fixed.err == (
        "workerlint: updated 1 accepted finding(s) in b.json whose line a fix edited\n"
    )
    # The baseline follows the edited line: the next run accepts WL202 too, and nothing else.
    again = run_cli("check", ".", "--baseline", "b.json", "--output-format", "json", cwd=root)
    assert json.loads(again.out)["diagnostics"] == []
    after = json.loads((root / "b.json").read_text())["findings"]
    moved = [e for e in after if e not in accepted]
    assert [e["code"] for e in moved] == ["WL202"]
    assert len(after) == len(accepted)
