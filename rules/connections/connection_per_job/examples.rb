# WL501 connection-per-job: its examples (format: workerlint/app/examples.py)

# case: redis-new-closed-per-job (invalid)
# note: The display-only suggestion (shown, never applied by --fix) moves the connection to a pool
# note: kept for the process, and drops the per-job close that would close the shared one.
class CounterWorker
  include Sidekiq::Job

  def perform(key)
    redis = Redis.new(url: ENV.fetch("REDIS_URL"))
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Redis.new` opens a new Redis connection on every job run: borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one `ConnectionPool` for the process in a constant
    redis.incr(key)
  ensure
    redis&.close
  end
end

# fixed:
class CounterWorker
  include Sidekiq::Job

  REDIS = ConnectionPool::Wrapper.new(size: 5) { Redis.new(url: ENV.fetch("REDIS_URL")) }

  def perform(key)
    redis = REDIS
    redis.incr(key)
  end
end

# case: memoised-in-an-instance-variable (invalid)
# note: Memoised in an instance variable: a worker instance lives for one job.
class LeaderboardWorker < ApplicationWorker
  def perform(user_id, score)
    redis.zadd("leaderboard", score, user_id)
  end

  private

  def redis
    @redis ||= Redis.new(url: ENV.fetch("REDIS_URL"))
    #                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Redis.new` opens a new Redis connection on every job run (`@redis` lives only as long as the job instance): borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one `ConnectionPool` for the process in a constant
  end
end

# fixed:
class LeaderboardWorker < ApplicationWorker
  REDIS = ConnectionPool::Wrapper.new(size: 5) { Redis.new(url: ENV.fetch("REDIS_URL")) }

  def perform(user_id, score)
    redis.zadd("leaderboard", score, user_id)
  end

  private

  def redis
    @redis ||= REDIS
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: top-level-redis-new (invalid)
class NotifyWorker < ApplicationWorker
  def perform(channel, message)
    ::Redis.new.publish(channel, message)
    #       ^^^ `Redis.new` opens a new Redis connection on every job run: borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one `ConnectionPool` for the process in a constant
  end
end

# fixed:
class NotifyWorker < ApplicationWorker
  REDIS = ConnectionPool::Wrapper.new(size: 5) { ::Redis.new }

  def perform(channel, message)
    REDIS.publish(channel, message)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: redis-client-new-client (invalid)
class StreamWorker < ApplicationWorker
  def perform(stream, entry)
    client = RedisClient.config(url: ENV.fetch("REDIS_URL")).new_client
    #                                                        ^^^^^^^^^^ `RedisClient.config(...).new_client` opens a new Redis connection on every job run: borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one `ConnectionPool` for the process in a constant
    client.call("XADD", stream, "*", *entry.flatten)
  end
end

# fixed:
class StreamWorker < ApplicationWorker
  REDIS = ConnectionPool::Wrapper.new(size: 5) { RedisClient.config(url: ENV.fetch("REDIS_URL")).new_client }

  def perform(stream, entry)
    client = REDIS
    client.call("XADD", stream, "*", *entry.flatten)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: connection-pool-built-per-job (invalid)
# note: A pool built per job: the pool is reported, not the connection its block builds.
class FanoutWorker < ApplicationWorker
  def perform(keys)
    pool = ConnectionPool.new(size: 4) { Redis.new }
    #                     ^^^^^^^^^^^^ `ConnectionPool.new` builds a new connection pool, whose connections are opened anew, on every job run: build the pool once, in a constant or an initializer
    keys.each { |key| pool.with { |redis| redis.del(key) } }
  end
end

# fixed:
class FanoutWorker < ApplicationWorker
  POOL = ConnectionPool.new(size: 4) { Redis.new }

  def perform(keys)
    pool = POOL
    keys.each { |key| pool.with { |redis| redis.del(key) } }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: pg-connect (invalid)
