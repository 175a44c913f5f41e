"""The client side of the resident server (app/server.py): hand a ``check`` to it.

``workerlint check --server`` (or ``WORKERLINT_SERVER=1``) asks the server of this workerlint
and this Python, if one runs, to do the run: the request carries the arguments, the current
folder, the environment and the umask, and the terminal's standard streams themselves (passed
over the socket), so the server's run writes where this process would have and reads what this
process would have. The run happens in a process the server forks for it, from a state where
every module is imported and nothing of any project is known: the same code path as a run
without the server, minus the start-up.

When no server answers, the run goes on in this process as if ``--server`` had not been given,
and a server is started in the background for the next run. This module is light (os, sys and
the C modules ``_socket``, ``_json`` and ``_signal``: ``socket``, ``json`` and ``signal`` import
``enum`` and ``re``, about 15 ms): the console command (app/entry.py) imports it first.
"""

from __future__ import annotations

import os
import sys

from workerlint.core.digest import content_digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _socket import socket
    from collections.abc import Sequence

# The flags that ask for (or refuse) the server; the console command takes them out of the
# arguments, so a run's arguments (and its manifest) are the same with and without the server.
SERVER_FLAG, NO_SERVER_FLAG = "--server", "--no-server"
SERVER_VARIABLE = "WORKERLINT_SERVER"
# Where the servers' sockets are (a folder only this user may enter), instead of the default.
FOLDER_VARIABLE = "WORKERLINT_SERVER_DIR"
# The exit status of a run the server could not do because workerlint's code changed under it.
STALE = 75
MAX_MESSAGE = 1 << 20


def wants_server(argv: Sequence[str]) -> tuple[bool, list[str]]:
    """Whether this run asks for the server, and its arguments without the server flags (those
    after a ``--`` are paths, and kept)."""
    wanted = os.environ.get(SERVER_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")
    kept: list[str] = []
    for index, argument in enumerate(argv):
        if argument == "--":
            kept.extend(argv[index:])
            break
        if argument == SERVER_FLAG:
            wanted = True
        elif argument == NO_SERVER_FLAG:
            wanted = False
        else:
            kept.append(argument)
    return wanted and "check" in kept, kept


def folder() -> str:
    """The folder of the servers' sockets: ``WORKERLINT_SERVER_DIR``, else ``workerlint`` in
    ``XDG_RUNTIME_DIR``, else ``workerlint-<uid>`` in the system's temporary folder."""
    given = os.environ.get(FOLDER_VARIABLE)
    if given:
        return os.path.abspath(given)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, "workerlint")
    import tempfile

    return os.path.join(tempfile.gettempdir(), f"workerlint-{os.getuid()}")


def private_folder(path: str, create: bool) -> bool:
    """Whether ``path`` is a folder of this user's that no one else may enter (created so when
    ``create``); a server never listens, and a client never connects, anywhere else."""
    if create:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def server_key() -> str:
    """Which server a run may use: the one of this Python and this installation of workerlint
    (the server itself checks, on every run, that workerlint's code did not change since it
    started)."""
    import workerlint

    package = os.path.dirname(os.path.abspath(workerlint.__file__))
    # The interpreter's real path: ``python -m workerlint`` and the ``workerlint`` script may
    # name it differently (bin/python, bin/python3.11); the package's folder tells venvs apart.
    python = os.path.realpath(sys.executable)
    return content_digest("\0".join([python, sys.version, package]).encode())[:16]


def socket_path(base: str | None = None) -> str:
    return os.path.join(base or folder(), f"server-{server_key()}.sock")


def supported() -> bool:
    import _socket

    return (
        hasattr(_socket, "AF_UNIX")
        and hasattr(_socket, "SCM_RIGHTS")
        and hasattr(_socket.socket, "sendmsg")
        and hasattr(os, "fork")
    )


def connect(path: str) -> socket | None:
    """A connection to the server at ``path``; None when none answers there."""
    if not (supported() and private_folder(os.path.dirname(path), create=False)):
        return None
    import _socket

    client = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        client.connect(path)
    except OSError:
        client.close()
        return None
    return client


def encode(value: object) -> str:
    """JSON text of a message (objects with string keys, lists, strings, numbers, booleans and
    null), as ``json.dumps`` writes it."""
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k))}: {encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(encode(item) for item in value) + "]"
    import json

    return json.dumps(value)


def _string(text: str) -> str:
    try:
        from _json import encode_basestring_ascii
    except ImportError:  # an interpreter without the C module
        import json

        return json.dumps(text)
    return str(encode_basestring_ascii(text))


def send_message(connection: socket, message: dict[str, object], fds: Sequence[int] = ()) -> None:
    """One message: its length, then its JSON (with ``fds`` passed alongside, as
    ``socket.send_fds`` passes them)."""
    data = encode(message).encode()
    framed = len(data).to_bytes(4, "big") + data
    if fds:
        import _socket

        rights = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds)
        ancillary = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)]
        sent = connection.sendmsg([framed], ancillary)
    else:
        sent = connection.send(framed)
    if sent < len(framed):
        connection.sendall(framed[sent:])


