"""WL101 pinned to real Sidekiq: Debian bookworm's `ruby-sidekiq` (6.4.1) and `redis-server` (7.0).

For a tiny hand-written app, the pool WL101 flags must make the real server refuse to boot with
its pool error, and the pool WL101's fix writes must let it boot. SIDEKIQ-FACTS.md, "Redis
connection pool vs concurrency": 5.2 - 6.x need at least concurrency + 2 connections.

Skipped with a reason when Ruby, Sidekiq or Redis is missing; a failure instead under
WORKERLINT_REQUIRE_INTEGRATION=1 (set by .ci/run). Everything listens on 127.0.0.1 only; every
wait is bounded; every process started is stopped in a `finally`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli, write_files
from integration_support import (
    WAIT_SECONDS,
    RedisServer,
    SidekiqProcess,
    Tools,
    find_tools,
    redis_command,
    start_sidekiq,
    stop,
    unavailable,
)

pytestmark = pytest.mark.integration

CONCURRENCY = 10
FLAGGED_SIZE = 11
NEEDED = CONCURRENCY + 2  # the 5.2 - 6.x formula (SIDEKIQ-FACTS.md)
INITIALIZER = "config/initializers/sidekiq.rb"
SIDEKIQ_ARGS = ("-r", f"./{INITIALIZER}", "-C", "config/sidekiq.yml")

# What Sidekiq 6.4.1 prints (redis_connection.rb, cli.rb), as observed when booting it.
HASH_POOL_ERROR = (
    "Your Redis connection pool is too small for Sidekiq to work. "
    "Your pool has {size} connections but must have at least {needed}"
)
OBJECT_POOL_ERROR = (
    "Your pool of {size} Redis connections is too small, please increase the size to at least "
    "{needed}"
)


@pytest.fixture(scope="module")
def tools() -> Tools:
    found = find_tools()
    major, minor = (int(part) for part in found.sidekiq_version.split(".")[:2])
    if not (5, 2) <= (major, minor) < (7, 0):
        unavailable(
            f"installed Sidekiq is {found.sidekiq_version}; this test pins the 5.2 - 6.x pool "
            "formula (concurrency + 2) and expects Debian bookworm's 6.4.1"
        )
    return found


@pytest.fixture
def redis(tools: Tools, tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tools.redis_server, tmp_path / "redis")
    try:
        server.start()
        yield server
    finally:
        server.close()


def lockfile(version: str) -> str:
    return (
        "GEM\n"
        "  remote: https://rubygems.org/\n"
        "  specs:\n"
        "    connection_pool (2.2.5)\n"
        "    rack (2.2.4)\n"
        "    redis (4.8.0)\n"
        f"    sidekiq ({version})\n"
        "      connection_pool (>= 2.2.2)\n"
        "      rack (~> 2.0)\n"
        "      redis (>= 4.2.0)\n"
        "\n"
        "PLATFORMS\n"
        "  ruby\n"
        "\n"
        "DEPENDENCIES\n"
        "  sidekiq\n"
    )


def server_pool(port: int, form: str, size: int | None) -> str:
    url = f"redis://127.0.0.1:{port}/0"
    if form == "connection_pool":
        return f'ConnectionPool.new(size: {size}) {{ Redis.new(url: "{url}") }}'
    return f'{{ url: "{url}" }}' if size is None else f'{{ url: "{url}", size: {size} }}'


def build_app(root: Path, tools: Tools, port: int, pool: str) -> Path:
    """A Sidekiq app without Rails: the initializer is the file given to `sidekiq -r`."""
    url = f"redis://127.0.0.1:{port}/0"
    return write_files(
        root,
        {
            "Gemfile": 'source "https://rubygems.org"\n\ngem "sidekiq"\n',
            "Gemfile.lock": lockfile(tools.sidekiq_version),
            "config/sidekiq.yml": f"---\n:concurrency: {CONCURRENCY}\n:queues:\n  - default\n",
            INITIALIZER: (
                "Sidekiq.configure_server do |config|\n"
                f"  config.redis = {pool}\n"
                "end\n"
                "\n"
                "Sidekiq.configure_client do |config|\n"
                f'  config.redis = {{ url: "{url}", size: 2 }}\n'
                "end\n"
            ),
        },
    )


def boot_and_expect_refusal(tools: Tools, app: Path, log: Path, message: str) -> None:
    sidekiq = start_sidekiq(tools.sidekiq, app, log, *SIDEKIQ_ARGS)
    try:
        status = sidekiq.wait_exit(WAIT_SECONDS)
        assert status is not None, f"Sidekiq still running after {WAIT_SECONDS:.0f} s:\n" + (
            sidekiq.output()
        )
        assert status == 1, f"exit status {status}:\n{sidekiq.output()}"
        assert message in sidekiq.output()
    finally:
        stop(sidekiq.proc)


def boot_and_expect_start(tools: Tools, app: Path, log: Path, redis: RedisServer) -> str:
    """Boots, waits for the heartbeat, stops with TERM; returns the output."""
    sidekiq: SidekiqProcess = start_sidekiq(tools.sidekiq, app, log, *SIDEKIQ_ARGS)
    try:
        identity = sidekiq.wait_registered(redis.port, WAIT_SECONDS)
        assert identity, (
            f"Sidekiq did not register in Redis within {WAIT_SECONDS:.0f} s "
            f"(exit status {sidekiq.proc.poll()}):\n{sidekiq.output()}"
        )
    finally:
        status = stop(sidekiq.proc)
    output = sidekiq.output()
    assert status == 0, f"exit status {status} after TERM:\n{output}"
    assert "Bye!" in output
    assert identity not in (redis_command(redis.port, "SMEMBERS", "processes") or [])
    return output


def wl101_findings(app: Path) -> tuple[int, list[dict[str, object]]]:
    result = run_cli(
        "check", str(app), "--select", "WL101", "--output-format", "json", "--no-cache", cwd=app
    )
    assert result.code in (0, 1), f"exit {result.code}\n{result.out}\n{result.err}"
    return result.code, json.loads(result.out)["diagnostics"]


POOL_ERRORS = {"hash": HASH_POOL_ERROR, "connection_pool": OBJECT_POOL_ERROR}


@pytest.mark.parametrize("form", ["hash", "connection_pool"])
def test_wl101_flags_what_sidekiq_refuses_and_its_fix_boots(
    tools: Tools, redis: RedisServer, tmp_path: Path, form: str
) -> None:
    app = build_app(
        tmp_path / "app", tools, redis.port, server_pool(redis.port, form, FLAGGED_SIZE)
    )
    initializer = app / INITIALIZER
    original = initializer.read_text()
    size_line = original.splitlines()[1]
    size_column = size_line.index(f"size: {FLAGGED_SIZE}") + len("size: ")

    # a) WL101 reports exactly one error, at the server pool's size value (not the client's).
    code, findings = wl101_findings(app)
    assert code == 1
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding["code"] == "WL101"
    assert finding["level"] == "error"
    assert (app / str(finding["path"])).resolve() == initializer.resolve()
    assert (finding["start_line"], finding["start_column"]) == (2, size_column + 1)
    assert (finding["end_line"], finding["end_column"]) == (2, size_column + 3)
    message = str(finding["message"])
    for number in (FLAGGED_SIZE, NEEDED, CONCURRENCY):
        assert re.search(rf"\b{number}\b", message), message
    assert INITIALIZER in message and "config/sidekiq.yml" in message, message

    # b) Real Sidekiq refuses to boot with that pool.
    refusal = POOL_ERRORS[form].format(size=FLAGGED_SIZE, needed=NEEDED)
    boot_and_expect_refusal(tools, app, tmp_path / "sidekiq-flagged.log", refusal)

    # c) The unsafe fix raises the literal to the required size, and nothing else changes.
    fixed = run_cli(
        "check", str(app), "--select", "WL101", "--fix", "--unsafe-fixes", "--no-cache", cwd=app
    )
    assert fixed.code == 0, f"{fixed.out}\n{fixed.err}"
    assert initializer.read_text() == original.replace(
        f"size: {FLAGGED_SIZE}", f"size: {NEEDED}", 1
    )
    assert wl101_findings(app) == (0, [])

    # d) Real Sidekiq boots with the pool the fix wrote.
    output = boot_and_expect_start(tools, app, tmp_path / "sidekiq-fixed.log", redis)
    if form == "hash":  # a ConnectionPool object skips the line that logs the options
        assert f"Booting Sidekiq {tools.sidekiq_version} with redis options" in output
        assert f":size=>{NEEDED}}}" in output


@pytest.mark.parametrize(
    ("form", "size", "error"),
    [
        pytest.param("hash", FLAGGED_SIZE, HASH_POOL_ERROR, id="hash-11-refused"),
        pytest.param("hash", NEEDED, None, id="hash-12-boots"),
        pytest.param("hash", None, None, id="hash-default-boots"),  # concurrency + 5
        pytest.param("connection_pool", FLAGGED_SIZE, OBJECT_POOL_ERROR, id="pool-11-refused"),
        pytest.param("connection_pool", NEEDED, None, id="pool-12-boots"),
    ],
)
def test_sidekiq_pool_boundary(
    tools: Tools, redis: RedisServer, tmp_path: Path, form: str, size: int | None, error: str | None
) -> None:
    """The facts WL101 relies on, without workerlint: refusal below concurrency + 2, boot at it."""
    app = build_app(tmp_path / "app", tools, redis.port, server_pool(redis.port, form, size))
    log = tmp_path / "sidekiq.log"
    if error:
        boot_and_expect_refusal(tools, app, log, error.format(size=size, needed=NEEDED))
    else:
        boot_and_expect_start(tools, app, log, redis)
