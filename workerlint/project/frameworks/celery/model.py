"""The CelerySetup model: what a Python project's Celery (and RQ/Dramatiq) workers run with.

Data only (Values, Sources, tuples): built once per run by setup.py, or taken from
the copy app/celery_cache.py keeps while what the build asked is unchanged. Rules read:

- ``apps``: each ``Celery(...)`` app (module, variable, namespace, config object);
- ``keys``: every setting key written in a Celery configuration source, in order (``Setting``:
  the key as written, the new-style ``name`` it sets or None, its Value, where the key is, and
  its ``origin``: ``settings`` (a ``config_from_object`` module, Django settings included),
  ``conf-update``, ``conf-attribute`` or ``app-argument``);
- ``value(name)``: the effective Value of a new-style setting (the last unconditional write; a
  write under a condition makes it unknown), else Celery's default (source None; PYTHON.md §3
  "Defaults"); ``setting(name)`` the Setting that wins, or None;
- typed views: ``broker_kind`` (redis / sqs / amqp / unknown), ``visibility_timeout``,
  ``beat_entries``, ``routes``, ``declared_queues``, ``default_queue``, ``has_beat``,
  ``worker_value(command, name)`` (a command-line option first, then the setting);
- ``commands``: worker and beat processes (commands.py), ``celery_workers`` those of Celery;
- ``versions``: locked versions (version.py), ``version(package)``;
- ``django_databases``: Django's ``DATABASES`` as a Value (WL102's connection pools);
- ``email_timeout`` (Django's ``EMAIL_TIMEOUT``) and ``socket_timeout`` (a
  ``socket.setdefaulttimeout(N)`` at module level of the settings or app module, or in a
  ``worker_process_init`` handler) for WL201;
- ``sources``: the relpaths of the Python modules it read (a change there re-runs project rules).
"""

from __future__ import annotations

from dataclasses import field
from fnmatch import fnmatchcase

from workerlint.core.records import record
from workerlint.formats.values import Source, Value
from workerlint.project.frameworks.celery.commands import CELERY, CELERY_BEAT, WorkerCommand
from workerlint.project.frameworks.celery.keys import DEFAULTS
from workerlint.project.frameworks.celery.pyvalues import members, plain
from workerlint.project.frameworks.celery.version import Locked

NOT_GIVEN = object()  # queue_of: the task's decorator has no ``queue=``

DEFAULT_VISIBILITY = {"redis": 3600, "sqs": 1800}
# Options a worker command sets, by the setting they override.
COMMAND_OPTIONS = {
    "worker_concurrency": "concurrency",
    "worker_pool": "pool",
    "worker_prefetch_multiplier": "prefetch_multiplier",
    "worker_max_tasks_per_child": "max_tasks_per_child",
    "worker_max_memory_per_child": "max_memory_per_child",
    "task_time_limit": "time_limit",
    "task_soft_time_limit": "soft_time_limit",
}


@record(frozen=True)
class CeleryApp:
    relpath: str
    variable: str
    main: str | None  # ``Celery("shop")``
    source: Source  # the ``Celery(...)`` call
    config_object: str | None = None  # as written: ``django.conf:settings``, ``celeryconfig``
    config_relpath: str | None = None  # the module it names, when in the project
    namespace: str | None = None
    task_cls: Value | None = None


@record(frozen=True)
class Setting:
    key: str
    name: str | None  # the new-style setting it sets; None when Celery reads no such setting
    value: Value
    key_source: Source
    origin: str
    conditional: bool = False
    namespace: str | None = None  # the namespace it was read under


@record(frozen=True)
class BeatEntry:
    name: str
    task: Value | None
    queue: Value | None  # ``options["queue"]``
    source: Source  # the entry's key


@record(frozen=True)
class Route:
    pattern: str  # a task name or glob
    queue: Value
    source: Source


