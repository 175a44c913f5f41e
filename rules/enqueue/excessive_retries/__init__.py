from __future__ import annotations

from typing import Any, ClassVar

from workerlint import FolderCheck, Level, Rule


class ExcessiveRetries(Rule):
    """## What it does
    Reports a retry count above `max-retries` (default 25, Sidekiq's own default):

    - `retry: N` in `sidekiq_options` (a worker, a project base class, or an ActiveJob class:
      Sidekiq's adapter honours `sidekiq_options` from 6.0) or in
      `Sidekiq.default_job_options`;
    - `max_retries` in the Sidekiq YAML (top level or the section of a checked environment),
      or `config[:max_retries] =` in `Sidekiq.configure_server` (also `Sidekiq.options[...]`,
      `Sidekiq.default_configuration[...]`): the count every job with `retry: true` gets.

    Numbers given by a project constant (`retry: MAX_RETRIES`) are resolved through the project
    index and the finding points at the constant; an ENV template's default counts and is named
    in the message. A job that gets its `retry` from a base class is reported once, at the base
    class. `retry: true` (the default count), `retry: false`, and options that also set
    `retry_for:` (the time window bounds the retries) are not reported. The message gives the
    time the retries take with Sidekiq's default backoff (`count**4 + 15` seconds plus jitter
    before retry `count`): 25 retries take about 20 days, 50 about 688 days.

    In Python it reports, on a task's decorator keyword or class attribute:

    - Celery: `max_retries=None` on a task that retries (`autoretry_for`, or a `self.retry(...)`
      / `<task>.retry(...)` call in its body): retried forever; a `max_retries`,
      `retry_kwargs={"max_retries": N}` or `self.retry(max_retries=N)` above `max-retries`
      (Celery's default is 3; `self.retry(max_retries=None)` means that default, not forever);
    - Dramatiq: `max_retries` on an actor or on the `Retries` middleware above `max-retries`, or
      `None` (forever); the default is 20; an actor with `retry_when` is not reported;
    - Huey: `retries` above `max-retries` (the default is 0);
    - RQ: `Retry(max=N)` above `max-retries` (RQ does not retry by default);
    - arq: `max_tries` on `func(...)` or a `WorkerSettings` class: it counts the first run, so
      `max_tries` above `max-retries` + 1 (the default is 5 tries).

    A `max_retries` on a Celery task that neither sets `autoretry_for` nor calls `retry` on itself
    is not reported (`--verbose` says so): nothing retries it there.

    ## Why is this bad?
    Every failure of a job comes back again and again. When a dependency is down, each
    failing job keeps being retried for weeks or years, so an outage turns into a retry storm
    that multiplies the load on the queue and on the service that failed, and the retry set
    fills with jobs that will never succeed. Past 25 retries the gap between two attempts is
    already more than four days: more retries add load, not a real chance of success.

    ## Example
    ```ruby
    class WebhookWorker
      include Sidekiq::Job
      sidekiq_options retry: 50
    end
    ```

    ```python
    @shared_task(autoretry_for=(RequestException,), max_retries=None)
    def deliver_webhook(url, payload):
        requests.post(url, json=payload, timeout=10)
    ```

    Use instead:
    ```ruby
    class WebhookWorker
      include Sidekiq::Job
      sidekiq_options retry: 20
    end
    ```
    ```python
    @shared_task(autoretry_for=(RequestException,), max_retries=20, retry_backoff=True)
    def deliver_webhook(url, payload):
        requests.post(url, json=payload, timeout=10)
    ```

    ## Options
    - `max-retries` (integer, default 25): the most retries a job may have.
    """

    code = "WL604"
    name = "excessive-retries"
    level = Level.WARNING
    summary = "A job is retried more times than max-retries."
    tags = ("retries",)
    targets = frozenset({"ruby", "project"})
    option_defaults: ClassVar[dict[str, Any]] = {"max-retries": 25}
    ruby = FolderCheck("RubyRetriesCheck")
    python = FolderCheck("RetriesCheck")
