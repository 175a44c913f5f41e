"""Helpers for tests that boot real Redis and Sidekiq (Debian's packages) on loopback.

Every wait here is bounded and every process started here is stopped by the caller's `finally`
(see `RedisServer` and `stop`). Nothing listens anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

LOOPBACK = "127.0.0.1"
WAIT_SECONDS = 20.0
REQUIRE_ENV = "WORKERLINT_REQUIRE_INTEGRATION"

# Variables that would change what Sidekiq or Ruby does behind the test's back.
_SCRUBBED_ENV = (
    "RAILS_MAX_THREADS",
    "REDIS_URL",
    "REDIS_PROVIDER",
    "RAILS_ENV",
    "RACK_ENV",
    "APP_ENV",
    "RUBYOPT",
    "RUBYLIB",
    "RUBYGEMS_GEMDEPS",
    "BUNDLE_GEMFILE",
)


def unavailable(reason: str) -> None:
    """Skip with `reason`, or fail when the environment demands the integration tests."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Tools:
    sidekiq: str
    redis_server: str
    sidekiq_version: str


def find_tools() -> Tools:
    """The executables the integration tests need, or skip/fail saying which is missing."""
    wanted = {"ruby": "ruby", "sidekiq": "ruby-sidekiq", "redis-server": "redis-server"}
    found = {name: shutil.which(name) for name in wanted}
    missing = [f"`{name}` (package {pkg})" for name, pkg in wanted.items() if not found[name]]
    if missing:
        unavailable(
            "real Sidekiq/Redis not installed: missing "
            + ", ".join(missing)
            + "; install with `apt-get install ruby-sidekiq redis-server`"
        )
    sidekiq, redis_server = found["sidekiq"], found["redis-server"]
    assert sidekiq and redis_server
    try:
        proc = subprocess.run(
            [sidekiq, "-V"],
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            check=False,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        unavailable(f"`{sidekiq} -V` did not answer within {WAIT_SECONDS:.0f} s")
    match = re.search(r"Sidekiq (\d+\.\d+\.\d+)", proc.stdout)
    if proc.returncode != 0 or not match:
        unavailable(f"`{sidekiq} -V` failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
    assert match
    return Tools(sidekiq, redis_server, match.group(1))


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


# --- a minimal RESP client: enough for PING and SMEMBERS, no extra dependency -------------------


def _read_reply(stream: BinaryIO) -> object:
    line = stream.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError(f"truncated Redis reply: {line!r}")
    kind, body = line[:1], line[1:-2]
    if kind == b"+":
        return body.decode()
    if kind == b"-":
        raise ConnectionError(f"Redis error: {body.decode()}")
    if kind == b":":
        return int(body)
    if kind == b"$":
        size = int(body)
        if size < 0:
            return None
        data = stream.read(size + 2)
        return data[:-2].decode()
    if kind == b"*":
        count = int(body)
        return None if count < 0 else [_read_reply(stream) for _ in range(count)]
    raise ConnectionError(f"unexpected Redis reply: {line!r}")


def redis_command(port: int, *args: str, timeout: float = 2.0) -> object:
    payload = f"*{len(args)}\r\n".encode()
    for arg in args:
        raw = arg.encode()
        payload += b"$%d\r\n%s\r\n" % (len(raw), raw)
    with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
        sock.sendall(payload)
        with sock.makefile("rb") as stream:
            return _read_reply(stream)


# --- processes ---------------------------------------------------------------------------------


def stop(proc: subprocess.Popen[bytes], grace: float = WAIT_SECONDS) -> int:
    """TERM, wait at most `grace` seconds, then KILL. Returns the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=WAIT_SECONDS)
    return int(proc.returncode)


class RedisServer:
    """redis-server on a free loopback port, no persistence, in the foreground as our child."""

    def __init__(self, executable: str, workdir: Path) -> None:
        self.executable = executable
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "redis.log"

    def start(self) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # another process may take the free port before Redis does
            self.port = free_port()
            command = [self.executable, "--port", str(self.port), "--bind", LOOPBACK]
            command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
            command += ["--dir", str(self.workdir)]
            with self.log.open("ab") as log:
                self.proc = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.workdir,
                )
            if self._wait_ready():
                return self
            stop(self.proc)
        raise RuntimeError(f"redis-server did not start: {self.log.read_text(errors='replace')}")

    def _wait_ready(self) -> bool:
        assert self.proc is not None
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if redis_command(self.port, "PING") == "PONG":
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def close(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


@dataclass
class SidekiqProcess:
    proc: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_exit(self, timeout: float = WAIT_SECONDS) -> int | None:
        try:
            return int(self.proc.wait(timeout=timeout))
        except subprocess.TimeoutExpired:
            return None

    def wait_registered(self, port: int, timeout: float = WAIT_SECONDS) -> str | None:
        """The identity this process's heartbeat put into Redis's `processes` set, or None.

        Sidekiq 6 registers only from `Launcher#run`, after every boot check (pool size
        included) has passed, so this is proof the server started. Returns None at once if the
        process exits.
        """
        deadline = time.monotonic() + timeout
        marker = f":{self.proc.pid}:"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return None
            members = redis_command(port, "SMEMBERS", "processes")
            for member in members if isinstance(members, list) else []:
                if isinstance(member, str) and marker in member:
                    return member
            time.sleep(0.2)
        return None


def start_sidekiq(sidekiq: str, app: Path, log: Path, *args: str) -> SidekiqProcess:
    """`sidekiq ARGS` in `app`, output (stdout and stderr) to `log`, with a scrubbed environment."""
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sidekiq, *args],
            cwd=app,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return SidekiqProcess(proc, log)
