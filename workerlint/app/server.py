"""The resident server: ``check`` runs without paying for the interpreter's start and imports.

A one-file run spends most of its time before it reads a file: starting Python and importing
workerlint (about 100 ms, 151 dataclasses among them). The server pays that once. It imports
every module of workerlint, then waits on a Unix socket (app/client.py) in a folder only its
user may enter. For each run it forks a process that takes the client's arguments, folder,
environment, umask and standard streams, and runs the command line exactly as the console
command does (app/entry.py: the manifest's replay, then the CLI), writing straight to the
client's streams. The parent keeps nothing of any project: every run reads the project, and
its caches, as a run without the server does, so the answer is the same however it is asked.

Like ``rubocop --server`` and Spring: ``workerlint server start|stop|status``, or
``check --server`` (``WORKERLINT_SERVER=1``), which starts one in the background when none
runs. A server stops after ``IDLE_SECONDS`` without a run, when told to, or when workerlint's
code changes under it (each run compares the code's stamp with the one the server imported:
a run it cannot do is done by the client itself).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import io
import json
import os
import pkgutil
import select
import selectors
import signal
import socket
import stat
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from workerlint.app import client
from workerlint.app.stamp import tool_stamp
from workerlint.core import later, warm

# A server with no run for this long stops (seconds; ``WORKERLINT_SERVER_IDLE`` overrides).
IDLE_SECONDS = 1800.0
IDLE_VARIABLE = "WORKERLINT_SERVER_IDLE"
# How long the server waits for a connected client's request before dropping it.
REQUEST_TIMEOUT = 5.0
# How long a new server waits for one that is stopping to let go of the socket (seconds).
LOCK_WAIT = 10.0
# At most this many files, of at most this size, decoded ahead for the next run.
MAX_HELD = 64
MAX_HELD_BYTES = 256 << 20
# The exit status of a run's process whose request it could not take (the client runs it).
BAD_REQUEST = 76


def preload() -> None:
    """Import every module of workerlint (not ``__main__``, which would run) and the rules, and
    make the parsers."""
    import workerlint

    for module in pkgutil.walk_packages(workerlint.__path__, "workerlint."):
        if module.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(module.name)
        except Exception:
            continue
    from workerlint.app import registry

    for rule in registry.all_rules():
        for language in ("ruby", "python"):  # each check's module (core/rule.py FolderCheck)
            with contextlib.suppress(Exception):
                getattr(rule, language)
    # The grammars and their parsers (tree-sitter and its languages load on a first parse):
    # about 5 ms a run otherwise.
    from workerlint.lang.python import parse as python_parse
    from workerlint.lang.ruby import parse as ruby_parse

    for parse in (ruby_parse.parse, python_parse.parse):
        with contextlib.suppress(Exception):
            parse(b"")
    from workerlint.project import codec

    codec.prepare(*stored_types())
    # The dataclasses' methods, written on first call (core/records.py): a forked run then
    # compiles none.
    from workerlint.core import records

    records.write_all()


def stored_types() -> tuple[Any, ...]:
    """The types the caches store through project/codec.py."""
    from workerlint.formats.values import Value
    from workerlint.lang.python.model import ModuleFacts
    from workerlint.lang.ruby.model import FileFacts
    from workerlint.project.frameworks.celery.model import CelerySetup
    from workerlint.project.frameworks.sidekiq.setup_cache import Rendered, RubyConfig, YamlError

    return (FileFacts, ModuleFacts, CelerySetup, RubyConfig, YamlError, Rendered, Value)


def receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """One request (app/client.py's ``send_message``) and the descriptors passed with it."""
    connection.settimeout(REQUEST_TIMEOUT)
    data, fds, _flags, _address = socket.recv_fds(connection, 65536, 3)
    if len(data) < 4:
        raise ValueError("a request too short")
    size = int.from_bytes(data[:4], "big")
    if size > client.MAX_MESSAGE:
        raise ValueError("a request too long")
    body = data[4:]
    while len(body) < size:
        chunk = connection.recv(size - len(body))
        if not chunk:
            raise ValueError("a request cut short")
        body += chunk
    request = json.loads(body[:size])
    if not isinstance(request, dict):
        raise ValueError("a request that is not an object")
    return request, list(fds)


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer runs as this user (where the system says; the folder is private
    anyway)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def reply(connection: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(message).encode() + b"\n")


class Server:
    def __init__(self, path: str, idle: float) -> None:
        self.path = path
        self.idle = idle
        self.stamp = tool_stamp()
        self.started = time.time()
        self.runs = 0
        # Each run's process, with the pipe it says on what it read (core/warm.py).
        self.children: dict[int, int] = {}
        self.stopping = False
        self.last = time.monotonic()

    def serve(self, listener: socket.socket) -> None:
        self.listener = listener
        self.selector = selectors.DefaultSelector()
        self.selector.register(listener, selectors.EVENT_READ)
        while not (self.stopping and not self.children):
            if not self.children and time.monotonic() - self.last > self.idle:
                return
            for key, _ in self.selector.select(timeout=0.5):
                if key.fileobj is listener:
                    self._accept()
                else:  # a run's process said what it decoded, and ended
                    self.selector.unregister(key.fileobj)
                    self._finished(key.data, int(key.fileobj))  # type: ignore[arg-type]

    def _accept(self) -> None:
        if self.stopping:  # no new run; a client that connects runs in its own process
            with contextlib.suppress(OSError):
                self.listener.accept()[0].close()
            return
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            self._handle(connection, self.listener)

    def _finished(self, pid: int, said: int) -> None:
        """Reap a run's process and decode ahead what it read, for the next run (stopping as
        soon as another run asks)."""
        told = _read_all(said)
        del self.children[pid]
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return
        self.last = time.monotonic()
        if os.waitstatus_to_exitcode(status) == client.STALE:
            self.stopping = True  # workerlint changed: a new server takes over
        elif told is not None:
            asked, derive = told
            decode_ahead(asked, self._waiting, derive)

    def _waiting(self) -> bool:
        """Whether a client waits to be served."""
        return bool(select.select([self.listener], [], [], 0)[0])

    def _handle(self, connection: socket.socket, listener: socket.socket) -> None:
        fds: list[int] = []
        try:
            if not _same_user(connection):
                return
            request, fds = receive(connection)
            command = request.get("command")
            if command == "status":
                reply(connection, self.status())
            elif command == "stop":
                self.stopping = True
                reply(connection, {"stopping": True, "pid": os.getpid()})
            elif command == "check" and len(fds) == 3:
                self.runs += 1
                self.last = time.monotonic()  # a status or stop is no activity
                said, says = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the run's process (tests see its output)
                    listener.close()
                    os.close(said)
                    os._exit(run_child(connection, request, fds, self.stamp, says))
                os.close(says)
                self.children[pid] = said
                self.selector.register(said, selectors.EVENT_READ, pid)
        except (OSError, ValueError):
            return
        finally:
            for fd in fds:
                os.close(fd)

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "started": self.started,
            "runs": self.runs,
            "running": len(self.children),
            "stamp": self.stamp,
            "socket": self.path,
        }


