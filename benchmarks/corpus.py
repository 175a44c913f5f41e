"""Speed against the parse floor on real projects (the Speed issue's targets).

    python benchmarks/corpus.py PATH [PATH ...] [--rounds 3] [--check] [--markdown]

Each PATH is a project (a Sidekiq app or a Python project with Celery, RQ or Dramatiq tasks). It
is copied once into a temporary folder, so the cache never lands in the original, and measured
there, each number the best of ``--rounds`` runs of a whole process (interpreter start included).
The copy is made a git repository with everything committed (its own ``.git`` is not copied),
as a project being linted is: workerlint asks git whether its cache files are tracked (a cache
a commit added is never read), and that costs a run time that a plain folder would not show.
``--no-git`` measures the plain folder instead (the tables before stop 24).

Run it with the interpreter of a plain install (``pip install .``, as a user installs): an
editable install's finder (setuptools) imports pathlib and more at every interpreter start,
about 13 ms added to each process measured. The table is preceded by a warning when the
workerlint measured is an editable install.

- floor: one Python process that reads and tree-sitter-parses every ``.rb`` under ``app/``,
  ``lib/`` and ``config/`` (for a project without a Gemfile: every ``.py`` outside the default
  excludes), nothing else (``benchmarks/floor.py``);
- cold 1 / cold 2: ``workerlint check .`` with no cache present, ``--jobs 1`` and ``--jobs 2``;
- warm: the same with the cache written by the run before, nothing changed;
- one file: one worker or task file edited (a comment appended), then ``workerlint check FILE``;
- pre-commit: three such files edited, then ``workerlint check F1 F2 F3``;
- the same two through the resident server (``check --server``, a server of its own started
  for the project, one run through it before the measured ones), each run half a second after
  the one before (as a commit follows the last: the server decodes ahead between runs);
- memory: the peak resident size of the cold ``--jobs 1`` process.

``--check`` exits 1 when a target is missed: cold 1 summed over the projects at most 1.0x the
summed floor, cold 2 at most 0.7x; warm at most 0.1x the floor on a project whose floor is above
0.3 s; one file under 100 ms and pre-commit under 300 ms on a project of at least 1,000 files
(through the server, the mode meant for them; the runs in their own process are shown too);
memory under 100 MB everywhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER_DIRS = ("app/workers", "app/sidekiq", "app/jobs", "lib/workers")


@dataclass
class Row:
    name: str
    files: int
    floor: float
    cold1: float
    cold2: float
    warm: float
    one: float
    precommit: float
    one_server: float
    precommit_server: float
    memory_mb: float


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process (its pool's children not counted)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def best(rounds: int, argv: list[str], cwd: Path, before: object = None) -> tuple[float, float]:
    results = []
    for _ in range(rounds):
        if callable(before):
            before()
        results.append(run(argv, cwd))
    return min(r[0] for r in results), max(r[1] for r in results)


def edited_files(root: Path, count: int) -> list[Path]:
    """Worker files (Ruby) or task modules (Python) to edit, in a stable order."""
    found: list[Path] = []
    for folder in WORKER_DIRS:
        found += sorted((root / folder).rglob("*.rb"))
    if not found:
        found = sorted(p for p in root.rglob("tasks.py") if "/." not in str(p))
    return found[:count]


def as_repository(root: Path) -> None:
    """Make ``root`` a git repository holding all its files (as its .gitignore says) in one
    commit, made by a fixed author at a fixed date."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "corpus",
        "GIT_AUTHOR_EMAIL": "corpus@example.invalid",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
        "GIT_COMMITTER_NAME": "corpus",
        "GIT_COMMITTER_EMAIL": "corpus@example.invalid",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    }
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "corpus"]):
        git = ["git", "-c", "core.hooksPath=/dev/null", *argv]
        subprocess.run(git, cwd=root, env=env, check=True, capture_output=True)


