"""The resident server (app/server.py, app/client.py): a ``check --server`` gives what the same
run gives in its own process (output, exit code, files it writes), takes the client's folder,
environment and streams, and falls back to a run in the client's process whenever the server
cannot answer (none runs, its folder is not private, its code changed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_APP, Result, copy_project, run_cli

from workerlint.app import client

pytestmark = pytest.mark.skipif(not client.supported(), reason="needs Unix sockets and fork")

JSON = ("--output-format", "json")
WORKER = "app/workers/webhook_delivery_worker.rb"


@pytest.fixture
def folder():
    """A private folder for the servers' sockets (short: a socket's path has a small limit)."""
    made = tempfile.mkdtemp(prefix="wl-", dir="/tmp")
    os.chmod(made, 0o700)
    yield made
    env = {client.FOLDER_VARIABLE: made}
    run_cli("server", "stop", env=env)
    _wait_until(lambda: not any(Path(made).glob("*.sock")))
    shutil.rmtree(made, ignore_errors=True)


def _wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _runs(env: dict[str, str]) -> int | None:
    """How many runs the server did, by ``workerlint server status``; None: no server."""
    status = run_cli("server", "status", env=env)
    if status.code != 0:
        assert status.out == "workerlint: no server running\n"
        return None
    return int(status.out.split(", ")[1].split()[0])


def _same(a: Result, b: Result) -> None:
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err)


def _start(env: dict[str, str]) -> None:
    started = run_cli("server", "start", env=env)
    assert started.code == 0, started.err
    assert started.out.startswith("workerlint: server running (pid ")


def _apps(tmp_path: Path) -> tuple[Path, Path]:
    return copy_project(SAMPLE_APP, tmp_path / "a"), copy_project(SAMPLE_APP, tmp_path / "b")


def test_a_run_through_the_server_is_the_run_in_its_own_process(tmp_path, folder):
    served, alone = _apps(tmp_path)
    env = {client.FOLDER_VARIABLE: folder}
    _start(env)
    assert _runs(env) == 0
    steps = [
        (".",),  # cold, the cache written
        (WORKER,),  # one file, nothing changed: replayed
        (WORKER,),  # one file, edited (below): the index and results read decoded ahead
        (".", "--jobs", "2"),  # every file, one edited since the cache was written
    ]
    for number, paths in enumerate(steps):
        if number == 2:
            for root in (served, alone):
                worker = root / WORKER
                worker.write_text(worker.read_text() + "# edited\n")
        here = run_cli("check", "--server", *paths, *JSON, cwd=served, env=env)
        there = run_cli("check", *paths, *JSON, cwd=alone)
        _same(here, there)
    assert _runs(env) == len(steps)
    found = {
        (d["code"], d["path"], d["start_line"], d["start_column"])
        for d in json.loads(here.out)["diagnostics"]
    }
    assert ("WL201", WORKER, 17, 25) in found and here.code == 1


def test_a_python_project_through_the_server_is_the_run_in_its_own_process(tmp_path, folder):
    """The server derives the Python tasks per module ahead (lang/python/derived.py): a task
    module edited so that its lines move, then so that it defines one task fewer."""
    from conftest import FIXTURES

    served, alone = (copy_project(FIXTURES / "python_app", tmp_path / n) for n in "ab")
    env = {client.FOLDER_VARIABLE: folder}
    _start(env)
    tasks = "orders/tasks.py"
    edits = [
        None,
        lambda text: "\n\n" + text,
        lambda text: text.replace("@shared_task\n", "", 1),
        None,
    ]
    found = []
    for edit in edits:
        if edit is not None:
            for root in (served, alone):
                (root / tasks).write_text(edit((root / tasks).read_text()))
        paths = (".",) if edit is None else (tasks,)
        here = run_cli("check", "--server", *paths, *JSON, cwd=served, env=env)
        there = run_cli("check", *paths, *JSON, cwd=alone)
        _same(here, there)
        found.append(
            [
                (d["code"], d["start_line"])
                for d in json.loads(here.out)["diagnostics"]
                if d["path"] == tasks
            ]
        )
    assert _runs(env) == len(edits)
    assert found[:3] == [
        [("WL112", 5), ("WL201", 7)],
        [("WL112", 7), ("WL201", 9)],
        [("WL201", 8)],  # no longer a task: no retry finding; still task code (the module)
    ]


def test_the_servers_run_takes_the_clients_folder_environment_and_input(tmp_path, folder):
    served, alone = _apps(tmp_path)
    env = {client.FOLDER_VARIABLE: folder}
    _start(env)
    summaries = []
    for root, flags in ((served, ("--server",)), (alone, ())):
        summary = tmp_path / f"summary-{root.name}.md"
        summary.write_text("")
        result = run_cli(
            "check",
            *flags,
            "webhook_delivery_worker.rb",
            "--output-format",
            "github",
            cwd=root / "app/workers",
            env={**env, "GITHUB_STEP_SUMMARY": str(summary)},
        )
        summaries.append((result, summary.read_text()))
    (here, here_summary), (there, there_summary) = summaries
    _same(here, there)
    assert here_summary == there_summary and "WL201" in here_summary
    assert "app/workers/webhook_delivery_worker.rb,line=17,col=25" in here.out

    source = (alone / WORKER).read_text()
    stdin_runs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "workerlint",
                "check",
                *flags,
                "-",
                "--stdin-filename",
                WORKER,
                *JSON,
            ],
            cwd=root,
            input=source,
            capture_output=True,
            text=True,
            env={**os.environ, **env, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"},
            timeout=120,
            check=False,
        )
        for root, flags in ((served, ("--server",)), (alone, ()))
    ]
    assert [(r.returncode, r.stdout, r.stderr) for r in stdin_runs[:1]] == [
        (r.returncode, r.stdout, r.stderr) for r in stdin_runs[1:]
    ]
    assert '"code": "WL201"' in stdin_runs[0].stdout
    assert _runs(env) == 2


def test_with_no_server_the_run_is_done_here_and_one_starts(tmp_path, folder):
    served, alone = _apps(tmp_path)
    env = {client.FOLDER_VARIABLE: folder}
    assert _runs(env) is None
    _same(
        run_cli("check", "--server", WORKER, *JSON, cwd=served, env=env),
        run_cli("check", WORKER, *JSON, cwd=alone),
    )
    assert _wait_until(lambda: _runs(env) is not None)
    assert _runs(env) == 0  # the first run was not the server's


def test_the_environment_variable_asks_for_the_server_and_no_server_refuses_it(tmp_path, folder):
    served, _ = _apps(tmp_path)
    env = {client.FOLDER_VARIABLE: folder, client.SERVER_VARIABLE: "1"}
    _start(env)
    run_cli("check", WORKER, *JSON, cwd=served, env=env)
    assert _runs(env) == 1
    run_cli("check", "--no-server", WORKER, *JSON, cwd=served, env=env)
    assert _runs(env) == 1


def test_a_folder_others_may_enter_is_never_used(tmp_path):
    served, alone = _apps(tmp_path)
    made = tempfile.mkdtemp(prefix="wl-", dir="/tmp")
    try:
        os.chmod(made, 0o777)
        env = {client.FOLDER_VARIABLE: made}
        started = run_cli("server", "start", env=env)
        assert started.code == 2
        assert started.err.startswith("workerlint: error: the server did not start (its folder:")
        _same(
            run_cli("check", "--server", WORKER, *JSON, cwd=served, env=env),
            run_cli("check", WORKER, *JSON, cwd=alone),
        )
        time.sleep(0.5)
        assert os.listdir(made) == []
    finally:
        shutil.rmtree(made, ignore_errors=True)


def test_a_server_whose_code_changed_hands_the_run_back_and_stops(tmp_path, folder):
    """A server that imported an older workerlint (its stamp differs from the code's now)."""
    served, alone = _apps(tmp_path)
    env = {client.FOLDER_VARIABLE: folder}
    starter = (
        "import sys\n"
        "from workerlint.app import server\n"
        "init = server.Server.__init__\n"
        "def older(self, *args):\n"
        "    init(self, *args)\n"
        "    self.stamp = 'an older workerlint'\n"
        "server.Server.__init__ = older\n"
        "sys.exit(server.main())\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", starter],
        env={**os.environ, **env, "PYTHONSAFEPATH": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_until(lambda: _runs(env) is not None)
        _same(
            run_cli("check", "--server", WORKER, *JSON, cwd=served, env=env),
            run_cli("check", WORKER, *JSON, cwd=alone),
        )
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()


def test_an_idle_server_stops(folder):
    env = {client.FOLDER_VARIABLE: folder, "WORKERLINT_SERVER_IDLE": "0.2"}
    _start(env)
    assert _wait_until(lambda: _runs(env) is None)
    assert not list(Path(folder).glob("*.sock"))


def test_stop_and_status_without_a_server(folder):
    env = {client.FOLDER_VARIABLE: folder}
    assert run_cli("server", "stop", env=env).out == "workerlint: no server running\n"
    status = run_cli("server", "status", env=env)
    assert (status.code, status.out) == (1, "workerlint: no server running\n")


@pytest.mark.parametrize(
    ("argv", "variable", "wanted", "kept"),
    [
        (["check", "--server", "a.rb"], "", True, ["check", "a.rb"]),
        (["check", "a.rb"], "1", True, ["check", "a.rb"]),
        (["check", "a.rb", "--no-server"], "1", False, ["check", "a.rb"]),
        (["check", "--", "--server"], "", False, ["check", "--", "--server"]),
        (["explain", "WL201", "--server"], "", False, ["explain", "WL201"]),
        (["check", "a.rb"], "0", False, ["check", "a.rb"]),
    ],
)
def test_which_runs_ask_for_the_server(monkeypatch, argv, variable, wanted, kept):
    monkeypatch.setenv(client.SERVER_VARIABLE, variable)
    assert client.wants_server(argv) == (wanted, kept)


def test_a_server_started_right_after_a_stop_takes_over(folder):
    env = {client.FOLDER_VARIABLE: folder}
    pids = []
    for _ in range(2):
        _start(env)
        pids.append(run_cli("server", "status", env=env).out.split("pid ")[1].split(",")[0])
        assert run_cli("server", "stop", env=env).out == "workerlint: server stopped\n"
    assert pids[0] != pids[1]
    assert _runs(env) is None


def test_the_same_interpreter_by_another_name_finds_the_same_server(tmp_path, monkeypatch):
    """``python -m workerlint`` and the ``workerlint`` script may name the interpreter
    differently (bin/python, bin/python3.11)."""
    key = client.server_key()
    alias = tmp_path / "python-alias"
    alias.symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(alias))
    assert client.server_key() == key


MESSAGES = [
    {
        "command": "check",
        "argv": ["check", "app/wörker.rb", 'quote " and \\ and \n\t\x00', "\udcff"],
        "cwd": "/tmp/ä",
        "env": {"LANG": "C.UTF-8", "EMPTY": "", "ODD": "\u2028\x7f"},
        "umask": 18,
        "streams": {"stdin": ["utf-8", None], "stderr": ["ascii", "backslashreplace"]},
    },
    {"a": True, "b": False, "c": None, "d": [1, -2, (3,)], "e": {}, "f": []},
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_client_writes_its_request_as_json_would(message):
    assert client.encode(message) == json.dumps(message)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"pid": 4242}\n', {"pid": 4242}),
        (b'{"code": 0}', {"code": 0}),
        (b'{"code": -1}', {"code": -1}),
        (b'{"stale": true}', {"stale": True}),
        (b'{"stopping": true, "pid": 7}', {"stopping": True, "pid": 7}),
        (b'{"pid": "7"}', {"pid": "7"}),
        (b"[1]", {}),
        (b"not json", {}),
    ],
)
def test_the_client_reads_the_servers_replies_as_json_would(line, expected):
    assert client._decode(line) == expected


