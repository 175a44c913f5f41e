"""WL106's Celery half: settings Celery rejects at boot or that cannot work (PYTHON.md §3):
old and new names mixed without a namespace, a negative concurrency, a soft time limit at or
above the hard one (in the settings, or for one task through its own ``soft_time_limit`` /
``time_limit`` options), and a pickle serializer that ``accept_content`` does not accept."""

from __future__ import annotations

from workerlint.rules.config.late_ack_redelivery.python import reader

from workerlint.core.diagnostics import Level, Span
from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Source, Value, int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery import keys
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.pyvalues import plain
from workerlint.project.frameworks.celery.report import number
from workerlint.project.frameworks.celery.tasks import celery_tasks


def _report(ctx: ProjectContext, source: Source | None, message: str) -> None:
    if source is not None and source.relpath:
        ctx.report_at(source.relpath, Span(source.start, source.end), message, level=Level.ERROR)


_NEGATIVE = (
    "is negative: the worker does not start (billiard's pool raises `ValueError: Number of "
    "processes must be at least 0`)"
)


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
        """A negative concurrency (0 means one process per CPU: celery/worker/worker.py)."""
        setting = celery.setting("worker_concurrency")
        if setting is not None:
            number = int_value(setting.value)
            if number is not None and number < 0:
                _report(
                    ctx,
                    setting.value.source,
                    f"worker concurrency {setting.value.describe()} {_NEGATIVE}",
                )
        for command in celery.celery_workers:
            given = command.option("concurrency")
            number = int_value(given)
            if given is not None and number is not None and number < 0:
                _report(ctx, given.source, f"`-c {number}` in {command.label} {_NEGATIVE}")

    def limits(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        self.task_limits(ctx, celery)
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

    def task_limits(self, ctx: ProjectContext, celery: CelerySetup) -> None:
        """A task's own ``soft_time_limit``/``time_limit`` options override the settings (the
        worker reads the task's first): the pair that applies to the task, when at least one of
        the two is the task's own (a pair of settings is reported once, above)."""
        if ctx.python_index is None:
            return
        options = reader(ctx)
        for task in celery_tasks(ctx.python_index):
            own_soft = options.option(task, "soft_time_limit")
            own_hard = options.option(task, "time_limit")
            if own_soft is None and own_hard is None:
                continue
            soft = own_soft.value if own_soft is not None else self._setting(celery, "soft")
            hard = own_hard.value if own_hard is not None else self._setting(celery, "hard")
            a, b = number(soft), number(hard)
            if soft is None or hard is None or a is None or b is None or a < b:
                continue
            _report(
                ctx,
                soft.source if own_soft is not None else hard.source,
                f"the task `{task.name}` has soft time limit {soft.describe()}, not below its "
                f"hard limit {hard.describe()}: the task is killed before "
                "SoftTimeLimitExceeded can let it clean up",
            )

    @staticmethod
    def _setting(celery: CelerySetup, which: str) -> Value | None:
        key = "task_soft_time_limit" if which == "soft" else "task_time_limit"
        setting = celery.setting(key)
        return setting.value if setting is not None else None

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
