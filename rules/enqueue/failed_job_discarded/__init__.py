from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class FailedJobDiscarded(Rule):
    """## What it does
    Reports `dead: false` in `sidekiq_options` (a worker, a project base class, an ActiveJob
    class: Sidekiq's adapter honours `sidekiq_options` from 6.0) or in
    `Sidekiq.default_job_options`, when the job's retries are on: `retry` absent, `true`, or a
    number (`retry: 0` included: 0 is truthy in Ruby, so the job would go straight to the Dead
    set). The `retry` that applies is resolved the way Sidekiq merges options: the same call,
    other `sidekiq_options` of the class, its project base classes, `Sidekiq.default_job_options`
    in `config/**/*.rb`, then Sidekiq's default (`retry: true`). With `retry: false` the job
    never reaches the Dead set anyway, so `dead: false` changes nothing and is not reported,
    unless a project subclass turns retries back on and inherits the `dead: false`. A concern
    setting `dead: false` in its `included` block is checked against the classes including it.
    A `retry` the project index cannot know (a method call, an ENV variable without a default)
    leaves the check skipped (`--verbose` says where).

    In Python it reports a failure kept less than an hour:

    - RQ: `failure_ttl` below 3600 seconds on `enqueue`, `enqueue_call`, `enqueue_in`,
      `enqueue_at` or `@job(...)` (RQ keeps a failed job in its FailedJobRegistry for a year;
      `failure_ttl=0` deletes it as it fails; a negative value keeps it forever);
    - Dramatiq: `RedisBroker(dead_message_ttl=...)` below 3,600,000 (milliseconds: a value
      written as seconds, `dead_message_ttl=86400`, keeps dead messages 86 seconds; the default
      is 7 days).

    Celery has no dead set: a task that fails is recorded in the result backend (if any), and one
    killed mid-run is lost with the default `acks_late=False` (WL110's subject, not reported
    here).

    ## Why is this bad?
    When a job exhausts its retries Sidekiq keeps it in the Dead set (10,000 jobs for six
    months by default), where it can be inspected, retried by hand after a fix, or deleted.
    With `dead: false` it is discarded instead: the work is lost and nothing shows which
    jobs failed or with which arguments.

    ## Example
    ```ruby
    class AuditLogWorker
      include Sidekiq::Job
      sidekiq_options retry: 5, dead: false
    end
    ```
    ```python
    queue.enqueue(sync_catalog, shop_id, retry=Retry(max=3), failure_ttl=0)
    ```

    Use instead:
    ```ruby
    class AuditLogWorker
      include Sidekiq::Job
      sidekiq_options retry: 5
    end
    ```
    ```python
    queue.enqueue(sync_catalog, shop_id, retry=Retry(max=3))
    ```
    (or `retry: false` for a best-effort job that is neither retried nor kept). A class that
    handles exhaustion itself in a `sidekiq_retries_exhausted` block is not reported: the
    failure is dealt with there.
    """

    code = "WL603"
    name = "failed-job-discarded"
    level = Level.WARNING
    summary = "Jobs that exhaust their retries are discarded instead of kept for inspection."
    tags = ("retries",)
    ruby = FolderCheck("RubyDiscardedCheck")
    python = FolderCheck("DiscardedCheck")
