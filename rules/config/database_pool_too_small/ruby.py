"""WL102's Ruby check: a database.yml pool below the job threads of a Sidekiq process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import int_value
from workerlint.project.frameworks.sidekiq.report import (
    join,
    replace_fix,
    report_at_source,
    threads_detail,
)

if TYPE_CHECKING:
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.database import DatabasePool
    from workerlint.project.frameworks.sidekiq.setup import Process


DATABASE = "config/database.yml"


class SidekiqDatabasePoolCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        database = setup.database
        if database is None:
            return
        found: dict[tuple[int, int], list[tuple[DatabasePool, Process, int]]] = {}
        for environment in setup.environments:
            pools = [p for p in database.pools if p.environment == environment]
            if not pools:
                ctx.skip(f"{environment}: no section in {DATABASE}")
                continue
            for pool in pools:
                for process in (p for p in setup.processes if p.environment == environment):
                    shortfall = self._check(ctx, pool, process)
                    if shortfall is not None and pool.pool and pool.pool.source:
                        key = (pool.pool.source.start, pool.pool.source.end)
                        found.setdefault(key, []).append((pool, process, shortfall))
        for items in found.values():
            self._report(ctx, items)

    def _check(self, ctx: ProjectContext, pool: DatabasePool, process: Process) -> int | None:
        name = _database_name(pool)
        value = pool.pool
        if value is None:
            reason = "given by `url:`" if pool.url else "not set (Rails' default, or DATABASE_URL)"
            ctx.skip(f"{name}: database pool unknown ({reason})")
            return None
        size = int_value(value)
        if size is None:
            ctx.skip(f"{name}: database pool unknown ({value.origin()})")
            return None
        threads = process.total_threads
        if threads is None:
            ctx.skip(f"{process.title}: job threads unknown: {process.threads_unknown()}")
            return None
        variables = {v for _, c in process.capsule_concurrencies() if c for v in c.variables}
        if set(value.variables) & variables:
            return None  # both follow the same variable
        return threads if size < threads else None

    def _report(self, ctx: ProjectContext, items: list[tuple[DatabasePool, Process, int]]) -> None:
        pool, process, threads = max(items, key=lambda item: item[2])
        value = pool.pool
        assert value is not None and value.source is not None
        names = join(_database_name(p) for p, _, _ in items)
        several = len(ctx.setup.processes) > 1
        who = process.title if several else "the Sidekiq process"
        message = (
            f"Database pool of {value.value} ({value.origin()}; {names}) is below the {threads} "
            f"job threads of {who} ({threads_detail(process)}): each job thread using "
            "ActiveRecord holds a connection, so jobs wait and raise "
            "ActiveRecord::ConnectionTimeoutError under load"
        )
        others = {p.title for _, p, _ in items if p is not process}
        if others:
            message += "; also too small for " + join(sorted(others))
        fix = None
        if value.literal:
            fix = replace_fix(value.source, str(threads), f"set the pool to {threads}")
        source = value.source
        report_at_source(ctx, source, message, fix=fix)


def _database_name(pool: DatabasePool) -> str:
    return f"{pool.environment} ({pool.database})" if pool.database else pool.environment
