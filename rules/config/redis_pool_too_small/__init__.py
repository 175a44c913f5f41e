from __future__ import annotations

from dataclasses import dataclass

from workerlint import FolderCheck, Level, Rule
from workerlint.formats.values import Value, int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.report import join, replace_fix, report_at_source, where
from workerlint.project.frameworks.sidekiq.setup import Process


@dataclass(frozen=True)
class _Shortfall:
    process: Process
    need: int
    concurrency: Value
    formula: str
    capsule: str


class RedisPoolTooSmall(Rule):
    """## What it does
    Reports a Redis pool set explicitly for the Sidekiq server (`config.redis = { size: N }` in
    `Sidekiq.configure_server`, or a `ConnectionPool.new(size: N)` handed to `config.redis =`
    before 7.0) that is smaller than what the detected Sidekiq version demands at the
    concurrency each process runs with:

    - 5.0 - 5.1: more than the concurrency (Sidekiq's message asks for concurrency + 2);
    - 5.2 - 6.x: at least concurrency + 2;
    - 7.0.0 - 7.0.2: never (a user `size:` is ignored there);
    - 7.0.3 and later: at least the concurrency of every capsule, the default one included,
      since a `size:` becomes the pool of every capsule.

    The concurrency of each process is found as Sidekiq finds it: the Ruby configuration, then
    `-c` in the Procfile, then the YAML's environment section, its top level, `RAILS_MAX_THREADS`
    (supplied with `--env`), then the version's default. A pool or concurrency whose value is
    unknown (an ENV variable without a default, a method call) is not checked; `--verbose` says
    so.

    For Celery (Python), under a threads, gevent or eventlet pool (prefork is silent: each child
    process has its own pools), it reports a Redis pool smaller than the worker's concurrency:
    `redis_max_connections` with a Redis result backend, or
    `broker_transport_options["max_connections"]` with a Redis broker (errors: redis-py raises
    "Too many connections", celery/celery #3227), and `broker_pool_limit` (a warning: tasks
    that publish wait for a connection). Only values set in the configuration are compared
    (unset `redis_max_connections` is unlimited).

    ## Why is this bad?
    Sidekiq checks the pool when it boots and refuses to start: every worker process crashes at
    deploy time with "Your pool of N Redis connections is too small".

    ## Example
    ```ruby
    # config/sidekiq.yml has `:concurrency: 10`; Sidekiq 6.5
    Sidekiq.configure_server do |config|
      config.redis = { url: ENV["REDIS_URL"], size: 10 }
    end
    ```

    Use instead:
    ```ruby
    Sidekiq.configure_server do |config|
      config.redis = { url: ENV["REDIS_URL"], size: 12 }
    end
    ```

    ## Fix safety
    The fix raises a literal `size:` to the required number. It is unsafe: it opens more
    connections to Redis per process, which counts against the server's connection limit.
    """

    code = "WL101"
    name = "redis-pool-too-small"
    level = Level.ERROR
    summary = "A worker's Redis pool is smaller than its concurrency needs."
    fix_availability = "sometimes"
    tags = ("configuration", "redis")
    targets = frozenset({"project"})
    python = FolderCheck("CeleryRedisPoolCheck")

    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        ruby = setup.ruby
        pool = ruby.redis_pool
        if ruby.redis_source is None or pool is None:
            return  # Sidekiq's own pool fits its concurrency
        version = setup.effective_version
        if version < (5,):
            ctx.skip(f"{setup.version_label}: versions before 5.0 are not modelled")
            return
        if (7,) <= version < (7, 0, 3):
            ctx.skip(
                f"{setup.version_label} ignores a `size:` (every capsule gets its concurrency)"
            )
            return
        if ruby.redis_form == "connection_pool" and version >= (7,):
            ctx.skip(f"{setup.version_label} does not accept a ConnectionPool for config.redis")
            return
        size = int_value(pool)
        if size is None or pool.source is None:
            ctx.skip(f"Redis pool unknown ({pool.origin()})")
            return
        shortfalls = self._shortfalls(ctx, size, version)
        if not shortfalls:
            return
        worst = max(shortfalls, key=lambda s: s.need)
        same = [s for s in shortfalls if (s.need, s.concurrency) == (worst.need, worst.concurrency)]
        others = [s for s in shortfalls if s not in same]
        message = (
            f"Redis pool of {size} ({pool.origin()}) is below the {worst.need} connections "
            f"{setup.version_label} needs for concurrency {worst.concurrency.value} "
            f"({worst.concurrency.origin()}; {worst.formula})"
            f"{where(setup, (s.process for s in same))}: it will refuse to boot"
        )
        if others:
            several = len(setup.processes) > 1
            shown = [
                (f"capsule `{s.capsule}` at " if version >= (7,) else "")
                + f"concurrency {s.concurrency.describe()}"
                + (f" in {s.process.title}" if several else "")
                for s in others
            ]
            message += "; also too small for " + join(dict.fromkeys(shown))
        fix = None
        if pool.literal:
            fix = replace_fix(pool.source, str(worst.need), f"raise the pool to {worst.need}")
        source = pool.source
        report_at_source(ctx, source, message, fix=fix)

    def _shortfalls(
        self, ctx: ProjectContext, size: int, version: tuple[int, ...]
    ) -> list[_Shortfall]:
        found = []
        for process in ctx.setup.processes:
            if version < (7,):
                capsules = [("default", process.concurrency)]
            else:
                capsules = process.capsule_concurrencies()
            for capsule, value in capsules:
                concurrency = int_value(value)
                if value is None or concurrency is None:
                    origin = value.origin() if value is not None else "not set"
                    ctx.skip(f"{process.title}: concurrency of `{capsule}` unknown ({origin})")
                    continue
                if version < (5, 2):
                    too_small = size <= concurrency
                    need, formula = concurrency + 2, "more than the concurrency; concurrency + 2"
                elif version < (7,):
                    need, formula = concurrency + 2, "concurrency + 2"
                    too_small = size < need
                else:
                    need = concurrency
                    formula = f"every capsule's pool holds its concurrency: capsule `{capsule}`"
                    too_small = size < need
                if too_small:
                    found.append(_Shortfall(process, need, value, formula, capsule))
        return found