def test_a_served_run_loads_neither_socket_nor_json_in_the_client(tmp_path, folder):
    root = copy_project(SAMPLE_APP, tmp_path / "app")
    env = {client.FOLDER_VARIABLE: folder}
    _start(env)
    listed = tmp_path / "loaded.txt"
    probe = (
        "import sys\n"
        "from workerlint.app.entry import main\n"
        f"sys.argv = ['workerlint', 'check', '--server', {WORKER!r}]\n"
        "code = main()\n"
        f"open({str(listed)!r}, 'w').write('\\n'.join(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    full = {**os.environ, **env, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, env=full, capture_output=True)
    assert done.returncode == 1 and f"{WORKER}:17:25: warning: WL201" in done.stdout.decode()
    assert _runs(env) == 1  # the server did the run
    at_start = subprocess.run(  # what the interpreter's own start loaded (an editable
        [sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],  # install: re)
        env=full,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    loaded = set(listed.read_text().split()) - set(at_start)
    assert "workerlint.app.client" in loaded
    assert not loaded & {"socket", "json", "re", "enum", "workerlint.app.cli"}


def test_an_interrupt_of_the_client_interrupts_the_servers_run(tmp_path, folder, monkeypatch):
    """Ctrl-C in the terminal stops the run as it would stop a run in the client's process:
    the client passes the signal to the run's process, and exits with the run's status."""
    import signal

    root = copy_project(SAMPLE_APP, tmp_path / "app")
    env = {client.FOLDER_VARIABLE: folder}
    monkeypatch.setenv(client.FOLDER_VARIABLE, folder)
    _start(env)
    # The run reads the file from standard input (the client's, passed to it): it waits there.
    argv = ["check", "--server", "--stdin-filename", WORKER, "-"]
    waiting = subprocess.Popen(
        [sys.executable, "-m", "workerlint", *argv],
        cwd=root,
        env={**os.environ, **env, "NO_COLOR": "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_until(lambda: (client.ask("status") or {}).get("running") == 1)
        waiting.send_signal(signal.SIGINT)
        # Standard input stays open until the client is done (``communicate`` would close it
        # at once: a run whose read then returned before the interrupt reached it went on and
        # finished, 1 time in 4 on a loaded machine). The output is short: the pipes hold it.
        waiting.wait(timeout=30)
        assert waiting.stdout is not None and waiting.stderr is not None
        out, err = waiting.stdout.read(), waiting.stderr.read()
    finally:
        waiting.kill()
        for stream in (waiting.stdin, waiting.stdout, waiting.stderr):
            if stream is not None:
                stream.close()
    assert waiting.returncode == 130 and out == b""
    assert err.decode().rstrip().endswith("KeyboardInterrupt")
    assert _wait_until(lambda: (client.ask("status") or {}).get("running") == 0)
    assert _runs(env) == 1


def test_a_server_started_from_a_project_never_imports_the_projects_code(tmp_path, folder):
    """The client starts the server in the client's folder: a `workerlint` package there (a
    pull request can add one) must not be imported, nor stop the server from starting."""
    root = copy_project(SAMPLE_APP, tmp_path / "app")
    marker = tmp_path / "ran"
    for package in ("workerlint", "workerlint/app"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (root / "workerlint/app/server.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
    env.update({client.FOLDER_VARIABLE: folder, "NO_COLOR": "1"})
    argv = [sys.executable, "-P", "-m", "workerlint", "check", "--server", WORKER]
    first = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
    assert first.returncode == 1 and f"{WORKER}:17:25: warning: WL201" in first.stdout
    assert _wait_until(lambda: _runs({client.FOLDER_VARIABLE: folder}) == 0)  # it started
    second = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert _runs({client.FOLDER_VARIABLE: folder}) == 1 and not marker.exists()


def test_the_client_is_done_at_the_runs_last_reply():
    """The run has written its output and let go of the client's streams when it replies
    with its exit code: the client does not wait for its process to end."""
    import socket

    ours, theirs = socket.socketpair()
    ours.settimeout(5)
    theirs.sendall(b'{"pid": 1}\n{"code": 3}\n')  # and the run's process has not ended
    started = time.monotonic()
    try:
        assert client._wait(ours) == 3
    finally:
        ours.close()
        theirs.close()
    assert time.monotonic() - started < 2


def _until_the_client_waits(before: object) -> None:
    """Wait (in another thread) until ``client._wait`` has put its SIGINT handler in place."""
    import signal

    deadline = time.monotonic() + 10
    while signal.getsignal(signal.SIGINT) is before and time.monotonic() < deadline:
        time.sleep(0.01)


def test_an_interrupt_before_the_runs_process_is_known_reaches_it():
    """A Ctrl-C that comes after the server started the run but before it told the client the
    run's process is passed on once it does (it was lost: a run reading standard input then
    waited on)."""
    import signal
    import socket
    import threading

    run = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ours, theirs = socket.socketpair()
    ours.settimeout(20)

    def server() -> None:
        _until_the_client_waits(before)
        os.kill(os.getpid(), signal.SIGINT)  # the client has no pid yet
        time.sleep(0.3)
        theirs.sendall(f'{{"pid": {run.pid}}}\n'.encode())
        try:
            run.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return  # the interrupt was lost: no exit code
        theirs.sendall(b'{"code": 130}\n')

    before = signal.getsignal(signal.SIGINT)
    thread = threading.Thread(target=server)
    thread.start()
    try:
        code = client._wait(ours)
    finally:
        thread.join()
        run.kill()
        run.wait()
        ours.close()
        theirs.close()
    assert code == 130
    assert run.returncode == -signal.SIGINT


def test_an_interrupt_no_run_took_interrupts_the_client():
    """The server handed the run back (its code changed) after a Ctrl-C: the client, which
    would now do the run itself, is interrupted instead."""
    import signal
    import socket
    import threading

    ours, theirs = socket.socketpair()
    ours.settimeout(20)

    def server() -> None:
        _until_the_client_waits(before)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.3)
        theirs.sendall(b'{"stale": true}\n')

    before = signal.getsignal(signal.SIGINT)
    thread = threading.Thread(target=server)
    thread.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            client._wait(ours)
    finally:
        thread.join()
        ours.close()
        theirs.close()


def test_a_run_lets_go_of_the_clients_streams_before_its_last_reply():
    from workerlint.app import server

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        os.dup2(write, 1)
        os.close(write)
        os.write(1, b"output")
        server._let_go()
        time.sleep(3)  # a process that has not ended yet
        os._exit(0)
    os.close(write)
    started = time.monotonic()
    data = b""
    while chunk := os.read(read, 100):
        data += chunk
    os.close(read)
    assert data == b"output" and time.monotonic() - started < 2
    os.waitpid(pid, 0)


def test_a_served_runs_caches_are_written_after_its_answer(monkeypatch):
    """The client (a pre-commit hook) has the exit code before the run writes the caches and
    manifest that only the next run reads (core/later.py); the server learns what the run
    decoded only after that."""
    import signal
    import socket

    from workerlint.app import server
    from workerlint.app.stamp import tool_stamp
    from workerlint.core import later

    ours, theirs = socket.socketpair()
    seen: list[bytes] = []

    def run(argv: list[str]) -> int:
        later.after_answer(lambda: seen.append(ours.recv(4096)))
        return 1

    monkeypatch.setattr(server, "_adopt", lambda request, fds: None)
    monkeypatch.setattr(server, "_let_go", lambda: None)
    monkeypatch.setattr(server, "_run", run)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    said, says = os.pipe()
    try:
        assert server.run_child(theirs, {"argv": ["check", "."]}, [], tool_stamp(), says) == 0
    finally:
        os.close(says)
        told = server._read_all(said)
        ours.close()
        theirs.close()
    assert len(seen) == 1 and seen[0].endswith(b'{"code": 1}\n'), seen
    assert told is not None


def test_the_server_imports_every_rules_checks_before_any_run():
    """A check's module is imported when first asked for (core/rule.py ``FolderCheck``): the
    server asks for each before it forks a run (a served Python run imported about 30 of them,
    5 ms). In a process of its own: this one may have asked for them already."""
    script = """
from workerlint.app import registry, server
from workerlint.core.rule import FolderCheck
server.preload()
lazy = [
    (rule.code, language, vars(rule)[language])
    for rule in registry.all_rules()
    for language in ("ruby", "python")
    if isinstance(vars(rule).get(language), FolderCheck)
]
print(len(lazy), [(code, language) for code, language, check in lazy if check._check is None])
"""
    done = subprocess.run(  # -P: the installed workerlint, not this checkout's folder
        [sys.executable, "-P", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    count, missing = done.stdout.split(" ", 1)
    assert int(count) > 40 and missing.strip() == "[]", done.stdout