class AnalyticsExportWorker < ApplicationWorker
  def perform(day)
    conn = PG.connect(ENV.fetch("ANALYTICS_DATABASE_URL"))
    #         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `PG.connect` opens a new PostgreSQL connection on every job run: use ActiveRecord's pool if it is the app's database, or keep one `ConnectionPool` for the process in a constant
    conn.exec_params("SELECT export_day($1)", [day])
  ensure
    conn&.close
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: mysql-in-a-helper-module (invalid)
# note: A helper module beside the workers runs inside them.
# file: app/workers/legacy/orders.rb
module Legacy
  module Orders
    def self.status(number)
      client = Mysql2::Client.new(host: ENV.fetch("LEGACY_DB_HOST"), username: "reader")
      #                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Mysql2::Client.new` opens a new MySQL connection on every call of `Legacy::Orders.status`: use ActiveRecord's pool if it is the app's database, or keep one `ConnectionPool` for the process in a constant
      client.query("SELECT status FROM orders WHERE number = #{client.escape(number)}").first
    end
  end
end

# case: bunny-in-an-active-job (invalid)
# file: app/jobs/shipment_events_job.rb
class ShipmentEventsJob < ApplicationJob
  def perform(shipment_id)
    connection = Bunny.new(ENV.fetch("AMQP_URL"))
    #                  ^^^^^^^^^^^^^^^^^^^^^^^^^^ `Bunny.new` opens a new RabbitMQ connection on every job run: open one connection per process (a constant or an initializer) and a channel per thread
    connection.start
    connection.create_channel.default_exchange.publish(shipment_id.to_s, routing_key: "shipments")
  ensure
    connection&.close
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-method-returning-a-new-client (invalid)
# note: A class method that returns a new client, called from perform: one per job.
class EventArchiveWorker < ApplicationWorker
  def self.mongo = Mongo::Client.new(ENV.fetch("MONGO_URL"))
  #                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Mongo::Client.new` builds a new MongoDB client, with a connection pool of its own, on every job run: build one client per process, in a constant or an initializer

  def perform(event)
    self.class.mongo[:events].insert_one(event)
  end
end

# fixed:
class EventArchiveWorker < ApplicationWorker
  MONGO = Mongo::Client.new(ENV.fetch("MONGO_URL"))

  def self.mongo = MONGO

  def perform(event)
    self.class.mongo[:events].insert_one(event)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: redlock-client-in-initialize (invalid)
class PayoutWorker < ApplicationWorker
  def initialize
    @lock_manager = Redlock::Client.new([ENV.fetch("REDIS_URL")])
    #                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Redlock::Client.new` builds a new Redlock client, with Redis connections of its own, on every job run (`@lock_manager` lives only as long as the job instance): build the client once, in a constant or an initializer
    super
  end

  def perform(payout_id)
    @lock_manager.lock!("payout:#{payout_id}", 30_000) { Payout.find(payout_id).send! }
  end
end

# fixed:
class PayoutWorker < ApplicationWorker
  LOCK_MANAGER = Redlock::Client.new([ENV.fetch("REDIS_URL")])

  def initialize
    @lock_manager = LOCK_MANAGER
    super
  end

  def perform(payout_id)
    @lock_manager.lock!("payout:#{payout_id}", 30_000) { Payout.find(payout_id).send! }
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: built-from-the-jobs-data (invalid)
# note: Built from the job's own data: it cannot move to a constant, so the suggestion has no edit.
class TenantCacheWorker < ApplicationWorker
  def perform(tenant_id, key)
    tenant = Tenant.find(tenant_id)
    Redis.new(url: tenant.redis_url).del(key)
    #     ^^^^^^^^^^^^^^^^^^^^^^^^^^ `Redis.new` opens a new Redis connection on every job run: borrow one with `Sidekiq.redis { |conn| ... }` (Sidekiq's Redis) or keep one `ConnectionPool` for the process in a constant
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: around-perform-callback (invalid)
# note: A callback block runs around every job.
# file: app/jobs/replica_read_job.rb
class ReplicaReadJob < ApplicationJob
  around_perform do |_job, block|
    conn = PG::Connection.new(ENV.fetch("REPLICA_URL"))
    #                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `PG::Connection.new` opens a new PostgreSQL connection on every job run: use ActiveRecord's pool if it is the app's database, or keep one `ConnectionPool` for the process in a constant
    block.call
  ensure
    conn&.close
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: sidekiq-redis-pool (valid)
# note: Sidekiq's own pool, borrowed for the block.
class CounterWorker
  include Sidekiq::Job

  def perform(key)
    Sidekiq.redis { |conn| conn.incr(key) }
  end
