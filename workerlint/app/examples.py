"""A rule's examples: the ``examples.*`` files in its folder, read into cases.

Each file holds cases in the language of its name (``examples.rb``: Ruby, ``examples.py``:
Python, ``examples.yml``: YAML and Procfiles), written as real source, so that an editor
highlights them and a reader sees the code and the finding it must (or must not) produce
together. Directives are comment lines that start in column 1:

``# case: <name> (valid|invalid)``
    Opens a case. The name is short kebab-case saying what the case shows
    (``httparty-get-without-timeout``), unique among the rule's cases.
``# note: <text>``
    Under the case line: why the case exists (several lines join into one text).
``# options: { timeout-seconds = 5 }``
    Under the case line: the rule's options, a TOML inline table (what a user writes under
    ``[tool.workerlint.rules.<code>]``).
``# settings: { worker-base-classes = ["BaseJob"] }``
    Under the case line: ``[tool.workerlint]`` settings, a TOML inline table.
``# file: <path>``
    Opens another file of the case's project (a model, a Gemfile.lock, the Sidekiq YAML). Right
    under the case lines it names the file under test instead; without it the file under test
    is ``app/workers/example_worker.rb`` in ``examples.rb``, ``shop/tasks.py`` in
    ``examples.py`` and ``config/sidekiq.yml`` in ``examples.yml``. The file under test is the
    first file of a case, and the only one findings are drawn in.
``# fixed:``
    Opens the expected content of the file under test once the rule's fixes are applied
    (safe, unsafe and display-only suggestions alike).

A file ends at the next directive; the blank lines before it separate cases and are not part of
the file, which ends with one newline. A file in another language than the examples file
(a Gemfile.lock or a YAML file in ``examples.rb``, a Ruby initializer in ``examples.yml``) is
written as comments: each line prefixed with ``# `` (``#`` alone for an empty line). In
``examples.yml`` each case and file may start a YAML document: a ``---`` line directly above a
directive is the documents' separator, part of no file.

An expected finding is drawn under the line it starts on, as a comment of carets standing at
its columns, then its message::

    HTTParty.get(url)
    #        ^^^^^^^^ `HTTParty.get` has no read timeout...

The ``#`` may stand anywhere before the first caret. A finding that starts in column 1 or 2,
where no ``#`` and space fit before it, is drawn with the ``#`` touching the carets: such a
``#`` is itself the first column of the finding (``#^^^^^^^^^^^ Unknown key`` under
``:concurency: 10`` draws columns 1 to 12; `` #^^^`` draws columns 2 to 5). A finding spanning
several lines is drawn on its first line, to that line's end; an empty finding shows one caret.
Several caret lines may follow one line of code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

RUBY = "ruby"
PYTHON = "python"
YAML = "yaml"
# The language of each examples file, and the file under test when a case names none.
LANGUAGES = {".rb": RUBY, ".py": PYTHON, ".yml": YAML}
DEFAULT_PATHS = {
    RUBY: "app/workers/example_worker.rb",
    PYTHON: "shop/tasks.py",
    YAML: "config/sidekiq.yml",
}

_CASE = re.compile(r"^# case: (?P<name>[a-z0-9]+(?:-[a-z0-9]+)*) \((?P<kind>valid|invalid)\)$")
_HEADER = re.compile(r"^# (?P<key>note|options|settings): (?P<value>.*)$")
_FILE = re.compile(r"^# file: (?P<path>\S+)$")
_FIXED = "# fixed:"
_DIRECTIVE = re.compile(r"^# (case|note|options|settings|file|fixed):")
_CARETS = re.compile(r"^(?P<lead>[ \t]*)#(?P<gap>[ \t]*)(?P<carets>\^+)(?: (?P<message>.*))?$")
_SEPARATOR = "---"
_USAGE = (
    " (`# case: <kebab-case-name> (valid|invalid)`, `# file: <path>`, `# fixed:`; `# note:`,"
    " `# options:` and `# settings:` right under the case line)"
)


class ExampleError(ValueError):
    """An examples file that does not follow the format (with its path and line)."""


@dataclass(frozen=True)
class Finding:
    line: int
    column: int
    end_column: int  # exclusive; on a multi-line span, the end of the first line
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}-{self.end_column} {self.message}"


@dataclass(frozen=True)
class Expected:
    """A finding drawn in an examples file, and the line of the examples file it is drawn on."""

    finding: Finding
    at: int


@dataclass(frozen=True)
class Case:
    name: str
    valid: bool
    source: Path  # the examples file
    line: int  # of its `# case:` line
    path: str  # the file under test, relative to the project root
    text: str  # its content
    expected: tuple[Expected, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)  # the other files of the project
    options: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    fixed: str | None = None
    note: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [e.finding for e in self.expected]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def language_of(path: str) -> str | None:
    """The language a project file is written in, as examples files know them."""
    name = PurePosixPath(path).name
    if name.endswith((".rb", ".rake")) or name in ("Gemfile", "Rakefile"):
        return RUBY
    if name.endswith(".py"):
        return PYTHON
    if re.search(r"\.ya?ml(\.erb)?$", name) or name == "Procfile" or name.startswith("Procfile."):
        return YAML
    return None


def written_raw(path: str, language: str) -> bool:
    """Whether a file is written as source in an examples file of ``language`` (else as
    comments)."""
    return language_of(path) == language


@dataclass
class _Section:
    kind: str  # "test" | "file" | "fixed"
    path: str
    raw: bool
    start: int  # examples-file line of its first content line
    lines: list[tuple[int, str]] = field(default_factory=list)  # (examples-file line, text)


@dataclass
class _Draft:
    name: str
    valid: bool
    line: int
    note: list[str] = field(default_factory=list)
    options: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    sections: list[_Section] = field(default_factory=list)


def read(path: Path) -> list[Case]:
    """The cases of one examples file."""
    language = LANGUAGES.get(path.suffix)
    if language is None:
        raise ExampleError(f"{path}: an examples file is examples.rb, examples.py or examples.yml")
    return parse(path.read_text(encoding="utf-8"), path, language)


def parse(text: str, source: Path, language: str) -> list[Case]:
    """The cases of an examples file's ``text`` (``source`` names it in errors)."""
    drafts: list[_Draft] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        where = f"{source}:{number}"
        if language == YAML and line == _SEPARATOR and _opens_section(lines, number):
            continue
        case = _CASE.match(line)
        if case:
            drafts.append(_Draft(case["name"], case["kind"] == "valid", number))
            continue
        if not drafts:
            if _DIRECTIVE.match(line):
                raise ExampleError(f"{where}: `{line}` comes after a `# case:` line{_USAGE}")
            if line.strip() and not line.startswith("#"):
                raise ExampleError(f"{where}: only comments may come before the first `# case:`")
            continue
        draft = drafts[-1]
        header = _HEADER.match(line)
        if header and not draft.sections:
            _set_header(draft, header["key"], header["value"], where)
            continue
        file = _FILE.match(line)
        if header:
            raise ExampleError(f"{where}: `# {header['key']}:` belongs right under `# case:`")
        if _DIRECTIVE.match(line) and not file and line != _FIXED:
            raise ExampleError(f"{where}: not a directive of the format: `{line}`{_USAGE}")
        if file:
            path = file["path"]
            kind = "file" if draft.sections else "test"
            draft.sections.append(_Section(kind, path, written_raw(path, language), number + 1))
            continue
        if line == _FIXED:
            if not draft.sections:
                draft.sections.append(_default(language, number))
            test = draft.sections[0]
            if any(s.kind == "fixed" for s in draft.sections):
                raise ExampleError(f"{where}: a case has one `# fixed:` block")
            draft.sections.append(_Section("fixed", test.path, test.raw, number + 1))
            continue
        if not draft.sections:
            draft.sections.append(_default(language, number))
        draft.sections[-1].lines.append((number, line))
    cases = [_finish(draft, source, language) for draft in drafts]
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            raise ExampleError(f"{case.where}: a second case named `{case.name}`")
        seen.add(case.name)
    return cases


