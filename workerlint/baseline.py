"""A baseline: findings the team has accepted, so that old code can stay while new code is held
to the rules.

Each finding is recorded by rule, path (relative to the baseline file's folder) and a fingerprint
of the content of the line it starts on (whitespace-normalised), with a count for identical
lines. A finding stays accepted when its line moves; it comes back when the line changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from workerlint.diagnostics import Diagnostic, SourceText

FORMAT_VERSION = 1
Key = tuple[str, str, str]  # (code, path, fingerprint)


class BaselineError(ValueError):
    """A baseline file that cannot be read."""


def fingerprint(code: str, line: str) -> str:
    normalised = " ".join(line.split())
    return hashlib.sha256(f"{code}\0{normalised}".encode()).hexdigest()[:16]


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def keys(
    diagnostics: Iterable[Diagnostic], sources: dict[Path, bytes | None], base: Path
) -> list[tuple[Key, Diagnostic]]:
    texts: dict[Path, SourceText | None] = {}
    found = []
    for diagnostic in diagnostics:
        if diagnostic.internal:
            continue
        if diagnostic.path not in texts:
            data = sources.get(diagnostic.path)
            texts[diagnostic.path] = SourceText(data) if data is not None else None
        source = texts[diagnostic.path]
        line = source.line_text(source.line_index(diagnostic.span.start)) if source else ""
        key = (
            diagnostic.code,
            _relative(diagnostic.path, base),
            fingerprint(diagnostic.code, line),
        )
        found.append((key, diagnostic))
    return found


def write(path: Path, diagnostics: Iterable[Diagnostic], sources: dict[Path, bytes | None]) -> int:
    counts = Counter(key for key, _ in keys(diagnostics, sources, path.parent))
    entries = [
        {"code": code, "path": rel, "fingerprint": digest, "count": count}
        for (code, rel, digest), count in sorted(counts.items())
    ]
    document = {"version": FORMAT_VERSION, "findings": entries}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return sum(counts.values())


def read(path: Path) -> Counter[Key]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != FORMAT_VERSION:
            raise BaselineError(f"{path}: unsupported baseline version {document.get('version')!r}")
        return Counter(
            {
                (e["code"], e["path"], e["fingerprint"]): int(e["count"])
                for e in document["findings"]
            }
        )
    except (
        OSError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        KeyError,
        TypeError,
        AttributeError,
    ) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None


def filter_accepted(
    path: Path, diagnostics: list[Diagnostic], sources: dict[Path, bytes | None]
) -> tuple[list[Diagnostic], int]:
    """The diagnostics the baseline at ``path`` does not accept, and how many it accepted."""
    allowance = read(path)
    kept = [d for d in diagnostics if d.internal]
    accepted = 0
    for key, diagnostic in keys(diagnostics, sources, path.parent):
        if allowance[key] > 0:
            allowance[key] -= 1
            accepted += 1
        else:
            kept.append(diagnostic)
    kept.sort(key=Diagnostic.sort_key)
    return kept, accepted
