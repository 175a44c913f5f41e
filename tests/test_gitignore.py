"""The .gitignore subset (core/discovery.py GitIgnore): the last rule that matches a path
decides; a path no rule matches is told by one combined regex per base folder."""

from __future__ import annotations

from pathlib import Path

from workerlint.core.discovery import GitIgnore
from workerlint.core.fs import MemoryFileSystem

ROOT_RULES = "log/\n*.tmp\n!keep.tmp\n/build\ndocs/**/draft.md\nsecret[0-9].txt\n"
NESTED_RULES = "*.rb\n!app.rb\ncache/\n"


def _last_match(ignore: GitIgnore, relpath: str, is_dir: bool) -> bool:
    """What ``ignored`` said before it asked the combined regex first: every rule in turn."""
    result = False
    for base, rule in ignore.rules:
        if base:
            if not relpath.startswith(base + "/"):
                continue
            local = relpath[len(base) + 1 :]
        else:
            local = relpath
        if rule.dir_only and not is_dir:
            continue
        if rule.regex.match(local):
            result = not rule.negated
    return result


def test_the_last_matching_rule_decides_as_when_every_rule_was_asked(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".gitignore").write_text(ROOT_RULES)
    (tmp_path / "sub" / ".gitignore").write_text(NESTED_RULES)
    ignore = GitIgnore()
    assert not ignore.ignored("a.tmp", False)  # no rules yet
    ignore.add_file("", tmp_path / ".gitignore")
    ignore.add_file("sub", tmp_path / "sub" / ".gitignore")
    paths = [
        "log", "log/x", "a.tmp", "keep.tmp", "sub/keep.tmp", "build", "src/build", "docs/a/b/draft.md",
        "docs/draft.md", "secret1.txt", "secretx.txt", "sub/app.rb", "sub/lib.rb", "lib.rb",
        "sub/cache", "cache", "sub/deep/cache", "sub/deep/x.rb", "README.md",
    ]  # fmt: skip
    found = {}
    for path in paths:
        for is_dir in (False, True):
            found[path, is_dir] = ignore.ignored(path, is_dir)
            assert found[path, is_dir] == _last_match(ignore, path, is_dir), (path, is_dir)
    assert found["log", True] and not found["log", False]
    assert found["a.tmp", False] and not found["keep.tmp", False]
    assert (
        found["sub/lib.rb", False] and not found["sub/app.rb", False] and not found["lib.rb", False]
    )
    assert found["sub/deep/cache", True] and not found["cache", True]
    assert not found["README.md", False]
    # A rule added later is asked too (the combined regex is built again).
    ignore.rules.clear()
    ignore.add_file("", tmp_path / "sub" / ".gitignore")
    assert ignore.ignored("lib.rb", False)


RUN_RULES = """\
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
    files = {".gitignore": RUN_RULES.encode(), "sub/.gitignore": b"*.txt\n!notes.txt\n"}
    fs = MemoryFileSystem(Path("/p"), files)
    ignore = GitIgnore()
    ignore.add_file("", Path("/p/.gitignore"), fs)
    ignore.add_file("sub", Path("/p/sub/.gitignore"), fs)
    return ignore


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


def test_rules_of_one_effect_in_a_row_answer_as_each_rule_would():
    ignore = _ignore()
    for (relpath, is_dir), expected in CASES.items():
        assert ignore.ignored(relpath, is_dir) is expected, relpath
        assert _last_match(ignore, relpath, is_dir) is expected, relpath