def _default(language: str, number: int) -> _Section:
    return _Section("test", DEFAULT_PATHS[language], True, number)


def _set_header(draft: _Draft, key: str, value: str, where: str) -> None:
    if key == "note":
        draft.note.append(value.strip())
        return
    if getattr(draft, key) is not None:
        raise ExampleError(f"{where}: a case has one `# {key}:` line")
    setattr(draft, key, inline_table(value, where))


def inline_table(text: str, where: str) -> dict[str, Any]:
    """A TOML inline table (``{ key = value, ... }``)."""
    try:
        value = tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError as error:
        raise ExampleError(f"{where}: not a TOML inline table: {error}") from None
    if not isinstance(value, dict):
        raise ExampleError(f"{where}: expected a TOML inline table `{{ key = value }}`")
    return value


def _finish(draft: _Draft, source: Path, language: str) -> Case:
    where = f"{source}:{draft.line}"
    if not draft.sections:
        raise ExampleError(f"{where}: the case `{draft.name}` has no code")
    test = draft.sections[0]
    if not test.raw:
        raise ExampleError(
            f"{where}: the file under test, {test.path}, is not written in the language of "
            f"{source.name}: put the case in the examples file of its language"
        )
    text, expected = _drawn(test, source)
    files: dict[str, str] = {}
    fixed = None
    for section in draft.sections[1:]:
        content, drawn = _drawn(section, source)
        if drawn:
            raise ExampleError(
                f"{source}:{drawn[0].at}: findings are drawn only in the file under test"
            )
        if section.kind == "fixed":
            fixed = content
        elif section.path in files or section.path == test.path:
            raise ExampleError(f"{source}:{section.start - 1}: {section.path} appears twice")
        else:
            files[section.path] = content
    if draft.valid and expected:
        raise ExampleError(f"{where}: a valid case draws no finding")
    if not draft.valid and not expected:
        raise ExampleError(f"{where}: an invalid case draws at least one finding (`# ^^^`)")
    if draft.valid and fixed is not None:
        raise ExampleError(f"{where}: a valid case has nothing to fix")
    return Case(
        name=draft.name,
        valid=draft.valid,
        source=source,
        line=draft.line,
        path=test.path,
        text=text,
        expected=tuple(expected),
        files=files,
        options=draft.options or {},
        settings=draft.settings or {},
        fixed=fixed,
        note=" ".join(draft.note),
    )