def ask(command: str, path: str | None = None) -> dict[str, object] | None:
    """The server's answer to ``status`` or ``stop``; None when no server answers."""
    connection = connect(path or socket_path())
    if connection is None:
        return None
    try:
        connection.settimeout(10)
        send_message(connection, {"command": command})
        connection.shutdown(1)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    except OSError:
        return None
    finally:
        connection.close()
    replies = [_decode(line) for line in data.splitlines()]
    return next((r for r in replies if r), None)


def _streams() -> dict[str, list[str | None]]:
    return {
        name: [getattr(stream, "encoding", None), getattr(stream, "errors", None)]
        for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    }


def run(argv: Sequence[str]) -> int | None:
    """The exit code of this ``check`` done by the server; None when no server did it (none
    runs, or its code is out of date), and the caller runs it itself."""
    path = socket_path()
    connection = connect(path)
    if connection is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    umask = os.umask(0)
    os.umask(umask)
    request = {
        "command": "check",
        "argv": list(argv),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "streams": _streams(),
    }
    try:
        send_message(connection, request, (0, 1, 2))
        connection.shutdown(1)  # SHUT_WR: the request is whole
        return _wait(connection)
    except OSError:
        return None
    finally:
        connection.close()


def _wait(connection: socket) -> int | None:
    """The run's exit code, forwarding an interrupt of this process to the server's run."""
    import _signal as signal  # the C module: ``signal`` imports ``enum`` (5 ms)

    child: list[int] = []
    # Signals that came before the run's process was known: passed on when it is (a Ctrl-C
    # right after the run started was lost, and a run reading standard input waited on).
    pending: list[int] = []

    def forward(number: int) -> None:
        for pid in child:
            try:  # noqa: SIM105 - contextlib is not loaded in the console's light path
                os.kill(pid, number)
            except OSError:
                pass

    def interrupt(number: int, _frame: object) -> None:
        if child:
            forward(number)
        else:
            pending.append(number)

    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        data = b""
        done = False
        while not done:
            try:
                chunk = connection.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            for line in data.split(b"\n")[:-1]:  # whole lines
                reply = _decode(line)
                if isinstance(reply.get("pid"), int) and not child:
                    child.append(int(reply["pid"]))  # type: ignore[arg-type]
                    for number in pending:
                        forward(number)
                    pending.clear()
                # The last reply: the run's output is written (it has let go of this
                # process's streams), and what is left of it is its process's exit.
                done = done or "code" in reply or "stale" in reply
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if pending:  # no run took it (the server handed the run back, or went away): this process
        signal.raise_signal(pending[0])  # its handler runs here (KeyboardInterrupt for Ctrl-C)
    replies = [_decode(line) for line in data.splitlines()]
    for reply in replies:
        if reply.get("stale"):
            return None
        code = reply.get("code")
        if isinstance(code, int):
            return code
    if not child:  # the server did not start the run: do it here
        return None
    sys.stderr.write("workerlint: error: the server's run ended without an exit code\n")
    return 2


def _decode(line: bytes) -> dict[str, object]:
    """A reply: the server's one-key replies (``{"pid": 12}``, ``{"code": 0}``,
    ``{"stale": true}``) read here, any other through ``json``."""
    text = line.decode("utf-8", "replace").strip()
    if text.startswith('{"') and text.endswith("}") and text.count('"') == 2:
        key, colon, value = text[2:-1].partition('":')
        value = value.strip()
        if colon and value in ("true", "false"):
            return {key: value == "true"}
        if colon and value.isdigit():
            return {key: int(value)}
    import json

    try:
        reply = json.loads(text)
    except ValueError:
        return {}
    return reply if isinstance(reply, dict) else {}


def start_in_background() -> None:
    """Start a server for the next runs, detached from this one; never fails the run."""
    if not supported():
        return
    path = socket_path()
    if not private_folder(os.path.dirname(path), create=True):
        return
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            os.posix_spawn(
                sys.executable,
                # -P: not the current folder first on the import path (the project's: a
                # `workerlint` folder there would be imported, and run, instead of workerlint).
                [sys.executable, "-P", "-m", "workerlint.app.server", path],
                dict(os.environ),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, devnull, 1),
                    (os.POSIX_SPAWN_DUP2, devnull, 2),
                ],
                setsid=True,
            )
        finally:
            os.close(devnull)
    except (OSError, AttributeError):
        return


def stop(wait: float = 10.0) -> bool:
    """Stop the server; whether one was running (returns once it has let go of its socket)."""
    import time

    answer = ask("stop")
    if answer is None:
        return False
    path = socket_path()
    deadline = time.monotonic() + wait
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def start(wait: float = 30.0) -> dict[str, object] | None:
    """Start a server unless one runs; its status once it answers (None: it did not)."""
    import time

    found = ask("status")
    if found is not None:
        return found
    start_in_background()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.05)
        found = ask("status")
        if found is not None:
            return found
    return None
