"""Worker commands of a Python project: ``celery -A app worker ...``, ``celery beat``,
``rq worker``/``rqworker``/``manage.py rqworker``, and ``dramatiq module ...``, found in
``Procfile*``, compose ``command:``/``entrypoint:``, Dockerfile ``CMD``/``ENTRYPOINT``, systemd
``ExecStart=``, supervisord ``command=`` and s6 ``run`` scripts (PYTHON.md §9 "Worker
commands"; task-runner entries are developer commands and are not read).

Shell values: ``${VAR:-N}``/``${VAR-N}`` is N as a template default, ``$VAR``/``${VAR}`` is unknown.
Every option value is a ``formats.values.Value`` whose source spans the flag and its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from workerlint.core.records import record
from workerlint.formats.procfile import is_development_procfile
from workerlint.formats.values import Source, Value

CELERY, CELERY_BEAT, RQ, DRAMATIQ = "celery", "celery-beat", "rq", "dramatiq"
_TOKEN = re.compile(r"""'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"]+""")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
_VARIABLE = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)|%\(ENV_(\w+)\)s")
_PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_.-]+)\s*:\s*(.*)$")

# celery worker options -> option name (value-taking); flags without a value are listed apart.
CELERY_OPTIONS = {
    "-c": "concurrency", "--concurrency": "concurrency",
    "-P": "pool", "--pool": "pool",
    "-Q": "queues", "--queues": "queues",
    "-X": "exclude_queues", "--exclude-queues": "exclude_queues",
    "--prefetch-multiplier": "prefetch_multiplier",
    "--max-tasks-per-child": "max_tasks_per_child",
    "--max-memory-per-child": "max_memory_per_child",
    "--time-limit": "time_limit", "--soft-time-limit": "soft_time_limit",
    "--autoscale": "autoscale", "-O": "optimization",
    "-A": "app", "--app": "app", "-b": "broker", "--broker": "broker",
    "-l": "loglevel", "--loglevel": "loglevel", "-n": "hostname", "--hostname": "hostname",
    "-s": "schedule", "--schedule": "schedule", "-S": "scheduler", "--scheduler": "scheduler",
    "--config": "config", "--workdir": "workdir", "-E": None, "-B": None, "--beat": None,
}  # fmt: skip
CELERY_FLAGS = frozenset(
    {"-E", "--task-events", "-B", "--beat", "--without-gossip", "--without-mingle",
     "--without-heartbeat", "-D", "--detach", "--purge", "--discard"}
)  # fmt: skip
_CELERY_COMMANDS = frozenset(
    {"worker", "beat", "flower", "inspect", "call", "shell", "multi", "events", "purge",
     "status", "control", "result"}
)  # fmt: skip
RQ_OPTIONS = {
    "-u": "url", "--url": "url", "-c": "config", "--config": "config",
    "-w": "worker_class", "--worker-class": "worker_class", "-j": "job_class",
    "--job-class": "job_class", "--queue-class": "queue_class", "-n": "name", "--name": "name",
    "--results-ttl": "results_ttl", "--worker-ttl": "worker_ttl", "--max-jobs": "max_jobs",
    "--max-idle-time": "max_idle_time", "--dequeue-strategy": "dequeue_strategy",
    "--serializer": "serializer", "-S": "serializer", "--pid": "pid", "--sentry-dsn": "sentry_dsn",
    "--logging_level": "logging_level", "-l": "logging_level", "--path": "path", "-P": "path",
    "--job-monitoring-interval": "job_monitoring_interval", "--exception-handler": "handler",
    "--date-format": "date_format", "--log-format": "log_format", "--settings": "settings",
}  # fmt: skip
DRAMATIQ_OPTIONS = {
    "-p": "processes", "--processes": "processes", "-t": "threads", "--threads": "threads",
    "--worker-shutdown-timeout": "worker_shutdown_timeout", "--path": "path", "-P": "path",
    "--pid-file": "pid_file", "--log-file": "log_file", "-Q": "queues", "--queues": "queues",
    "-x": "exclude", "--skip-logging": None, "--watch": "watch",
}  # fmt: skip


@record(frozen=True)
class Option:
    name: str
    value: Value


