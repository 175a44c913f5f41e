"""The Python project index (lang/python/index.py): module names, names across modules, tasks of
every framework PYTHON.md §1 lists (project wrappers included), and task code (§9)."""

from __future__ import annotations

from workerlint.lang.python.index import (
    _PLAIN_PATH,
    PythonIndex,
    _module_name_of_path,
    module_name,
)
from workerlint.lang.python.unit import PythonUnit


def _index(files: dict[str, str], **settings) -> PythonIndex:
    facts = {rel: PythonUnit(rel, text.encode()).facts for rel, text in files.items()}
    return PythonIndex(facts, **settings)


def _tasks(index: PythonIndex) -> list[tuple[str, str, str, str]]:
    return [(t.relpath, t.body, t.framework, t.name) for t in index.tasks]


def test_module_names_start_above_the_outermost_package():
    paths = frozenset({"src/shop/__init__.py", "src/shop/orders/__init__.py"})
    assert module_name("src/shop/orders/tasks.py", paths) == "shop.orders.tasks"
    assert module_name("src/shop/__init__.py", paths) == "shop"
    assert module_name("scripts/run.py", paths) == "run"


def test_module_names_worked_out_on_the_string_are_those_of_the_path():
    """module_name works on the string; PurePosixPath's reading (``_module_name_of_path``) is
    the reference, for plain paths and for every form it normalizes (then it is used)."""
    paths = frozenset({"__init__.py", "a/__init__.py", "a/b/__init__.py", "../__init__.py",
                       "a/../b/__init__.py", "x.y/__init__.py", "a/x.y/__init__.py"})  # fmt: skip
    written = [
        "__init__.py", "a/__init__.py", "a/b/__init__.py", "a/b/c/__init__.py", "a/b/c/d.py",
        "a/b/t.py", "x.y/z.py", "a/x.y/z.py", "a/x.y/__init__.py", "run.py", ".py", "a/.py",
        "a/b.", "a/..py", "a/x.tar.py", "a/.hidden.py", "..", "../a.py", "a/../b/__init__.py",
        "a/b.pyi", "./a.py", "a//b.py", "/a/b.py", "a/./b.py", "a/b/", "a/.", "", ".",
        "a/b/./__init__.py", "./__init__.py", "//__init__.py", "a/__init__.py/",
    ]  # fmt: skip
    plain = 0
    for relpath in written:
        assert module_name(relpath, paths) == _module_name_of_path(relpath, paths), relpath
        plain += bool(_PLAIN_PATH.match(relpath))
    assert 0 < plain < len(written)  # both ways were taken
    assert module_name("a/b/t.py", paths) == "a.b.t"
    assert module_name("a/x.y/z.py", paths) == "a.x.y.z"


def test_celery_tasks_through_the_app_a_re_export_and_task_classes():
    index = _index(
        {
            "shop/__init__.py": "from .celery import app as celery_app\n",
            "shop/celery.py": "from celery import Celery\napp = Celery('shop')\n",
            "shop/orders/__init__.py": "",
            "shop/orders/tasks.py": (
                "from shop import celery_app\n"
                "from celery import shared_task, Task\n"
                "@celery_app.task(bind=True, name='orders.sync')\n"
                "def sync(self): ...\n"
                "@shared_task\n"
                "def notify(order_id): ...\n"
                "class Base(Task):\n"
                "    abstract = True\n"
                "class Export(Base):\n"
                "    name = 'orders.export'\n"
                "    def run(self, ids): ...\n"
                "def helper(): ...\n"
            ),
        }
    )
    assert _tasks(index) == [
        ("shop/orders/tasks.py", "sync", "celery", "orders.sync"),
        ("shop/orders/tasks.py", "notify", "celery", "shop.orders.tasks.notify"),
        ("shop/orders/tasks.py", "Export.run", "celery", "orders.export"),
    ]
    sync = index.task_of("shop/orders/tasks.py", "sync")
    assert sync is not None and sync.options == {"bind": True, "name": "orders.sync"}
    assert index.is_task_code("shop/orders/tasks.py", "helper")
    assert not index.is_task_code("shop/celery.py", "anything")


