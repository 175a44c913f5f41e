"""The .gitignore subset discovery honours (core/discovery.py GitIgnore): the last matching
rule decides, ``!`` takes a path back, a trailing ``/`` matches folders only, and a nested
.gitignore applies below its folder. Runs of rules of one effect are tried as one expression:
the answers must be those of trying each rule in turn."""

from __future__ import annotations

from pathlib import Path

from workerlint.core.discovery import GitIgnore
from workerlint.core.fs import MemoryFileSystem

ROOT_RULES = """\
*.log
build/
!keep.log
tmp*
cache/
!cache/
/secret.txt
**/gen/*.py
!gen/ok.py
"""


def _ignore() -> GitIgnore:
    files = {".gitignore": ROOT_RULES.encode(), "sub/.gitignore": b"*.txt\n!notes.txt\n"}
    fs = MemoryFileSystem(Path("/p"), files)
    ignore = GitIgnore()
    ignore.add_file("", Path("/p/.gitignore"), fs)
    ignore.add_file("sub", Path("/p/sub/.gitignore"), fs)
    return ignore


def _one_by_one(ignore: GitIgnore, relpath: str, is_dir: bool) -> bool:
    result = False
    for base, rule in ignore.rules:
        local = relpath
        if base:
            if not relpath.startswith(base + "/"):
                continue
            local = relpath[len(base) + 1 :]
        if (is_dir or not rule.dir_only) and rule.regex.match(local):
            result = not rule.negated
    return result


CASES = {
    ("a.log", False): True,
    ("keep.log", False): False,
    ("x/keep.log", False): False,
    ("build", True): True,
    ("build", False): False,
    ("tmpfile", False): True,
    ("cache", True): False,
    ("secret.txt", False): True,
    ("x/secret.txt", False): False,
    ("a/gen/x.py", False): True,
    ("gen/ok.py", False): False,
    ("sub/a.txt", False): True,
    ("sub/notes.txt", False): False,
    ("a.txt", False): False,
    ("src/main.py", False): False,
}


def test_the_last_matching_rule_decides():
    ignore = _ignore()
    for (relpath, is_dir), expected in CASES.items():
        assert ignore.ignored(relpath, is_dir) is expected, relpath
        assert _one_by_one(ignore, relpath, is_dir) is expected, relpath
