"""WL104's Celery half: a key Celery does not know in a Celery configuration source (a
``CELERY_`` key of Django settings read with ``namespace="CELERY"``, a lower-case name in a
``celeryconfig`` module, an ``app.conf`` key), with the closest real name. Silent for keys the
project reads itself (named in another project module) and for known add-on keys."""

from __future__ import annotations

import re
from pathlib import Path

from workerlint.core.fs import DISK
from workerlint.core.rule import LanguageCheck
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery import keys
from workerlint.project.frameworks.celery.model import Setting
from workerlint.project.frameworks.celery.report import report_at


class CeleryUnknownKeys(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        candidates = [s for s in celery.keys if _unknown(s)]
        if not candidates:
            return
        for setting in candidates:
            if _read_elsewhere(ctx, setting):
                ctx.skip(f"`{setting.key}` is read by the project itself")
                continue
            report_at(ctx, setting.key_source, _message(setting))


def _name(setting: Setting) -> str:
    if setting.namespace is not None:
        prefix = setting.namespace.upper() + "_"
        return setting.key[len(prefix) :].lower() if setting.key.startswith(prefix) else ""
    return setting.key


def _unknown(setting: Setting) -> bool:
    if setting.name is not None or setting.conditional:
        return False
    name = _name(setting)
    if not name or keys.is_addon(name.lower()):
        return False
    if setting.namespace is not None:
        return keys.new_name(setting.key) is None  # an old name is WL105's
    if keys.new_name(setting.key) is not None or keys.new_name(setting.key.upper()) is not None:
        return False
    # Without a namespace a module's other names are helpers, not settings: only lower-case
    # names (the new style) and CELERY-prefixed ones are meant for Celery.
    return setting.key.islower() or setting.key.startswith("CELERY")


def _message(setting: Setting) -> str:
    name = _name(setting).lower()
    guess = keys.closest(name)
    hint = ""
    if guess is not None:
        shown = f"{setting.namespace.upper()}_{guess.upper()}" if setting.namespace else guess
        hint = f"; did you mean `{shown}`?"
    return f"`{setting.key}` is not a Celery setting: Celery ignores it silently{hint}"


def _read_elsewhere(ctx: ProjectContext, setting: Setting) -> bool:
    """Whether another project module names the key (``settings.KEY``, ``getattr(...)``).
    Task modules are searched first: tasks are what reads a Celery setting most often, and
    the answer does not depend on the order (saleor's one key: 590 files read -> 20)."""
    index = ctx.python_index
    if index is None:
        return False
    fs = ctx.fs or DISK
    word = re.compile(rb"\b" + re.escape(setting.key.encode()) + rb"\b")
    first = sorted(index.task_modules)
    for relpath in [*first, *(p for p in index.files if p not in index.task_modules)]:
        if relpath == setting.key_source.relpath:
            continue
        try:
            data = fs.read_bytes(Path(ctx.root) / relpath)
        except OSError:
            continue
        if word.search(data):
            return True
    return False