def _adopt(request: dict[str, Any], fds: list[int]) -> None:
    """Take the client's folder, environment, umask and standard streams."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})
    os.umask(int(request["umask"]))
    streams = request.get("streams") or {}

    def wrap(name: str, fd: int, mode: str) -> io.TextIOWrapper:
        encoding, errors = ([*list(streams.get(name) or []), None, None])[:2]
        raw = io.FileIO(fd, mode, closefd=False)
        buffered: io.BufferedIOBase = (
            io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        )
        tty = os.isatty(fd)
        return io.TextIOWrapper(
            buffered,
            encoding=encoding or "utf-8",
            errors=errors or ("backslashreplace" if name == "stderr" else "strict"),
            line_buffering=tty or name == "stderr",
        )

    sys.stdin = wrap("stdin", 0, "r")
    sys.stdout = wrap("stdout", 1, "w")
    sys.stderr = wrap("stderr", 2, "w")


def run_child(
    connection: socket.socket, request: dict[str, Any], fds: list[int], stamp: str, says: int
) -> int:
    """The forked process of one run: its exit status (``client.STALE`` when the code
    changed). It tells the server, on ``says``, which files it decoded (core/warm.py)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python's own start-up
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        _adopt(request, fds)
        tool_stamp.cache_clear()
        if tool_stamp() != stamp:
            reply(connection, {"stale": True})
            return client.STALE
        reply(connection, {"pid": os.getpid()})
        argv = [str(a) for a in request["argv"]]
        sys.argv = ["workerlint", *argv]
        later.hold()  # the caches and the manifest: written once the client has its answer
        code = _run(argv)
    except Exception:
        reply(connection, {"stale": True})
        return BAD_REQUEST
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    _let_go()
    reply(connection, {"code": code})
    later.run_held()
    with contextlib.suppress(OSError):
        said = {"decoded": warm.asked()[:MAX_HELD], "derived": warm.asked_derived()[:MAX_HELD]}
        os.write(says, json.dumps(said).encode())
    return 0


