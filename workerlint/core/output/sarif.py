"""SARIF 2.1.0 for GitHub code scanning: columns in UTF-16 code units, end exclusive.

Paths are relative to the repository holding the run (``%SRCROOT%``, see :func:`uri_base`), as
GitHub resolves them against the checkout; each result carries the ``primaryLocationLineHash``
the upload action would compute (:mod:`workerlint.core.output.linehash`), so alerts keep their
identity across runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from workerlint import __version__
from workerlint.core.diagnostics import Applicability, Fix, Level, SourceText
from workerlint.core.output import Located, linehash, locate, relative_to_base, uri_base
from workerlint.core.results import RunResult

_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "note"}
INFORMATION_URI = "https://pypi.org/project/workerlint/"
SRCROOT = "%SRCROOT%"
# GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
_FIX_KINDS = {
    Applicability.SAFE: "Safe fix (applied by --fix)",
    Applicability.UNSAFE: "Unsafe fix, may change behaviour (applied by --fix --unsafe-fixes)",
    Applicability.DISPLAY_ONLY: "Suggestion (display-only, never applied)",
}


def cwe_tag(number: int) -> str:
    """``external/cwe/cwe-094``: the tag GitHub shows as a CWE (three digits at least)."""
    return f"external/cwe/cwe-{number:03d}"


def _rule_descriptor(rule: type) -> dict[str, Any]:
    doc = rule.documentation()
    tags = list(rule.tags)
    if rule.cwe and "security" not in tags:
        tags.insert(0, "security")
    tags += [cwe_tag(n) for n in rule.cwe]
    properties: dict[str, Any] = {"tags": tags, "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
        "properties": properties,
    }


def artifact_location(path: Path, base: Path | None) -> dict[str, str]:
    """A relative, percent-encoded URI under ``%SRCROOT%``; an absolute ``file://`` URI for a
    file outside it (GitHub then shows the result without a file)."""
    relative = relative_to_base(path, base)
    if relative is None:
        return {"uri": path.resolve().as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _base_uri(base: Path) -> str:
    uri = base.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _region(source: SourceText, start: int, end: int) -> dict[str, int]:
    first, last = source.position(start), source.position(end)
    return {
        "startLine": first.line,
        "startColumn": first.utf16_column,
        "endLine": last.line,
        "endColumn": last.utf16_column,
    }


def _fix(fix: Fix, source: SourceText, location: dict[str, str]) -> dict[str, Any] | None:
    if not fix.edits:
        return None
    replacements = [
        {
            "deletedRegion": _region(source, edit.start, edit.end),
            "insertedContent": {"text": edit.content},
        }
        for edit in sorted(fix.edits)
    ]
    return {
        "description": {"text": f"{_FIX_KINDS[fix.applicability]}: {fix.title}"},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
    }


class _LineHashes:
    """Each file's line hashes, computed once, only for files with results."""

    def __init__(self) -> None:
        self._files: dict[Path, list[str]] = {}

    def get(self, item: Located) -> str | None:
        path, source = item.diagnostic.path, item.source
        if source is None:
            return None  # the upload action computes it from the file
        if path not in self._files:
            self._files[path] = linehash.line_hashes(linehash.decode(source.data))
        hashes = self._files[path]
        line = item.start.line
        return hashes[line - 1] if line <= len(hashes) else None


def _result(
    item: Located, rule: type, index: int, base: Path | None, hashes: _LineHashes
) -> dict[str, Any]:
    d = item.diagnostic
    location = artifact_location(d.path, base)
    region = {
        "startLine": item.start.line,
        "startColumn": item.start.utf16_column,
        "endLine": item.end.line,
        "endColumn": item.end.utf16_column,
    }
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": _LEVELS[d.level],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
    }
    line_hash = hashes.get(item)
    if line_hash is not None:
        result["partialFingerprints"] = {"primaryLocationLineHash": line_hash}
    if d.fix is not None and item.source is not None:
        fix = _fix(d.fix, item.source, location)
        if fix is not None:
            result["fixes"] = [fix]
    # A finding's own weakness; a rule with only one has it for every finding.
    every = len(rule.cwe) == 1 and getattr(rule, "cwe_on_every_finding", True)
    cwe = d.cwe if d.cwe is not None else (rule.cwe[0] if every else None)
    if cwe is not None:
        result["properties"] = {"tags": [cwe_tag(cwe)]}
    return result


def overflow(result: RunResult) -> int:
    """How many results a SARIF run of ``result`` leaves out to stay within MAX_RESULTS."""
    return max(0, sum(not d.internal for d in result.diagnostics) - MAX_RESULTS)


def render(result: RunResult, cwd: Path | None = None, *, category: str | None = None) -> str:
    rules = result.catalogue
    by_code = {rule.code: rule for rule in rules}
    index = {rule.code: i for i, rule in enumerate(rules)}
    base = uri_base(result.roots)
    hashes = _LineHashes()
    results = []
    notifications = []
    for item in locate(result, cwd):
        d = item.diagnostic
        if d.internal:
            notifications.append(
                {"level": "error", "message": {"text": f"{item.path}: {d.message}"}}
            )
        elif len(results) < MAX_RESULTS:
            rule = by_code[d.code]
            results.append(_result(item, rule, index[d.code], base, hashes))
    successful = not notifications
    dropped = overflow(result)
    if dropped:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{dropped} results left out: GitHub code scanning accepts at most "
                    f"{MAX_RESULTS} per run; the first {MAX_RESULTS} by path and position "
                    "are kept"
                },
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "workerlint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
    }
    if category is not None:
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    if base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": _base_uri(base)}}
    run["results"] = results
    run["invocations"] = [
        {"executionSuccessful": successful, "toolExecutionNotifications": notifications}
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
