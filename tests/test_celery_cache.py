"""The Celery setup kept between runs (app/celery_cache.py): used while every question its
build asked gives the same answer, rebuilt after an edit of anything it read, and then equal to
a run without the cache; a damaged or forged entry is never used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import cache_parts, field_at, store_cache

from workerlint.app import celery_cache, runner
from workerlint.app.linter import Options
from workerlint.core import cache
from workerlint.project.frameworks.celery.model import CelerySetup

SETTINGS = (
    "import os\n\n"
    'CELERY_BROKER_URL = os.environ.get("BROKER", "redis://localhost:6379/0")\n'
    "CELERY_TASK_ACKS_LATE = True\n"
    "CELERY_BROKER_TRANSPORT_OPTIONS = {'visibility_timeout': 600}\n"
    "CELERY_TASK_ROUTES = {'shop.tasks.send': {'queue': 'mail'}}\n"
    "EMAIL_TIMEOUT = 5\n"
)
APP = {
    "manage.py": (
        'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
    ),
    "shop/__init__.py": "",
    "shop/settings.py": SETTINGS,
    "shop/celery.py": (
        "import os\n\nfrom celery import Celery\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
        'app = Celery("shop")\n'
        'app.config_from_object("django.conf:settings", namespace="CELERY")\n'
        "app.conf.update(task_time_limit=300)\n"
    ),
    "shop/tasks.py": (
        "import requests\n\nfrom shop.celery import app\n\n\n"
        "@app.task(queue='mail')\n"
        "def send(order_id):\n"
        "    requests.get('https://example.com/%s' % order_id)\n\n\n"
        "@app.task\n"
        "def sync():\n"
        "    for page in range(10):\n"
        "        send.delay(page)\n"
    ),
    "Procfile": "worker: celery -A shop worker -c 4 -Q mail,celery\n",
    "requirements.txt": "celery==5.3.4\n",
}

# An edit of each kind of input the setup reads: (file, new text), or None to remove the file.
EDITS: dict[str, tuple[str, str | None]] = {
    "the settings module": ("shop/settings.py", SETTINGS.replace("True", "False")),
    "an app.conf.update": (
        "shop/celery.py",
        APP["shop/celery.py"].replace("task_time_limit=300", "task_time_limit=60"),
    ),
    "a task module that adds a second app": (
        "shop/tasks.py",
        "from celery import Celery\n\nother = Celery('other', broker='amqp://x')\n"
        + APP["shop/tasks.py"],
    ),
    "a Procfile command line": ("Procfile", "worker: celery -A shop worker -c 8 -Q mail\n"),
    "a compose command line": (
        "docker-compose.yml",
        "services:\n  worker:\n    command: celery -A shop worker --concurrency 2\n",
    ),
    "a removed Procfile": ("Procfile", None),
    "a locked version": ("requirements.txt", "celery==4.4.7\n"),
    "the module DJANGO_SETTINGS_MODULE names": (
        "manage.py",
        APP["manage.py"].replace("shop.settings", "shop.other"),
    ),
}


def _make(root: Path, files: dict[str, str | None]) -> Path:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each run's Celery provider (``hit``: whether the stored setup was used)."""
    made: list[Any] = []

    class Recording(celery_cache.CachedCeleryProvider):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(runner, "CachedCeleryProvider", Recording)
    return made


def _run(root: Path, made: list[Any], *, use_cache: bool = True) -> tuple[list[tuple], Any]:
    result = runner.run([root], Options(use_cache=use_cache))
    findings = [
        (str(d.path.relative_to(root)), d.span, d.code, d.message, d.level)
        for d in result.diagnostics
    ]
    return findings, made[-1]


def _setup(provider: Any) -> CelerySetup:
    return provider.get()


def test_an_unchanged_project_takes_the_setup_from_the_cache(tmp_path, providers):
    root = _make(tmp_path / "app", APP)
    cold, provider = _run(root, providers, use_cache=False)
    cold_setup = _setup(provider)
    assert cold_setup.found and cold_setup.keys and cold_setup.commands and cold_setup.versions
    assert not (cache.folder(root) / celery_cache.CACHE_FILE).exists()
    first, provider = _run(root, providers)
    assert provider.hit is False and (first, _setup(provider)) == (cold, cold_setup)
    warm, provider = _run(root, providers)
    assert provider.hit is True and (warm, _setup(provider)) == (cold, cold_setup)