Said = tuple[list[tuple[str, str]], list[tuple[str, str, str]]]


def _let_go() -> None:
    """Let go of the client's standard streams (before the last reply): a reader of the
    client's output (a pipe) sees its end when the client exits, not when this process has."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        os.close(null)


def _read_all(fd: int) -> Said | None:
    """What a run's process said it decoded, and asked to be derived (None: nothing usable)."""
    data = b""
    try:
        while chunk := os.read(fd, 65536):
            data += chunk
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        said = json.loads(data)
    except ValueError:
        return None
    if not isinstance(said, dict):
        return None

    def strings(key: str, count: int) -> list[Any]:
        items = said.get(key)
        return [
            tuple(item)
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, list)
            and len(item) == count
            and all(isinstance(part, str) for part in item)
        ]

    return strings("decoded", 2), strings("derived", 3)


def decode_ahead(
    asked: list[tuple[str, str]],
    interrupted: Callable[[], bool],
    derive: list[tuple[str, str, str]] | None = None,
) -> None:
    """Decode again, for the next run, what the last run decoded (core/warm.py): each a
    regular file read without following links, never waiting on a pipe; then derive from it
    what the last run asked (``derive``); until ``interrupted`` says that a run waits."""
    warm.release()
    for kind, path in asked:
        if interrupted():
            break
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_HELD_BYTES:
                continue
            with os.fdopen(fd, "rb", closefd=False) as file:
                data = file.read()
        except OSError:
            continue
        finally:
            os.close(fd)
        warm.hold(kind, path, data)
    for name, path, params in derive or ():
        if interrupted():
            break
        warm.derive(name, path, params)
    gc.freeze()  # no collection first: decoding makes no garbage (it cost saleor 90 ms a run)


def _run(argv: list[str]) -> int:
    """What the console command does with ``argv`` (app/entry.py), as the exit code a process
    would have: uncaught errors print their traceback, as the interpreter would."""
    from workerlint.app import entry

    try:
        return entry.run(argv)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return int(stop.code or 0)
        print(stop.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        traceback.print_exc()
        return 130
    except BaseException:
        traceback.print_exc()
        return 1


def listen(path: str, wait: float = LOCK_WAIT) -> tuple[socket.socket, int] | None:
    """The listening socket at ``path`` and the lock that makes this the only server there;
    None when another server holds it and answers (one that is stopping is waited for)."""
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if client.ask("status", path) is not None or time.monotonic() > deadline:
                os.close(lock)
                return None
            time.sleep(0.05)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(16)
    return listener, lock


def idle_seconds() -> float:
    text = os.environ.get(IDLE_VARIABLE, "").strip()
    try:
        return float(text) if text else IDLE_SECONDS
    except ValueError:
        return IDLE_SECONDS


def main(argv: list[str] | None = None) -> int:
    """``python -m workerlint.app.server SOCKET``: serve until idle, stopped or out of date."""
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else client.socket_path()
    if not client.supported() or not client.private_folder(os.path.dirname(path), create=True):
        return 1
    held = listen(path)
    if held is None:
        return 0  # another server is there
    listener, lock = held
    os.chdir("/")
    try:
        preload()
        server = Server(path, idle_seconds())
        gc.collect()
        gc.freeze()  # the runs' processes do not copy the imported modules' pages to collect
        server.serve(listener)
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
