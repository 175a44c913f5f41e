from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class ProcessGlobalGrowth(Rule):
    """## What it does
    Reports worker code that adds entries to state that lives as long as the Sidekiq process:
    a class variable (`@@seen << id`), or a constant or class-level instance variable that the
    project index shows holding a mutable collection (`{}`, `[]`, `Hash.new`, `Array.new`,
    `Set.new`, `Concurrent::Map.new`, ... not frozen). Adding means `x[k] = v`, `x[k] ||= v`
    (and other operator assignments on an index), `x << v`, `push`, `append`, `unshift`,
    `insert`, `concat`, `store`, `merge!`, `update`, `add`, `compute_if_absent`,
    `put_if_absent`.

    Class-level instance variables are `@x = {}` in a class body, `@x ||= {}` in a class method,
    and what class methods return: memo methods (`def self.cache = @cache ||= {}`),
    `attr_reader` in `class << self`, `class_attribute`/`cattr_accessor`/`mattr_accessor` with a
    mutable `default:`; they are reported when added to from a class method, or through the
    reader (`self.class.cache[key] = value`, `Registry.cache << x`).

    Not reported: instance variables in instance methods (`@results << x`: one job's own
    object), locals, constants the index does not show as mutable collections (loggers, IO such
    as `STDOUT << line`, constants from gems, frozen constants), global variables, class
    variables that are assigned something other than a collection (a logger), and collections
    the class also takes entries out of (`clear`, `delete`, `shift`, `pop`, `reject!`,
    `replace`...): their size is managed.

    ## Python
    Task code adding to a module-level name (of the file, or imported from a project module) or
    a class attribute (`cls.X`, `Name.X`, `self.X` when no method assigns `self.X`) that holds
    `{}`, `[]`, a set literal, `dict()`, `list()`, `set()`, `defaultdict(...)`, `OrderedDict()`,
    `Counter()` or a `deque()` without `maxlen`. Appending (`append`, `extend`, `insert`, `add`,
    `appendleft`) is a warning; adding a key (`X[k] = v`, `X[k] += 1`, `update`, `setdefault`)
    a note, as in Ruby; a literal key (`X["total"] += 1`) does not grow it. Not reported when
    the module takes entries out of it (`pop`, `popitem`, `remove`, `discard`, `clear`,
    `del X[k]`) or rebinds it through `global`. A call from task code of a function memoised
    with `@functools.cache` or `@lru_cache(maxsize=None)` that takes arguments is a note, once
    per function and file: every distinct argument stays cached for the life of the process.

    ```python
    SEEN = set()

    @shared_task
    def ingest(event_id):
        SEEN.add(event_id)  # WL304
    ```

    ## Why is this bad?
    A constant or class-level collection is shared by every job the process runs, on every
    thread, and lives until the process restarts. A job that adds to it on every run grows the
    process's memory without bound: a slow leak that ends with the process killed for memory,
    taking its running jobs with it. A Hash or Array is also not safe to write from several
    Sidekiq threads at once.

    ## Example
    ```ruby
    class PriceWorker
      include Sidekiq::Job

      RATES = {}

      def perform(currency)
        RATES[currency] ||= ExchangeApi.rate(currency)
      end
    end
    ```

    Use instead:
    ```ruby
    class PriceWorker
      include Sidekiq::Job

      def perform(currency)
        rate = Rails.cache.fetch("rate/#{currency}", expires_in: 1.hour) do
          ExchangeApi.rate(currency)
        end
      end
    end
    ```
    """

    code = "WL304"
    ruby = FolderCheck("RubyProcessGlobalGrowthCheck")
    python = FolderCheck("ProcessGlobalGrowthCheck")
    name = "process-global-growth"
    level = Level.WARNING
    summary = "Worker code that adds to a process-wide collection grows memory until restart."
    tags = ("memory", "concurrency")