@record(frozen=True)
class CelerySetup:
    apps: tuple[CeleryApp, ...] = ()
    keys: tuple[Setting, ...] = ()
    commands: tuple[WorkerCommand, ...] = ()
    versions: dict[str, Locked] = field(default_factory=dict)
    email_timeout: Value | None = None
    email_backend: Value | None = None  # Django's ``EMAIL_BACKEND`` (WL201: SMTP or not)
    socket_timeout: Value | None = None
    django_settings: str | None = None  # relpath of DJANGO_SETTINGS_MODULE's module
    django_databases: Value | None = None  # its DATABASES (a dict Value), for WL102
    sources: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()

    # -- settings ------------------------------------------------------------------------------

    @property
    def found(self) -> bool:
        """Whether the project has a Celery app."""
        return bool(self.apps)

    def setting(self, name: str) -> Setting | None:
        found = None
        for setting in self.keys:
            if setting.name == name:
                found = setting
        return found

    def value(self, name: str) -> Value:
        setting = self.setting(name)
        if setting is None:
            return Value(DEFAULTS.get(name), "known", None, note="Celery's default")
        if any(s.conditional for s in self.keys if s.name == name):
            return Value(None, "unknown", setting.value.source, note="assigned under a condition")
        return setting.value

    def is_set(self, name: str) -> bool:
        return self.setting(name) is not None

    # -- broker --------------------------------------------------------------------------------

    @property
    def broker_url(self) -> Value:
        return self.value("broker_url")

    @property
    def broker_kind(self) -> str:
        """redis, sqs, amqp or unknown (a custom transport class, an unknown URL, none set)."""
        transport = self.value("broker_transport")
        if transport.status == "unknown" or (
            isinstance(transport.value, str) and "." in transport.value
        ):
            return "unknown"
        url = self.broker_url
        text = url.value if url.status != "unknown" and isinstance(url.value, str) else None
        if text is None and isinstance(transport.value, str):
            text = transport.value + "://"
        if text is None:
            return "unknown"
        scheme = text.split("://", 1)[0].split("+", 1)[0].lower() if "://" in text else ""
        if scheme in ("redis", "rediss", "sentinel"):
            return "redis"
        if scheme == "sqs":
            return "sqs"
        if scheme in ("amqp", "amqps", "pyamqp", "librabbitmq"):
            return "amqp"
        return "unknown"

    @property
    def visibility_timeout(self) -> Value | None:
        """``broker_transport_options["visibility_timeout"]``, else the broker's default (None
        for a broker without one or an unknown broker)."""
        options = self.value("broker_transport_options")
        given = members(options).get("visibility_timeout")
        if given is not None:
            return given
        default = DEFAULT_VISIBILITY.get(self.broker_kind)
        if default is None:
            return None
        if options.status == "unknown":
            return Value(None, "unknown", options.source, note="transport options unknown")
        return Value(default, "known", None, note=f"the {self.broker_kind} transport's default")

    # -- workers -------------------------------------------------------------------------------

    @property
    def celery_workers(self) -> tuple[WorkerCommand, ...]:
        return tuple(c for c in self.commands if c.framework == CELERY and not c.development_only)

    @property
    def has_beat(self) -> bool:
        return any(c.framework == CELERY_BEAT or c.embeds_beat for c in self.commands)

    def worker_value(self, command: WorkerCommand | None, name: str) -> Value:
        """A worker setting as one process runs it: its command-line option, else the
        setting's effective value."""
        option = COMMAND_OPTIONS.get(name)
        if command is not None and option is not None:
            given = command.option(option)
            if given is not None:
                return given
        return self.value(name)

    def concurrency(self, command: WorkerCommand | None) -> Value:
        """How many tasks a worker process runs at once: ``--autoscale`` max, ``-c``, else
        ``worker_concurrency``; unset is the CPU count (unknown)."""
        if command is not None:
            scale = command.option("autoscale")
            if scale is not None:
                text = str(scale.value).split(",", 1)[0] if scale.status != "unknown" else ""
                if text.strip().isdigit():
                    return Value(int(text), scale.status, scale.source, scale.variables)
                return Value(None, "unknown", scale.source, scale.variables)
        value = self.worker_value(command, "worker_concurrency")
        if value.source is None and value.value is None:
            return Value(None, "unknown", None, note="the CPU count (worker_concurrency unset)")
        return value

    def pool(self, command: WorkerCommand | None) -> str | None:
        """prefork, threads, gevent, eventlet, solo; None when unknown."""
        value = self.worker_value(command, "worker_pool")
        if value.status == "unknown" or not isinstance(value.value, str):
            return None
        name = value.value.rsplit(":", 1)[-1].lower()
        return {"processes": "prefork", "threading": "threads"}.get(name, name)

    def workers_or_settings(self) -> tuple[WorkerCommand | None, ...]:
        """Each Celery worker command, or the settings alone (None) when there is none."""
        return self.celery_workers or (None,)

    # -- queues and schedules ------------------------------------------------------------------

    @property
    def default_queue(self) -> str:
        value = plain(self.value("task_default_queue"))
        return value if isinstance(value, str) else "celery"

    @property
    def declared_queues(self) -> tuple[str, ...] | None:
        """Queue names of ``task_queues`` (dict keys, or ``Queue("name")`` that cannot be read:
        None), else None."""
        setting = self.setting("task_queues")
        if setting is None:
            return None
        value = setting.value
        if isinstance(value.value, dict):
            return tuple(str(k) for k in value.value)
        return None

    def consumed_by(self, worker: WorkerCommand) -> frozenset[str] | None:
        """The queues one Celery worker command consumes: ``-Q`` (else ``task_queues``, else
        ``task_default_queue``) less ``-X``; None when any of them cannot be read."""
        if worker.queues is not None:
            names: set[str] = set()
            for value in worker.queues:
                if value.status == "unknown" or not isinstance(value.value, str):
                    return None
                names.add(value.value)
        elif self.declared_queues is not None:
            names = set(self.declared_queues)
        elif self.is_set("task_queues"):
            return None  # ``Queue(...)`` objects: not read
        else:
            names = {self.default_queue}
        excluded = worker.option("exclude_queues")
        if excluded is not None and excluded.status == "unknown":
            return None
        if excluded is not None:
            names -= {q.strip() for q in str(excluded.value).split(",")}
        return frozenset(names)

    def queue_of(self, name: str, given: object) -> str | None:
        """The queue a task registered as ``name`` is sent to: its decorator's ``queue=``
        (``given``: a literal, NOT_GIVEN or anything else for one that cannot be read), else
        the first ``task_routes`` entry matching its name, else ``task_default_queue``. None
        when it cannot be read. ``apply_async(queue=)`` at a call site is not read."""
        if isinstance(given, str):
            return given
        if given is not NOT_GIVEN:
            return None
        if self.is_set("task_routes") and not self.routes:
            return None  # a router function or a list of routers: not read
        for route in self.routes:
            if fnmatchcase(name, route.pattern):
                queue = route.queue
                readable = isinstance(queue.value, str) and queue.status != "unknown"
                return queue.value if readable else None  # type: ignore[return-value]
        return self.default_queue

    def consumers(self, queue: str) -> tuple[WorkerCommand, ...] | None:
        """The Celery worker commands that consume ``queue``; None when any worker's queues
        cannot be read."""
        found = []
        for worker in self.celery_workers:
            consumed = self.consumed_by(worker)
            if consumed is None:
                return None
            if queue in consumed:
                found.append(worker)
        return tuple(found)

    @property
    def routes(self) -> tuple[Route, ...]:
        found = []
        for pattern, route in members(self.value("task_routes")).items():
            queue = members(route).get("queue")
            if isinstance(pattern, str) and queue is not None:
                found.append(Route(pattern, queue, queue.source or route.source))  # type: ignore[arg-type]
        return tuple(found)

    @property
    def beat_entries(self) -> tuple[BeatEntry, ...]:
        found = []
        schedule = self.value("beat_schedule")
        for name, entry in members(schedule).items():
            fields = members(entry)
            options = members(fields.get("options"))
            source = entry.source or schedule.source
            if source is None:
                continue
            found.append(BeatEntry(str(name), fields.get("task"), options.get("queue"), source))
        return tuple(found)

    # -- versions ------------------------------------------------------------------------------

    def version(self, package: str) -> tuple[int, ...] | None:
        locked = self.versions.get(package)
        return locked.number if locked is not None and locked.number else None