def test_an_edit_that_changes_no_answer_keeps_the_setup(tmp_path, providers):
    root = _make(tmp_path / "app", APP)
    _run(root, providers)
    _make(root, {"shop/tasks.py": APP["shop/tasks.py"] + "\n# edited\n"})
    found, provider = _run(root, providers)
    assert provider.hit is True
    fresh, plain = _run(root, providers, use_cache=False)
    assert (found, _setup(provider)) == (fresh, _setup(plain))


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_of_an_input_rebuilds_the_setup_as_a_run_without_the_cache(
    tmp_path, providers, edit
):
    root = _make(tmp_path / "app", APP)
    _run(root, providers)
    _, provider = _run(root, providers)
    before = _setup(provider)
    assert provider.hit is True
    rel, text = EDITS[edit]
    if edit == "the module DJANGO_SETTINGS_MODULE names":
        _make(root, {"shop/other.py": "CELERY_TASK_ACKS_LATE = 1\n"})
        _run(root, providers)
        _run(root, providers)
        before = _setup(providers[-1])
    _make(root, {rel: text})
    after_findings, provider = _run(root, providers)
    after = _setup(provider)
    assert provider.hit is False
    fresh_findings, plain = _run(root, providers, use_cache=False)
    assert (after_findings, after) == (fresh_findings, _setup(plain))
    assert after != before  # the edit changed the setup (so the test can fail)
    again, provider = _run(root, providers)
    assert provider.hit is True and (again, _setup(provider)) == (fresh_findings, after)


def _rewrite(path: Path, change: Any) -> None:
    """The cache file with its payload changed and a checksum that matches (a forgery)."""
    header, payload = cache_parts(path)
    change(payload)
    store_cache(path, header, payload)


def _forge_question(payload: dict[str, Any]) -> None:
    payload["fs"].append(["read_bytes", "../outside", "", "0" * 32])


def _forge_shape(payload: dict[str, Any]) -> None:
    payload["setup"][field_at(CelerySetup, "keys")] = [[1]]


def _forge_query(payload: dict[str, Any]) -> None:
    payload["index"].append(['["py",[],"call","__class__",[]]', "0" * 32])


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "a question outside the project",
        "a setup of another shape",
        "an index query that is no query",
    ],
)
def test_a_damaged_or_forged_entry_is_not_used(tmp_path, providers, damage):
    root = _make(tmp_path / "app", APP)
    cold, plain = _run(root, providers, use_cache=False)
    _run(root, providers)
    path = cache.folder(root) / celery_cache.CACHE_FILE
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-20])
    else:
        change = {
            "a question outside the project": _forge_question,
            "a setup of another shape": _forge_shape,
            "an index query that is no query": _forge_query,
        }[damage]
        _rewrite(path, change)
    found, provider = _run(root, providers)
    assert provider.hit is False
    assert (found, _setup(provider)) == (cold, _setup(plain))
    _, provider = _run(root, providers)
    assert provider.hit is True


def test_a_cache_tracked_by_git_is_not_trusted(tmp_path, providers):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = _make(tmp_path / "app", APP)
    _run(root, providers)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    rel = f"{cache.CACHE_DIR}/{celery_cache.CACHE_FILE}"
    subprocess.run(["git", "-C", str(root), "add", "-f", rel], check=True)
    _, provider = _run(root, providers)
    assert provider.hit is False


def test_a_hit_notes_the_inputs_and_answers_a_build_notes(tmp_path):
    """On a hit, the stored questions are asked once, of the file system under the run's, and
    their answers noted in the run's as asking them there would (RecordingFileSystem
    ``note_answer``): the run's inputs (manifest) and its window digest (results cache) are a
    build's."""
    from workerlint.core.fs import DISK, RecordingFileSystem
    from workerlint.project.index import build_index

    root = _make(tmp_path / "app", {**APP, "deploy/Dockerfile": "FROM python\n"})
    python = build_index(root).python  # the cache folder made, as a run has it by then

    def noted() -> tuple[Any, ...]:
        fs = RecordingFileSystem(DISK)
        fs.open_window()
        provider = celery_cache.CachedCeleryProvider(root, python, fs)
        setup = provider.get()
        return provider.hit, setup, fs.touched, fs.reads, fs.listings, fs.close_window()

    built, hit = noted(), noted()
    assert (built[0], hit[0]) == (False, True)
    assert built[2][root / "deploy"] == "list" and built[2][root / "Procfile"] == "read"
    assert built[1:] == hit[1:]