def test_rq_dramatiq_huey_arq_and_django_q_tasks_with_project_wrappers():
    index = _index(
        {
            "app/__init__.py": "",
            "app/worker.py": (
                "from functools import partial\n"
                "from rq.decorators import job as rq_job\n"
                "class Recording(rq_job):\n"
                "    pass\n"
                "job = partial(Recording, connection=None)\n"
            ),
            "app/actors.py": (
                "import dramatiq\n"
                "def actor(**options):\n"
                "    def decorator(fn):\n"
                "        dramatiq.actor(fn, **options)\n"
                "        return fn\n"
                "    return decorator\n"
            ),
            "app/jobs.py": (
                "from app.worker import job\n"
                "from app.actors import actor\n"
                "from huey.contrib.djhuey import db_task\n"
                "@job('emails', timeout=30)\n"
                "def send_mail(to): ...\n"
                "@actor(actor_name='orders.refresh', max_retries=0)\n"
                "async def refresh(): ...\n"
                "@db_task()\n"
                "def cleanup(): ...\n"
            ),
            "app/arq_worker.py": (
                "from arq import cron\n"
                "async def resize(ctx, path): ...\n"
                "async def nightly(ctx): ...\n"
                "class WorkerSettings:\n"
                "    functions = [resize]\n"
                "    cron_jobs = [cron(nightly, hour=3)]\n"
            ),
            "app/views.py": (
                "from django_q.tasks import async_task\n"
                "def view(request):\n"
                "    async_task('app.reports.build', request.user.id)\n"
            ),
            "app/reports.py": "def build(user_id): ...\n",
        }
    )
    assert sorted(_tasks(index)) == [
        ("app/arq_worker.py", "nightly", "arq", "app.arq_worker.nightly"),
        ("app/arq_worker.py", "resize", "arq", "app.arq_worker.resize"),
        ("app/jobs.py", "cleanup", "huey", "app.jobs.cleanup"),
        ("app/jobs.py", "refresh", "dramatiq", "orders.refresh"),
        ("app/jobs.py", "send_mail", "rq", "app.jobs.send_mail"),
        ("app/reports.py", "build", "django-q", "app.reports.build"),
    ]


def test_a_class_whose_method_is_enqueued_makes_its_subclasses_tasks():
    index = _index(
        {
            "core/__init__.py": "",
            "core/runner.py": (
                "import django_rq\n"
                "class JobRunner:\n"
                "    @classmethod\n"
                "    def handle(cls, job):\n"
                "        cls(job).run()\n"
                "    @classmethod\n"
                "    def enqueue(cls):\n"
                "        django_rq.get_queue('default').enqueue(cls.handle)\n"
            ),
            "core/jobs.py": (
                "from core.runner import JobRunner\n"
                "class SyncJob(JobRunner):\n"
                "    def run(self): ...\n"
            ),
        }
    )
    assert _tasks(index) == [
        ("core/jobs.py", "SyncJob.run", "rq", "core.jobs.SyncJob"),
        ("core/runner.py", "JobRunner.handle", "rq", "core.runner.JobRunner.handle"),
    ]


def test_task_code_reaches_one_level_and_never_migrations():
    index = _index(
        {
            "shop/__init__.py": "",
            "shop/utils.py": (
                "from shop.deep import deeper\ndef fetch(): deeper()\ndef unused(): ...\n"
            ),
            "shop/deep.py": "def deeper(): ...\n",
            "shop/tasks.py": (
                "from celery import shared_task\n"
                "from shop import utils\n"
                "@shared_task\n"
                "def refresh(): utils.fetch()\n"
            ),
            "shop/migrations/__init__.py": "",
            "shop/migrations/0002_backfill.py": (
                "from celery import shared_task\n@shared_task\ndef backfill(): ...\n"
            ),
        }
    )
    assert index.is_task_code("shop/utils.py", "fetch")
    assert not index.is_task_code("shop/utils.py", "unused")
    assert not index.is_task_code("shop/deep.py", "deeper")  # two levels away
    assert not index.is_task_code("shop/migrations/0002_backfill.py", "backfill")
    assert index.task_code_reason("shop/utils.py", "fetch") == "a function that task code calls"


