from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class EtaBeyondVisibilityTimeout(Rule):
    """## What it does
    Reports a Celery task delayed longer than the broker's visibility timeout, when the broker is
    Redis or SQS:

    - `countdown=` or `eta=` on `apply_async(...)` of a project task or a signature, on
      `.set(...)` of a signature, and on `self.retry(...)` / `<task>.retry(...)`;
    - a task's `default_retry_delay`, when it retries with it (`autoretry_for` without
      `retry_backoff`, or a `retry` call with no `countdown`/`eta`);
    - `retry_backoff_max`, when the backoff reaches it within `max_retries` (the largest delay
      is `min(retry_backoff_max, factor * 2 ** (max_retries - 1))`, with `retry_backoff=True` a
      factor of 1; Celery's default `retry_backoff_max` of 600 s is below every default
      visibility timeout).

    Durations count when they are constant: numbers and arithmetic on them (`60 * 60 * 2`),
    names bound once to one, `timedelta(hours=2)` (and its `.total_seconds()`), and an ETA
    written as now plus a constant (`timezone.now() + timedelta(days=1)`). The visibility timeout
    is `broker_transport_options["visibility_timeout"]`, else the transport's default (Redis
    3600 s, SQS 1800 s). Nothing is reported when the broker is unknown (no Celery app found, a
    broker URL read from the environment without a default) or is a custom transport class (it
    may cap delays itself, as Saleor's SQS transport caps `DelaySeconds` at 900).

    ## Why is this bad?
    Redis and SQS have no delayed delivery: a worker takes the message at once and holds it,
    unacknowledged, until its ETA. Once the message has been unacknowledged longer than the
    visibility timeout, the broker hands it to another worker as if the first had died; that
    one waits too, and so on. When the ETA finally comes, every worker holding a copy runs the
    task: a payment captured twice, a mail sent five times (Celery's documentation, "Redis
    caveats").

    ## Example
    ```python
    @shared_task(bind=True, max_retries=5)
    def sync_order(self, order_id):
        try:
            push(order_id)
        except GatewayError as error:
            raise self.retry(exc=error, countdown=2 * 60 * 60)
    ```

    Use instead:
    ```python
    @shared_task(bind=True, max_retries=5)
    def sync_order(self, order_id):
        try:
            push(order_id)
        except GatewayError as error:
            raise self.retry(exc=error, countdown=15 * 60)
    ```
    (or raise `broker_transport_options["visibility_timeout"]` above the longest delay; for
    delays of hours or days, schedule with beat or store the due time and poll it.)
    """

    code = "WL605"
    name = "eta-beyond-visibility-timeout"
    level = Level.ERROR
    summary = "A task is delayed past the broker's visibility timeout and runs more than once."
    tags = ("configuration", "retries")
    targets = frozenset({"python"})
    python = FolderCheck("EtaCheck")
