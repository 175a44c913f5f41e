"""Instructions of one whole workerlint process (valgrind's callgrind): a count that does not move
with the other jobs of a shared machine, where wall-clock and CPU times move by 10-50%.

    python benchmarks/instructions.py PROJECT FILE [FILE ...] [--python PY ...]

For each interpreter given (``--python``, default: this one; give each build's venv to compare
builds), PROJECT is copied to a temporary folder (the cache never lands in the original), a full
``workerlint check .`` writes the caches, a comment is appended to each FILE (paths relative to
PROJECT) and ``workerlint check FILE...`` runs once (it writes the caches' deltas), and then,
after another comment, once more under callgrind: the instructions that last process executed,
interpreter start included, are printed per interpreter. The same build gives the same count run
after run (within a few hundred thousand of a billion), so a change of 1% shows.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_COLLECTED = re.compile(r"Collected : (\d+)")


def collected(report: str) -> int:
    """The instruction count callgrind's report (its standard error) gives."""
    found = _COLLECTED.search(report)
    if found is None:
        raise ValueError("no callgrind count in the report")
    return int(found.group(1))


def edit(root: Path, files: list[str], tag: str) -> None:
    for name in files:
        with open(root / name, "a", encoding="utf-8") as file:
            file.write(f"\n# edited {tag}\n")


def measure(project: Path, files: list[str], python: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="workerlint-instructions-") as tmp:
        root = Path(tmp) / project.name
        shutil.copytree(project, root, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        check = [python, "-P", "-m", "workerlint", "check"]

        def run(*argv: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)

        run(*check, ".")
        edit(root, files, "1")
        run(*check, *files)
        edit(root, files, "2")
        done = run("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *check, *files)
        return collected(done.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--python", action="append", help="an interpreter with workerlint")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    for python in args.python or [sys.executable]:
        print(f"{python}: {measure(args.project, args.files, python):,} instructions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
