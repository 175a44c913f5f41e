from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class ConnectionPerJob(Rule):
    """## What it does
    Reports opening a connection in worker code: `Redis.new`, `RedisClient.new`,
    `RedisClient.config(...).new_client` (and `new_pool`), `ConnectionPool.new`,
    `ConnectionPool::Wrapper.new`, `Redlock::Client.new`, `PG.connect` (`PG::Connection.new`,
    `open`, `connect`), `Mysql2::Client.new`, `Bunny.new` and `Mongo::Client.new`.

    The connection counts when it is built every time the code runs: used in place, kept in a
    local, returned from a method the class calls per job, or memoised in an instance variable of
    a worker instance method (`@redis ||= Redis.new`: a worker instance lives for one job). It is
    not reported when it is kept for the process: a constant, a class variable (`@@redis ||=`), a
    global, an instance variable assigned in a class method (`def self.redis; @redis ||= ...`,
    or in `class << self`), or `Thread.current[...]`. A connection built inside a pool's block
    (`ConnectionPool.new { Redis.new }`) is judged with its pool.

    Not reported either, because how long the object lives is not known: an `@ivar` memo in a
    helper class or module beside the workers (it may be kept for the process), a connection
    built in a lambda, and a class method returning a new connection that the class never calls
    (see `--verbose` for these skipped checks).

    ## Python
    In task code, a call that builds a connection or a client with a pool of its own:
    `redis.Redis(...)`, `StrictRedis`, `Redis.from_url`, `redis.from_url` (and `redis.asyncio`),
    `psycopg2.connect`, `psycopg.connect`, `pymysql.connect`, `MySQLdb.connect`,
    `pymongo.MongoClient`, `pika.BlockingConnection`, `kombu.Connection`, `create_engine` (a
    pool per call), `boto3.client`/`boto3.resource`: a warning; `requests.Session()`,
    `httpx.Client()` per run: a note (no keep-alive between runs). Not reported when it is kept
    for the process: at module level, in a function memoised with `functools.cache`/`lru_cache`/
    `cached_property`, assigned to a `global` name, a class attribute (`cls.x`), a
    `threading.local()` attribute, or `self.x` of a Celery `Task` subclass (one instance per
    worker process). `self.x` of another class and calls in a lambda are skipped (`--verbose`).

    ```python
    @shared_task
    def count_visit(page_id):
        r = redis.Redis.from_url(settings.REDIS_URL)  # WL501
        r.incr(f"visits:{page_id}")
    ```

    Use instead: `REDIS = redis.Redis.from_url(settings.REDIS_URL)` at module level.

    ## Why is this bad?
    Opening a connection costs a TCP (and often TLS) handshake and authentication on every job.
    With many threads and processes the server's connection limit (Redis `maxclients`,
    PostgreSQL `max_connections`) is reached under load, and a connection that is not closed
    when the job raises stays open until the garbage collector finds it. Inside a job,
    `Sidekiq.redis { |conn| ... }` borrows a connection from Sidekiq's pool instead.

    ## Example
    ```ruby
    class CounterWorker
      include Sidekiq::Job

      def perform(key)
        redis = Redis.new(url: ENV.fetch("REDIS_URL"))
        redis.incr(key)
      end
    end
    ```

    Use instead:
    ```ruby
    class CounterWorker
      include Sidekiq::Job

      def perform(key)
        Sidekiq.redis { |conn| conn.incr(key) }
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: shown, never applied by `--fix`. When the connection is built
    only from literals and constants (`ENV.fetch("REDIS_URL")`), its diff moves the construction
    to a constant of the class, built once per process: a Redis client wrapped in
    `ConnectionPool::Wrapper.new(size: 5) { ... }` (a client serves one thread at a time; size the
    pool to Sidekiq's concurrency), a pool, Mongo or Redlock client as it is. It also deletes the
    `x.close` statements on the variable that held it, which would now close the shared one.
    Behaviour changes: calls through the wrapper may run on different connections, so a
    `watch`/`multi` split over several calls loses its meaning. Otherwise (PostgreSQL, MySQL and
    RabbitMQ connections, which code commonly closes; arguments from the job's data) the
    suggestion names the alternative without an edit.
    """

    code = "WL501"
    ruby = FolderCheck("RubyConnectionPerJobCheck")
    python = FolderCheck("ConnectionPerJobCheck")
    name = "connection-per-job"
    level = Level.WARNING
    summary = "A connection opened in worker code, anew on every job run."
    fix_availability = "always"
    suggestion_only = True
    tags = ("connections",)
