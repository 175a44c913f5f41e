"""The CelerySetup model (project/frameworks/celery): its sources, values (known, template
default, unknown), worker commands from every command source, and locked versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from workerlint.core.fs import MemoryFileSystem
from workerlint.project.frameworks.celery.commands import commands_of
from workerlint.project.frameworks.celery.model import NOT_GIVEN, CelerySetup
from workerlint.project.frameworks.celery.setup import build_celery_setup
from workerlint.project.index import build_index

ROOT = Path("/celery-setup-test")
DJANGO_APP = """\
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
"""


def setup_of(files: dict[str, str], celery_version: str | None = None) -> CelerySetup:
    fs = MemoryFileSystem(ROOT, {rel: text.encode() for rel, text in files.items()})
    index = build_index(ROOT, use_cache=False, fs=fs).python
    return build_celery_setup(ROOT, index, fs, celery_version)


def django(settings: str, **extra: str) -> CelerySetup:
    files = {
        "pyproject.toml": "[project]\nname='shop'\n",
        "shop/__init__.py": "",
        "shop/celery.py": DJANGO_APP,
        "shop/settings.py": settings,
    }
    files.update({k.replace("__", "/").replace("_DOT_", "."): v for k, v in extra.items()})
    return setup_of(files)


# -- sources and values --------------------------------------------------------------------------


def test_django_settings_read_with_the_namespace():
    celery = django(
        'CELERY_BROKER_URL = "redis://redis:6379/0"\nCELERY_TASK_ACKS_LATE = True\nDEBUG = False\n'
    )
    (app,) = celery.apps
    assert (app.relpath, app.variable, app.main) == ("shop/celery.py", "app", "shop")
    assert (app.config_object, app.config_relpath, app.namespace) == (
        "django.conf:settings",
        "shop/settings.py",
        "CELERY",
    )
    assert celery.django_settings == "shop/settings.py"
    assert [(s.key, s.name, s.origin) for s in celery.keys] == [
        ("CELERY_BROKER_URL", "broker_url", "settings"),
        ("CELERY_TASK_ACKS_LATE", "task_acks_late", "settings"),
    ]
    acks = celery.value("task_acks_late")
    assert (acks.value, acks.status, acks.source.where) == (True, "known", "shop/settings.py:2")
    assert celery.broker_kind == "redis"
    assert celery.sources == frozenset({"shop/celery.py", "shop/settings.py"})


def test_values_known_default_and_unknown():
    celery = django(
        "import os\n"
        "import environ\n"
        "from decouple import config\n"
        "from shop.env import get_int\n"
        "env = environ.Env()\n"
        "HOUR = 60 * 60\n"
        'CELERY_WORKER_CONCURRENCY = int(os.environ.get("WORKERS", "4"))\n'
        "CELERY_TASK_TIME_LIMIT = HOUR\n"
        'CELERY_TASK_SOFT_TIME_LIMIT = env.int("SOFT_LIMIT", default=3000)\n'
        'CELERY_WORKER_PREFETCH_MULTIPLIER = config("PREFETCH", default="2", cast=int)\n'
        'CELERY_WORKER_MAX_TASKS_PER_CHILD = get_int("MAX_TASKS", 50)\n'
        'CELERY_BROKER_URL = os.environ["BROKER_URL"]\n'
        'if os.environ.get("EAGER"):\n'
        "    CELERY_TASK_ALWAYS_EAGER = True\n",
        shop__env_DOT_py="import os\n\n\ndef get_int(name, default):\n"
        "    return int(os.environ.get(name, default))\n",
    )

    def shown(name: str) -> tuple[object, str, tuple[str, ...]]:
        value = celery.value(name)
        return value.value, value.status, value.variables

    assert shown("worker_concurrency") == (4, "default", ("WORKERS",))
    assert shown("task_time_limit") == (3600, "known", ())
    assert celery.value("task_time_limit").note == "via `HOUR`, shop/settings.py:6"
    assert shown("task_soft_time_limit") == (3000, "default", ("SOFT_LIMIT",))
    assert shown("worker_prefetch_multiplier") == (2, "default", ("PREFETCH",))
    assert shown("worker_max_tasks_per_child") == (50, "default", ("MAX_TASKS",))
    assert shown("broker_url") == (None, "unknown", ())
    assert shown("task_always_eager") == (None, "unknown", ())
    assert celery.value("task_always_eager").note == "assigned under a condition"
    assert celery.broker_kind == "unknown"
    default = celery.value("worker_prefetch_multiplier")
    assert default.source is not None and default.source.where == "shop/settings.py:10"


def test_unset_settings_are_celerys_defaults():
    celery = django('CELERY_BROKER_URL = "sqs://"\n')
    prefetch = celery.value("worker_prefetch_multiplier")
    assert (prefetch.value, prefetch.source, prefetch.note) == (4, None, "Celery's default")
    assert celery.value("task_acks_late").value is False
    assert celery.value("result_expires").value == 86400
    assert celery.default_queue == "celery"
    visibility = celery.visibility_timeout
    assert visibility is not None and (visibility.value, visibility.source) == (1800, None)


def test_split_settings_and_imported_names():
    celery = django(
        "from shop.base import *  # noqa\n"
        "from shop.redis import REDIS_URL\n"
        "CELERY_BROKER_URL = REDIS_URL\n",
        shop__base_DOT_py="CELERY_TASK_TIME_LIMIT = 600\n",
        shop__redis_DOT_py='import os\nREDIS_URL = os.getenv("REDIS_URL", "redis://r:6379/0")\n',
    )
    limit = celery.setting("task_time_limit")
    assert limit is not None and limit.key_source.where == "shop/base.py:1"
    url = celery.value("broker_url")
    assert (url.value, url.status, url.variables) == ("redis://r:6379/0", "default", ("REDIS_URL",))
    assert celery.broker_kind == "redis"


def test_celeryconfig_conf_update_and_app_arguments_in_order():
    celery = setup_of(
        {
            "celeryconfig.py": "task_acks_late = False\nworker_prefetch_multiplier = 8\n"
            'broker_transport_options = {"visibility_timeout": 7200}\n',
            "worker/__init__.py": "",
            "worker/app.py": "from celery import Celery\n\n"
            'app = Celery("worker", broker="redis://localhost:6379/0", backend="django-db")\n'
            'app.config_from_object("celeryconfig")\n'
            "app.conf.update(task_acks_late=True)\n"
            "app.conf.worker_prefetch_multiplier = 1\n",
        }
    )
    (app,) = celery.apps
    assert (app.config_relpath, app.namespace) == ("celeryconfig.py", None)
    assert [(s.key, s.origin) for s in celery.keys] == [
        ("broker", "app-argument"),
        ("backend", "app-argument"),
        ("task_acks_late", "settings"),
        ("worker_prefetch_multiplier", "settings"),
        ("broker_transport_options", "settings"),
        ("task_acks_late", "conf-update"),
        ("worker_prefetch_multiplier", "conf-attribute"),
    ]
    assert celery.value("task_acks_late").value is True
    assert celery.value("worker_prefetch_multiplier").source.where == "worker/app.py:6"
    assert celery.value("result_backend").value == "django-db"
    visibility = celery.visibility_timeout
    assert visibility is not None and visibility.value == 7200
    assert visibility.source is not None and visibility.source.where == "celeryconfig.py:3"


def test_custom_transport_makes_the_broker_unknown():
    celery = django(
        'CELERY_BROKER_URL = "sqs://"\nCELERY_BROKER_TRANSPORT = "shop.sqs.Transport"\n'
    )
    assert celery.broker_kind == "unknown"
    assert celery.visibility_timeout is None


def test_beat_entries_and_routes():
    celery = django(
        "CELERY_BEAT_SCHEDULE = {\n"
        '    "nightly": {"task": "shop.tasks.nightly", "schedule": 3600,\n'
        '                "options": {"queue": "slow"}},\n'
        "}\n"
        'CELERY_TASK_ROUTES = {"shop.tasks.*": {"queue": "shop"}}\n'
    )
    (entry,) = celery.beat_entries
    assert (entry.name, entry.task.value, entry.queue.value) == (
        "nightly",
        "shop.tasks.nightly",
        "slow",
    )
    assert entry.queue.source.where == "shop/settings.py:3"
    (route,) = celery.routes
    assert (route.pattern, route.queue.value, route.source.where) == (
        "shop.tasks.*",
        "shop",
        "shop/settings.py:5",
    )


def test_queue_of_a_task_and_the_workers_that_consume_it():
    celery = django(
        'CELERY_TASK_ROUTES = {"shop.tasks.export_*": {"queue": "exports"}}\n'
        'CELERY_TASK_DEFAULT_QUEUE = "main"\n',
        Procfile=(
            "web: gunicorn shop.wsgi\n"
            "worker: celery -A shop worker -Q main,exports -X exports\n"
            "exports: celery -A shop worker -P threads -Q exports\n"
            "everything: celery -A shop worker\n"
        ),
    )
    assert celery.queue_of("shop.tasks.resize", "thumbs") == "thumbs"
    assert celery.queue_of("shop.tasks.resize", object()) is None  # `queue=` not a literal
    assert celery.queue_of("shop.tasks.export_csv", NOT_GIVEN) == "exports"
    assert celery.queue_of("shop.tasks.resize", NOT_GIVEN) == "main"
    labels = {q: [w.name for w in celery.consumers(q)] for q in ("main", "exports", "thumbs")}
    # `-X exports` removes it from `worker`; no `-Q` consumes the default queue
    assert labels == {"main": ["worker", "everything"], "exports": ["exports"], "thumbs": []}


def test_queue_of_is_unknown_with_a_router_function_and_consumers_with_a_variable_queue():
    celery = django(
        "def route(name, args, kwargs, options, task=None, **kw):\n"
        '    return {"queue": "x"}\n'
        "CELERY_TASK_ROUTES = (route,)\n",
        Procfile="worker: celery -A shop worker -Q ${QUEUES}\n",
    )
    assert celery.queue_of("shop.tasks.resize", NOT_GIVEN) is None
    assert celery.consumers("celery") is None


def test_email_timeout_and_socket_default_timeout():
    celery = django(
        "import socket\nEMAIL_TIMEOUT = 15\nsocket.setdefaulttimeout(20)\n",
    )
    assert celery.email_timeout is not None and celery.email_timeout.value == 15
    assert celery.socket_timeout is not None
    assert (celery.socket_timeout.value, celery.socket_timeout.source.where) == (
        20,
        "shop/settings.py:3",
    )


def test_socket_timeout_in_a_worker_process_init_handler_only():
    app = (
        "import socket\n\nfrom celery import Celery\nfrom celery.signals import "
        "worker_process_init, task_prerun\n\n"
        'app = Celery("worker")\n\n\n'
        "@task_prerun.connect\ndef before(**kwargs):\n    socket.setdefaulttimeout(5)\n\n\n"
        "@worker_process_init.connect\ndef init(**kwargs):\n    socket.setdefaulttimeout(30)\n"
    )
    celery = setup_of({"worker/__init__.py": "", "worker/app.py": app})
    assert celery.socket_timeout is not None
    assert (celery.socket_timeout.value, celery.socket_timeout.source.where) == (
        30,
        "worker/app.py:16",
    )


def test_no_celery_app():
    celery = setup_of({"shop/__init__.py": "", "shop/settings.py": "CELERY_BROKER_URL = 'x'\n"})
    assert not celery.found and celery.keys == ()


# -- worker commands ----------------------------------------------------------------------------


def options(relpath: str, text: str) -> list[tuple[str, str, dict[str, object], object]]:
    found = []
    for command in commands_of(relpath, text.encode()):
        shown = {o.name: o.value.value for o in command.options}
        queues = [q.value for q in command.queues] if command.queues is not None else None
        found.append((command.framework, command.name, shown, queues))
    return found


def test_celery_worker_options_in_a_procfile():
    text = (
        "web: gunicorn shop.wsgi\n"
        "worker: celery -A shop worker -c 8 -P threads -Q a,b -X c --prefetch-multiplier 2 "
        "--max-tasks-per-child 100 --time-limit=600 --soft-time-limit 540 --autoscale=10,3 "
        "-O fair\n"
        "beat: celery -A shop beat\n"
    )
    assert options("Procfile", text) == [
        (
            "celery",
            "worker",
            {
                "app": "shop",
                "concurrency": 8,
                "pool": "threads",
                "exclude_queues": "c",
                "prefetch_multiplier": 2,
                "max_tasks_per_child": 100,
                "time_limit": 600,
                "soft_time_limit": 540,
                "autoscale": "10,3",
                "optimization": "fair",
            },
            ["a", "b"],
        ),
        ("celery-beat", "beat", {"app": "shop"}, None),
    ]
    (worker, _) = commands_of("Procfile", text.encode())
    flag = worker.option("concurrency")
    assert flag is not None and flag.source is not None
    assert (flag.source.line, flag.source.column) == (2, 31)
    assert text.encode()[flag.source.start : flag.source.end] == b"-c 8"


def test_shell_defaults_and_unknown_variables():
    (command,) = commands_of(
        "Procfile", b"worker: celery -A shop worker -c ${CONCURRENCY:-6} -Q $QUEUES\n"
    )
    concurrency = command.option("concurrency")
    assert concurrency is not None
    assert (concurrency.value, concurrency.status, concurrency.variables) == (
        6,
        "default",
        ("CONCURRENCY",),
    )
    assert command.queues is not None
    assert [(q.value, q.status, q.variables) for q in command.queues] == [
        (None, "unknown", ("QUEUES",))
    ]


@pytest.mark.parametrize(
    ("relpath", "text", "name", "line"),
    [
        (
            "docker-compose.yml",
            "services:\n  worker:\n    image: shop\n    command: celery -A shop worker -c 3\n",
            "worker",
            4,
        ),
        (
            "compose.yaml",
            'services:\n  jobs:\n    command: ["celery", "-A", "shop", "worker", "-c", "3"]\n',
            "jobs",
            3,
        ),
        (
            "docker/compose.prod.yml",
            "services:\n  jobs:\n    command:\n      - celery\n      - -A\n      - shop\n"
            "      - worker\n      - -c\n      - '3'\n",
            "jobs",
            4,
        ),
        (
            "Dockerfile",
            'FROM python:3.12\nCMD ["celery", "-A", "shop", "worker", "-c", "3"]\n',
            "Dockerfile",
            2,
        ),
        (
            "deploy/shop-worker.service",
            "[Service]\nExecStart=/srv/venv/bin/celery -A shop worker -c 3\n",
            "shop-worker",
            2,
        ),
        (
            "deploy/supervisord.conf",
            "[program:jobs]\ncommand=/srv/venv/bin/celery -A shop worker -c 3\n",
            "jobs",
            2,
        ),
        (
            "docker/rootfs/etc/s6-overlay/s6-rc.d/svc-worker/run",
            "#!/command/with-contenv /usr/bin/bash\ncd /app\n"
            "exec s6-setuidgid app /usr/local/bin/celery --app shop worker -c 3\n",
            "svc-worker",
            3,
        ),
    ],
)
def test_every_command_source(relpath, text, name, line):
    (command,) = commands_of(relpath, text.encode())
    concurrency = command.option("concurrency")
    assert (command.framework, command.name, command.source.line) == ("celery", name, line)
    assert concurrency is not None and (concurrency.value, concurrency.status) == (3, "known")


def test_rq_and_dramatiq_commands():
    text = (
        "rq: rq worker high default --url redis://r:6379 --with-scheduler\n"
        "django: python manage.py rqworker critical\n"
        "bare: rqworker\n"
        "actors: dramatiq shop.actors -p 2 -t 8 -Q mail thumbnails --worker-shutdown-timeout 20000\n"
    )
    assert options("Procfile", text) == [
        ("rq", "rq", {"url": "redis://r:6379"}, ["high", "default"]),
        ("rq", "django", {}, ["critical"]),
        ("rq", "bare", {}, None),
        (
            "dramatiq",
            "actors",
            {"processes": 2, "threads": 8, "worker_shutdown_timeout": 20000},
            ["mail", "thumbnails"],
        ),
    ]


def test_commands_found_in_the_project_and_development_procfiles_marked():
    celery = django(
        'CELERY_BROKER_URL = "redis://r"\n',
        Procfile="worker: celery -A shop worker -c 2\n",
        Procfile_DOT_dev="worker: celery -A shop worker -c 1\n",
    )
    assert [(c.relpath, c.development_only) for c in celery.commands] == [
        ("Procfile", False),
        ("Procfile.dev", True),
    ]
    assert [c.relpath for c in celery.celery_workers] == ["Procfile"]
    assert celery.concurrency(celery.celery_workers[0]).value == 2


# -- versions -----------------------------------------------------------------------------------

LOCKS = {
    "poetry.lock": '[[package]]\nname = "celery"\nversion = "5.4.0"\n\n'
    '[[package]]\nname = "Django"\nversion = "5.1.4"\n',
    "uv.lock": 'version = 1\n\n[[package]]\nname = "celery"\nversion = "5.3.6"\n',
    "pdm.lock": '[[package]]\nname = "celery"\nversion = "5.2.7"\n',
    "Pipfile.lock": '{"default": {"celery": {"version": "==5.1.2"}}, "develop": {}}',
    "requirements.txt": "Django==4.2.11\ncelery[redis]==5.0.5  # pinned\n",
}


@pytest.mark.parametrize(
    ("lock", "version"),
    [
        ("poetry.lock", (5, 4, 0)),
        ("uv.lock", (5, 3, 6)),
        ("pdm.lock", (5, 2, 7)),
        ("Pipfile.lock", (5, 1, 2)),
        ("requirements.txt", (5, 0, 5)),
    ],
)
def test_versions_from_each_lock_format(lock, version):
    celery = django("X = 1\n", **{lock.replace(".", "_DOT_"): LOCKS[lock]})
    assert celery.version("celery") == version
    assert celery.versions["celery"].source == lock


def test_version_from_the_setting_then_unknown():
    files = {"shop/__init__.py": "", "shop/celery.py": DJANGO_APP, "shop/settings.py": "X = 1\n"}
    assert setup_of(files, celery_version="5.4").version("celery") == (5, 4)
    assert setup_of(files).version("celery") is None
    assert setup_of({**files, "requirements.txt": "celery>=5\n"}).version("celery") is None


def test_supervisord_file_of_any_name_and_its_environment_expansion():
    text = (
        "[supervisord]\nnodaemon=true\n\n[program:worker]\n"
        "command=./manage.py rq worker %(ENV_QUEUES)s\nnumprocs=%(ENV_WORKERS_COUNT)s\n"
    )
    (command,) = commands_of("worker.conf", text.encode())
    assert (command.framework, command.name, command.source.line) == ("rq", "worker", 5)
    assert command.queues is not None
    assert [(q.value, q.status, q.variables) for q in command.queues] == [
        (None, "unknown", ("QUEUES",))
    ]
    assert commands_of("nginx.conf", b"server { listen 80; }\n") == []


def test_the_provider_builds_once_and_pickles():
    import pickle

    from workerlint.project.frameworks.celery.provider import CeleryProvider

    files = {"shop/__init__.py": "", "shop/celery.py": DJANGO_APP, "shop/settings.py": "X = 1\n"}
    fs = MemoryFileSystem(ROOT, {rel: text.encode() for rel, text in files.items()})
    index = build_index(ROOT, use_cache=False, fs=fs).python
    provider = CeleryProvider(ROOT, index, fs)
    copy = pickle.loads(pickle.dumps(provider))
    assert provider.get() is provider.get()
    assert [a.relpath for a in provider.get().apps] == ["shop/celery.py"]
    assert [a.relpath for a in copy.get().apps] == ["shop/celery.py"]
    empty = CeleryProvider(
        ROOT, build_index(ROOT, use_cache=False, fs=MemoryFileSystem(ROOT, {})).python
    )
    assert not empty.get().found
