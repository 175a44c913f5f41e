"""Library behaviour the Python rules rely on, checked against the installed libraries
(PYTHON.md §8's open questions that are not about parsing, and the defaults of §2 and §4).

- kombu's JSON serializer (Celery's default, WL403): `datetime`, `date`, `time`, `Decimal`,
  `UUID` and `bytes` pass and come back as themselves (kombu marks them with `__type__`); a
  `set` and an arbitrary object raise `kombu.exceptions.EncodeError`.
- Dramatiq's worker command (WL103, WL108): `--processes` defaults to the CPU count, `--threads`
  to 8, `--worker-shutdown-timeout` to 600,000 ms; the `Retries` middleware (WL604) to 20
  retries with backoff from 15 s up to 7 days; a Redis broker's dead messages live 7 days
  (WL603).
- Celery (WL604, WL605, WL503): a task retries 3 times, 180 s apart; `retry_backoff_max` is
  600 s; the prefork, threads and solo pools make `result.get()` in a task raise (they set
  `task_join_will_block`), gevent and eventlet do not.

Skipped with a reason when a library is missing; a failure instead under
WORKERLINT_REQUIRE_INTEGRATION=1 (the test extras install them).
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import importlib.util
import multiprocessing
import uuid
from types import ModuleType

import pytest
from integration_support import unavailable


def need(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        unavailable(f"{module} not installed ({error}); `pip install -e .[test]`")
        raise


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 3, 1, 12, 30, 5),
        datetime.date(2026, 3, 1),
        datetime.time(12, 30),
        decimal.Decimal("19.90"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        b"\x00raw",
    ],
    ids=["datetime", "date", "time", "Decimal", "UUID", "bytes"],
)
def test_kombu_json_round_trips_typed_values(value: object) -> None:
    serialization = need("kombu.serialization")
    content_type, encoding, body = serialization.dumps(value, serializer="json")
    assert '"__type__"' in body
    back = serialization.loads(body, content_type, encoding)
    assert back == value
    assert type(back) is type(value)


@pytest.mark.parametrize("value", [{1, 2}, object(), lambda: None], ids=["set", "object", "lambda"])
def test_kombu_json_rejects_other_objects(value: object) -> None:
    serialization = need("kombu.serialization")
    exceptions = need("kombu.exceptions")
    with pytest.raises(exceptions.EncodeError, match="is not JSON serializable"):
        serialization.dumps(value, serializer="json")


def test_dramatiq_worker_command_defaults() -> None:
    cli = need("dramatiq.cli")
    parsed = cli.make_argument_parser().parse_args(["shop.tasks"])
    assert parsed.processes == multiprocessing.cpu_count()
    assert parsed.threads == 8
    assert parsed.worker_shutdown_timeout == 600_000  # milliseconds


def test_dramatiq_retry_and_dead_message_defaults() -> None:
    retries = need("dramatiq.middleware.retries")
    middleware = retries.Retries()
    assert middleware.max_retries == 20
    assert middleware.min_backoff == 15_000  # milliseconds
    assert middleware.max_backoff == 7 * 24 * 3600 * 1000
    redis_broker = need("dramatiq.brokers.redis")
    assert redis_broker.DEFAULT_DEAD_MESSAGE_TTL == 7 * 24 * 3600 * 1000


def test_celery_task_retry_defaults() -> None:
    task = need("celery.app.task")
    assert task.Task.max_retries == 3
    assert task.Task.default_retry_delay == 180
    assert task.Task.acks_late is None  # None: the app's task_acks_late (False) decides
    defaults = need("celery.app.defaults")
    assert defaults.NAMESPACES["task"]["acks_late"].default is False
    autoretry = need("celery.app.autoretry")
    source = importlib.util.find_spec(autoretry.__name__)
    assert source is not None and source.origin is not None
    with open(source.origin, encoding="utf-8") as handle:
        text = handle.read()
    assert "getattr(task, 'retry_backoff_max', 600)" in text


@pytest.mark.parametrize(
    ("pool", "blocks"),
    [("prefork", True), ("threads", True), ("solo", True), ("gevent", False), ("eventlet", False)],
)
def test_celery_pools_that_forbid_waiting_on_results(pool: str, blocks: bool) -> None:
    concurrency = need("celery.concurrency")
    base = need("celery.concurrency.base")
    path = concurrency.ALIASES[pool]
    module_name, _, class_name = path.partition(":")
    if pool in ("gevent", "eventlet"):
        # Importing these pools needs gevent/eventlet installed; read their class attribute from
        # the source instead.
        spec = importlib.util.find_spec(module_name)
        assert spec is not None and spec.origin is not None
        with open(spec.origin, encoding="utf-8") as handle:
            assert "task_join_will_block = False" in handle.read()
        return
    cls = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(cls, base.BasePool)
    assert cls.task_join_will_block is blocks


def test_waiting_on_a_result_when_joins_block_raises() -> None:
    state = need("celery._state")
    result = need("celery.result")
    state._set_task_join_will_block(True)
    try:
        with pytest.raises(RuntimeError, match=r"Never call result\.get\(\) within a task"):
            result.assert_will_not_block()
        with result.allow_join_result():
            result.assert_will_not_block()  # allow_join_result() lifts it
    finally:
        state._set_task_join_will_block(False)
