from __future__ import annotations

from typing import ClassVar

from workerlint import FolderCheck, Level, Rule


class HttpCallWithoutTimeout(Rule):
    """## What it does
    Reports an HTTP request made in worker code with no read timeout: none on the call, none on
    the connection it came from, and no process-wide default.

    A timeout counts when it is a per-call option (`timeout:`, `read_timeout:`), set on the
    Net::HTTP or Faraday connection the call uses (`http.read_timeout = 5`,
    `Faraday.new(request: { timeout: 5 })`, `conn.options.timeout = 5`, or
    `req.options.timeout = 5` in the request block), in the http.rb chain (`HTTP.timeout(5)`),
    in an HTTParty class (`default_timeout 5`), or process-wide in `config/**/*.rb`
    (`Faraday.default_connection_options = { request: { timeout: 5 } }`). Connections are followed
    within the class: locals, `@conn ||= Faraday.new(...)` memos in another method, and methods
    returning a connection. `open_timeout`/`connect_timeout` alone do not count: they bound the
    connection, not a server that accepts it and then hangs.

    `Net::HTTP.get`, `get_response`, `post_form`, `Net::HTTP.post` and the `RestClient.get`
    shorthands cannot take a timeout at all, so they are always reported.

    Calls whose options contain a `**splat` or an options variable are not reported (the timeout
    may be in it), nor calls through a class or method named in the `http-wrappers` setting.

    ## Python
    In task code: `requests` (module functions and a `Session`'s verbs and `send`; a
    `session.timeout = N` attribute is ignored by requests and never counts, a mounted
    `HTTPAdapter` subclass overriding `send` does), `urllib.request.urlopen`, `http.client`
    (the `request` of an `HTTP(S)Connection` built without one), `smtplib` (`sendmail`/
    `send_message`), `imaplib.IMAP4(_SSL)`, `poplib.POP3(_SSL)` and `ftplib.FTP(_TLS)` (their
    constructor connects), urllib3 pools, httpx and aiohttp only when the timeout is set to
    None (their defaults are bounded), and Django's `send_mail`, `send_mass_mail`,
    `mail_admins`, `mail_managers` and `EmailMessage(...).send()` when neither
    `connection=get_connection(timeout=...)` nor the settings' `EMAIL_TIMEOUT` bounds them
    (silent when `EMAIL_BACKEND` is not SMTP; skipped when the settings module is not found).
    `socket.setdefaulttimeout(N)` at module level of the Django settings module or the Celery
    app module, or in a `worker_process_init` handler, bounds every client that leaves its
    timeout at the socket default (urllib, urllib3, http.client, smtplib, imaplib, poplib,
    ftplib, Django mail), never requests, which passes an explicit None to the socket
    (tests/test_socket_default_timeout.py checks both). In an RQ job the message says the job
    is killed at its timeout (its `timeout=`, else RQ's 180 s: the work horse's SIGALRM
    interrupts the blocked read), still a warning: the worker is held that long for nothing.
    The fix adds `timeout=10` to the call or to the constructor; for Django mail it is
    display-only (`EMAIL_TIMEOUT = 10`).

    ```python
    @shared_task
    def deliver_webhook(url, payload):
        requests.post(url, json=payload)  # WL201
    ```

    ## Why is this bad?
    A Sidekiq process has a fixed number of threads. A request to a server that stops
    answering holds its thread for the client's default (60 s per read for Net::HTTP and the
    clients built on it, with one silent retry for idempotent requests; forever for http.rb and
    Typhoeus). A few slow upstreams are enough to pin every thread, and the queues stop moving.

    ## Example
    ```ruby
    class WebhookWorker
      include Sidekiq::Job

      def perform(url, body)
        HTTParty.post(url, body: body)
      end
    end
    ```

    Use instead:
    ```ruby
    class WebhookWorker
      include Sidekiq::Job

      def perform(url, body)
        HTTParty.post(url, body: body, timeout: 10)
      end
    end
    ```

    ## Fix safety
    The fix adds the client's timeout option with `timeout-seconds` seconds (`timeout: 10`,
    `read_timeout: 10`, `HTTP.timeout(10).get`, `request: { timeout: 10 }` on `Faraday.new`,
    `http.read_timeout = 10` after `Net::HTTP.new`). It is unsafe: a request that used to wait
    now fails with a timeout error after that many seconds, and the job is retried. Where the
    call shape cannot take a timeout (`Net::HTTP.get`, `RestClient.get`, module-level
    `Faraday.get`) the suggestion is display-only.

    ## Options
    - `timeout-seconds` (integer, default 10): the timeout the fix writes.
    """

    code = "WL201"
    name = "http-call-without-timeout"
    level = Level.WARNING
    summary = "An HTTP request in worker code with no read timeout."
    fix_availability = "sometimes"
    tags = ("external-calls", "threads")
    option_defaults: ClassVar[dict[str, int]] = {"timeout-seconds": 10}
    ruby = FolderCheck("RubyTimeoutCheck")
    python = FolderCheck("TimeoutCheck")
