"""A baseline: findings the team has accepted, so that old code can stay while new code is held
to the rules.

Each finding is recorded by rule, path (relative to the baseline file's folder) and a fingerprint
of the content of the line it starts on (whitespace-normalised), with a count for identical
lines. A finding stays accepted when its line moves; it comes back when the line changes.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from workerlint.core.diagnostics import Diagnostic, SourceText

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


def _line_map(before: bytes, after: bytes) -> dict[int, int]:
    """For a file that fixes changed: each line index of ``after`` -> the line it came from."""
    old = before.decode("utf-8", "replace").splitlines()
    new = after.decode("utf-8", "replace").splitlines()
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for j in range(j1, j2):
                mapping[j] = i1 + min(j - j1, i2 - i1 - 1)
    return mapping


def _original_keys(
    diagnostics: Iterable[Diagnostic],
    sources: Mapping[Path, bytes | None],
    originals: Mapping[Path, bytes],
    base: Path,
) -> dict[int, Key]:
    """For findings in files that fixes changed: the key of the line they stood on before the
    fix (id of the diagnostic -> key), so that fixing one finding on a line does not bring back
    another accepted finding on it."""
    found: dict[int, Key] = {}
    maps: dict[Path, tuple[SourceText, SourceText, dict[int, int]]] = {}
    for diagnostic in diagnostics:
        before = originals.get(diagnostic.path)
        if before is None or diagnostic.internal:
            continue
        after = sources.get(diagnostic.path)
        if after is None:
            continue
        if diagnostic.path not in maps:
            maps[diagnostic.path] = (
                SourceText(before),
                SourceText(after),
                _line_map(before, after),
            )
        old, new, mapping = maps[diagnostic.path]
        line = mapping.get(new.line_index(diagnostic.span.start))
        if line is None:
            continue
        text = old.line_text(line)
        rel = _relative(diagnostic.path, base)
        found[id(diagnostic)] = (diagnostic.code, rel, fingerprint(diagnostic.code, text))
    return found


def write(path: Path, diagnostics: Iterable[Diagnostic], sources: dict[Path, bytes | None]) -> int:
    counts = Counter(key for key, _ in keys(diagnostics, sources, path.parent))
    _dump(path, counts)
    return sum(counts.values())


def _dump(path: Path, counts: Counter[Key]) -> None:
    entries = [
        {"code": code, "path": rel, "fingerprint": digest, "count": count}
        for (code, rel, digest), count in sorted(counts.items())
    ]
    document = {"version": FORMAT_VERSION, "findings": entries}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def read(path: Path) -> Counter[Key]:
    """The accepted findings of a baseline file; BaselineError when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(
            f"{path}: not a workerlint baseline (expected an object with `version` and "
            "`findings`; write one with --write-baseline)"
        )
    if document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {document.get('version')!r}")
    accepted: Counter[Key] = Counter()
    for number, entry in enumerate(document["findings"], 1):
        fields = [entry.get(k) if isinstance(entry, dict) else None for k in _ENTRY_KEYS]
        *texts, count = fields
        if not all(isinstance(t, str) for t in texts) or type(count) is not int or count < 1:
            raise BaselineError(
                f"{path}: finding {number} must have string `code`, `path`, `fingerprint` "
                "and a positive integer `count`"
            )
        accepted[(texts[0], texts[1], texts[2])] += count
    return accepted


_ENTRY_KEYS = ("code", "path", "fingerprint", "count")


def filter_accepted(
    path: Path,
    diagnostics: list[Diagnostic],
    sources: dict[Path, bytes | None],
    originals: Mapping[Path, bytes] | None = None,
    allowance: Counter[Key] | None = None,
) -> tuple[list[Diagnostic], int, list[tuple[Key, Key]]]:
    """The diagnostics the baseline at ``path`` does not accept, how many it accepted, and the
    accepted findings that moved to another key (old, new).

    ``originals`` holds the content before fixes of the files ``--fix`` changed: a finding there
    is also matched by the line it stood on before, since the fix of another finding may have
    edited its line. ``allowance`` is the baseline already read.
    """
    allowance = read(path) if allowance is None else Counter(allowance)
    before = _original_keys(diagnostics, sources, originals or {}, path.parent)
    kept = [d for d in diagnostics if d.internal]
    accepted = 0
    moved = []
    for key, diagnostic in keys(diagnostics, sources, path.parent):
        old = before.get(id(diagnostic))
        match = next((k for k in (key, old) if k is not None and allowance[k] > 0), None)
        if match is None:
            kept.append(diagnostic)
            continue
        allowance[match] -= 1
        accepted += 1
        if match != key:
            moved.append((match, key))
    kept.sort(key=Diagnostic.sort_key)
    return kept, accepted, moved


def move(path: Path, moves: Iterable[tuple[Key, Key]]) -> None:
    """Rewrite accepted findings whose line a fix edited under their new key, so that the next
    run accepts them too (the accepted set stays the same)."""
    counts = read(path)
    for old, new in moves:
        counts[old] -= 1
        counts[new] += 1
    _dump(path, +counts)
