"""GitLab code quality: the Code Climate subset GitLab reads from ``artifacts:reports:codequality``.

See https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format. Paths are
relative to the repository (GitLab resolves them against the checkout). The fingerprint is what
GitLab compares between the target branch and the merge request: it is built, as the baseline's
is, from the rule, the path and the whitespace-normalised content of the finding's first line, so
a finding keeps it when lines above it move; a count tells identical findings apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from workerlint.core.baseline import fingerprint as line_fingerprint
from workerlint.core.diagnostics import Level
from workerlint.core.output import Located, locate, relative_to_base, uri_base
from workerlint.core.results import RunResult

# GitLab's scale is info < minor < major < critical < blocker. An error breaks something
# (Sidekiq refuses to boot, a job raises, code runs that should not): critical. A warning is
# what fails the run by default: major. A note is worth a look: minor. "blocker" is left to the
# team's own policy, and "info" marks workerlint's own internal errors.
SEVERITIES = {Level.ERROR: "critical", Level.WARNING: "major", Level.NOTE: "minor"}
INTERNAL_SEVERITY = "info"


def _line(item: Located) -> str:
    if item.source is None:
        return ""
    return item.source.line_text(item.start.line - 1)


def _issue(item: Located, path: str, line_key: str, occurrence: int) -> dict[str, Any]:
    d = item.diagnostic
    key = f"{d.code}\0{path}\0{line_key}\0{occurrence}"
    return {
        # GitLab shows the description but not check_name: the code leads it.
        "description": f"{d.code}: {d.message}",
        "check_name": d.code,
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
        "severity": INTERNAL_SEVERITY if d.internal else SEVERITIES[d.level],
        "location": {
            "path": path,
            "lines": {"begin": item.start.line, "end": item.end.line},
        },
    }


def render(result: RunResult, cwd: Path | None = None) -> str:
    base = uri_base(result.roots)
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for item in locate(result, cwd):
        d = item.diagnostic
        path = relative_to_base(d.path, base) or item.path
        line_key = line_fingerprint(d.code, _line(item))
        seen[(d.code, path, line_key)] += 1
        issues.append(_issue(item, path, line_key, seen[(d.code, path, line_key)]))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
