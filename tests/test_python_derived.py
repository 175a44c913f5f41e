"""A Python index's tasks kept per module (lang/python/derived.py): an index that differs from
the derived one in a few modules gives the tasks a full working-out gives, taking the other
modules' from the derived tables only when nothing the differing modules changed can reach them."""

from __future__ import annotations

import random

import pytest

from workerlint.app import server
from workerlint.core import cache, warm
from workerlint.lang.python.derived import Ahead, derive
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.unit import PythonUnit
from workerlint.project import index as project_index

PROJECT = {
    "shop/__init__.py": "from shop.celery import app as shop_app\n",
    "shop/celery.py": "from celery import Celery\napp = Celery('shop')\nworker_app = app\n",
    "shop/more.py": (
        "from shop import shop_app\n"
        "from shop.celery import worker_app\n"
        "@worker_app.task\n"
        "def ping():\n"
        "    return 0\n"
        "@shop_app.task\n"
        "def tick():\n"
        "    return 0\n"
    ),
    "shop/base.py": (
        "from celery import Task\n"
        "class BaseTask(Task):\n"
        "    abstract = True\n"
        "class Plain:\n"
        "    pass\n"
    ),
    "shop/actors.py": (
        "import dramatiq\n"
        "def actor(**options):\n"
        "    def decorator(fn):\n"
        "        dramatiq.actor(fn, **options)\n"
        "        return fn\n"
        "    return decorator\n"
        "def helper():\n"
        "    return 1\n"
    ),
    "shop/tasks.py": (
        "from shop.celery import app\n"
        "from shop.base import BaseTask\n"
        "@app.task(queue='mail')\n"
        "def send_mail(to):\n"
        "    return to\n"
        "class Rebuild(BaseTask):\n"
        "    def run(self):\n"
        "        return 1\n"
    ),
    "shop/jobs.py": (
        "from shop.actors import actor\n"
        "@actor(actor_name='jobs.refresh')\n"
        "def refresh():\n"
        "    return 2\n"
    ),
    "shop/views.py": (
        "import django_rq\n"
        "from django_q.tasks import async_task\n"
        "from shop.reports import build, export\n"
        "def view(request):\n"
        "    async_task('shop.reports.build', request.user.id)\n"
        "    django_rq.get_queue().enqueue(export, 1)\n"
    ),
    "shop/reports.py": "def build(user_id):\n    return user_id\ndef export(n):\n    return n\n",
}


def _facts(files: dict[str, str]) -> dict:
    return {rel: PythonUnit(rel, text.encode()).facts for rel, text in files.items()}


def _summary(tasks) -> list[tuple[str, str, str, int]]:
    return [(t.relpath, t.body, t.framework, t.line) for t in tasks]


@pytest.fixture(scope="module")
def derived():
    return derive(PythonIndex(_facts(PROJECT)))


def _edited(edits: dict[str, str]) -> tuple[PythonIndex, frozenset[str]]:
    files = {**_facts(PROJECT)}
    files.update(_facts(edits))
    return PythonIndex(files), frozenset(edits)


def _ahead_tasks(derived, edits: dict[str, str]):
    new, differing = _edited(edits)
    return Ahead(derived, differing).tasks(new), PythonIndex(new.files).tasks


def test_the_derived_tables_are_the_full_tasks_per_module(derived):
    assert _summary(t for found in derived.tasks.values() for t in found) == [
        ("shop/jobs.py", "refresh", "dramatiq", 3),
        ("shop/more.py", "ping", "celery", 4),
        ("shop/more.py", "tick", "celery", 7),
        ("shop/reports.py", "build", "django-q", 1),
        ("shop/reports.py", "export", "rq", 3),
        ("shop/tasks.py", "send_mail", "celery", 4),
        ("shop/tasks.py", "Rebuild.run", "celery", 6),
    ]
    assert derived.wrappers == {"shop/actors.py": frozenset({"actor"})}


def test_a_module_whose_lines_moved_takes_the_others_tasks_from_the_tables(derived):
    moved = "\n\n" + PROJECT["shop/tasks.py"]
    got, full = _ahead_tasks(derived, {"shop/tasks.py": moved})
    assert got is not None and got == full
    assert _summary(got)[-2:] == [
        ("shop/tasks.py", "send_mail", "celery", 6),
        ("shop/tasks.py", "Rebuild.run", "celery", 8),
    ]
    assert got[0] is derived.tasks["shop/jobs.py"][0]  # taken, not worked out again


def test_a_call_added_where_no_name_is_followed_still_takes_the_tables(derived):
    edited = PROJECT["shop/actors.py"].replace("    return 1\n", "    print()\n    return 1\n")
    got, full = _ahead_tasks(derived, {"shop/actors.py": edited})
    assert got is not None and got == full


@pytest.mark.parametrize(
    ("rel", "old", "new", "lost"),
    [
        # the wrapper no longer calls the decorator: the task in another module is gone
        ("shop/actors.py", "        dramatiq.actor(fn, **options)\n", "", "refresh"),
        # the base class is no longer a Celery task class
        ("shop/base.py", "class BaseTask(Task):", "class BaseTask(object):", "Rebuild.run"),
        # the application object is renamed
        ("shop/celery.py", "app = Celery", "application = Celery", "send_mail"),
        # the alias names another object
        ("shop/celery.py", "worker_app = app", "worker_app = Celery", "ping"),
        # another function is named as a task by a string
        ("shop/views.py", "'shop.reports.build'", "'shop.reports.export'", "build"),
        # the package no longer re-exports the application
        ("shop/__init__.py", "shop.celery import app", "shop.reports import build", "tick"),
        # the enqueued function is renamed
        ("shop/reports.py", "def export(", "def exported(", "export"),
        # nothing is enqueued any more
        ("shop/views.py", ".enqueue(export, 1)", ".count()", "export"),
    ],
)
def test_a_change_that_reaches_other_modules_tasks_works_everything_out(
    derived, rel, old, new, lost
):
    edited, differing = _edited({rel: PROJECT[rel].replace(old, new)})
    full = PythonIndex(edited.files).tasks
    assert Ahead(derived, differing).tasks(edited) is None
    assert PythonIndex(edited.files, ahead=Ahead(derived, differing)).tasks == full
    assert lost not in {t.body for t in full}


