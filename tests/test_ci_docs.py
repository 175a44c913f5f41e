"""docs/ci.md: its workflows load, name the steps the page describes, and their workerlint
commands run on the sample app and produce reports that validate."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, SAMPLE_APP, copy_project, run_cli

DOC = REPO / "docs/ci.md"
DATA = Path(__file__).parent / "data"
INSTALL = 'pip install "git+https://github.com/<owner>/workerlint@<commit>"'


def _yaml_blocks() -> list[dict]:
    blocks = re.findall(r"^```yaml\n(.*?)^```$", DOC.read_text(), flags=re.MULTILINE | re.DOTALL)
    return [yaml.safe_load(block) for block in blocks]


def _workflows() -> dict[str, dict]:
    return {doc["name"]: doc for doc in _yaml_blocks() if "jobs" in doc}


def _steps(workflow: dict) -> list[dict]:
    [job] = workflow["jobs"].values()
    return job["steps"]


def _step(workflow: dict, name: str) -> dict:
    return next(step for step in _steps(workflow) if step["name"] == name)


def _argv(command: str) -> list[str]:
    argv = shlex.split(command)
    assert argv[:2] == ["workerlint", "check"], command
    return argv[1:]


def _flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


@pytest.fixture(scope="module")
def check_help() -> str:
    result = run_cli("check", "--help")
    assert result.code == 0
    return result.out


@pytest.fixture
def checkout(tmp_path) -> Path:
    """The sample app as a job sees its checkout: a repository root."""
    target = tmp_path / "checkout"
    copy_project(SAMPLE_APP, target)
    (target / ".git").mkdir()
    return target


def _assert_flags_exist(argv: list[str], help_text: str) -> None:
    for arg in argv:
        if arg.startswith("-"):
            assert re.search(rf"(^|[\s,\[]){re.escape(arg)}([\s,\]]|$)", help_text, re.M), arg


def test_the_page_has_two_workflows_and_a_gitlab_job():
    blocks = _yaml_blocks()
    assert len(blocks) == 3
    assert set(_workflows()) == {"workerlint", "workerlint annotations"}
    assert "workerlint" in blocks[2] and "jobs" not in blocks[2]


def test_sarif_workflow(checkout, check_help):
    workflow = _workflows()["workerlint"]
    # PyYAML reads the bare key `on` as the boolean true (YAML 1.1); GitHub reads it as "on".
    assert workflow[True] == {"push": {"branches": ["main"]}, "pull_request": None}
    [job] = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert [step["name"] for step in job["steps"]] == [
        "Check out",
        "Set up Python",
        "Install workerlint",
        "Run workerlint",
        "Upload SARIF",
    ]
    assert _step(workflow, "Check out")["uses"].startswith("actions/checkout@")
    assert _step(workflow, "Set up Python")["uses"].startswith("actions/setup-python@")
    assert _step(workflow, "Install workerlint")["run"] == INSTALL
    upload = _step(workflow, "Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@v")
    assert upload["if"] == "${{ !cancelled() }}"
    argv = _argv(_step(workflow, "Run workerlint")["run"])
    _assert_flags_exist(argv, check_help)
    assert _flag(argv, "--output-format") == "sarif"
    assert upload["with"] == {
        "sarif_file": _flag(argv, "--output-file"),
        "category": _flag(argv, "--sarif-category"),
    }

    result = run_cli(*argv, "--no-cache", cwd=checkout)
    assert result.code == 1  # the sample app has findings: the step fails, the upload still runs
    assert result.out == ""
    document = json.loads((checkout / upload["with"]["sarif_file"]).read_text())
    jsonschema.validate(document, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
    run_ = document["runs"][0]
    assert run_["automationDetails"] == {"id": "workerlint/"}
    assert len(run_["results"]) == 43
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]
    }
    assert "app/workers/billing/invoice_sync_worker.rb" in uris


def test_annotations_workflow(checkout, check_help, tmp_path):
    workflow = _workflows()["workerlint annotations"]
    assert [step["name"] for step in _steps(workflow)] == [
        "Check out",
        "Set up Python",
        "Install workerlint",
        "Run workerlint",
    ]
    assert _step(workflow, "Install workerlint")["run"] == INSTALL
    argv = _argv(_step(workflow, "Run workerlint")["run"])
    _assert_flags_exist(argv, check_help)
    assert _flag(argv, "--output-format") == "github"
    summary = tmp_path / "step-summary.md"
    result = run_cli(*argv, "--no-cache", cwd=checkout, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 43 and all(line.startswith("::") for line in lines)
    assert result.err.startswith("workerlint: Found 43 problems")
    assert summary.read_text().startswith("## workerlint\n")


def test_gitlab_job(checkout, check_help):
    job = _yaml_blocks()[2]["workerlint"]
    report = job["artifacts"]["reports"]["codequality"]
    assert report == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"
    install, write, show = job["script"]
    assert install == INSTALL
    write_argv, show_argv = _argv(write), _argv(show)
    for argv in (write_argv, show_argv):
        _assert_flags_exist(argv, check_help)
    assert _flag(write_argv, "--output-format") == "gitlab"
    assert _flag(write_argv, "--output-file") == report
    assert "--exit-zero" in write_argv

    written = run_cli(*write_argv, "--no-cache", cwd=checkout)
    assert written.code == 0 and written.out == ""
    issues = json.loads((checkout / report).read_text(encoding="utf-8"))
    jsonschema.validate(issues, json.loads((DATA / "gitlab-code-quality.schema.json").read_text()))
    assert len(issues) == 43
    assert issues[0]["location"]["path"] == "app/jobs/report_job.rb"

    shown = run_cli(*show_argv, "--no-cache", cwd=checkout)
    assert shown.code == 1
    assert shown.out.splitlines()[0].startswith("app/jobs/report_job.rb:28:30: note: WL301")
