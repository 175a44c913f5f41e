"""WL101's Celery half: Redis connection pools smaller than a threads/gevent/eventlet worker's
concurrency (prefork is silent: each child has its own pools). PYTHON.md §3 WL101, §9 (an unset
value is its default; "unlimited" never fires)."""

from __future__ import annotations

from workerlint.core.diagnostics import Level
from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.model import CelerySetup
from workerlint.project.frameworks.celery.pyvalues import members, plain
from workerlint.project.frameworks.celery.report import number, origin_beside, report_at

SHARED_POOLS = frozenset({"threads", "gevent", "eventlet"})


class CeleryRedisPoolCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        if not celery.found:
            return
        seen: set[tuple[str, int]] = set()
        for command in celery.workers_or_settings():
            pool = celery.pool(command)
            if pool not in SHARED_POOLS:
                continue
            concurrency = celery.concurrency(command)
            count = number(concurrency)
            if count is None:
                ctx.skip(f"concurrency of a {pool} worker unknown")
                continue
            for value, what, consequence, level in self.pools(celery):
                size = number(value)
                if size is None or size >= count or value.source is None:
                    continue
                key = (value.source.relpath, value.source.start)
                if key in seen:
                    continue
                seen.add(key)
                who = f" in {command.label}" if command else ""
                report_at(
                    ctx,
                    value.source,
                    f"{what} of {int(size)} ({value.origin()}) is below the {pool} pool's "
                    f"concurrency {int(count)}{origin_beside(concurrency, command)}{who}: {consequence}",
                    level,
                )

    def pools(self, celery: CelerySetup) -> list[tuple[Value, str, str, Level | None]]:
        found: list[tuple[Value, str, str, Level | None]] = []
        backend = plain(celery.value("result_backend"))
        if isinstance(backend, str) and backend.startswith(("redis://", "rediss://")):
            found.append(
                (
                    celery.value("redis_max_connections"),
                    "`redis_max_connections`",
                    "tasks waiting on the result backend at once fail with redis-py's "
                    "ConnectionError: Too many connections",
                    None,
                )
            )
        if celery.broker_kind == "redis":
            options = members(celery.value("broker_transport_options"))
            given = options.get("max_connections")
            if given is not None:
                found.append(
                    (
                        given,
                        '`broker_transport_options["max_connections"]`',
                        "tasks publishing at once fail with redis-py's ConnectionError: Too "
                        "many connections",
                        None,
                    )
                )
        limit = celery.setting("broker_pool_limit")
        if limit is not None:
            found.append(
                (
                    celery.value("broker_pool_limit"),
                    "`broker_pool_limit`",
                    "tasks that send tasks wait for a free broker connection",
                    Level.WARNING,
                )
            )
        return found
