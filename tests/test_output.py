"""What users see: snapshots of the sample app's and the Python app's output, and SARIF validated against the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import check_snapshot, run_cli

# A copy of ../shared/sarif/sarif-schema-2.1.0.json, the official SARIF 2.1.0 schema.
SCHEMA = Path(__file__).parent / "data/sarif-schema-2.1.0.json"


@pytest.mark.parametrize(
    ("fmt", "name"), [("text", "sample_app.txt"), ("concise", "sample_app.concise.txt")]
)
def test_sample_app_snapshot(fmt, name):
    result = run_cli("check", "fixtures/sample_app", "--output-format", fmt, "--no-cache")
    assert result.code == 1
    check_snapshot(name, result.out)


def test_fixtures_folder_snapshot():
    result = run_cli("check", "fixtures", "--no-cache")
    assert result.code == 1
    check_snapshot("fixtures.txt", result.out)


def test_sample_app_json_snapshot():
    result = run_cli("check", "fixtures/sample_app", "--output-format", "json", "--no-cache")
    document = json.loads(result.out)
    document["version"] = "<version>"
    check_snapshot("sample_app.json", json.dumps(document, indent=2) + "\n")


def test_python_app_snapshot():
    result = run_cli("check", "fixtures/python_app", "--no-cache")
    assert result.code == 1
    check_snapshot("python_app.txt", result.out)


def test_python_app_json_snapshot():
    result = run_cli("check", "fixtures/python_app", "--output-format", "json", "--no-cache")
    document = json.loads(result.out)
    document["version"] = "<version>"
    check_snapshot("python_app.json", json.dumps(document, indent=2) + "\n")


def test_every_python_rule_is_shown_by_a_python_fixture():
    """Every rule with a Python half (from the registry) has a finding in fixtures/python_app
    or fixtures/celeryconfig_app, the Python fixtures EXPECTED.md describes."""
    from workerlint.app import registry

    python_rules = {r.code for r in registry.all_rules() if "python" in r.languages()}
    assert "WL110" in python_rules and "WL201" in python_rules  # the registry was read
    shown = set()
    for app in ("fixtures/python_app", "fixtures/celeryconfig_app"):
        result = run_cli("check", app, "--output-format", "json", "--no-cache")
        shown |= {d["code"] for d in json.loads(result.out)["diagnostics"]}
    assert sorted(python_rules - shown) == []


def test_colour_only_when_asked():
    plain = run_cli("check", "fixtures/sample_app", "--no-cache")
    assert "\x1b[" not in plain.out
    coloured = run_cli(
        "check", "fixtures/sample_app", "--no-cache", env={"FORCE_COLOR": "1", "NO_COLOR": ""}
    )
    assert "\x1b[1;33mWL201\x1b[0m" in coloured.out


def test_sarif_is_valid_and_complete():
    result = run_cli("check", "fixtures/sample_app", "--output-format", "sarif", "--no-cache")
    document = json.loads(result.out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:2] == ["WL001", "WL002"]
    assert rules[2]["help"]["markdown"].startswith("## What it does")
    results = run["results"]
    assert len(results) == 43
    first = next(r for r in results if r["ruleId"] == "WL201")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (
        "fixtures/sample_app/app/workers/billing/invoice_sync_worker.rb"
    )
    assert location["region"] == {
        "startLine": 24,
        "startColumn": 31,
        "endLine": 24,
        "endColumn": 87,
    }
    assert rules[first["ruleIndex"]]["id"] == "WL201"
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert all(r["partialFingerprints"]["primaryLocationLineHash"].count(":") == 1 for r in results)
    fixed = [r for r in results if "fixes" in r]
    assert len(fixed) == 21
    assert all(
        f["artifactChanges"][0]["artifactLocation"]
        == r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in fixed
        for f in r["fixes"]
    )
    assert run["invocations"][0]["executionSuccessful"] is True


def test_github_annotations():
    result = run_cli("check", "fixtures/sample_app", "--output-format", "github", "--no-cache")
    lines = result.out.splitlines()
    assert len(lines) == 43
    assert lines[-1] == (
        "::warning file=fixtures/sample_app/app/workers/webhook_delivery_worker.rb,line=33,col=25,"
        "endLine=33,endColumn=82,title=WL202 external-call-without-circuit-breaker::WL202 "
        "`HTTParty.get` runs outside a circuit breaker, although the project uses stoplight "
        "(Gemfile.lock:123): while its service is down, every job still calls it, waits and fails"
    )
    notices = [line for line in lines if line.startswith("::notice ")]
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(notices) == 11 and len(errors) == 3
    assert any("WL002" in line and "webhook_delivery_worker.rb,line=15" in line for line in notices)


def test_schema_copy_matches_the_shared_schema():
    shared = Path(__file__).resolve().parents[2] / "shared/sarif/sarif-schema-2.1.0.json"
    if not shared.is_file():
        pytest.skip(f"no shared/ folder beside the repository ({shared})")
    assert SCHEMA.read_bytes() == shared.read_bytes()
