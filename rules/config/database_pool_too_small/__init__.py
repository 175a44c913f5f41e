from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


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
    ruby = FolderCheck("SidekiqDatabasePoolCheck")
    python = FolderCheck("DjangoPoolCheck")
