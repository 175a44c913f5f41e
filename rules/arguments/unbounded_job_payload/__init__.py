from __future__ import annotations

from workerlint import FolderCheck, Level, Rule

FLOODING = 770  # CWE-770: allocation of resources without limits


class UnboundedJobPayload(Rule):
    """## What it does
    Reports an enqueue (Sidekiq's `perform_async`, `perform_in`, `perform_at`,
    `Sidekiq::Client.push`, or ActiveJob's `perform_later`) that passes a whole collection as
    one job argument: `pluck`, `ids`, `to_a` or `map` on an unbounded relation chain (also
    through `uniq`, `compact`, `sort`... and through a local assigned from one in the same
    method), or a literal Array or Hash of more than 100 elements.

    Only unbounded chains count (see WL301): not one with `limit`, `take`, `first(n)`, a batch
    method, a `where` on the primary key or on a bounding list, a rolling time window, a
    slice of time (a column equal to one time relative to now), nor one
    scoped to one parent (`where(account_id: id)`); a local assigned a chain once in the same
    method is that chain. `perform_bulk` and `push_bulk`, which take one argument list per
    job, are not reported.

    Also request input of any size passed with no size check before the enqueue: the request
    body or a value parsed from it (`request.body.read`, `request.raw_post`,
    `JSON.parse(request.body.read)["data"]`), a request parameter used as a list
    (`params.permit(ids: [])`, `params[:ids].split(",")`, `Array(params[:ids])`), or the whole
    parameters (`params.to_unsafe_h`), followed through locals and methods of the class. A
    comparison of its `size`/`length`/`bytesize` with a literal on every path before the
    enqueue (`return head(:payload_too_large) if ids.size > 1000`), or a truncation
    (`first(n)`, `take(n)`, `[0, n]`), is a size check. A scalar parameter (`params[:kind]`)
    is not reported.

    Request input from an **authenticated sender** is a note: the controller action is
    guarded by a `before_action` of its own class (or `http_basic_authenticate_with`) that
    verifies the sender, a known authentication (Devise's `authenticate_user!`,
    `doorkeeper_authorize!`) or a block or method that compares a signature or calls a
    verifier (`secure_compare`, `OpenSSL::HMAC`, `Aws::SNS::MessageVerifier`,
    `Stripe::Webhook.construct_event`, a method named like `verify_webhook_signature`), so
    only that sender sizes the payload. A filter with `if:`/`unless:`, one whose
    `only:`/`except:` leave the action out, one the class skips, and one of a parent
    controller do not count.

    In Python: `list(qs.values_list("id", flat=True))`, `[o.id for o in qs]`, `list(qs)` of an
    unbounded queryset (WL301's sense; a filter on a list of ids, `id__in=`/`pk__in=`, anywhere
    in the chain bounds it), directly or through a local, or a literal list, tuple, set or dict
    of more than 100 elements, given to `.delay`, `.apply_async`, `.s`, `.send`, `enqueue`...;
    the suggestion for Celery is `t.chunks(zip(ids), 100)`. Also the request body or a value
    parsed from it (`request.body`, `request.data`, `request.get_json()`,
    `json.loads(request.body)["rows"]`) or a list parameter (`request.POST.getlist(...)`,
    `request.args.getlist(...)`) passed with no `len(x)` check or `x[:n]` slice before the
    enqueue in the same function.

    ## Why is this bad?
    The argument grows with the table: one job carries every matching id. The payload is
    serialized into Redis and sits there while the job waits, again for every retry (up to 25
    by default, about 21 days) and in the Dead set after; Redis memory grows with it, and the
    job that processes all the ids in one run cannot finish within a deploy's shutdown grace
    period once the table is large. A failure part way retries the whole batch. A payload the
    request sizes lets whoever sends it fill Redis (CWE-770).

    ## Example
    ```ruby
    class ReminderScheduler
      def call
        ReminderWorker.perform_async(Invoice.where(status: "unpaid").pluck(:id))
      end
    end
    ```

    Use instead:
    ```ruby
    class ReminderScheduler
      def call
        ids = Invoice.where(status: "unpaid").pluck(:id)
        ReminderWorker.perform_bulk(ids.each_slice(100).map { |slice| [slice] })
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: enqueue one job per slice of 100 ids with `perform_bulk`
    (`Job.perform_bulk(ids.each_slice(100).map { |slice| [slice] })`, Sidekiq 6.3+;
    `Sidekiq::Client.push_bulk` before, with the schedule as one `"at"` timestamp), or
    `ActiveJob.perform_all_later` for ActiveJob classes; it names the argument as written (as
    `ids` when it is longer than 40 characters or a literal). Request input (a body, a payload
    parsed from it) cannot be sliced: its suggestion is a size check before the enqueue, or
    accepting it only from an authenticated sender. It is never applied by `--fix`: the job then runs once per slice instead of once for
    everything, which only a person can check (totals, "all done" notifications).
    """

    code = "WL404"
    name = "unbounded-job-payload"
    level = Level.WARNING
    summary = "A whole collection passed as one job argument: the payload grows with the table."
    fix_availability = "always"
    suggestion_only = True
    tags = ("security", "arguments", "redis", "memory")
    # Only request input sizing the payload is a weakness (CWE-770); a table growing is not.
    cwe = (FLOODING,)
    cwe_on_every_finding = False
    # Medium: CVSS 3.1 AV:N/AC:L/PR:L/UI:N/C:N/I:N/A:H scores 6.5 (Redis memory exhausted by
    # anyone who can send the request).
    security_severity = 6.5
    ruby = FolderCheck("RubyUnboundedPayloadCheck")
    python = FolderCheck("UnboundedPayloadCheck")
