"""``--statistics``: how many findings each rule made at each level, and how many are fixable."""

from __future__ import annotations

import json
from collections import Counter

from workerlint.core.diagnostics import Applicability, Diagnostic, Level
from workerlint.core.output.text import summary_line
from workerlint.core.records import record
from workerlint.core.results import RunResult


@record(frozen=True)
class Statistic:
    """How many findings one rule made at one level, and how many of them can be fixed."""

    code: str
    name: str
    level: Level
    count: int
    fixable: int
    unsafe_fixable: int

    def as_dict(self) -> dict[str, str | int]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level.label,
            "count": self.count,
            "fixable": self.fixable,
            "unsafe_fixable": self.unsafe_fixable,
        }


def statistics(result: RunResult) -> list[Statistic]:
    """Counts per rule and level, most frequent first."""
    counts: Counter[tuple[str, str, Level]] = Counter()
    safe: Counter[tuple[str, str, Level]] = Counter()
    unsafe: Counter[tuple[str, str, Level]] = Counter()
    for d in result.diagnostics:
        key = (d.code, d.name, d.level)
        counts[key] += 1
        safe[key] += _applicability(d) is Applicability.SAFE
        unsafe[key] += _applicability(d) is Applicability.UNSAFE
    rows = [
        Statistic(code, name, level, n, safe[(code, name, level)], unsafe[(code, name, level)])
        for (code, name, level), n in counts.items()
    ]
    rows.sort(key=lambda s: (-s.count, s.code, -s.level))
    return rows


def _applicability(diagnostic: Diagnostic) -> Applicability | None:
    return diagnostic.fix.applicability if diagnostic.fix else None


def render(result: RunResult, *, as_json: bool = False, quiet: bool = False) -> str:
    """A table (most frequent first) and the summary line, or a JSON list of the rows."""
    rows = statistics(result)
    if as_json:
        return json.dumps([row.as_dict() for row in rows], indent=2) + "\n"
    lines = []
    if rows:
        table = [("count", "code", "level", "fixable", "unsafe", "name")]
        table += [
            (str(r.count), r.code, r.level.label, str(r.fixable), str(r.unsafe_fixable), r.name)
            for r in rows
        ]
        width = [max(len(row[i]) for row in table) for i in range(5)]
        for count, code, level, fixable, unsafe, name in table:
            lines.append(
                f"{count:>{width[0]}}  {code:<{width[1]}}  {level:<{width[2]}}  "
                f"{fixable:>{width[3]}}  {unsafe:>{width[4]}}  {name}"
            )
    if not quiet:
        lines.append(summary_line(result))
    return "".join(line + "\n" for line in lines)
