# WL304 process-global-growth: its examples (format: workerlint/app/examples.py)

# case: memoised-hash-constant (invalid)
class PriceWorker
  include Sidekiq::Job

  RATES = {}

  def perform(currency)
    RATES[currency] ||= ExchangeApi.rate(currency)
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RATES[currency] ||= ...` adds a key to `PriceWorker::RATES`, a Hash kept for the life of the Sidekiq process (app/workers/example_worker.rb:4) and shared by all its threads: it grows with every distinct key and nothing takes entries out, so unless the keys are a small fixed set, memory grows until the process restarts; use `Rails.cache` with an expiry, or an LRU
  end
end

# case: class-variable-set (invalid)
class DedupWorker
  include Sidekiq::Job

  @@seen = Set.new

  def perform(id)
    return if @@seen.include?(id)

    @@seen.add(id)
    #      ^^^^^^^ `@@seen.add(id)` adds to the class variable `@@seen` of `DedupWorker`, a Set kept for the life of the Sidekiq process (app/workers/example_worker.rb:4) and shared by all its threads: each job adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the job, or in `Rails.cache`/Redis with an expiry
  end
end

# case: constant-of-another-file-through-nesting (invalid)
# note: A constant defined in another project file, found through the module nesting.
module Billing
  class InvoiceWorker
    include Sidekiq::Job

    def perform(id)
      PROCESSED << id
    # ^^^^^^^^^^^^^^^ `PROCESSED << id` adds to `Billing::PROCESSED`, an Array kept for the life of the Sidekiq process (app/lib/billing.rb:2) and shared by all its threads: each job adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the job, or in `Rails.cache`/Redis with an expiry
    end
  end
end

# file: app/lib/billing.rb
module Billing
  PROCESSED = []
end

# case: class-instance-variable-memoised-in-a-reader (invalid)
# note: A class-level instance variable memoised in a class method, added to through its reader.
class TemplateWorker
  include Sidekiq::Job

  def self.templates
    @templates ||= Concurrent::Map.new
  end

  def perform(name)
    self.class.templates[name] = Template.compile(name)
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `self.class.templates[name] = ...` adds a key to `@templates` of the `TemplateWorker` class object, a Concurrent::Map kept for the life of the Sidekiq process (app/workers/example_worker.rb:5) and shared by all its threads: it grows with every distinct key and nothing takes entries out, so unless the keys are a small fixed set, memory grows until the process restarts; use `Rails.cache` with an expiry, or an LRU
  end
end

# case: class-instance-variable-from-a-class-method (invalid)
# note: A class-level instance variable set in the class body, added to from a class method.
class EventWorker
  include Sidekiq::Job
  @events = []

  def self.record(event)
    @events.push(event)
    #       ^^^^^^^^^^^ `@events.push(event)` adds to `@events` of the `EventWorker` class object, an Array kept for the life of the Sidekiq process (app/workers/example_worker.rb:3) and shared by all its threads: each job adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the job, or in `Rails.cache`/Redis with an expiry
  end

  def perform(event)
    self.class.record(event)
  end
end

# case: class-variable-memoised-with-nested-index (invalid)
# note: A class variable memoised inside a method, grown through a nested index.
class StatsWorker
  include Sidekiq::Job

  def perform(queue, jid)
    @@by_queue ||= Hash.new { |h, k| h[k] = [] }
    @@by_queue[queue] << jid
  # ^^^^^^^^^^^^^^^^^^^^^^^^ `@@by_queue[queue] << jid` adds to the class variable `@@by_queue` of `StatsWorker`, a Hash kept for the life of the Sidekiq process (app/workers/example_worker.rb:5) and shared by all its threads: each job adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the job, or in `Rails.cache`/Redis with an expiry
  end
end

# case: superclass-constant-merged (invalid)
# note: A constant of a superclass; merge! adds keys.
class FeedWorker < BaseWorker
  def perform(url, etag)
    ETAGS.merge!(url => etag)
    #     ^^^^^^^^^^^^^^^^^^^ `ETAGS.merge!(url => etag)` adds a key to `BaseWorker::ETAGS`, a Hash kept for the life of the Sidekiq process (app/workers/base_worker.rb:3) and shared by all its threads: it grows with every distinct key and nothing takes entries out, so unless the keys are a small fixed set, memory grows until the process restarts; use `Rails.cache` with an expiry, or an LRU
  end
end

# file: app/workers/base_worker.rb
class BaseWorker
  include Sidekiq::Job
  ETAGS = Hash.new
end

# case: attr-reader-in-singleton-class (invalid)
# note: attr_reader in `class << self` exposes the class object's instance variable.
class Registry
  @handlers = {}

  class << self
    attr_reader :handlers
  end
end

class RegisterWorker
  include Sidekiq::Job

  def perform(name, handler)
    Registry.handlers.store(name, handler)
    #                 ^^^^^^^^^^^^^^^^^^^^ `Registry.handlers.store(name, handler)` adds a key to `@handlers` of the `Registry` class object, a Hash kept for the life of the Sidekiq process (app/workers/example_worker.rb:2) and shared by all its threads: it grows with every distinct key and nothing takes entries out, so unless the keys are a small fixed set, memory grows until the process restarts; use `Rails.cache` with an expiry, or an LRU
  end
end

# case: class-attribute-with-mutable-default (invalid)
# note: class_attribute with a mutable default is one object shared by every job.
class AuditWorker
  include Sidekiq::Job
  class_attribute :entries, default: []

  def perform(entry)
    self.class.entries << entry
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^ `self.class.entries << entry` adds to `AuditWorker.entries`, an Array kept for the life of the Sidekiq process (app/workers/example_worker.rb:3) and shared by all its threads: each job adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the job, or in `Rails.cache`/Redis with an expiry
  end
end

# case: instance-variables-of-the-job (valid)
# note: Instance variables of the job instance live for one job.
class CollectWorker
  include Sidekiq::Job

  def perform(ids)
    @results = []
    ids.each { |id| @results << id }
    @seen ||= {}
    @seen[ids.first] = true
    local = []
    local << 1
  end
end

# case: loggers-and-io-are-not-collections (valid)
# note: Loggers, IO and constants the index does not know are not collections.
class LogWorker
  include Sidekiq::Job

  LOGGER = Logger.new($stdout)
  @@log = Logger.new("log/jobs.log")

  def perform(line)
    LOGGER << line
    @@log << line
    $stdout << line
    STDERR << line
    Prometheus::REGISTRY.add(line)
  end
end

# case: frozen-constants (valid)
# note: A frozen constant cannot grow (adding raises FrozenError).
class FrozenWorker
  include Sidekiq::Job

  DEFAULTS = { "retries" => 3 }.freeze
  NAMES = %w[a b].freeze

  def perform(key)
    DEFAULTS.merge(key => 1)
    NAMES + [key]
  end
end

# case: bounded-by-shift (valid)
# note: The class takes entries out as well: its size is managed.
class RecentWorker
  include Sidekiq::Job

  RECENT = []

  def perform(id)
    RECENT << id
    RECENT.shift if RECENT.size > 100
  end
end

# case: reading-a-constant (valid)
# note: Reading a process-wide collection is fine.
class LookupWorker
  include Sidekiq::Job

  HANDLERS = { "a" => :handle_a }

  def perform(kind)
    send(HANDLERS.fetch(kind))
    HANDLERS[kind]
  end
end

# case: adding-in-the-class-body (valid)
# note: Adding in the class body runs once, at load time.
class RegistryWorker
  include Sidekiq::Job

  KINDS = []
  KINDS << "email"
  KINDS.push("sms")

  def perform(kind)
    KINDS.include?(kind)
  end
end

# case: class-method-resets-the-collection (valid)
# note: A class method resetting the collection per call keeps it bounded.
class BatchWorker
  include Sidekiq::Job

  def self.collect(items)
    @buffer = []
    items.each { |item| @buffer << item }
    @buffer
  end

  def perform(items)
    self.class.collect(items)
  end
end

# case: not-worker-code (valid)
# note: Not worker code.
# file: app/models/currency.rb
class Currency
  RATES = {}

  def self.rate(code)
    RATES[code] ||= Api.rate(code)
  end
end

# case: unknown-class-variable (valid)
# note: An unknown class variable (never assigned in the class) is not reported.
# settings: { worker-base-classes = ["LegacyBase"] }
class InheritedWorker < LegacyBase
  def perform(id)
    @@registry << id
  end
end

# case: dsl-macro-and-literal-keys (valid)
# note: A class method that class bodies call (a DSL macro) runs at load time, not per job;
# note: a literal key is one fixed slot, overwritten on every run.
class ThrottledWorker
  include Sidekiq::Job
  STATUS = {}

  def self.throttle(name, limit)
    @throttles ||= {}
    @throttles[name] = limit
  end

  throttle :api, 10

  def perform
    STATUS[:last_run] = Time.now.to_i
    STATUS["count"] ||= 0
  end
end
