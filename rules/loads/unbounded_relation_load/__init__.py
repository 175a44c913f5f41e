from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class UnboundedRelationLoad(Rule):
    """## What it does
    Reports `to_a`, `load`, `records`, `pluck`, `ids`, `as_json` and `to_json` called on an
    unbounded relation chain in worker code (see WL301 for what a relation chain is and what
    bounds it), and `pluck`/`ids` on a bare model (`Order.pluck(:id)`, which ActiveRecord runs
    on `Order.all`).

    `pluck` of one column and `ids` are reported as notes: one value per row is far lighter
    than a record, and a list of ids to fan out is a common, often deliberate, pattern; it is
    still every matching row at once. `to_a`, `load`, `records`, serialization and `pluck` of
    several columns are warnings. A `pluck` written as the argument of a `where`
    (`where(account_id: Account.active.pluck(:id))`) is reported with the subquery hint.

    Only unbounded chains are reported (see WL301: neither bounded by `limit`, `take`,
    `first(n)`, `last(n)`, a `where` on the primary key, a list that is a job argument or a
    bounded local, a rolling time window (`where("created_at > ?", 1.hour.ago)`,
    `where(created_at: 1.day.ago..)`; `< 1.day.ago`, every older row, is reported), a slice
    of time (a column equal to one time relative to now: `where(registered_on: Date.today)`),
    a scope that bounds itself, or a scope holding a column to a list it is given, called with
    a bounded list there (`last_n_per_feed(50, ids)` with `scope :last_n_per_feed, ->(n,
    feed_ids) { where(feed_id: feed_ids) }` and `ids` a slice of `each_slice`), nor scoped to one parent by a foreign or unique key equal to one value).
    A local assigned a chain once in the same method is that chain. Not reported either:
    associations through a local (`account.orders.pluck(:id)`); receivers that are not
    relations (`Sidekiq::Queue.all.to_a`, `YAML.load(text)`); a `pluck`/`ids` whose result is
    immediately cut to one value (`where(email: e).pluck(:id).first`, a lookup: `pick` does it
    in SQL); and `pluck(:col)` after `distinct` and `where(col: list)`, whose values are a
    subset of `list`.

    As in WL301, the level follows the evidence of many rows: a warning (`to_a`, `load`,
    `records`, serialization, `pluck` of several columns) needs a chain with no filter (every
    row of the table) or a model the project batches somewhere (`find_each`, `find_in_batches`,
    `in_batches` on a chain of it); a filtered chain of a model the project never batches is a
    note, and the message says why. This diverges from RULES.md (every unbounded chain is
    reported alike): measured on 14 real applications, the warnings worth acting on were all on
    models the project batches elsewhere, and the filtered chain of a model never batched was a
    small set.

    ### Python
    In task code, on an unbounded queryset (see WL301's Python part): `list(qs)`,
    `tuple(qs)`, `set(qs)`, `sorted(qs)`; `len(qs)` (`.count()` counts in SQL); `if qs:`,
    `not qs`, `bool(qs)` (`.exists()` asks for one row); `in_bulk()` without ids. A
    `values_list(..., flat=True)` is a note, one value per row. Silent when the same local is
    iterated directly afterwards (PYTHON.md §9: the loop loads the rows anyway and reuses the
    result cache) or was iterated before. SQLAlchemy: `.all()` and `.fetchall()` on a
    `session.query(M)...` or `session.execute(select(M)...)` (`.scalars().all()`) that is
    neither limited nor streamed; `pandas.read_sql` without `chunksize` (unless its literal SQL
    has a `LIMIT`).

    ```python
    @shared_task
    def report_pending():
        pending = Subscriber.objects.filter(confirmed=False)
        if pending:
            return len(pending)
    ```

    Use instead: `if pending.exists(): return pending.count()`.

    ## Why is this bad?
    These methods run the whole query and build every row (or every value) in Ruby memory before
    returning. A table that was small when the job was written grows, the job's memory grows
    with it, and a Sidekiq process running several such jobs is killed for memory, taking every
    other running job with it.

    ## Example
    ```ruby
    class NewsletterWorker
      include Sidekiq::Job

      def perform
        Subscriber.where(confirmed: true).pluck(:id).each do |id|
          NewsletterDeliveryWorker.perform_async(id)
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class NewsletterWorker
      include Sidekiq::Job

      def perform
        Subscriber.where(confirmed: true).in_batches(of: 1000) do |batch|
          NewsletterDeliveryWorker.perform_bulk(batch.pluck(:id).map { |id| [id] })
        end
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only and never applied by `--fix`. Where the loaded values are
    iterated right away (`pluck(:id).each { }`, `to_a.each { }`), it shows the batched form:
    the iteration moved inside `in_batches(of: 1000) { |batch| ... }`, or `find_each`. Batches
    walk the rows in primary-key order (an `order` on the chain is ignored, so there is no
    suggested edit then) and the expression no longer returns the loaded array. Elsewhere the
    suggestion only names the options: batch the work, or bound the query with `limit`, which
    changes which rows the job sees. There is no suggestion when the loop staggers jobs by its
    index (`each_with_index { |id, i| W.perform_in(i * 5, id) }`): batches would restart the
    index, and every batch would schedule its jobs over the same first minutes.

    In Python the suggestions are `.count()` for `len(qs)` and `.exists()` for a truth test,
    also display-only: a later use of the local that relied on the filled result cache now
    runs its own query.
    """

    code = "WL302"
    name = "unbounded-relation-load"
    level = Level.WARNING
    summary = "Loading an unbounded relation at once in worker code holds every row in memory."
    fix_availability = "sometimes"
    suggestion_only = True
    tags = ("memory", "database")
    ruby = FolderCheck("RubyLoadCheck")
    python = FolderCheck("LoadCheck")
