"""WL108's Python half: Celery's ``worker_soft_shutdown_timeout`` and Dramatiq's
``--worker-shutdown-timeout`` (milliseconds; unset is Dramatiq's default of 600 s, PYTHON.md §9)
at or above ``grace-period``. The Celery setting exists from Celery 5.5: a locked older Celery
never reads it, so it is not reported then."""

from __future__ import annotations

from workerlint.core.rule import LanguageCheck
from workerlint.lang.python.index import DRAMATIQ
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.report import number, report_at, seconds

DRAMATIQ_DEFAULT_MS = 600_000


class PythonShutdownCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        grace = int(self.options["grace-period"])
        celery = ctx.celery
        locked = celery.versions.get("celery")
        if celery.found and celery.is_set("worker_soft_shutdown_timeout"):
            value = celery.value("worker_soft_shutdown_timeout")
            timeout = number(value)
            if locked is not None and locked.number < (5, 5):
                ctx.skip(
                    f"`worker_soft_shutdown_timeout`: Celery {locked.text} ({locked.source}) "
                    "predates it (5.5), so it is not read"
                )
            elif timeout is not None and timeout >= grace:
                report_at(
                    ctx,
                    value.source,
                    f"Celery's soft shutdown waits {seconds(timeout)} ({value.origin()}) for "
                    f"running tasks, not less than the {grace} s grace period: the platform "
                    "kills the worker first, and the tasks it held are cut off mid-run",
                )
        for command in celery.commands:
            if command.framework != DRAMATIQ or command.development_only:
                continue
            given = command.option("worker_shutdown_timeout")
            millis = number(given) if given is not None else DRAMATIQ_DEFAULT_MS
            if millis is None or millis / 1000 < grace:
                continue
            shown = (
                f"`--worker-shutdown-timeout {int(millis)}` (ms)"
                if given is not None
                else "Dramatiq's default shutdown timeout of 600 s (no `--worker-shutdown-timeout`)"
            )
            source = given.source if given is not None else command.source
            report_at(
                ctx,
                source,
                f"{command.label} waits up to {seconds(millis / 1000)} for running actors on "
                f"shutdown ({shown}), not less than the {grace} s grace period: the platform "
                "kills the worker first, and the actors it held are cut off mid-run; pass "
                f"`--worker-shutdown-timeout {max(grace - 5, 1) * 1000}`",
            )
