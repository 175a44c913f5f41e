"""What the relevance gate spares on real projects (app/gate.py; CONTRIBUTING.md).

    python benchmarks/gate.py PATH [PATH ...] [--rounds 3]

For each project, in this process and without a cache (nothing is written into it): the files
and bytes the gate kept from the walk, out of those linted, and the CPU time of a whole check
with the gate on and off (best of ``--rounds``, alternating), with whether the findings are
identical.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from workerlint.app.linter import Options
from workerlint.app.runner import run


def _check(root: Path) -> tuple[float, list[tuple[object, ...]], int, int, int, int]:
    from workerlint.app import runner

    counts = [0, 0]
    original = runner.ProjectRun.check

    def check(self: runner.ProjectRun, files: list) -> list:  # type: ignore[type-arg]
        outcomes = original(self, files)
        for linter in self._linters.values():
            counts[0] += linter.gated_files
            counts[1] += linter.gated_bytes
        return outcomes

    runner.ProjectRun.check = check  # type: ignore[method-assign]
    try:
        started = time.process_time()
        result = run([root], Options(use_cache=False, jobs=1))
        spent = time.process_time() - started
    finally:
        runner.ProjectRun.check = original  # type: ignore[method-assign]
    findings = [
        (str(d.path), d.code, d.span.start, d.span.end, d.message, d.level.value)
        for d in result.diagnostics
    ]
    code = [o for o in result.outcomes if o.file.language in ("ruby", "python")]
    size = sum(len(o.data or b"") for o in code)
    return spent, findings, counts[0], counts[1], len(code), size


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("project\tcode files\tskipped\tMB\tskipped MB\tCPU on\tCPU off\tsaved\tsame")
    for path in args.paths:
        root = path.resolve()
        on: list[float] = []
        off: list[float] = []
        same = True
        gated = gated_bytes = files = size = 0
        reference = None
        for _ in range(args.rounds):
            for switch in ("", "1"):
                os.environ["WORKERLINT_NO_GATE"] = switch
                spent, findings, gated_now, bytes_now, files, size = _check(root)
                (off if switch else on).append(spent)
                if not switch:
                    gated, gated_bytes = gated_now, bytes_now
                reference = findings if reference is None else reference
                same = same and findings == reference
        os.environ.pop("WORKERLINT_NO_GATE", None)
        print(
            f"{root.name}\t{files}\t{gated}\t{size / 1e6:.1f}\t{gated_bytes / 1e6:.1f}\t"
            f"{min(on):.2f}\t{min(off):.2f}\t{min(off) - min(on):.2f}\t{same}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
