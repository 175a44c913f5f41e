"""WL114's check: a Celery result backend whose results never expire — ``result_expires`` set to
None or 0, or a database/file-system backend with no beat process to run the cleanup."""

from __future__ import annotations

from workerlint.core.rule import LanguageCheck
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.pyvalues import plain
from workerlint.project.frameworks.celery.report import report_at

# Backends whose expired results only Celery beat's ``celery.backend_cleanup`` deletes.
CLEANED_BY_BEAT = ("db+", "django-db", "file://", "couchdb://", "mongodb://", "s3://")


class ResultsCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found:
            return
        backend = celery.value("result_backend")
        url = plain(backend)
        if backend.source is None or backend.status == "unknown" or not url:
            return  # no result backend (or one we cannot read)
        if plain(celery.value("task_ignore_result")) is True:
            return
        expires = celery.setting("result_expires")
        if expires is not None:
            value = celery.value("result_expires")
            if value.status != "unknown" and plain(value) in (None, 0):
                report_at(
                    ctx,
                    value.source,
                    f"`result_expires` is {plain(value)!r}: task results in the backend "
                    f"({backend.describe()}) never expire and grow without bound",
                )
                return
        if not isinstance(url, str) or not url.startswith(CLEANED_BY_BEAT):
            return
        if not celery.commands:
            ctx.skip("WL114: no worker command found, so whether beat runs is unknown")
            return
        if celery.has_beat:
            return
        report_at(
            ctx,
            backend.source,
            f"result backend `{url}` keeps every task result until `celery.backend_cleanup` "
            "deletes it, and only celery beat runs that task: no beat process is started "
            "(no `celery beat` or `worker -B` among the worker commands), so results grow "
            "without bound",
        )
