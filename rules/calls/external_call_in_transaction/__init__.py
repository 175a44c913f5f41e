from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class ExternalCallInTransaction(Rule):
    """## What it does
    Reports, inside a database transaction (a `transaction do` block on a model,
    `ActiveRecord::Base`, `ApplicationRecord` or a record, or bare in a model; a `with_lock do`
    block; the statements after `record.lock!` in the same body):

    - in worker code, an HTTP request call and a mail sent now (`deliver_now`, and the older
      `deliver`, on a mailer's message);
    - in all application code (controllers, models, services, concerns too), a push to
      Sidekiq: `perform_async`, `perform_in`, `perform_at`, `perform_bulk`,
      `Sidekiq::Client.push`/`push_bulk`, and, when the ActiveJob adapter is Sidekiq,
      `perform_later` and a mailer's `deliver_later`;
    - a call of a method of the same class (bare or on `self`) that makes one of these, itself
      or through other methods of the class, to any depth: the finding points at the call
      inside the transaction and the message names the request, mail or push and its line.

    A push with a delay (`perform_in`, `perform_at`, `set(wait:)`, `deliver_later(wait:)`) is
    a note: it cannot run before the commit in practice, but it still runs after a rollback.
    A Sidekiq push is not reported when `Sidekiq.transactional_push!` is configured in
    `config/**/*.rb` (or `Sidekiq::TransactionAwareClient` made the default client), or when
    the enqueued worker's `sidekiq_options` (or its base class's) set `client_class:
    Sidekiq::TransactionAwareClient`: the push waits for the commit. `Sidekiq::Client.push`
    uses the default client and is reported even then. An ActiveJob enqueue is not reported
    when Rails defers it to the commit: Rails 7.2 with `config.load_defaults 7.2` (or later),
    Rails 8.2+ with `load_defaults 8.2`, or `enqueue_after_transaction_commit` set to `true`
    (or `:always`) in the configuration or, for jobs but not mail deliveries, in
    `ApplicationJob`; with the Rails version unknown (no `activejob` in `Gemfile.lock`) it is a
    note.

    Not reported: calls in blocks that run later (`after_commit { }`, lambdas and procs),
    calls after the transaction block closes, calls through the `http-wrappers` setting,
    `transaction` on a project class that is not a model or on `PStore`/`YAML::Store`,
    `with_lock` on a constant or with a Symbol key (a Redis mutex, not a row lock), and a call
    inside a method that has a transaction of its own around it (reported there). Methods of
    other classes and modules are not followed.

    In **one-time code** (a folder named `onetime`, `one_time`, `one_time_jobs`, `oneoffs`,
    `one_offs`, `backfills` or `data_migrations`, or a `lib/tasks` file whose name holds
    `one_time`/`onetime`) a finding is a note, and the message says why: the script runs once,
    by hand, and someone watches it, so a race or a held lock there happens once, in view.

    ## Python
    Inside `with transaction.atomic():`, an `@transaction.atomic` function, SQLAlchemy's
    `with session.begin():`/`begin_nested()`/`with engine.begin():`, or a project wrapper of
    `transaction.atomic` (a function or context manager of the project whose body opens it,
    resolved through the index): in task code, a request WL201 recognizes (even with a
    timeout: the round trip holds the transaction) and mail sent now (`smtplib`, Django's
    `send_mail`/`EmailMessage.send`); anywhere, an enqueue (`delay`, `apply_async`,
    `send_task`, RQ `enqueue`, Dramatiq `send`...). An enqueue with `countdown=`/`eta=` is a
    note. Not reported: `delay_on_commit`/`apply_async_on_commit` (sent at the commit), calls
    in a lambda or nested function (the callback of `transaction.on_commit(...)` or
    `connection.on_commit(...)`), and `atomic(using=...)` naming another database alias than
    `"default"` (a replica). The fix (unsafe) turns `.delay(`/`.apply_async(` used as a
    statement into `.delay_on_commit(`/`.apply_async_on_commit(` when the locked Celery is 5.4+,
    the app configures Django (`DJANGO_SETTINGS_MODULE` before `Celery()`) and neither
    `task_cls` nor the task's `base=` replaces `DjangoTask`. Otherwise a Celery `.delay(...)`
    statement becomes `transaction.on_commit(t.s(...).delay)` (unsafe; `.s(...)` binds the
    arguments now, where `lambda: t.delay(x)` in a loop would send the last `x` N times), with
    `from django.db import transaction` added when the module has no name for it; any other
    enqueue gets the display-only suggestion `transaction.on_commit(functools.partial(...))`.

    ```python
    @shared_task
    def ship(order_id):
        with transaction.atomic():
            Order.objects.filter(pk=order_id).update(state="shipped")
            send_receipt.delay(order_id)  # WL203
    ```

    Use instead: `send_receipt.delay_on_commit(order_id)` (Celery 5.4+), or
    `transaction.on_commit(send_receipt.s(order_id).delay)`.

    ## Why is this bad?
    A transaction keeps its database connection checked out and its row locks held until it
    commits. An HTTP round trip inside it holds them for as long as the remote server takes:
    other jobs and web requests that need those rows wait, the connection pool drains, and a
    slow partner turns into lock timeouts and deadlocks. If the transaction then rolls back,
    the request has still been sent and cannot be undone.

    A job pushed inside a transaction is in Redis at once, before the commit: another Sidekiq
    thread can pick it up before the rows it needs are visible (`RecordNotFound`), or run it
    after the transaction rolled back.

    ## Example
    ```ruby
    class ShipOrderWorker
      include Sidekiq::Job

      def perform(order_id)
        order = Order.find(order_id)
        Order.transaction do
          order.update!(state: "shipped")
          HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
          ReceiptWorker.perform_async(order.id)
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class ShipOrderWorker
      include Sidekiq::Job

      def perform(order_id)
        order = Order.find(order_id)
        Order.transaction do
          order.update!(state: "shipped")
        end
        HTTParty.post("https://carrier.example.com/pickups", body: { id: order.id }, timeout: 5)
        ReceiptWorker.perform_async(order.id)
      end
    end
    ```
    """

    code = "WL203"
    ruby = FolderCheck("RubyExternalCallInTransactionCheck")
    python = FolderCheck("ExternalCallInTransactionCheck")
    name = "external-call-in-transaction"
    level = Level.WARNING
    summary = (
        "An HTTP request or a mail sent in worker code, or a Sidekiq push anywhere, inside a "
        "database transaction."
    )
    tags = ("external-calls", "database")
