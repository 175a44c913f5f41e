"""``sidekiq`` commands in Procfiles (``worker: bundle exec sidekiq -C x.yml -c 5 -q a,2``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from workerlint.core.fs import FileSystem
from workerlint.core.records import record
from workerlint.formats.values import Source

_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|[^\s'"]+""")
_LINE = re.compile(r"^([A-Za-z0-9_.-]+)\s*:\s*(.*)$")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
# A ``Procfile.*`` variant with one of these dot-separated parts runs in development only
# (RULES.md, "Environments"): ``Procfile.dev``, ``Procfile.debug``, ``Procfile.dev.sample``.
DEVELOPMENT_PARTS = frozenset({"dev", "development", "debug", "local", "test", "sample"})
FLAGS = {
    "-C": "config",
    "--config": "config",
    "-c": "concurrency",
    "--concurrency": "concurrency",
    "-q": "queue",
    "--queue": "queue",
    "-t": "timeout",
    "--timeout": "timeout",
    "-e": "environment",
    "--environment": "environment",
    "-r": "require",
    "--require": "require",
}


@record(frozen=True)
class Flag:
    """One option of a command: its name (``concurrency``…), its text, the flag-and-value span."""

    option: str
    value: str
    source: Source


@record(frozen=True)
class Command:
    """A ``sidekiq`` command: the Procfile it is in, the process name and its options."""

    relpath: str
    name: str
    source: Source  # the whole line
    flags: tuple[Flag, ...]

    def values(self, option: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.option == option]

    def last(self, option: str) -> Flag | None:
        found = self.values(option)
        return found[-1] if found else None

    @property
    def label(self) -> str:
        return f"`{self.name}` ({self.source.where})"

    @property
    def development_only(self) -> bool:
        return is_development_procfile(self.relpath)

    def config(self) -> tuple[str | None, str]:
        """The project-relative path of the YAML file ``-C`` names (the last one wins), or
        None and why it cannot be read; (None, "") without ``-C``."""
        flag = self.last("config")
        if flag is None:
            return None, ""
        return config_relpath(flag)


def is_development_procfile(relpath: str) -> bool:
    """``Procfile.dev``, ``Procfile.debug``, ``Procfile.dev.sample``... (not ``Procfile.latest``,
    nor a script in ``bin/``)."""
    first, *parts = PurePosixPath(relpath).name.lower().split(".")
    return first == "procfile" and any(part in DEVELOPMENT_PARTS for part in parts)


def config_relpath(flag: Flag) -> tuple[str | None, str]:
    """The path a ``-C`` flag names, relative to the project root, or None and why it is not a
    file of the project (a shell variable, an absolute path, a path leaving the project)."""
    value = flag.value
    written = f"`{flag.source.where}`: `-C {value}`"
    if any(c in value for c in "$`~") or not value:
        return None, f"{written} names its file with a shell expansion"
    if value.startswith("/"):
        return None, f"{written} is an absolute path (outside the repository)"
    parts = [p for p in PurePosixPath(value).parts if p != "."]
    if not parts or ".." in parts:
        return None, f"{written} leaves the project"
    return "/".join(parts), ""


Reader = Callable[[Path], bytes | None]


def project_commands(root: Path, fs: FileSystem, read: Reader) -> list[Command]:
    """The ``sidekiq`` commands of a project: in every ``Procfile*`` at its root, and in the
    trivially shaped shell scripts of ``bin/`` (``read`` returns None for a file not to read)."""
    found = []
    for path in sorted(fs.glob(root, "Procfile*")):
        data = read(path)
        if data is None:
            continue
        found.extend(parse_procfile(path.name, data.decode("utf-8", errors="replace")))
    bin_dir = root / "bin"
    scripts = sorted(e.path for e in fs.scandir(bin_dir) if e.is_file) if fs.is_dir(bin_dir) else []
    for path in scripts:
        data = read(path)
        if data is None or not is_shell_script(data) or b"sidekiq" not in data:
            continue
        found.extend(parse_script(f"bin/{path.name}", data.decode("utf-8", errors="replace")))
    return found


def _byte(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_procfile(relpath: str, text: str) -> list[Command]:
    commands = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        start = offset
        offset += len(line)
        match = _LINE.match(line.rstrip("\r\n"))
        if not match or line.lstrip().startswith("#"):
            continue
        tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(line, match.start(2))]
        commands.extend(_commands(relpath, text, match.group(1), number, start, line, tokens))
    return commands


_SHELL = re.compile(rb"^#!\s*\S*(/|env\s+)(ba|da|z)?sh\b")


def is_shell_script(data: bytes) -> bool:
    return bool(_SHELL.match(data))


def parse_script(relpath: str, text: str) -> list[Command]:
    """``sidekiq`` commands in a trivially shaped shell script (``exec bundle exec sidekiq ...``)
    of ``bin/``: one command per line, named after the script."""
    commands = []
    offset = 0
    name = Path(relpath).name
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        start = offset
        offset += len(line)
        if line.lstrip().startswith("#"):
            continue
        tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(line)]
        commands.extend(_commands(relpath, text, name, number, start, line, tokens))
    return commands


def _commands(
    relpath: str,
    text: str,
    name: str,
    number: int,
    line_start: int,
    line: str,
    tokens: list[tuple[str, int]],
) -> list[Command]:
    found = []
    index = 0
    while index < len(tokens):
        word = tokens[index][0]
        if word.rsplit("/", 1)[-1] != "sidekiq":
            index += 1
            continue
        flags = []
        index += 1
        while index < len(tokens) and tokens[index][0] not in _SEPARATORS:
            word, at = tokens[index]
            option, value, end_index = _flag(word, tokens, index)
            if option is not None and value is not None:
                begin = line_start + at
                last_word, last_at = tokens[end_index]
                end = line_start + last_at + len(last_word)
                source = Source(relpath, _byte(text, begin), _byte(text, end), number, at + 1)
                flags.append(Flag(option, value.strip("'\""), source))
            index = end_index + 1
        whole = Source(
            relpath,
            _byte(text, line_start),
            _byte(text, line_start + len(line.rstrip("\r\n"))),
            number,
        )
        found.append(Command(relpath, name, whole, tuple(flags)))
    return found


def _flag(
    word: str, tokens: list[tuple[str, int]], index: int
) -> tuple[str | None, str | None, int]:
    if word.startswith("--") and "=" in word:
        key, _, value = word.partition("=")
        return FLAGS.get(key), value, index
    option = FLAGS.get(word)
    if option is None or index + 1 >= len(tokens):
        return None, None, index
    return option, tokens[index + 1][0], index + 1
