"""WL106's Celery half: settings Celery rejects at boot or that cannot work (PYTHON.md §3):
old and new names mixed without a namespace, concurrency of 0 or less, a soft time limit at or
above the hard one, and a pickle serializer that ``accept_content`` does not accept."""

from __future__ import annotations

from workerlint.core.diagnostics import Level, Span
from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Source, int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery import keys
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.pyvalues import plain


def _report(ctx: ProjectContext, source: Source | None, message: str) -> None:
    if source is not None and source.relpath:
        ctx.report_at(source.relpath, Span(source.start, source.end), message, level=Level.ERROR)


class CeleryInvalidValues(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found:
            return
        self.mixed(ctx, celery)
        self.concurrency(ctx, celery)
        self.limits(ctx, celery)
        self.pickle(ctx, celery)

    def mixed(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        """celery/app/utils.py ``detect_settings``: a module (no namespace) with new and old
        names raises ImproperlyConfigured, naming the minority's keys, unless the other name
        of the same setting is also given."""
        plain_keys = [s for s in celery.keys if s.origin == "settings" and s.namespace is None]
        new = [s for s in plain_keys if keys.is_new(s.key)]
        old = [s for s in plain_keys if keys.new_name(s.key) is not None and not keys.is_new(s.key)]
        if not new or not old:
            return
        have = {s.key for s in plain_keys}
        minority = old if len(old) <= len(new) else new
        majority_kind = "new" if minority is old else "old"
        for setting in minority:
            other = (
                keys.new_name(setting.key)
                if minority is old
                else next((o for o, n in keys.OLD_TO_NEW.items() if n == setting.key), None)
            )
            if other is None or other in have:
                continue
            _report(
                ctx,
                setting.key_source,
                f"`{setting.key}` mixes an {'old' if minority is old else 'new'} Celery setting "
                f"name into {majority_kind}-style settings: Celery refuses to start "
                f"(ImproperlyConfigured: Cannot mix new and old setting keys); use `{other}`",
            )

    def concurrency(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        setting = celery.setting("worker_concurrency")
        if setting is not None:
            number = int_value(setting.value)
            if number is not None and number <= 0:
                _report(
                    ctx,
                    setting.value.source,
                    f"worker concurrency {setting.value.describe()} is not positive: "
                    "the worker starts no pool process and never runs a task",
                )
        for command in celery.celery_workers:
            given = command.option("concurrency")
            number = int_value(given)
            if given is not None and number is not None and number <= 0:
                _report(
                    ctx,
                    given.source,
                    f"`-c {number}` in {command.label} is not positive: the worker starts no "
                    "pool process and never runs a task",
                )

    def limits(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        soft, hard = celery.setting("task_soft_time_limit"), celery.setting("task_time_limit")
        if soft is None or hard is None:
            return
        a, b = plain(soft.value), plain(hard.value)
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
        if numbers and a >= b:  # type: ignore[operator]
            _report(
                ctx,
                soft.value.source,
                f"soft time limit {soft.value.describe()} is not below the hard limit "
                f"{hard.value.describe()}: the task is killed before SoftTimeLimitExceeded can "
                "let it clean up",
            )

    def pickle(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        serializer = celery.setting("task_serializer")
        if serializer is None or plain(serializer.value) != "pickle":
            return
        accepted = plain(celery.value("accept_content"))
        if not isinstance(accepted, tuple) or not all(isinstance(a, str) for a in accepted):
            return
        if "pickle" in accepted or "application/x-python-serialize" in accepted:
            return
        shown = ", ".join(accepted)
        _report(
            ctx,
            serializer.value.source,
            f'`task_serializer="pickle"` but accept_content is {{{shown}}}: workers reject every '
            "task message (ContentDisallowed) and the tasks never run",
        )
