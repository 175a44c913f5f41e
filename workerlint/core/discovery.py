"""Find the files to check: walk paths, honour excludes and .gitignore (language-neutral).

What a file is (its kind and language) and where a nested project starts are asked of the
caller (project/files.py knows the kinds), so nothing here knows a language or a framework.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import field
from pathlib import Path

from workerlint.core.fs import DISK, FileSystem, read_text
from workerlint.core.records import record


@record(frozen=True)
class SourceFile:
    path: Path  # absolute
    relpath: str  # relative to the project root, POSIX separators
    kind: str
    language: str | None = None  # the language its source is parsed as, if any


# The kind and language of a project-relative path (None: not a file workerlint reads).
Classify = Callable[[str, "Path | None"], "tuple[str, str | None] | None"]


def folder_of(relpath: str) -> str:
    """The folder of a project-relative POSIX path ("" for the root)."""
    return relpath.rsplit("/", 1)[0] if "/" in relpath else ""


class GlobSet:
    """Exclude globs: a pattern without ``/`` matches any path component (like .gitignore)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        cleaned = [p.strip().rstrip("/") for p in patterns if p.strip()]
        parts = [fnmatch.translate(p) for p in cleaned if "/" not in p]
        paths = [fnmatch.translate(p.lstrip("/")) for p in cleaned if "/" in p]
        self._part = re.compile("|".join(parts)) if parts else None
        self._path = re.compile("|".join(paths)) if paths else None

    def matches(self, relpath: str, *, ancestors_checked: bool = False) -> bool:
        """Whether the path (or, unless its ancestors were checked already, a parent) matches."""
        parts = relpath.split("/")
        if ancestors_checked:
            prefixes = [relpath]
            names = parts[-1:]
        else:
            prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
            names = parts
        if self._part is not None and any(self._part.match(name) for name in names):
            return True
        return self._path is not None and any(self._path.match(p) for p in prefixes)


@record(frozen=True)
class _IgnoreRule:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _gitignore_regex(pattern: str) -> str:
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i)
            if end == -1:
                out.append(re.escape(ch))
            else:
                out.append(pattern[i : end + 1])
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    return ("^" if anchored else "^(?:.*/)?") + body + "$"


class GitIgnore:
    """A subset of .gitignore: globs, ``**``, ``!`` negation, trailing ``/``, leading ``/``."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, _IgnoreRule]] = []  # (base folder relpath, rule)
        # Per base folder, every rule's regex as one (for a folder, and for a file: without
        # the folder-only rules), asked first: most paths match no rule. None: not built since
        # the last rules were added.
        self._any: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] | None = None

    def add_file(self, base: str, path: Path, fs: FileSystem = DISK) -> None:
        try:
            lines = read_text(fs, path).splitlines()
        except OSError:
            return
        for line in lines:
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            dir_only = line.endswith("/")
            try:
                regex = re.compile(_gitignore_regex(line))
            except re.error:
                continue
            self.rules.append((base, _IgnoreRule(regex, negated, dir_only)))
            self._any = None

    def ignored(self, relpath: str, is_dir: bool) -> bool:
        """Whether the last rule matching ``relpath`` ignores it (none matching: no)."""
        if not self._may_match(relpath, is_dir):
            return False
        for base, rule in reversed(self.rules):
            local = _below(base, relpath)
            if local is None:
                continue
            if rule.dir_only and not is_dir:
                continue
            if rule.regex.match(local):
                return not rule.negated
        return False

    def _may_match(self, relpath: str, is_dir: bool) -> bool:
        """Whether any rule matches ``relpath`` (True when it cannot tell)."""
        if self._any is None:
            self._any = _combined(self.rules)
        for base, (folders, files) in self._any.items():
            local = _below(base, relpath)
            if local is None:
                continue
            regex = folders if is_dir else files
            if regex is None or regex.match(local):
                return True
        return False


def _below(base: str, relpath: str) -> str | None:
    """``relpath`` as a rule of the .gitignore in folder ``base`` sees it (None: not below)."""
    if not base:
        return relpath
    if not relpath.startswith(base + "/"):
        return None
    return relpath[len(base) + 1 :]


_NEVER = re.compile(r"(?!)")  # matches nothing: a base with only folder rules, for a file


def _combined(
    rules: list[tuple[str, _IgnoreRule]],
) -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Per base folder, the rules' regexes as one alternation, for folders and for files (None
    where they do not compile as one: then every rule is asked)."""
    by_base: dict[str, list[_IgnoreRule]] = {}
    for base, rule in rules:
        by_base.setdefault(base, []).append(rule)

    def one(each: list[_IgnoreRule]) -> re.Pattern[str] | None:
        if not each:
            return _NEVER
        try:
            return re.compile("|".join(f"(?:{r.regex.pattern})" for r in each))
        except re.error:
            return None

    return {
        base: (one(each), one([r for r in each if not r.dir_only]))
        for base, each in by_base.items()
    }