@record(frozen=True)
class WorkerCommand:
    """One worker (or beat) process started by a command.

    ``framework``: ``celery`` (a worker), ``celery-beat`` (``celery beat``; a worker with ``-B``
    also sets ``embeds_beat``), ``rq`` or ``dramatiq``. ``queues`` are the queues it consumes as
    written (Celery ``-Q``, RQ positional names, Dramatiq ``-Q``), each a Value; None when the
    command names none (the framework's default queues). ``name`` is the process's name in its
    file (Procfile process, compose service, unit or program name, s6 service folder)."""

    framework: str
    relpath: str
    name: str
    source: Source  # the command, from its program word to its last argument
    options: tuple[Option, ...]
    queues: tuple[Value, ...] | None
    flags: tuple[str, ...] = ()
    development_only: bool = False

    def option(self, name: str) -> Value | None:
        found = [o.value for o in self.options if o.name == name]
        return found[-1] if found else None

    @property
    def embeds_beat(self) -> bool:
        return any(f in ("-B", "--beat") for f in self.flags)

    @property
    def label(self) -> str:
        return f"`{self.name}` ({self.source.where})"


@record(frozen=True)
class _Line:
    """A piece of a file holding a command: its text, where it starts, its line number."""

    text: str
    start: int  # byte offset in the file
    line: int
    column: int  # 1-based


# -- shell words ------------------------------------------------------------------------------


def _expand(word: str) -> tuple[str | None, str, tuple[str, ...]]:
    """A shell word's value: (text, status, variables); text None when unknown."""
    if word[:1] in "'" and word.endswith("'") and len(word) >= 2:
        return word[1:-1], "known", ()
    if word[:1] == '"' and word.endswith('"') and len(word) >= 2:
        word = word[1:-1]
    variables: list[str] = []
    status = "known"
    unknown = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal status, unknown
        name = match.group(1) or match.group(3) or match.group(4)  # 4: supervisord's %(ENV_X)s
        variables.append(name)
        default = match.group(2)
        if match.group(1) and default is not None and "$" not in default:
            status = "default"
            return default
        unknown = True
        return ""

    result = _VARIABLE.sub(substitute, word)
    if unknown:
        return None, "unknown", tuple(variables)
    return result, status, tuple(variables)


