"""WL105's Celery half: old (pre-4.0) setting names in a settings module that Celery reads with
``namespace="CELERY"`` (PYTHON.md §9 "Celery settings names")."""

from __future__ import annotations

from workerlint.core.diagnostics import Span
from workerlint.core.rule import LanguageCheck
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery import keys
from workerlint.project.frameworks.celery.model import CelerySetup, Setting


class CeleryIgnoredKeys(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        for setting in celery.keys:
            if setting.origin != "settings" or setting.namespace is None:
                continue
            message = _message(celery, setting)
            if message is not None:
                source = setting.key_source
                ctx.report_at(source.relpath, Span(source.start, source.end), message)


def _message(celery: CelerySetup, setting: Setting) -> str | None:
    namespace = setting.namespace or ""
    prefix = namespace.upper() + "_"
    key = setting.key
    stripped = key[len(prefix) :].lower() if key.startswith(prefix) else None
    if stripped is not None and keys.is_new(stripped):
        return None  # ``CELERY_IMPORTS``, ``CELERY_TIMEZONE``: new names too
    new = keys.new_name(key)
    if new is None:
        return None  # not an old name: an unknown key is WL104's
    app = next((a for a in celery.apps if a.namespace == namespace), None)
    where = f" ({app.relpath})" if app is not None else ""
    wanted = f"{prefix}{new.upper()}"
    also = celery.setting(new)
    tail = (
        f"`{also.key}` is set too ({also.key_source.where}): delete this line"
        if also is not None
        else f"rename it to `{wanted}`"
    )
    return (
        f'`{key}` is an old Celery setting name: with `namespace="{namespace}"`{where} Celery '
        f"reads only `{wanted}`, so this value is ignored; {tail}"
    )