@record
class Discovery:
    files: list[SourceFile]
    skipped: list[tuple[str, str]]  # (path, reason) for --verbose
    nested: list[Path] = field(default_factory=list)  # project roots found below the root


# (base folder, exclude globs relative to it) of the nested settings files applying in a folder.
NestedExcludes = Callable[[str], list[tuple[str, tuple[str, ...]]]]


def relative(root: Path, path: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def discover(
    paths: Iterable[Path],
    root: Path,
    exclude: Iterable[str] = (),
    *,
    classify: Classify,
    starts_project: Callable[[Path], bool],
    default_excludes: Iterable[str] = (),
    force_exclude: bool = False,
    kinds: frozenset[str] | None = None,
    nested_excludes: NestedExcludes | None = None,
    fs: FileSystem = DISK,
) -> Discovery:
    """Classified files under ``paths`` (absolute), relative to the project ``root``, read
    from ``fs``.

    A folder below the root that ``starts_project`` is not entered: it is returned in
    ``nested``, to be checked as its own project.
    """
    globs = GlobSet((*default_excludes, *exclude))
    nested_globs: dict[tuple[str, tuple[str, ...]], GlobSet] = {}

    def nested_excluded(rel: str, *, ancestors_checked: bool) -> bool:
        if nested_excludes is None:
            return False
        for base, patterns in nested_excludes(folder_of(rel)):
            key = (base, patterns)
            if key not in nested_globs:
                nested_globs[key] = GlobSet(patterns)
            local = rel[len(base) + 1 :] if base else rel
            if nested_globs[key].matches(local, ancestors_checked=ancestors_checked):
                return True
        return False

    ignore = GitIgnore()
    found: dict[str, SourceFile] = {}
    skipped: list[tuple[str, str]] = []
    seen_dirs: set[Path] = set()
    loaded_ignores: set[str] = set()
    nested: list[Path] = []

    def load_ignores_for(rel_dir: str) -> None:
        parts = rel_dir.split("/") if rel_dir else []
        for i in range(len(parts) + 1):
            base = "/".join(parts[:i])
            if base in loaded_ignores:
                continue
            loaded_ignores.add(base)
            ignore.add_file(base, root / base / ".gitignore", fs)

    def add(path: Path, rel: str) -> None:
        classified = classify(rel, path)
        if classified is None or (kinds is not None and classified[0] not in kinds):
            return
        found.setdefault(rel, SourceFile(path, rel, *classified))

    def walk(directory: Path, rel_dir: str) -> None:
        real = fs.resolve(directory)
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        if rel_dir and starts_project(directory):
            nested.append(directory)
            return
        load_ignores_for(rel_dir)
        try:
            entries = fs.scandir(directory)
        except OSError as error:
            skipped.append((rel_dir or ".", f"cannot read folder: {error.strerror}"))
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            is_dir = entry.is_dir
            if globs.matches(rel, ancestors_checked=True):
                continue
            if ignore.ignored(rel, is_dir):
                continue
            if nested_excluded(rel, ancestors_checked=True):
                continue
            if entry.is_symlink:
                target = fs.resolve(entry.path)
                if relative(root, target) is None:
                    skipped.append((rel, "symlink pointing outside the project"))
                    continue
            if is_dir:
                walk(entry.path, rel)
            elif entry.is_file:
                add(entry.path, rel)

    def given_excluded(rel: str, is_dir: bool) -> bool:
        """Whether a path named on the command line, or a folder above it, is excluded."""
        parts = rel.split("/")
        load_ignores_for("/".join(parts[:-1]))
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return (
            globs.matches(rel)
            or any(ignore.ignored(p, p != rel or is_dir) for p in prefixes)
            or nested_excluded(rel, ancestors_checked=False)
        )

    for given in paths:
        rel = relative(root, given)
        if rel is None:
            skipped.append((str(given), "outside the project root"))
            continue
        rel = "" if rel == "." else rel
        is_dir = fs.is_dir(given)
        if force_exclude and rel and given_excluded(rel, is_dir):
            skipped.append((rel, "excluded"))
            continue
        if is_dir:
            walk(given, rel)
        elif fs.is_file(given):
            add(given, rel)
    return Discovery(sorted(found.values(), key=lambda f: f.relpath), skipped, nested)