end

# case: connection-pool-in-a-constant (valid)
# note: One pool per process, in a constant of the class body.
class CacheWarmWorker
  include Sidekiq::Job

  CACHE = ConnectionPool.new(size: 5) { Redis.new(url: ENV.fetch("CACHE_URL")) }

  def perform(key, value)
    CACHE.with { |redis| redis.set(key, value, ex: 3600) }
  end
end

# case: memoised-by-a-class-method (valid)
# note: Memoised in class-level state by a class method: built once per process.
class PresenceWorker < ApplicationWorker
  def self.redis
    @redis ||= Redis.new(url: ENV.fetch("PRESENCE_REDIS_URL"))
  end

  def perform(user_id)
    self.class.redis.setex("online:#{user_id}", 60, 1)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: memoised-in-class-self (valid)
class EventArchiveWorker < ApplicationWorker
  class << self
    def mongo
      @mongo ||= Mongo::Client.new(ENV.fetch("MONGO_URL"), max_pool_size: 5)
    end
  end

  def perform(event)
    self.class.mongo[:events].insert_one(event)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-variable-and-global (valid)
# note: A class variable and a global are process-wide, even when set from an instance method.
class AuditPublishWorker < ApplicationWorker
  def perform(payload)
    channel.default_exchange.publish(payload, routing_key: "audit")
  end

  private

  def channel
    @@bunny ||= Bunny.new(ENV.fetch("AMQP_URL")).tap(&:start)
    $audit_channel ||= @@bunny.create_channel
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: class-method-called-only-by-a-memo (valid)
# note: A class method building a connection that only a class-level memo calls.
class WarehouseSyncWorker < ApplicationWorker
  def self.connect
    PG.connect(ENV.fetch("WAREHOUSE_URL"))
  end

  def self.db
    @db ||= connect
  end

  def perform(order_id)
    self.class.db.exec_params("SELECT sync_order($1)", [order_id])
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: kept-per-sidekiq-thread (valid)
# note: Kept per Sidekiq thread, which runs many jobs.
class RateCounterWorker < ApplicationWorker
  def perform(key)
    redis = Thread.current[:rate_counter_redis] ||= RedisClient.new(url: ENV.fetch("REDIS_URL"))
    redis.call("INCR", key)
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: service-outside-worker-code (valid)
# note: Not worker code: a service outside the worker folders.
# file: app/services/feature_flags.rb
class FeatureFlags
  def enabled?(name)
    Redis.new.sismember("flags", name)
  end
end

# case: namespace-wrapper-on-a-pooled-client (valid)
# note: Namespaced wrappers and calls on an existing client open nothing.
class ThrottleWorker < ApplicationWorker
  POOL = ConnectionPool.new(size: 3) { Redis.new }

  def perform(key)
    POOL.with do |redis|
      namespaced = Redis::Namespace.new(:throttle, redis: redis)
      namespaced.incr(key)
      redis.close
    end
  end
end

# file: app/workers/application_worker.rb
class ApplicationWorker
  include Sidekiq::Job
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: project-class-named-redis (valid)
# note: A project class named Redis inside the worker's namespace is not redis-rb.
# file: app/workers/metrics/flush_worker.rb
module Metrics
  class FlushWorker
    include Sidekiq::Job

    def perform
      Redis.new(prefix: "metrics").flush
    end
  end
end

# file: app/models/metrics/redis.rb
module Metrics
  class Redis
  end
end

# case: ivar-of-a-helper-object (valid)
# note: An @ivar of a helper object beside the workers: how long it lives is unknown.
# file: app/workers/support/lock.rb
class Lock
  def initialize(key)
    @key = key
    @redis = Redis.new(url: ENV.fetch("LOCK_REDIS_URL"))
  end
end
