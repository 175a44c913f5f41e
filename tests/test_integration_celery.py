"""WL110's claim pinned to a real Celery worker and Redis (PYTHON.md §3, late-ack-redelivery).

A tiny hand-written app sets `task_acks_late=True` and a Redis `visibility_timeout` of 2 s; its
task sleeps 5 s, longer than that. One message is sent; the worker runs the task twice (or more)
for it, because Redis hands the unacknowledged message out again once it is older than the
visibility timeout, and `workerlint check` reports WL110 on that app. The control, the same app
with a 60 s visibility timeout and a 30 s hard time limit, runs the task once and is not
reported.

kombu sweeps unacknowledged messages back onto the queue every `unacked_restore_interval` x
`unacked_restore_throttle` seconds (10 x 10 by default in kombu 5.7): the app sets both to 1 so
that the sweep comes within the test's time, which only makes the redelivery come sooner.

Skipped with a reason when redis-server or Celery is missing; a failure instead under
WORKERLINT_REQUIRE_INTEGRATION=1 (set by .ci/run). Everything listens on 127.0.0.1 only; every
wait is bounded; every process started is stopped in a `finally`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli, write_files
from integration_support import WAIT_SECONDS, RedisServer, clean_env, unavailable

pytestmark = pytest.mark.integration

TASK_SECONDS = 5
SHORT_VISIBILITY = 2  # below the task's run time: WL110's case
LONG_VISIBILITY = 60  # above it: the control
CONTROL_TIME_LIMIT = 30  # the control's hard limit, below its visibility timeout
DEADLINE = 25.0  # seconds the whole run may take before the test gives up


@pytest.fixture(scope="module")
def redis_server() -> str:
    found = shutil.which("redis-server")
    if found is None:
        unavailable("redis-server not installed; install with `apt-get install redis-server`")
    assert found
    return found


@pytest.fixture(scope="module")
def celery_available() -> None:
    try:
        import celery  # noqa: F401
        import redis  # noqa: F401
    except ImportError as error:
        unavailable(
            f"Celery with its Redis extra not installed ({error}); `pip install -e .[test]`"
        )


@pytest.fixture
def redis(redis_server: str, celery_available: None, tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(redis_server, tmp_path / "redis")
    try:
        server.start()
        yield server
    finally:
        server.close()


def app_source(broker: str, visibility: int, log: Path, time_limit: int | None = None) -> str:
    """The app a user would write (one module), the sweep settings aside."""
    limit = f"    task_time_limit={time_limit},\n" if time_limit is not None else ""
    return (
        "import time\n"
        "\n"
        "from celery import Celery\n"
        "\n"
        f'app = Celery("tasks", broker="{broker}")\n'
        "app.conf.update(\n"
        "    task_acks_late=True,\n"
        f"{limit}"
        "    broker_transport_options={\n"
        f'        "visibility_timeout": {visibility},\n'
        '        "unacked_restore_interval": 1,\n'
        '        "unacked_restore_throttle": 1,\n'
        "    },\n"
        ")\n"
        "\n"
        "\n"
        "@app.task(bind=True)\n"
        "def rebuild_report(self):\n"
        f'    with open("{log}", "a") as out:\n'
        '        out.write(f"start {self.request.id}\\n")\n'
        f"    time.sleep({TASK_SECONDS})\n"
        f'    with open("{log}", "a") as out:\n'
        '        out.write(f"end {self.request.id}\\n")\n'
    )


def start_worker(app: Path, output: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "-P", "prefork"]
    command += ["-c", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["-l", "info"]
    env = {**clean_env(), "PYTHONPATH": str(app), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CELERY_CONFIG_MODULE", None)
    with output.open("ab") as log:
        return subprocess.Popen(
            command,
            cwd=app,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: the pool's children go with it
        )


def stop_workers(workers: list[subprocess.Popen[bytes]], grace: float = 10.0) -> None:
    """Cold shutdown (QUIT: the running task is not waited for), then KILL a worker's own
    process group if it is still there after `grace` seconds."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGQUIT)
    deadline = time.monotonic() + grace
    for worker in workers:
        try:
            worker.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=WAIT_SECONDS)


def send(broker: str) -> str:
    """Send one message for the task by name, from a producer of our own (the app module is
    never imported here)."""
    from celery import Celery

    producer = Celery("producer", broker=broker)
    try:
        return str(producer.send_task("tasks.rebuild_report").id)
    finally:
        producer.close()


def lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_late_ack_past_the_visibility_timeout_runs_the_task_twice(
    redis: RedisServer, tmp_path: Path
) -> None:
    apps: dict[int, Path] = {}
    runs: dict[int, tuple[Path, Path, str]] = {}
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for db, visibility in enumerate((SHORT_VISIBILITY, LONG_VISIBILITY)):
            broker = f"redis://127.0.0.1:{redis.port}/{db}"
            app = apps[visibility] = tmp_path / f"app{visibility}"
            log = tmp_path / f"runs{visibility}.log"
            output = tmp_path / f"worker{visibility}.log"
            limit = CONTROL_TIME_LIMIT if visibility == LONG_VISIBILITY else None
            write_files(app, {"tasks.py": app_source(broker, visibility, log, limit)})
            workers.append(start_worker(app, output))
            runs[visibility] = (log, output, send(broker))
        deadline = time.monotonic() + DEADLINE
        short_log, short_output, short_id = runs[SHORT_VISIBILITY]
        long_log, long_output, long_id = runs[LONG_VISIBILITY]
        while time.monotonic() < deadline:
            if lines(short_log).count(f"end {short_id}") >= 2 and f"end {long_id}" in lines(
                long_log
            ):
                break
            if any(worker.poll() is not None for worker in workers):
                break
            time.sleep(0.2)
    finally:
        stop_workers(workers)
    short_runs = lines(short_log)
    assert short_runs.count(f"end {short_id}") >= 2, (
        f"one message, runs: {short_runs}\n{short_output.read_text(errors='replace')}"
    )
    assert short_runs.count(f"start {short_id}") >= 2
    assert lines(long_log) == [f"start {long_id}", f"end {long_id}"], long_output.read_text(
        errors="replace"
    )
    # WL110 reports the app that ran twice, at its `task_acks_late=True`, and not the control,
    # whose hard time limit ends a task before the visibility timeout.
    flagged = wl110(apps[SHORT_VISIBILITY])
    assert flagged == [
        f"tasks.py:7:20: error: WL110 `task_acks_late` is on (tasks.py:7) with the Redis broker's "
        f"visibility timeout of {SHORT_VISIBILITY} s (tasks.py:9) and no hard time limit: a task "
        f"still running after {SHORT_VISIBILITY} s is delivered again and runs twice "
        "(`tasks.rebuild_report`)"
    ]
    assert wl110(apps[LONG_VISIBILITY]) == []


def wl110(app: Path) -> list[str]:
    result = run_cli(
        "check", ".", "--no-cache", "--output-format", "concise", "--select", "WL110", cwd=app
    )
    assert result.code in (0, 1), result.err
    return [line for line in result.out.splitlines() if "WL110" in line]
