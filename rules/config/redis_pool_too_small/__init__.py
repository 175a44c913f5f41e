from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


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
    ruby = FolderCheck("SidekiqRedisPoolCheck")
    python = FolderCheck("CeleryRedisPoolCheck")
