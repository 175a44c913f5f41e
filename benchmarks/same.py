"""Whether a change left every finding as it was, on real projects (the proof a speed change
owes: "findings per code before and after").

    python benchmarks/same.py run OUT PATH... [-- ARG...]
    python benchmarks/same.py compare BEFORE AFTER

``run`` lints each project in its own folder with ``check . --no-cache --output-format json``
(and ``ARG...``: ``--jobs 2``, say) by the workerlint of this interpreter, writing nothing into
the project, and keeps its standard output, standard error and exit code in ``OUT/NAME.*``
(NAME: the project folder's name), with the CPU it took. ``compare`` prints, for each project
of ``BEFORE``, ``unchanged`` when ``AFTER`` holds the same bytes, else the codes whose counts
moved; it exits 1 when one changed or is missing. Run it with the code before a change
installed, then after, and compare the two folders.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def run(out: Path, projects: list[Path], extra: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-P",
        "-m",
        "workerlint",
        "check",
        ".",
    ]  # -P: never the project's code
    for project in projects:
        argv = [*command, "--no-cache", "--output-format", "json", *extra]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=project, capture_output=True, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        name = project.resolve().name
        (out / f"{name}.json").write_bytes(done.stdout)
        code = f"\nexit code {done.returncode}\n".encode()
        (out / f"{name}.err").write_bytes(done.stderr + code)
        found = _count(done.stdout)
        print(f"{name:20} exit {done.returncode}, {found} findings, {cpu:.2f} s CPU, {wall:.2f} s")


def _count(stdout: bytes) -> str:
    try:
        return str(len(json.loads(stdout)["diagnostics"]))
    except (ValueError, KeyError, TypeError):
        return "?"


def _codes(path: Path) -> Counter[str]:
    try:
        return Counter(str(d.get("code")) for d in json.loads(path.read_bytes())["diagnostics"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Counter({"(unreadable)": 1})


def compare(before: Path, after: Path) -> int:
    changed = 0
    for kept in sorted(before.glob("*.json")):
        name = kept.stem
        pairs = [(before / f"{name}{s}", after / f"{name}{s}") for s in (".json", ".err")]
        if all(b.is_file() and a.is_file() and b.read_bytes() == a.read_bytes() for b, a in pairs):
            print(f"{name:20} unchanged")
            continue
        changed += 1
        old, new = _codes(pairs[0][0]), _codes(pairs[0][1])
        moved = {
            c: f"{old[c]} -> {new[c]}" for c in sorted(set(old) | set(new)) if old[c] != new[c]
        }
        print(f"{name:20} CHANGED {moved or '(same counts: messages, order or stderr)'}")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    running = commands.add_parser("run")
    running.add_argument("out", type=Path)
    running.add_argument("projects", type=Path, nargs="+")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.command == "run":
        run(args.out, args.projects, extra)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