def test_settings_name_decorators_and_base_classes_from_packages():
    files = {
        "svc/__init__.py": "",
        "svc/tasks.py": (
            "from platform_kit.jobs import background, BaseJob\n"
            "@background(queue='low')\n"
            "def reindex(): ...\n"
            "class Purge(BaseJob):\n"
            "    def run(self): ...\n"
        ),
    }
    assert _tasks(_index(files)) == []
    index = _index(
        files,
        task_decorators=frozenset({"platform_kit.jobs.background"}),
        task_base_classes=frozenset({"BaseJob"}),
    )
    assert [(t.body, t.framework) for t in index.tasks] == [
        ("reindex", "celery"),
        ("Purge.run", "celery"),
    ]


def test_models_read_in_batches_are_an_index_fact():
    index = _index(
        {
            "shop/__init__.py": "",
            "shop/models.py": "from django.db import models\n\n\n"
            "class Invoice(models.Model):\n    pass\n\n\nclass Order(models.Model):\n    pass\n",
            "shop/exports.py": "from shop.models import Invoice, Order\n\n\ndef rows():\n"
            "    for i in Invoice.objects.filter(paid=True).order_by('pk')[:10].iterator():\n"
            "        yield i\n    qs = Order.objects.all()\n    return qs.iterator()\n",
        }
    )
    assert index.files["shop/exports.py"].batched == ("shop.models.Invoice",)  # not via a local
    assert index.batched_models == frozenset({"shop.models.Invoice"})
    assert index.is_batched("shop.models.Invoice")
    assert not index.is_batched("shop.models.Order")


def test_a_name_defined_twice_is_found_as_first_defined():
    """ModuleFacts' lookups by name (made once per facts) find the first definition, as a
    search of the module in order does."""
    source = (
        "def send(order_id):\n    return 1\n\n\n"
        "def send(order_id, retry=False):\n    return 2\n\n\n"
        "class Job:\n    pass\n\n\n"
        "class Job(Base):\n    pass\n\n\n"
        "LIMIT = 1\nLIMIT = 2\n"
    )
    facts = PythonUnit("shop/tasks.py", source.encode()).facts
    assert facts.function("send") is next(f for f in facts.functions if f.qualname == "send")
    assert facts.function("send").line == 1
    assert facts.cls("Job") is facts.classes[0] and facts.cls("Job").bases == ()
    assert facts.assignment("LIMIT") is facts.assignments[0]
    assert facts.function("missing") is None and facts.cls("missing") is None


def test_answers_asked_twice_are_the_same():
    index = _index(
        {
            "shop/__init__.py": "",
            "shop/base.py": "class Base:\n    pass\n",
            "shop/jobs.py": "from shop.base import Base\n\n\nclass Job(Base):\n    def run(self):\n        pass\n",
        }
    )
    first = index.class_bases("shop/jobs.py", "Job")
    assert first == ["shop.base.Base"] and index.class_bases("shop/jobs.py", "Job") == first
    first.append("changed by a caller")
    assert index.class_bases("shop/jobs.py", "Job") == ["shop.base.Base"]
    target = index.resolve("shop.jobs.Job.run")
    assert target is not None and (target.kind, target.name, target.rest) == (
        "class",
        "Job",
        ("run",),
    )
    assert index.resolve("shop.jobs.Job.run") == target and index.resolve("shop.nowhere") is None