def _opens_section(lines: list[str], number: int) -> bool:
    """Whether the line after line ``number`` (1-based) opens a case or a file."""
    following = lines[number] if number < len(lines) else ""
    return bool(_CASE.match(following) or _FILE.match(following) or following == _FIXED)


def _drawn(section: _Section, source: Path) -> tuple[str, list[Expected]]:
    """A section's file content and the findings drawn in it."""
    kept: list[str] = []
    expected: list[Expected] = []
    body = list(section.lines)
    while body and not body[-1][1].strip():  # the blank lines between cases
        body.pop()
    for number, line in body:
        if not section.raw:
            if line != "#" and not line.startswith("# "):
                raise ExampleError(
                    f"{source}:{number}: {section.path} is written as comments in "
                    f"{source.name}: each of its lines starts with `# ` (`#` when empty)"
                )
            kept.append(line[2:])
            continue
        carets = _CARETS.match(line)
        if carets is None:
            kept.append(line)
            continue
        if not kept:
            raise ExampleError(f"{source}:{number}: a finding is drawn under a line of code")
        expected.append(Expected(_finding(carets, len(kept)), number))
    return "".join(f"{line}\n" for line in kept), expected


def _finding(match: re.Match[str], line: int) -> Finding:
    lead = len(match["lead"])
    width = len(match["carets"])
    if match["gap"]:
        column = lead + 1 + len(match["gap"]) + 1
    else:  # the `#` touches the carets: it is the finding's first column
        column = lead + 1
        width += 1
    return Finding(line, column, column + width, match["message"] or "")


def examples_files(folder: Path) -> list[Path]:
    """The examples files of a rule's folder."""
    return sorted(p for p in folder.glob("examples.*") if p.suffix in LANGUAGES)


def cases_in(folder: Path) -> list[Case]:
    """Every case of a rule's folder; a name is unique among all its examples files."""
    cases: list[Case] = []
    names: dict[str, Case] = {}
    for path in examples_files(folder):
        for case in read(path):
            if case.name in names:
                raise ExampleError(
                    f"{case.where}: the case name `{case.name}` is used in "
                    f"{names[case.name].where} too"
                )
            names[case.name] = case
            cases.append(case)
    return cases


# Writing cases (for tools that produce examples files).


def toml_value(value: object) -> str:
    """A value as TOML (inline tables for mappings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)