def test_the_applications_are_taken_from_the_tables_and_the_differing_modules(derived):
    edits = {
        "shop/views.py": "from celery import Celery\nviews_app = Celery('v')\n",
        "shop/celery.py": PROJECT["shop/celery.py"] + "second = Celery('second')\n",
    }
    new, differing = _edited(edits)
    assert Ahead(derived, differing).assigned_calls(new, APPS) == (
        ("shop/celery.py", "app"),
        ("shop/celery.py", "second"),
        ("shop/views.py", "views_app"),
    )
    assert PythonIndex(new.files).assigned_calls(APPS) == Ahead(derived, differing).assigned_calls(
        new, APPS
    )
    added, differing = _edited({"shop/added.py": "x = 1\n"})
    assert Ahead(derived, differing).assigned_calls(added, APPS) is None


def test_another_set_of_modules_or_other_settings_work_everything_out(derived):
    new, _ = _edited({"shop/added.py": "x = 1\n"})
    assert Ahead(derived, frozenset({"shop/added.py"})).tasks(new) is None
    files = {**_facts(PROJECT)}
    del files["shop/jobs.py"]
    assert Ahead(derived, frozenset()).tasks(PythonIndex(files)) is None
    same = PythonIndex(_facts(PROJECT), task_decorators=frozenset({"shop.actors.helper"}))
    assert Ahead(derived, frozenset()).tasks(same) is None
    # the same modules, none differing: the very tables
    assert (
        Ahead(derived, frozenset()).tasks(PythonIndex(derived.facts))
        == PythonIndex(_facts(PROJECT)).tasks
    )


APPS = frozenset({"celery.Celery", "celery.app.Celery"})

EDITS = [
    lambda text: "\n" + text,
    lambda text: text + "\n# edited\n",
    lambda text: text.replace("def ", "def renamed_", 1),
    lambda text: text.replace("@", "# @", 1),
    lambda text: text.replace("(Task)", "(object)"),
    lambda text: text.replace("    return", "    helper()\n    return", 1),
    lambda text: text.replace("dramatiq.actor(fn", "print(fn"),
    lambda text: text.replace("Celery(", "Other("),
    lambda text: text.replace("worker_app = app", "worker_app = print"),
    lambda text: text.replace("import app as shop_app", "import worker_app as shop_app"),
    lambda text: text.replace("def export(", "def exported("),
    lambda text: text + "from celery import Celery\nother = Celery('other')\n",
    lambda text: "from celery import Celery\nfirst = Celery('first')\n" + text,
    lambda text: text + "from shop.actors import actor\n@actor()\ndef added():\n    pass\n",
    lambda text: (
        text + "from shop.base import BaseTask\nclass More(BaseTask):\n    def run(self): ...\n"
    ),
    lambda text: text.replace("'shop.reports.build'", "'shop.jobs.refresh'"),
    lambda text: text.replace("enqueue(export", "enqueue(build"),
]


def test_random_edits_give_the_tasks_of_a_full_working_out(derived):
    rng = random.Random(12)
    fast = full_count = 0
    for _ in range(300):
        edits = {}
        for rel in rng.sample(sorted(PROJECT), rng.choice([1, 1, 2, 3])):
            text = PROJECT[rel]
            for _ in range(rng.choice([1, 2])):
                text = rng.choice(EDITS)(text)
            edits[rel] = text
        new, differing = _edited(edits)
        got = Ahead(derived, differing).tasks(new)
        full = PythonIndex(new.files).tasks
        assert PythonIndex(new.files, ahead=Ahead(derived, differing)).tasks == full, edits
        for callees in (APPS, frozenset({"shop.celery.app"})):
            assigned = PythonIndex(new.files).assigned_calls(callees)
            assert Ahead(derived, differing).assigned_calls(new, callees) == assigned, edits
        if got is None:
            full_count += 1
        else:
            fast += 1
            assert got == full, edits
    assert fast > 100 and full_count > 50


def test_the_server_derives_the_tables_of_the_index_it_decoded_ahead(tmp_path):
    from conftest import write_files

    root = write_files(tmp_path / "shop", {**PROJECT, "pyproject.toml": "[project]\n"})
    warm.release()
    try:
        project_index.build_index(root)
        path = str(cache.folder(root) / project_index._CACHE_FILE)
        asked = [a for a in warm.asked_derived() if a[1] == path]
        assert [name for name, _, _ in asked] == ["python-tasks"]
        tasks = root / "shop/tasks.py"
        tasks.write_text("\n\n" + tasks.read_text())
        server.decode_ahead([("index", path)], lambda: False, asked)
        served = project_index.build_index(root).python
        assert isinstance(served.ahead, Ahead) and served.ahead.differing == {"shop/tasks.py"}
        assert served.ahead.tasks(served) is not None
        alone = project_index.build_index(root, use_cache=False).python
        assert alone.ahead is None
        assert served.tasks == alone.tasks and len(alone.tasks) == 7
        # taken once: the next run works them out (until the server derives them again)
        assert project_index.build_index(root).python.ahead is None
    finally:
        warm.release()
        warm._kept.clear()
