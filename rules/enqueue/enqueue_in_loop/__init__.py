from __future__ import annotations

from workerlint import FolderCheck, Level, Rule

FLOODING = 770  # CWE-770: allocation of resources without limits (one request, N jobs)


class EnqueueInLoop(Rule):
    """## What it does
    Reports a job enqueued once per step of a loop: `perform_async`, `perform_in`,
    `perform_at`, `Sidekiq::Client.push`, ActiveJob's `perform_later`, or a mailer's
    `deliver_later` (when ActiveJob runs on Sidekiq), inside the block of an iteration method
    (`each` and every `each_*`, `each.with_index`, `map`, `flat_map`, `select`, `find_each`,
    `find_in_batches`, `in_batches`, `times`, `upto`, `step`, `loop`, ...) or in the body of a
    `while`, `until` or `for` loop, anywhere in the application code (controllers, models,
    services, and `lib/tasks/**/*.rake` files enqueue as much as workers do).

    The level follows the size evidence of what the loop iterates (with nested loops, the
    largest around the enqueue):

    - **error** when it comes from request input (`params[:ids].each`, or a job argument whose
      enqueue sites pass request input): one request enqueues any number of jobs, a
      job-flooding attack (CWE-770). It is a **warning** when the request comes from an
      authenticated sender (see below): a flood then needs a verified sender. It is a
      **note** in an admin controller (a class in an `Admin::` namespace, or a file in
      `app/controllers/admin/`): only an administrator sends its requests, so the loop floods
      only if an administrator asks for it;
    - **warning** when it is large: an unbounded relation, batches (`find_each`,
      `find_in_batches`, `in_batches`) of a chain that nothing else bounds or scopes,
      `pluck`/`ids` of an unbounded relation (with or without `uniq`/`distinct`), a job
      argument (a list of any length), a literal over 100 elements, any non-literal count
      (`n.times`), a `while`/`until`/`loop` that no literal of at most 100 bounds;
    - **note** when its size is not known (an association through a local, a method's
      result, a chain scoped to one parent or bounded by a rolling time window: batching says
      the author expects many rows only until the batched chain shows its own evidence, so
      `where(created_at: 1.hour.ago..).find_each`, `owner.accounts.find_each`, an association
      of `self` in a model or a concern (`purchases.select(:id).find_each`) and a method of
      the class returning such a chain are notes, and `limit(50).find_each` is small);
    - **nothing** when it is small: a literal list, hash or range of at most 100 elements, a
      constant holding one, `I18n.available_locales`, a literal count of at most 100,
      `limit(n)`/`first(n)` with a literal `n` of at most 100.

    More shapes have a size that is not known (a note):

    - **a pending set** the loop drains: it walks a chain that holds a column to a literal
      (`where(notified_at: nil)`, `where(state: "expired")`; a scope of the model doing so,
      `scope :unsent, -> { where(sent: false) }`; an AASM state's scope, `settled`, on its
      column, `aasm_state` or `aasm column: :status`; an enum value's scope, `open`) or compares
      one in SQL (`where("exported_at < ?", 14.days.ago)`), and its block moves the iterated
      record out of that filter: it updates the column to another value
      (`r.update!(notified_at: Time.current)`, `update_column(:state, ...)`, `r.sent = true`
      then `r.save!`), destroys the record (`r.destroy!`), fires an AASM event whose
      transitions from the filtered state all lead elsewhere (`r.mark_sent!`, `r.mark_sent`),
      or calls the enum's bang method for another value (`r.closed!`); a compared column is
      left by setting it to nil (a comparison in SQL is never true for NULL). Each run sees
      only the rows that arrived since the last, so how many is the arrival rate. A loop that
      leaves the rows in place keeps its level, as does an event that cannot start from the
      filtered state. AASM's scopes are read unless `create_scopes: false`;
    - **a slice of time**: a column equal to one time relative to now, written in the chain
      (`where(registered_on: Date.today)`, `where("expires_at = DATE(?)", 3.days.from_now)`,
      `where(created_at: Date.yesterday.all_day)`) or in a scope holding a time column equal
      to its parameter (`where("expires_at = DATE(?)", date)`, `where(expires_on: date)`),
      called with such a time (`expires_on(3.days.from_now)`): one day's rows, narrower than
      a rolling window. A time not relative to now, a number taken from one
      (`Date.today.year`) and an upper bound alone (`created_at < ?`, every older row) are no
      slice.
      A scope bounding a time column by values derived from its parameter (`created_at
      BETWEEN ? AND ?` of `date.beginning_of_month` and `date.end_of_month`) is a window scope,
      and so is a scope passing its parameter on to one (`->(date) { issued_in(date).draft }`).
      A rolling window on a joined table's column (`includes(:donations).where("donations.
      created_at > ?", 1.month.ago).references(:donations)`) bounds the chain like one on its
      own, and `where(id: ids)` with `ids` a sub-query so bounded (`Sale.where(created_at:
      2.weeks.ago..).select(:seller_id)`) has one row per row of it. `has_flags`
      (flag_shih_tzu) scopes count as scopes of the model (`not_announced`);
    - **the rows sharing one runtime value** of a column that is not a key
      (`Bike.where(owner_phone: user.phone)`, `where(segment: segment)`): one entity's rows.
      Equality with a literal or a constant (`where(state: "stolen")`: a category of rows)
      stays unbounded, as does a method parameter (`perform(state)`), which may name a
      category; equality with a time relative to now is a slice of time (above);
    - **one record's children** reached through calls: an association of a record's parent
      (`announcement.event.followers`), of a record found by a query (`User.find(id).posts`), or
      of a model's `belongs_to` read in the model (`link.sales`), narrowed by scopes of any
      kind (`link.sales.successful.tagged_with(...)`). `unscoped`/`unscope`/`rewhere`/`except`/
      `only` can drop the association's own condition and keep the level.

    An enqueue **on an error path**, in a `rescue` clause (or after a `rescue` modifier) inside
    the loop, runs only for the steps that raise, not once per step: it is a note whatever the
    loop's size (a small loop still reports nothing, and request-sized loops stay errors: a
    request can make every step fail), and the message says which `rescue` and what it
    rescues. An enqueue in the `else` of that `begin`, or after it, runs for every step.

    An **authenticated sender** sends the request when the controller action is guarded by a
    `before_action` of its own class (or `http_basic_authenticate_with`) that verifies the
    sender: a known authentication (Devise's `authenticate_user!`, `doorkeeper_authorize!`,
    `authenticate_or_request_with_http_basic`), or a block or method (following methods of the
    class two calls deep) that compares a signature or calls a verifier (`secure_compare`,
    `OpenSSL::HMAC`, `Aws::SNS::MessageVerifier`, `Stripe::Webhook.construct_event`, a
    method named like `verify_webhook_signature`). A filter with `if:`/`unless:`, one whose
    `only:`/`except:` leave the action out, one the class skips, and one of a parent
    controller do not count.

    In **one-time code** (a folder named `onetime`, `one_time`, `one_time_jobs`, `oneoffs`,
    `one_offs`, `backfills` or `data_migrations`, or a `lib/tasks` file whose name holds
    `one_time`/`onetime`) a warning is a note, and the message says why: the script runs once,
    by hand, and someone watches it, so one pass of round trips is not a recurring load.
    Request-sized loops stay errors.

    A mailer's `deliver_later` per item is at most a note when the project's Rails
    (`Gemfile.lock`) is older than 8.1: Rails gained `ActionMailer.deliver_all_later` in 8.1.0,
    and before it there is no way to enqueue mails in bulk, so one job per mail is inherent
    (request-sized loops stay errors: capping the request is still the fix). Likewise an
    ActiveJob `perform_later` per item before Rails 7.1, which gained `ActiveJob.perform_all_later`:
    a note, with no bulk suggestion.

    A local assigned once has its value's evidence; `each_slice`, `each_with_index`,
    `with_index`, `each.with_object` take their collection's. A `perform_in`/`perform_at`
    whose delay grows with the loop's index (`perform_in(i * 5.seconds, id)`, a deliberate
    stagger) is a note whatever the size, and nothing when small.

    Blocks that are not iterations (`transaction do`, `Sidekiq::Client.via(pool) do`, `tap`),
    lambdas and procs defined in a loop, and `perform_bulk` are not reported, nor files under
    `db/` (data migrations and seeds run once).

    ## Python
    In Python (anywhere in the project but Django migrations): Celery `t.delay(...)`,
    `t.apply_async(...)`, `delay_on_commit`/`apply_async_on_commit`, `app.send_task("name")`;
    RQ `queue.enqueue(f, ...)`, `enqueue_call/enqueue_in/enqueue_at`, `django_rq.enqueue(f)`;
    Dramatiq `.send`/`.send_with_options` on a resolved actor only (never Django's
    `Signal.send`); calling a Huey task or `.schedule(...)`; arq `redis.enqueue_job("f")`;
    Django-Q `async_task("m.f")`; and a call of a function of the same module whose body makes
    one of these once (a wrapper; one that enqueues in a loop of its own batches, or is reported
    there). `delay`/`apply_async` on a project function or class that is not a task are its own
    methods. Inside a `for` loop's body, a `while` loop or a comprehension (not its first
    iterable), up to the function. Levels follow the size evidence of the loop (the largest
    around): **warning** for a task argument (a list of any length), `range(n)` with a
    non-literal `n`, a literal over 100 elements, `.iterator()` chains, an unbounded queryset
    with no filter or of a model the project reads in batches somewhere, and every `while` loop;
    **note** when the size is unknown (a filtered queryset of a model nothing batches, as in
    Ruby); **nothing** for a literal list, tuple, set or dict, or
    `range`, of at most 100 elements, `settings.LANGUAGES`, or a name assigned once to one of
    these. An enqueue followed in its block by `break`/`return` (a retry loop that stops once
    it is sent, also `try: ... else: break`) is not a loop of enqueues, nor is RQ's
    `enqueue_many`, `group(...).apply_async()`, or an enqueue whose argument is a slice of a
    list or a query, also through a local or a `list(...)` copy (`t.delay(ids[i : i + 1000])`,
    `ids = list(qs.values_list("id", flat=True)[:1000])` in a paging loop: one job per batch,
    the chunking is done). The display-only suggestion is `group(t.s(x) for x in xs).apply_async()`
    (one producer) or `t.chunks(zip(xs), 100)` (one message per 100) for Celery,
    `queue.enqueue_many(...)` for RQ, and none for Dramatiq, which has no bulk enqueue
    (`group(...).run()` still sends one message per actor call).

    ```python
    @shared_task
    def notify_all(user_ids):
        for user_id in user_ids:
            send_digest.delay(user_id)  # WL601 warning
    ```

    Use instead: `send_digest.chunks(zip(user_ids), 100).apply_async()`.

    ## Why is this bad?
    Each `perform_async` is one round trip to Redis. Enqueueing one job per element of a
    collection costs one round trip per element: thousands of them for a batch that one
    `perform_bulk` call would push 1,000 at a time, and a crash half way leaves half the jobs
    pushed. Pushing in bulk is faster and puts less load on Redis. When the collection comes
    from a request, whoever sends the request decides how many jobs are pushed.

    ## Example
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        Account.active.pluck(:id).each { |id| AccountSyncWorker.perform_async(id) }
      end
    end
    ```

    Use instead:
    ```ruby
    class NightlySyncWorker
      include Sidekiq::Job

      def perform
        AccountSyncWorker.perform_bulk(Account.active.pluck(:id).map { |id| [id] })
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: push the jobs with one `perform_bulk` call (Sidekiq 6.3+;
    `Sidekiq::Client.push_bulk` before 6.3, also for `perform_in`/`perform_at`, with `"at"`), or
    `ActiveJob.perform_all_later` for ActiveJob classes (Rails 7.1+). When the loop is a
    statement `each` whose block only enqueues, the suggestion rewrites it
    (`ids.each { |id| Job.perform_async(id) }` -> `Job.perform_bulk(ids.map { |id| [id] })`).
    A batched loop gets one bulk push per batch: a `find_each` becomes `in_batches` with one
    bulk push per batch of 1,000, and an `each` over a `find_in_batches` batch becomes one bulk
    push of that batch. It is never applied by `--fix`: a bulk push fails or succeeds for the
    whole batch, and the block's other effects (counters, logging, `set(...)` options) need a
    person to carry over.
    """

    code = "WL601"
    ruby = FolderCheck("RubyEnqueueInLoopCheck")
    python = FolderCheck("EnqueueInLoopCheck")
    name = "enqueue-in-loop"
    level = Level.WARNING
    summary = "A job enqueued once per iteration of a loop: one broker round trip per job."
    fix_availability = "always"
    suggestion_only = True
    tags = ("security", "enqueue", "redis", "performance")
    # Only a loop that request input sizes is a weakness: job flooding.
    cwe = (FLOODING,)
    cwe_on_every_finding = False
    # Medium: CVSS 3.1 AV:N/AC:L/PR:L/UI:N/C:N/I:N/A:H scores 6.5, exhaustion of Redis and of
    # the workers by anyone who can send the request.
    security_severity = 6.5
