"""WL104's Celery half stays silent for a key the project reads itself (rules/config/
unknown_config_key/python.py): named in any other module, a task module or not. Task modules
are searched first; the answer does not depend on the order."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from conftest import run_cli, write_files
from workerlint.rules.config.unknown_config_key.python import _read_elsewhere

from workerlint.project.index import build_index

PROJECT = {
    "pyproject.toml": '[project]\nname = "shopsite"\ndependencies = ["celery>=5.5,<5.6"]\n',
    "shopsite/__init__.py": "",
    "shopsite/celery.py": (
        "import os\n\n"
        "from celery import Celery\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")\n\n'
        'app = Celery("shopsite")\n'
        'app.config_from_object("django.conf:settings", namespace="CELERY")\n'
        "app.autodiscover_tasks()\n"
    ),
    "shopsite/settings.py": (
        'CELERY_BROKER_URL = "redis://localhost:6379/0"\n'
        "CELERY_SHOP_RETRIES = 3\n"
        "CELERY_SHOP_BATCH = 100\n"
        "CELERY_SHOP_UNREAD = 1\n"
    ),
    "orders/__init__.py": "",
    "orders/tasks.py": (
        "from celery import shared_task\n"
        "from django.conf import settings\n\n\n"
        "@shared_task\n"
        "def sync(order_id):\n"
        "    return settings.CELERY_SHOP_RETRIES + order_id\n"
    ),
    "reports/__init__.py": "",
    "reports/helpers.py": (
        "from django.conf import settings\n\n\n"
        "def batch_size():\n"
        '    return getattr(settings, "CELERY_SHOP_BATCH")\n'
    ),
}


def test_a_key_read_by_any_other_module_is_not_reported(tmp_path):
    root = write_files(tmp_path / "shop", PROJECT)
    found = run_cli("check", ".", "--no-cache", "--verbose", "--output-format", "json", cwd=root)
    assert [
        (d["code"], d["path"], d["start_line"], d["start_column"], d["message"])
        for d in json.loads(found.out)["diagnostics"]
    ] == [
        (
            "WL104",
            "shopsite/settings.py",
            4,
            1,
            "`CELERY_SHOP_UNREAD` is not a Celery setting: Celery ignores it silently",
        )
    ]
    skipped = [line for line in found.err.splitlines() if "read by the project" in line]
    assert skipped == [
        "workerlint: WL104: `CELERY_SHOP_RETRIES` is read by the project itself",
        "workerlint: WL104: `CELERY_SHOP_BATCH` is read by the project itself",
    ]


class _Reads:
    def __init__(self) -> None:
        self.paths: list[Path] = []

    def read_bytes(self, path: Path) -> bytes:
        self.paths.append(path)
        return path.read_bytes()


def test_task_modules_are_searched_first(tmp_path):
    root = write_files(tmp_path / "shop", PROJECT)
    index = build_index(root, use_cache=False).python
    reads = _Reads()
    ctx = SimpleNamespace(python_index=index, fs=reads, root=root)

    def read(key: str) -> tuple[bool, list[str]]:
        reads.paths.clear()
        setting = SimpleNamespace(
            key=key, key_source=SimpleNamespace(relpath="shopsite/settings.py")
        )
        found = _read_elsewhere(ctx, setting)  # type: ignore[arg-type]
        return found, [p.relative_to(root).as_posix() for p in reads.paths]

    assert read("CELERY_SHOP_RETRIES") == (True, ["orders/tasks.py"])
    assert read("CELERY_SHOP_BATCH") == (
        True,
        ["orders/tasks.py", "orders/__init__.py", "reports/__init__.py", "reports/helpers.py"],
    )
    assert read("CELERY_SHOP_UNREAD") == (
        False,
        [
            "orders/tasks.py",
            "orders/__init__.py",
            "reports/__init__.py",
            "reports/helpers.py",
            "shopsite/__init__.py",
            "shopsite/celery.py",
        ],
    )
