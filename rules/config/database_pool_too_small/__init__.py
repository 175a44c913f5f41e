from __future__ import annotations

from workerlint import FolderCheck, Level, Rule
from workerlint.formats.values import int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.database import DatabasePool
from workerlint.project.frameworks.sidekiq.report import (
    join,
    replace_fix,
    report_at_source,
    threads_detail,
)
from workerlint.project.frameworks.sidekiq.setup import Process

DATABASE = "config/database.yml"


class DatabasePoolTooSmall(Rule):
    """## What it does
    Reports a `pool` in `config/database.yml` that is smaller than the job threads of a Sidekiq
    process of that environment (its concurrency, or the sum of its capsules' concurrencies on
    Sidekiq 7+). Each database of a multi-database environment is checked. The finding points at
    the `pool` value that applies, in the anchor when the environment inherits it.

    It stays silent when the pool and the concurrency come from the same ENV variable (they
    move together), when the pool is unknown (given only by `DATABASE_URL`, or not set: Rails'
    default of 5 may be overridden by `DATABASE_URL`), and when the environment has no section.
    A `url:` key beside a known `pool:` does not make the pool unknown.

    The processes are the project's `sidekiq` commands (`Procfile*`, and trivially shaped
    scripts in `bin/`), each reading the YAML file its `-C` names whatever the file's name, or
    one default process reading `config/sidekiq.yml`. A `Procfile.*` variant with a
    dot-separated part `dev`, `development`, `debug`, `local`, `test` or `sample`
    (`Procfile.dev`, `Procfile.debug`, `Procfile.dev.sample`) runs in development only, which is
    not checked. `--verbose` says which file each process reads, and when it cannot.

    For Celery (Python): under a threads, gevent or eventlet pool, Django's PostgreSQL
    connection pool (Django 5.1+, `DATABASES[alias]["OPTIONS"]["pool"]`: `max_size`, else
    `min_size`, else psycopg_pool's default of 4, as `pool: True` gives) smaller than the
    worker's concurrency. Prefork is silent (each child has its own connections); an unlocked
    Django version keeps it silent. SQLAlchemy engines are not read yet.

    ## Why is this bad?
    Sidekiq never checks `database.yml`. Every job thread that touches ActiveRecord holds a
    connection; with fewer connections than threads, jobs wait for one and raise
    `ActiveRecord::ConnectionTimeoutError` under load. Small pools can be deliberate (jobs that
    never use the database), so this is a warning.

    ## Example
    ```yaml
    # config/sidekiq.yml: `:concurrency: 20`
    production:
      adapter: postgresql
      pool: 5
    ```

    Use instead:
    ```yaml
    production:
      adapter: postgresql
      pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 20 } %>
    ```

    ## Fix safety
    The fix sets a literal `pool` to the thread count. It is unsafe: every process of the
    environment (web servers too) then opens up to that many database connections.
    """

    code = "WL102"
    name = "database-pool-too-small"
    level = Level.WARNING
    summary = "The database pool is smaller than the job threads of a worker process."
    fix_availability = "sometimes"
    tags = ("configuration", "database")
    targets = frozenset({"project"})
    python = FolderCheck("DjangoPoolCheck")

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
