"""CI reports: SARIF for code scanning, GitHub annotations and step summary, GitLab code quality."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import HTTP_WORKER, REPO, SAMPLE_APP, run_cli, write_files

from workerlint.app import cli, registry
from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.diagnostics import SourceText
from workerlint.core.fixes import apply
from workerlint.core.output import linehash, sarif, uri_base
from workerlint.lang.ruby.job_arguments import sinks

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data/sarif-schema-2.1.0.json").read_text())
GITLAB_SCHEMA = json.loads(
    (Path(__file__).parent / "data/gitlab-code-quality.schema.json").read_text()
)


@pytest.fixture(scope="module")
def sample_sarif() -> dict:
    result = run_cli(
        "check", "fixtures/sample_app", "--output-format", "sarif", "--no-cache",
        "--sarif-category", "workerlint/sample",
    )  # fmt: skip
    assert result.code == 1
    return json.loads(result.out)


def _offset(source: SourceText, line: int, utf16_column: int) -> int:
    """The byte offset of a SARIF line and UTF-16 column."""
    index = line - 1
    text = source.line_text(index) if index < source.line_count else ""
    units = text.encode("utf-16-le")[: (utf16_column - 1) * 2].decode("utf-16-le")
    return source.line_starts[index] + len(units.encode("utf-8"))


def test_sarif_locations_are_repository_relative(sample_sarif):
    run_ = sample_sarif["runs"][0]
    # The worktree's `.git` (a file) marks the repository: URIs start at its top.
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": REPO.as_uri() + "/"}}
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert location["uri"].startswith("fixtures/sample_app/")
        assert (REPO / location["uri"]).is_file()


def test_sarif_fingerprints_are_the_upload_actions(sample_sarif):
    results = sample_sarif["runs"][0]["results"]
    assert results
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        path = REPO / location["artifactLocation"]["uri"]
        hashes = linehash.line_hashes(path.read_bytes().decode("utf-8"))
        line = location["region"]["startLine"]
        assert result["partialFingerprints"] == {"primaryLocationLineHash": hashes[line - 1]}


def test_sarif_fixes_reproduce_each_fix():
    diagnostics = run([SAMPLE_APP], Options(use_cache=False)).diagnostics
    expected = {}
    for d in diagnostics:
        if d.fix is not None:
            source = SourceText(d.path.read_bytes())
            start = source.position(d.span.start)
            key = (d.path.resolve(), start.line, start.utf16_column, d.code)
            expected[key] = (d.fix, apply(source.data, [d.fix]))
    document = json.loads(
        run_cli("check", str(SAMPLE_APP), "--output-format", "sarif", "--no-cache").out
    )
    seen = 0
    kinds = set()
    for result in document["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        path = REPO / physical["artifactLocation"]["uri"]
        key = (path, physical["region"]["startLine"], physical["region"]["startColumn"])
        fix, fixed = expected.get((*key, result["ruleId"]), (None, None))
        if fix is None or not fix.edits:  # no fix, or advice with no edit (a title only)
            assert "fixes" not in result
            continue
        [sarif_fix] = result["fixes"]
        kinds.add(sarif_fix["description"]["text"].split(":")[0])
        assert sarif_fix["description"]["text"].endswith(": " + fix.title)
        [change] = sarif_fix["artifactChanges"]
        assert change["artifactLocation"] == physical["artifactLocation"]
        source = SourceText(path.read_bytes())
        data = source.data
        for replacement in sorted(
            change["replacements"],
            key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
            reverse=True,
        ):
            region = replacement["deletedRegion"]
            start = _offset(source, region["startLine"], region["startColumn"])
            end = _offset(source, region["endLine"], region["endColumn"])
            data = data[:start] + replacement["insertedContent"]["text"].encode() + data[end:]
        assert data == fixed
        seen += 1
    assert seen == sum(bool(fix.edits) for fix, _ in expected.values()) > 10
    assert kinds == {
        "Safe fix (applied by --fix)",
        "Unsafe fix, may change behaviour (applied by --fix --unsafe-fixes)",
        "Suggestion (display-only, never applied)",
    }


def test_sarif_security_metadata(sample_sarif):
    run_ = sample_sarif["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    wl401 = rules["WL401"]["properties"]
    assert wl401["security-severity"] == "8.8"
    assert wl401["tags"] == [
        "security",
        "arguments",
        "external/cwe/cwe-094",
        "external/cwe/cwe-078",
        "external/cwe/cwe-502",
        "external/cwe/cwe-089",
        "external/cwe/cwe-470",
        "external/cwe/cwe-022",
        "external/cwe/cwe-918",
    ]
    assert rules["WL402"]["properties"]["security-severity"] == "6.5"
    assert "external/cwe/cwe-770" in rules["WL402"]["properties"]["tags"]
    assert "security-severity" not in rules["WL201"]["properties"]
    tags = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r.get(
            "properties", {}
        ).get("tags")
        for r in run_["results"]
    }
    # admin_action_worker.rb:26 `report_class.constantize`; catalog_import_worker.rb:16 File.read
    assert tags[("WL401", 26)] == ["external/cwe/cwe-470"]
    assert tags[("WL401", 16)] == ["external/cwe/cwe-022"]
    assert tags[("WL402", 15)] == ["external/cwe/cwe-770"]
    assert all(tag is None for (code, _), tag in tags.items() if code not in ("WL401", "WL402"))


def test_every_wl401_sink_kind_has_its_cwe():
    rule = registry.lookup("WL401")
    assert set(sinks.CWE) == set(sinks.KINDS)
    assert set(rule.cwe) == set(sinks.CWE.values())
    assert {sinks.CWE[k] for k in ("code", "shell", "sql", "file", "url")} == {94, 78, 89, 22, 918}


def test_sarif_category(sample_sarif):
    assert sample_sarif["runs"][0]["automationDetails"] == {"id": "workerlint/sample/"}
    jsonschema.validate(sample_sarif, SARIF_SCHEMA)
    ends = run_cli(
        "check", "fixtures/clean", "--output-format", "sarif", "--sarif-category", "lint/"
    )  # fmt: skip
    assert json.loads(ends.out)["runs"][0]["automationDetails"] == {"id": "lint/"}
    plain = run_cli("check", "fixtures/clean", "--output-format", "sarif")
    assert "automationDetails" not in json.loads(plain.out)["runs"][0]


def test_sarif_category_needs_sarif():
    result = run_cli("check", "fixtures/clean", "--sarif-category", "lint")
    assert result.code == 2
    assert result.out == ""
    assert result.err == "workerlint: error: --sarif-category needs --output-format sarif\n"


def test_monorepo_paths_start_at_the_repository(tmp_path):
    repo = tmp_path / "shop"
    (repo / ".git").mkdir(parents=True)
    write_files(repo / "backend", {"Gemfile": "", "app/workers/ping worker#1.rb": HTTP_WORKER})
    result = run_cli("check", ".", "--output-format", "sarif", cwd=repo / "backend")
    run_ = json.loads(result.out)["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    [finding] = run_["results"]
    location = finding["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "backend/app/workers/ping%20worker%231.rb", "uriBaseId": "%SRCROOT%"}
    gitlab = json.loads(
        run_cli("check", ".", "--output-format", "gitlab", cwd=repo / "backend").out
    )
    assert gitlab[0]["location"]["path"] == "backend/app/workers/ping worker#1.rb"
    github = run_cli("check", ".", "--output-format", "github", cwd=repo / "backend").out
    assert github.startswith("::warning file=backend/app/workers/ping worker#1.rb,line=5,")


def test_uri_base_is_the_git_folder_else_the_common_path(tmp_path):
    if any((parent / ".git").exists() for parent in tmp_path.resolve().parents):
        pytest.skip("the temporary folder is inside a repository")
    repo = tmp_path / "repo"
    (repo / "a" / "x").mkdir(parents=True)
    (repo / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    assert uri_base([repo / "a" / "x", repo / "a" / "y"]) == repo.resolve()
    bare = tmp_path / "bare"
    (bare / "a").mkdir(parents=True)
    (bare / "b").mkdir()
    assert uri_base([bare / "a", bare / "b"]) == bare.resolve()
    assert uri_base([bare / "a"]) == (bare / "a").resolve()


def test_files_outside_the_base_get_absolute_uris(tmp_path):
    outside = tmp_path / "elsewhere" / "a b.rb"
    assert sarif.artifact_location(outside, tmp_path / "repo") == {
        "uri": outside.resolve().as_uri()
    }
    assert sarif.artifact_location(outside, None)["uri"].startswith("file:///")
    assert sarif.artifact_location(outside, None)["uri"].endswith("/elsewhere/a%20b.rb")


def test_sarif_keeps_at_most_max_results(monkeypatch, capsys, sample_sarif):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    code = cli.main(["check", str(SAMPLE_APP), "--output-format", "sarif", "--no-cache"])
    assert code == 1
    captured = capsys.readouterr()
    run_ = json.loads(captured.out)["runs"][0]
    assert run_["results"] == sample_sarif["runs"][0]["results"][:5]
    [notification] = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert notification["message"]["text"].startswith("38 results left out")
    assert captured.err == (
        "workerlint: warning: the SARIF report leaves out 38 results: GitHub code scanning "
        "accepts at most 5 per run\n"
    )


# -- GitHub ---------------------------------------------------------------------------------------


def test_github_summary_on_stderr_and_in_the_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/shop",
        "GITHUB_SHA": "0123abc",
    }
    result = run_cli("check", "fixtures/sample_app", "--output-format", "github", env=env)
    assert result.code == 1
    assert result.err == (
        "workerlint: Found 43 problems (3 errors, 29 warnings, 11 notes) in 40 files. "
        "2 fixable with --fix. 4 more fixable with --fix --unsafe-fixes.\n"
    )
    text = summary.read_text()
    assert text.startswith("earlier step\n## workerlint\n")
    lines = text.splitlines()
    assert "| Rule | Level | Findings | Fixable |" in lines
    assert "| WL202 `external-call-without-circuit-breaker` | warning | 11 | 0 |" in lines
    assert (
        "| note | WL301 | [fixtures/sample\\_app/app/jobs/report\\_job.rb:28:30]"
        "(https://github.com/acme/shop/blob/0123abc/fixtures/sample_app/app/jobs/report_job.rb#L28)"
        " | `Order.paid.map` loads every matching row into memory; how many is not known: the "
        "chain is filtered and nothing in the project batches `Order`, so this is a note; if the "
        "set can grow, batch it with `find_each`, or `pluck` only the columns it needs |"
    ) in lines
    assert sum(line.startswith("| error | ") for line in lines) == 3
    assert sum(line.startswith(("| warning | ", "| note | ", "| error | ")) for line in lines) == 43


def test_github_quiet_has_no_stderr_summary():
    result = run_cli("check", "fixtures/clean", "--output-format", "github", "-q")
    assert result.code == 0
    assert result.out == "" and result.err == ""


def test_step_summary_cells_are_inert():
    from workerlint.core.output.github import _cell

    assert _cell("a | b <script> `x | y` *z*") == ("a \\| b \\<script\\> `x \\| y` \\*z\\*")
    assert _cell("one ` tick\x1b") == "one \\` tick\\\\x1b"


# -- GitLab ---------------------------------------------------------------------------------------


def test_gitlab_report_validates_and_is_complete():
    result = run_cli("check", "fixtures/sample_app", "--output-format", "gitlab", "--no-cache")
    assert result.code == 1
    assert not result.out.startswith("\ufeff")
    issues = json.loads(result.out)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert len(issues) == 43
    assert len({issue["fingerprint"] for issue in issues}) == 43
    first = issues[0]
    assert first["check_name"] == "WL301"
    assert first["description"].startswith("WL301: `Order.paid.map` loads every matching row")
    assert first["severity"] == "minor"  # a note: `paid` filters, and nothing batches Order
    assert first["location"] == {
        "path": "fixtures/sample_app/app/jobs/report_job.rb",
        "lines": {"begin": 28, "end": 28},
    }
    severities = {(issue["check_name"], issue["severity"]) for issue in issues}
    assert ("WL403", "critical") in severities and ("WL305", "minor") in severities


def test_gitlab_fingerprints_survive_moved_lines_and_tell_twins_apart(project):
    twins = HTTP_WORKER.replace("    HTTParty.get(url)\n", "    HTTParty.get(url)\n" * 2)
    root = project({"app/workers/ping_worker.rb": twins})
    before = json.loads(run_cli("check", ".", "--output-format", "gitlab", cwd=root).out)
    assert len({issue["fingerprint"] for issue in before}) == 2
    target = root / "app/workers/ping_worker.rb"
    target.write_text("# Pings partners.\n\n" + twins)
    after = json.loads(run_cli("check", ".", "--output-format", "gitlab", cwd=root).out)
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    assert [i["location"]["lines"]["begin"] for i in after] == [7, 8]
    target.write_text(twins.replace("get(url)", "get(url.strip)", 1))
    changed = json.loads(run_cli("check", ".", "--output-format", "gitlab", cwd=root).out)
    assert changed[0]["fingerprint"] not in {i["fingerprint"] for i in before}


def test_a_finding_names_only_a_cwe_its_rule_lists(tmp_path):
    from workerlint.core.diagnostics import Span
    from workerlint.project.context import ProjectContext

    ctx = ProjectContext(root=tmp_path, index=None, setup=None, settings=None)
    ctx.rule = registry.lookup("WL401")()
    ctx.report_at("app/workers/a.rb", Span(0, 1), "m", cwe=94)
    assert ctx.sink[0].cwe == 94
    assert ctx.sink[0] == ctx.sink[0].__class__(**{**ctx.sink[0].__dict__, "cwe": None})
    with pytest.raises(ValueError, match="CWE-79"):
        ctx.report_at("app/workers/a.rb", Span(0, 1), "m", cwe=79)
