from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class UnbatchedRelationIteration(Rule):
    """## What it does
    Reports iterating an unbounded ActiveRecord relation in worker code with `each`,
    `each_with_index`, `each_with_object`, `map`, `flat_map`, `group_by`, `index_by`, or
    `select`/`filter`/`reject`/`sum` with a block.

    A relation chain is a constant followed only by query methods (`all`, `where`, `joins`,
    `order`, `offset`, `includes`, ...) or scopes of the model: `scope` in its body or in a
    concern it includes (`included do`), the scopes `enum` generates (`pending`,
    `not_pending`, with its `prefix`/`suffix`), AASM's state scopes (`state :settled` gives
    `settled`, unless `create_scopes: false`), `has_flags` scopes (`sent`, `not_sent`), and
    class methods returning a relation. It
    counts when the constant is a model of the project, or, when the constant is not defined
    in the project, when the chain has a query method other than `all` (so
    `Sidekiq::Queue.all.each` and `Stripe::Customer.all` are not relations). A local assigned a
    chain once in the same method, and not reassigned before its use, is that chain
    (`orders = Order.where(...); orders.each`).

    Only unbounded chains are reported. A chain is bounded when it has `limit`, `take`,
    `first(n)`, `find_each`, `find_in_batches`, `in_batches`, a `where` on the primary key
    (`where(id: ids)`), a `where` on any column with a list that is a job argument or a bounded
    local (a local assigned once from a bounded chain or a small literal: `where(token:
    batch_keys)`), or a rolling time window: a lower bound on a time column by a value relative
    to now (`where("created_at > ?", 1.hour.ago)`, `where(created_at: 1.day.ago..)`, a scope
    bounding `created_at` by its argument called with `3.days.ago`), or a slice of time: a
    column equal to one time relative to now (`where(registered_on: Date.today)`,
    `where("expires_at = DATE(?)", 3.days.from_now)`, `where(created_at:
    Date.yesterday.all_day)`, a scope doing so, or a scope holding a column to its parameter
    called with such a time: `expires_on(3.days.from_now)`). An upper bound
    (`updated_at < 1.day.ago`) is every older row and bounds nothing; a time not relative to
    now (a constant, a job argument) and a number taken from one (`Date.today.wday`) are no
    slice. A chain is scoped to one
    parent, like an association through a local (`account.orders.each`), when a `where`
    equates a foreign key (`*_id`, a `belongs_to` association) or a column with a
    single-column unique index in `db/schema.rb` to one value (`where(account_id:
    account.id)`); it is not reported either. Constant lists (`STATUSES.each`) are not
    relations.

    A `where` equating a column that is not a key to one runtime value (a record's attribute,
    or a local: `Bike.where(owner_phone: user.phone)`, `where(segment: segment.value)`) loads the rows sharing one entity's value: a handful, usually, but how many
    is not known, so it is a **note**. Equality with a literal or a constant
    (`where(state: "stolen")`, a whole category of rows; also a local assigned only literals,
    `tag = "digest:daily"` in each branch) stays a warning, and so does a method parameter
    (`perform(state)`), which may name a category as well as an entity.

    The level follows the evidence of many rows. A chain is a **warning** when something shows
    that its rows are many: it has no filter at all (`Plan.all.each`, `Order.order(:id).map`,
    `Order.includes(:items).each`: every row of the table), or the project batches that model
    somewhere in its application code (`find_each`, `find_in_batches` or `in_batches` on a chain
    of it, also through a local or in one of its class methods): its authors treat its rows as
    many. A **filtered** chain (a `where`, `not`, `having`, or a scope of the model) of a model
    the project never batches is a **note**: how many rows it selects is not known from the code,
    and the message says so. This diverges from RULES.md, where every unbounded chain is
    reported alike (and counts as large size evidence): measured on 14 real applications, a
    filtered chain in worker code was most often a small set (one user's rows, a table of a
    few dozen rates) or a pending set each run drains, and none of 14 sampled warnings was
    worth acting on.

    A loop that drains its own set is a **note** too, even of a model the project batches: its
    chain holds a column to a literal (`where(notified_at: nil)`, `where(state: "expired")`, a
    scope doing so, an AASM state's or an enum value's scope) or compares one in SQL
    (`where("exported_at < ?", 14.days.ago)`), and its block moves each row out of that
    filter: it updates the column to another value (`user.update!(notified_at: Time.current)`,
    `update_column`, `user.sent = true` then `user.save`), destroys the record, fires an AASM
    event whose transitions from the filtered state all lead elsewhere, or calls the enum's bang
    method for another value; a compared column is left by setting it to nil, which no SQL
    comparison holds for. Each run loads only the rows that arrived since the last, so how many
    is the arrival rate, which the code does not show; the message shows the move. This is the
    pending set of WL601, by the same test. A loop that leaves the rows in place keeps its level.

    ### Python
    In task code (PYTHON.md §9): a `for` loop, a comprehension or `map(f, qs)` over an
    unbounded Django queryset: a model's manager (`Order.objects`, a custom manager such as
    `QuerySet.as_manager()`) followed by `all`, `filter`, `exclude`, `order_by`,
    `select_related`, `prefetch_related`, `annotate`, `values`, `values_list`, `distinct`,
    `only`, `defer`, `using`... A model is a class whose bases, followed through the project
    (abstract bases included), reach `django.db.models.Model`. A project queryset method
    (`Order.objects.overdue()`) ends the recognition: what it filters is not known. Bounded:
    a slice (`[:n]`), `.iterator()`, `get`/`first`/`last`/`earliest`/`latest`, `pk=x`,
    `pk__in`/`id__in`/`<unique field>__in` with a list that is not an unbounded chain's values,
    a lower time bound relative to now (`created__gte=timezone.now() - timedelta(days=1)`).
    Scoped to one parent: `filter(<fk>=x)`, `<fk>_id=x`, a unique field or a many-to-many field
    equal to one value, and reverse relations (`customer.invoice_set.all()`). A `<fk>__in`
    list bounds nothing: over a subquery of an unbounded chain it is reported; over a list the
    task is given, a literal, or the values of a chain that is not unbounded it is the rows of
    a known set of parents, scoped like one parent's. Conditions inside `Q(...)` count when
    joined by `&`; `Exists(...)` over rows that are not an unbounded chain scopes. A local iterated
    a second time reuses the queryset's result cache and is reported once. As in Ruby, the level
    follows the evidence that the rows are many: a **warning** for a queryset with no filter
    (`Invoice.objects.all()`, the default manager) or of a model the project reads with
    `.iterator()` somewhere; a **note** for a filtered queryset (`filter`, `exclude`, a custom
    manager) of a model nothing in the project reads in batches. SQLAlchemy:
    `session.query(M)...` and `session.execute(select(M)...).scalars()` (awaited too) without
    `limit`, `yield_per` or `execution_options(stream_results=True)`.

    ```python
    @shared_task
    def remind_unpaid():
        for invoice in Invoice.objects.filter(status="unpaid"):
            invoice.remind()
    ```

    Use instead: `Invoice.objects.filter(status="unpaid").iterator(chunk_size=2000)`.

    ## Why is this bad?
    `each` on a relation loads every matching row into memory at once before the first
    iteration. A table that was small when the job was written grows; the worker's memory
    grows with it, and a Sidekiq process that runs several such jobs at once is killed for
    memory, taking every other running job with it.

    ## Example
    ```ruby
    class ReminderWorker
      include Sidekiq::Job

      def perform
        Invoice.where(status: "unpaid").each do |invoice|
          invoice.remind!
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class ReminderWorker
      include Sidekiq::Job

      def perform
        Invoice.where(status: "unpaid").find_each do |invoice|
          invoice.remind!
        end
      end
    end
    ```

    ## Fix safety
    The fix turns `each` into `find_each` (and `.all.each` into `.find_each`), which loads 1,000
    rows at a time. It is unsafe: `find_each` walks the rows in primary-key order and returns
    nil, not the relation. There is no fix when the chain has `order`/`reorder` (which
    `find_each` ignores), `group`, `having` or `distinct`, nor for `map` and the other
    iterators, whose results would have to be collected differently.

    In Python the fix appends `.iterator(chunk_size=2000)` (Django's default chunk size, which
    `prefetch_related` needs explicitly from Django 4.1) to the iterated queryset. It is unsafe:
    the queryset no longer fills its result cache, so a later use runs the query again, and
    behind PgBouncer in transaction pooling server-side cursors need
    `DISABLE_SERVER_SIDE_CURSORS`. There is no fix when the same local is iterated again, nor
    for SQLAlchemy (`yield_per` is shown in the message).
    """

    code = "WL301"
    name = "unbatched-relation-iteration"
    level = Level.WARNING
    summary = "Iterating an unbounded relation in worker code loads every row into memory."
    fix_availability = "sometimes"
    tags = ("memory", "database")
    ruby = FolderCheck("RubyIterationCheck")
    python = FolderCheck("IterationCheck")
