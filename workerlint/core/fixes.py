"""Apply fix edits to a file's bytes.

Fixes that overlap an earlier one wait for the next round; identical edits (two findings sharing
one connection builder) are applied once. The engine re-parses the result and drops a fix whose
result does not parse, then repeats until nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from workerlint.core.diagnostics import Applicability, Diagnostic, Edit, Fix


def applicable(diagnostics: Iterable[Diagnostic], allowed: frozenset[Applicability]) -> list[Fix]:
    fixes = []
    seen: set[tuple[Edit, ...]] = set()
    for diagnostic in sorted(diagnostics, key=lambda d: d.span.start):
        fix = diagnostic.fix
        if fix is None or fix.applicability not in allowed or not fix.edits:
            continue
        key = tuple(sorted(fix.edits))
        if key in seen:
            continue
        seen.add(key)
        fixes.append(fix)
    return fixes


def non_overlapping(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes whose edits touch no edit of an earlier fix (identical edits are shared)."""
    taken: list[Edit] = []
    chosen = []
    for fix in fixes:
        if any(_conflict(edit, other) for edit in fix.edits for other in taken):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def _conflict(a: Edit, b: Edit) -> bool:
    if a == b:
        return False
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: order would be arbitrary
    return (a.start < b.end and b.start < a.end) or (a.start == b.start and a.end == b.end)


def apply(data: bytes, fixes: Iterable[Fix]) -> bytes:
    edits = sorted({edit for fix in fixes for edit in fix.edits}, reverse=True)
    out = data
    for edit in edits:
        out = out[: edit.start] + edit.content.encode("utf-8") + out[edit.end :]
    return out