def _number(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def parse_line(relpath: str, name: str, piece: _Line, development: bool) -> list[WorkerCommand]:
    """Every worker command in one line (or JSON exec form) of a file."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(piece.text)]
    found = []
    for start, framework in _program_starts(tokens):
        end = start + 1
        while end < len(tokens) and tokens[end][0] not in _SEPARATORS:
            end += 1
        command = _command(relpath, name, piece, tokens[start:end], framework, development)
        if command is not None:
            found.append(command)
    return found


def _program(word: str) -> str:
    return _expand(word)[0] or ""


def _program_starts(tokens: list[tuple[str, int]]) -> Iterator[tuple[int, str]]:
    for index, (word, _) in enumerate(tokens):
        program = PurePosixPath(_program(word)).name
        if program == "celery":
            yield index, CELERY
        elif program in ("rq", "rqworker"):  # also ``manage.py rqworker`` (django-rq)
            yield index, RQ
        elif program == "dramatiq":
            yield index, DRAMATIQ


def _span(piece: _Line, tokens: list[tuple[str, int]], first: int, last: int) -> Source:
    begin = tokens[first][1]
    word, at = tokens[last]
    text = piece.text
    start = piece.start + len(text[:begin].encode())
    end = piece.start + len(text[: at + len(word)].encode())
    return Source("", start, end, piece.line, piece.column + len(text[:begin]))


def _value(
    relpath: str, piece: _Line, tokens: list[tuple[str, int]], a: int, b: int, word: str
) -> Value:
    text, status, variables = _expand(word)
    source = _span(piece, tokens, a, b)
    source = Source(relpath, source.start, source.end, source.line, source.column)
    if text is None:
        return Value(None, "unknown", source, variables)
    return Value(_number(text), status, source, variables, literal=status == "known")  # type: ignore[arg-type]


def _command(
    relpath: str,
    name: str,
    piece: _Line,
    tokens: list[tuple[str, int]],
    framework: str,
    development: bool,
) -> WorkerCommand | None:
    words = [_program(w) for w, _ in tokens]
    if framework == CELERY:
        table, flags_only = CELERY_OPTIONS, CELERY_FLAGS
        sub = next((w for w in words[1:] if w in _CELERY_COMMANDS), None)
        if sub not in ("worker", "beat"):
            return None
        if sub == "beat":
            framework = CELERY_BEAT
    elif framework == RQ:
        table, flags_only = RQ_OPTIONS, frozenset()
        if words[0] == "rq" and "worker" not in words[1:2]:
            return None
    else:
        table, flags_only = DRAMATIQ_OPTIONS, frozenset()
    options: list[Option] = []
    positional: list[Value] = []
    flags: list[str] = []
    queues: list[Value] | None = None
    index = 1
    while index < len(tokens):
        word = tokens[index][0]
        if word.startswith("-") and "=" in word and word.startswith("--"):
            key, _, raw = word.partition("=")
            option = table.get(key)
            if option is not None:
                value = _value(relpath, piece, tokens, index, index, raw)
                queues = _add(options, option, value, queues, framework)
            index += 1
            continue
        if (
            word.startswith("-")
            and len(word) > 2
            and not word.startswith("--")
            and word[:2] in table
        ):
            option = table[word[:2]]  # ``-c8``, ``-Qa,b``
            if option is not None:
                value = _value(relpath, piece, tokens, index, index, word[2:])
                queues = _add(options, option, value, queues, framework)
            index += 1
            continue
        if word in flags_only or (word.startswith("-") and word not in table):
            flags.append(word)
            index += 1
            continue
        option = table.get(word)
        if word in table and option is not None and index + 1 < len(tokens):
            if framework == DRAMATIQ and option == "queues":
                queues = queues or []
                index += 1
                while index < len(tokens) and not tokens[index][0].startswith("-"):
                    queues.append(_value(relpath, piece, tokens, index, index, tokens[index][0]))
                    index += 1
                continue
            value = _value(relpath, piece, tokens, index, index + 1, tokens[index + 1][0])
            queues = _add(options, option, value, queues, framework)
            index += 2
            continue
        if word in table:
            flags.append(word)
            index += 1
            continue
        positional.append(_value(relpath, piece, tokens, index, index, word))
        index += 1
    if framework == RQ:
        names = positional[1:] if words[0] == "rq" else positional
        queues = [q for q in names if q.value not in ("worker",)] or None
    whole = _span(piece, tokens, 0, len(tokens) - 1)
    return WorkerCommand(
        framework,
        relpath,
        name,
        Source(relpath, whole.start, whole.end, whole.line, whole.column),
        tuple(options),
        tuple(queues) if queues is not None else None,
        tuple(flags),
        development,
    )


def _add(
    options: list[Option], option: str, value: Value, queues: list[Value] | None, framework: str
) -> list[Value] | None:
    if option == "queues" and framework in (CELERY, DRAMATIQ):
        queues = list(queues or [])
        if value.status == "unknown" or not isinstance(value.value, str):
            queues.append(value)
        else:
            for part in str(value.value).split(","):
                if part.strip():
                    queues.append(Value(part.strip(), value.status, value.source, value.variables))
        return queues
    options.append(Option(option, value))
    return queues


# -- files ------------------------------------------------------------------------------------

Reader = Callable[[str], bytes | None]


def _lines(data: bytes) -> Iterator[tuple[int, int, str]]:
    """(line number, byte offset, text without the line break)."""
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), 1):
        yield number, offset, raw.rstrip(b"\r").decode("utf-8", errors="replace")
        offset += len(raw) + 1


def procfile(relpath: str, data: bytes) -> list[WorkerCommand]:
    found = []
    development = is_development_procfile(relpath)
    for number, offset, line in _lines(data):
        match = _PROCFILE_LINE.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        column = match.start(2)
        piece = _Line(line[column:], offset + len(line[:column].encode()), number, column + 1)
        found.extend(parse_line(relpath, match.group(1), piece, development))
    return found


def script(relpath: str, data: bytes, name: str) -> list[WorkerCommand]:
    """A shell script (s6 ``run``), one command per line; ``\\`` continuations are joined
    only for reading (a finding points at the first line)."""
    found = []
    for number, offset, line in _lines(data):
        if line.lstrip().startswith("#"):
            continue
        found.extend(parse_line(relpath, name, _Line(line, offset, number, 1), False))
    return found


_KEYED = {
    "systemd": re.compile(r"^\s*ExecStart\s*=\s*-?(.*)$"),
    "supervisor": re.compile(r"^\s*command\s*=\s*(.*)$"),
}
_SECTION = re.compile(r"^\s*\[(?:program:)?([^\]]+)\]")


def keyed(relpath: str, data: bytes, style: str) -> list[WorkerCommand]:
    """systemd units (``ExecStart=``) and supervisord files (``command=``)."""
    found = []
    pattern = _KEYED[style]
    name = PurePosixPath(relpath).stem
    for number, offset, line in _lines(data):
        section = _SECTION.match(line)
        if section and style == "supervisor":
            name = section.group(1)
        match = pattern.match(line)
        if match is None:
            continue
        column = match.start(1)
        piece = _Line(line[column:], offset + len(line[:column].encode()), number, column + 1)
        found.extend(parse_line(relpath, name, piece, False))
    return found


_DOCKER = re.compile(r"^\s*(CMD|ENTRYPOINT)\s+(.*)$", re.IGNORECASE)


def dockerfile(relpath: str, data: bytes) -> list[WorkerCommand]:
    found = []
    for number, offset, line in _lines(data):
        match = _DOCKER.match(line)
        if match is None:
            continue
        column = match.start(2)
        rest = match.group(2)
        piece = _Line(_exec_form(rest), offset + len(line[:column].encode()), number, column + 1)
        found.extend(parse_line(relpath, PurePosixPath(relpath).name, piece, False))
    return found


def _exec_form(text: str) -> str:
    """A JSON exec form (``["celery", "-A", "x"]``) as the shell words it stands for, keeping
    each word at its column (the brackets, commas and quotes become spaces)."""
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        return text
    try:
        words = json.loads(stripped)
    except ValueError:
        return text
    if not all(isinstance(w, str) for w in words):
        return text
    return re.sub(r'[\[\],"]', " ", text)


def compose(relpath: str, data: bytes) -> list[WorkerCommand]:
    """``command:``/``entrypoint:`` of each service: a string on the key's line, a flow list,
    or a block list under it (its items joined for reading, each at its own column)."""
    found: list[WorkerCommand] = []
    service = ""
    lines = list(_lines(data))
    key = re.compile(r"^(\s*)(command|entrypoint)\s*:\s*(.*)$")
    service_line = re.compile(r"^  ([A-Za-z0-9_.-]+)\s*:\s*$")
    index = 0
    while index < len(lines):
        number, offset, line = lines[index]
        named = service_line.match(line)
        if named:
            service = named.group(1)
        match = key.match(line)
        index += 1
        if match is None:
            continue
        column = match.start(3)
        rest = match.group(3).strip()
        if rest and rest not in (">", "|", ">-", "|-"):
            piece = _Line(_exec_form(line[column:]), offset + len(line[:column].encode()),
                          number, column + 1)  # fmt: skip
            found.extend(parse_line(relpath, service, piece, False))
            continue
        # A block list (``- celery``) or a folded scalar: read the items as one line whose
        # words keep their own positions (only the first line's positions are exact).
        indent = len(match.group(1))
        items: list[tuple[int, int, str]] = []
        while index < len(lines):
            n, o, text = lines[index]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            items.append((n, o, text))
            index += 1
        if items:
            n, o, text = items[0]
            joined = " ".join(
                (t.strip()[2:] if t.strip().startswith("- ") else t.strip()) for _, _, t in items
            )
            first = text.strip()
            column_ = len(text) - len(text.lstrip()) + (2 if first.startswith("- ") else 0)
            piece = _Line(joined, o + column_, n, column_ + 1)
            found.extend(parse_line(relpath, service, piece, False))
    return found


def is_compose(name: str) -> bool:
    return bool(re.match(r"^(docker-)?compose[\w.-]*\.ya?ml$", name))


def is_dockerfile(name: str) -> bool:
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def is_supervisor(relpath: str) -> bool:
    if ".conf" not in relpath or "supervisor" not in relpath:
        return False  # neither its name nor a folder above can hold them (most files)
    path = PurePosixPath(relpath)
    return path.suffix == ".conf" and (
        path.name.startswith("supervisor") or any("supervisor" in p for p in path.parts[:-1])
    )


def is_s6_run(relpath: str) -> bool:
    if "run" not in relpath or "s6" not in relpath:
        return False  # neither its name nor a folder above can hold them (most files)
    path = PurePosixPath(relpath)
    return path.name == "run" and any(p.startswith("s6") for p in path.parts[:-1])


def is_supervisor_content(relpath: str, data: bytes) -> bool:
    """A ``.conf`` file of another name that is a supervisord configuration (Redash's
    ``worker.conf``)."""
    return relpath.endswith(".conf") and b"[program:" in data


def commands_of(relpath: str, data: bytes) -> list[WorkerCommand]:
    """The worker commands in one file, by its kind (its name and folders, or a supervisord
    ``[program:]`` section in a ``.conf`` file)."""
    path = PurePosixPath(relpath)
    name = path.name
    if name == "Procfile" or name.startswith("Procfile."):
        return procfile(relpath, data)
    if is_compose(name):
        return compose(relpath, data)
    if is_dockerfile(name):
        return dockerfile(relpath, data)
    if name.endswith(".service"):
        return keyed(relpath, data, "systemd")
    if is_supervisor(relpath) or is_supervisor_content(relpath, data):
        return keyed(relpath, data, "supervisor")
    if is_s6_run(relpath):
        return script(relpath, data, path.parent.name)
    return []