def measure(project: Path, rounds: int, git: bool = True) -> Row:
    with tempfile.TemporaryDirectory(prefix="workerlint-corpus-") as tmp:
        root = Path(tmp) / project.name
        shutil.copytree(project, root, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        if git:
            as_repository(root)
        cache = root / ".workerlint_cache"
        floor_out = subprocess.run(
            [sys.executable, str(HERE / "floor.py"), str(root)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        files = int(floor_out[0])
        floor = min(
            run([sys.executable, str(HERE / "floor.py"), str(root)], root)[0] for _ in range(rounds)
        )
        check = [sys.executable, "-P", "-m", "workerlint", "check", "--output-format", "json"]
        drop = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        cold1, memory = best(rounds, [*check, ".", "--jobs", "1"], root, drop)
        cold2, _ = best(rounds, [*check, ".", "--jobs", "2"], root, drop)
        run([*check, "."], root)  # write the cache
        warm, _ = best(rounds, [*check, "."], root)
        targets = edited_files(root, 3)
        one = precommit = one_server = precommit_server = float("nan")
        if targets:
            originals = {path: path.read_bytes() for path in targets}
            counter = iter(range(10**6))

            def edit(paths: list[Path]) -> None:
                tag = next(counter)
                for path in paths:
                    path.write_bytes(originals[path] + f"\n# edited {tag}\n".encode())

            rel = [str(path.relative_to(root)) for path in targets]
            one, _ = best(rounds, [*check, rel[0]], root, lambda: edit(targets[:1]))
            precommit, _ = best(rounds, [*check, *rel], root, lambda: edit(targets))
            one_server, precommit_server = through_server(rounds, check, rel, root, edit, targets)
        return Row(
            project.name,
            files,
            floor,
            cold1,
            cold2,
            warm,
            one,
            precommit,
            one_server,
            precommit_server,
            memory,
        )


def through_server(
    rounds: int,
    check: list[str],
    rel: list[str],
    root: Path,
    edit: Callable[[list[Path]], None],
    targets: list[Path],
) -> tuple[float, float]:
    """The one-file and pre-commit runs through a resident server of their own."""
    folder = tempfile.mkdtemp(prefix="wl-", dir="/tmp")  # a socket's path must be short
    os.environ["WORKERLINT_SERVER_DIR"] = folder
    server = [sys.executable, "-P", "-m", "workerlint", "server"]
    try:
        subprocess.run([*server, "start"], cwd=root, check=True, capture_output=True)
        served = [*check, "--server"]

        def then(paths: list[Path]) -> None:
            edit(paths)
            time.sleep(0.5)

        run([*served, *rel], root)  # the server's first run decodes its caches itself
        one, _ = best(rounds, [*served, rel[0]], root, lambda: then(targets[:1]))
        precommit, _ = best(rounds, [*served, *rel], root, lambda: then(targets))
        return one, precommit
    finally:
        subprocess.run([*server, "stop"], cwd=root, check=False, capture_output=True)
        del os.environ["WORKERLINT_SERVER_DIR"]
        shutil.rmtree(folder, ignore_errors=True)


def table(rows: list[Row], markdown: bool) -> str:
    head = (
        "project",
        "files",
        "floor s",
        "cold1",
        "cold2",
        "warm",
        "one file ms",
        "3 files ms",
        "one file srv",
        "3 files srv",
        "MB",
    )
    lines = []
    for row in rows:
        lines.append(
            (
                row.name,
                str(row.files),
                f"{row.floor:.2f}",
                f"{row.cold1 / row.floor:.2f}x",
                f"{row.cold2 / row.floor:.2f}x",
                f"{row.warm / row.floor:.2f}x",
                f"{row.one * 1000:.0f}",
                f"{row.precommit * 1000:.0f}",
                f"{row.one_server * 1000:.0f}",
                f"{row.precommit_server * 1000:.0f}",
                f"{row.memory_mb:.0f}",
            )
        )
    floor = sum(r.floor for r in rows)
    lines.append(
        (
            "all",
            str(sum(r.files for r in rows)),
            f"{floor:.2f}",
            f"{sum(r.cold1 for r in rows) / floor:.2f}x",
            f"{sum(r.cold2 for r in rows) / floor:.2f}x",
            f"{sum(r.warm for r in rows) / floor:.2f}x",
            "",
            "",
            "",
            "",
            f"{max(r.memory_mb for r in rows):.0f}",
        )
    )
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(x) for x in col) for col in zip(head, *lines, strict=True)]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in (head, *lines)
    )


def missed(rows: list[Row]) -> list[str]:
    floor = sum(r.floor for r in rows)
    found = []
    if sum(r.cold1 for r in rows) > 1.0 * floor:
        found.append("cold, 1 process: above 1.0x the summed floor")
    if sum(r.cold2 for r in rows) > 0.7 * floor:
        found.append("cold, 2 processes: above 0.7x the summed floor")
    for r in rows:
        if r.floor > 0.3 and r.warm > 0.1 * r.floor:
            found.append(f"{r.name}: warm {r.warm / r.floor:.2f}x the floor (target 0.1x)")
        if r.files >= 1000 and not r.one_server < 0.1:
            found.append(f"{r.name}: one file {r.one_server * 1000:.0f} ms (target 100 ms)")
        if r.files >= 1000 and not r.precommit_server < 0.3:
            found.append(f"{r.name}: pre-commit {r.precommit_server * 1000:.0f} ms (target 300 ms)")
        if r.memory_mb >= 100:
            found.append(f"{r.name}: peak memory {r.memory_mb:.0f} MB (target 100 MB)")
    return found


def editable() -> bool:
    """Whether the workerlint this interpreter runs is an editable install (its
    ``direct_url.json``, PEP 610, says so)."""
    import json
    from importlib import metadata

    try:
        text = metadata.distribution("workerlint").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return False
    if not text:
        return False
    return bool(json.loads(text).get("dir_info", {}).get("editable", False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--no-git", action="store_true", help="measure a plain copy, not a git repository"
    )
    args = parser.parse_args()
    if editable():
        print(
            "WARNING: workerlint is an editable install here: each process measured pays its"
            " finder's imports (about 13 ms); measure with `pip install .`",
            file=sys.stderr,
        )
    rows = [measure(project.resolve(), args.rounds, not args.no_git) for project in args.projects]
    print(table(rows, args.markdown))
    failures = missed(rows)
    for line in failures:
        print(f"MISSED: {line}")
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
