"""SARIF 2.1.0 for GitHub code scanning: columns in UTF-16 code units, end exclusive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workerlint import __version__, registry
from workerlint.diagnostics import Level
from workerlint.engine import RunResult
from workerlint.output import locate

_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "note"}
INFORMATION_URI = "https://pypi.org/project/workerlint/"


def _rule_descriptor(rule: type) -> dict[str, Any]:
    doc = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
        "properties": {"tags": list(rule.tags), "precision": rule.precision},
    }


def render(result: RunResult, cwd: Path | None = None) -> str:
    rules = registry.all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    notifications = []
    for item in locate(result, cwd):
        d = item.diagnostic
        if d.internal:
            notifications.append(
                {"level": "error", "message": {"text": f"{item.path}: {d.message}"}}
            )
            continue
        region = {
            "startLine": item.start.line,
            "startColumn": item.start.utf16_column,
            "endLine": item.end.line,
            "endColumn": item.end.utf16_column,
        }
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _LEVELS[d.level],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": item.path},
                            "region": region,
                        }
                    }
                ],
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "workerlint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
