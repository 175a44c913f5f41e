from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class NonJsonJobArgument(Rule):
    """## What it does
    Reports a Sidekiq enqueue (`perform_async`, `perform_in`, `perform_at`, `perform_bulk`,
    `set(...).perform_*`, `Sidekiq::Client.push`/`push_bulk`) that passes a value JSON cannot
    carry: a Symbol literal (also as a Hash key), keyword arguments, a Date or Time
    (`Time.now`, `Time.current`, `Time.zone.now`, `Date.today`, `1.day.ago`,
    `x.days.from_now`, `.to_date`), a Range literal, a Set, an instance of a class defined in
    the project, such a class itself, or a record: `self` inside a model, `Model.find(...)`,
    or a local, `@ivar` or block parameter holding one (assigned from `find`, `find_by`,
    `first`, `last`, `new`, `create`... on a model of the project, or iterated from a model's
    relation with `each`/`find_each`), or a model's relation (`Order.where(...)`, `.to_a`).
    Also `def perform` with keyword parameters in a Sidekiq worker class. The arguments of
    `perform_bulk` and `push_bulk` are checked when the list is a literal or a `map` whose block
    ends in an Array literal. A braceless `"key" => value` Hash is a positional Hash with String
    keys, not keyword arguments.

    ActiveJob's `perform_later` is never reported (its serializer handles Symbols, Time,
    records and keyword arguments), nor is anything enqueued on an ActiveJob class, even one
    that calls `sidekiq_options`. The first argument of `perform_in`/`perform_at` is the
    schedule, not a job argument. Enqueues are checked wherever they are written (controllers
    and models enqueue most jobs), not only in worker code.

    A direct `X.perform_async`, `X.perform_in` or `X.perform_at` is not checked when the project
    defines that class method for `X` itself (in `X`, a project base class, or a concern's
    `class_methods do` block): it may turn records into ids before calling Sidekiq's, and
    `--verbose` names it. `X.set(...).perform_*` (Sidekiq's `Setter` pushes without it),
    `perform_bulk` and `Sidekiq::Client.push` bypass such a method and are still checked.

    The level is error from Sidekiq 7.0 (an unknown version is taken as 8) and warning before.

    `def perform` with keyword parameters is reported by what the code does with them. A
    required keyword (no default) is never given, since Sidekiq calls `perform` with positional
    arguments only: every run raises, at the rule's level. An enqueue site of the worker that
    passes more values than `perform`'s positional parameters (keyword arguments become one
    more positional Hash) makes the job raise: the rule's level, naming the site. Otherwise
    every keyword keeps its default and the job works: a note, the hazard of a future enqueue
    that passes them.

    In Python: Celery serializes task arguments as JSON unless the project sets a pickle
    `task_serializer` (read from the Celery configuration, or the task's or the call's
    `serializer=`), and Dramatiq always does: a model instance (a local assigned from
    `Model.objects.get/create/first/...`, `get_object_or_404`, `self` in a model,
    `request.user`, a signal receiver's `instance`), a new `Model(...)`, a queryset, a set, a
    lambda, or an instance of a project class that defines no `__json__` raises at the call
    (kombu's `EncodeError`): an error. Keyword arguments are fine as such; their values are
    checked the same way. RQ, arq, Huey, Django-Q and a pickling Celery carry a record, but it
    arrives as it was at enqueue time: a warning (the Celery guide's "State" section). A lambda
    cannot be pickled either: an error. The unsafe fix passes `obj.pk`.

    ## Why is this bad?
    Sidekiq stores job arguments as JSON. From 7.0 it checks them (`strict_args!` is on by
    default) and `perform_async` raises `ArgumentError` on anything that is not a String,
    Integer, Float, boolean, nil, or an Array/Hash of those with String keys: the enqueue
    fails in production. Before 7.0 the value silently changes on the way: a Symbol becomes a
    String, a Time becomes a String, a record becomes a String like `#<User:0x...>`, keyword
    arguments become one Hash with String keys, so the job sees something else than was
    passed, or fails when it runs.

    ## Example
    ```ruby
    class Account < ApplicationRecord
      def renew!
        RenewalWorker.perform_async(self, :monthly, Time.current)
      end
    end
    ```

    Use instead:
    ```ruby
    class Account < ApplicationRecord
      def renew!
        RenewalWorker.perform_async(id, "monthly", Time.current.to_i)
      end
    end
    ```

    ## Fix safety
    A Symbol literal becomes a String literal (`:daily` -> `"daily"`, `:"a b"` -> `"a b"`), and
    a Symbol Hash key a String key (`{ mode: 1 }` -> `{ "mode" => 1 }`): this fix is safe, the
    job received a String before Sidekiq 7 anyway. A record becomes its id (`order` ->
    `order.id`, `self` -> `id`) and a Time its epoch seconds (`Time.now.to_i`; a Date its ISO
    8601 date, `.iso8601`): these fixes are unsafe, since the job must now load the record
    (`find`) or parse the time itself. Keyword arguments, Ranges, Sets, objects and records
    built with `new` have no fix.
    """

    code = "WL403"
    name = "non-json-job-argument"
    level = Level.ERROR
    summary = "A job argument the queue's serializer cannot carry: the enqueue raises, or it arrives changed."
    fix_availability = "sometimes"
    tags = ("arguments", "correctness")
    ruby = FolderCheck("RubyNonJsonCheck")
    python = FolderCheck("NonJsonCheck")
