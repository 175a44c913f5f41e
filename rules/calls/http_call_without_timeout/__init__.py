from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from workerlint import Applicability, Edit, Fix, FolderCheck, Level, Rule, Span
from workerlint.facts import HttpRequest
from workerlint.lang.ruby import http, nodes
from workerlint.lang.ruby.edits import add_keyword, insert_into_hash
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node


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
    call_methods = http.REQUEST_METHODS
    option_defaults: ClassVar[dict[str, int]] = {"timeout-seconds": 10}
    python = FolderCheck("TimeoutCheck")

    def visit(self, node: Node, ctx: FileContext) -> None:
        found = http.classify(node, ctx)
        if found is None or found.has_timeout:
            return
        if found.unknown:
            line = node.start_point[0] + 1
            ctx.skip(
                f"{ctx.relpath}:{line}: `{found.label}` takes its options from a splat or a "
                "variable: its timeout cannot be known"
            )
            return
        ctx.report(
            Span(*nodes.call_span(node)), self._message(found, ctx), fix=self._fix(found, ctx)
        )

    def _message(self, found: HttpRequest, ctx: FileContext) -> str:
        hold = f"a hung server holds this worker thread {http.DEFAULT_WAIT[found.client]}"
        if found.impossible:
            return f"`{found.label}` cannot take a read timeout: {hold}"
        if found.nil_value is not None:
            key = nodes.key_name(found.nil_value.parent.child_by_field_name("key"))
            return f"`{found.label}` sets `{key}` to nil, which turns the read timeout off: {hold}"
        where = ""
        builder = found.builder
        if builder is not None and not _same_line(builder.call, found.node):
            line = builder.call.start_point[0] + 1
            where = f" (its connection, built by `{builder.kind}` on line {line}, sets none)"
        return f"`{found.label}` has no read timeout{where}: {hold}"

    def _fix(self, found: HttpRequest, ctx: FileContext) -> Fix | None:
        seconds = int(self.options["timeout-seconds"])
        unsafe = Applicability.UNSAFE
        nil = found.nil_value
        if nil is not None:
            edit = Edit(nil.start_byte, nil.end_byte, str(seconds))
            return Fix(unsafe, f"set it to {seconds} seconds instead of nil", (edit,))
        if found.builder is not None and found.builder.kind == "Net::HTTP.new":
            return _net_http_setter(found.builder, seconds, ctx)
        if found.client == "http_rb":
            return _http_rb_fix(found.node, seconds)
        if found.impossible or found.option_call is None:
            shape = _SHAPES.get(found.client)
            return Fix(Applicability.DISPLAY_ONLY, shape, ()) if shape else None
        if found.client == "faraday":
            edit = _faraday_edit(found.option_call, seconds)
            title = f"add `request: {{ timeout: {seconds} }}` to `Faraday.new`"
            return Fix(unsafe, title, (edit,)) if edit else None
        entry = f"{found.option_key}: {seconds}"
        edit = add_keyword(found.option_call, entry)
        if edit is None:
            return None
        target = nodes.text(found.option_call).split("(")[0]
        return Fix(unsafe, f"add `{entry}` to `{target}`", (edit,))


_SHAPES = {
    "net_http": 'use `Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https", '
    "open_timeout: 5, read_timeout: 10) { |http| http.request(...) }`",
    "rest_client": "use `RestClient::Request.execute(method: :get, url: url, timeout: 10)`",
    "faraday": "build a connection with `Faraday.new(url, request: { timeout: 10 })`, or set "
    "`Faraday.default_connection_options` in an initializer",
    "open_uri": "use `URI.open(url, read_timeout: 10)`",
}


def _same_line(a: Node, b: Node) -> bool:
    return a.start_point[0] == b.start_point[0]


def _http_rb_fix(call: Node, seconds: int) -> Fix | None:
    root = call
    while (inner := nodes.receiver(root)) is not None and inner.type == "call":
        root = inner
    method = root.child_by_field_name("method")
    if method is None:
        return None
    edit = Edit(method.start_byte, method.start_byte, f"timeout({seconds}).")
    return Fix(Applicability.UNSAFE, f"add `.timeout({seconds})` to the http.rb chain", (edit,))


def _faraday_edit(builder: Node, seconds: int) -> Edit | None:
    args = [a for a in nodes.arguments(builder) if a.type != "block_argument"]
    pairs, _ = nodes.option_pairs(args)
    request = pairs.get("request")
    if request is not None:
        value = nodes.pair_value(request)
        if value is None or value.type != "hash":
            return None
        return insert_into_hash(value, f"timeout: {seconds}")
    return add_keyword(builder, f"request: {{ timeout: {seconds} }}")


def _net_http_setter(builder: http.Builder, seconds: int, ctx: FileContext) -> Fix | None:
    statement = builder.statement
    if statement is None or statement.type != "assignment" or builder.target is None:
        return None
    data = ctx.data
    line_start = data.rfind(b"\n", 0, statement.start_byte) + 1
    indent = data[line_start : statement.start_byte]
    if indent.strip():
        return None
    line_end = data.find(b"\n", statement.end_byte)
    if line_end == -1 or data[statement.end_byte : line_end].strip():
        return None
    target = nodes.text(builder.target)
    newline = "\r\n" if data[line_end - 1 : line_end] == b"\r" else "\n"
    text = f"{newline}{indent.decode()}{target}.read_timeout = {seconds}"
    edit = Edit(statement.end_byte, statement.end_byte, text)
    return Fix(Applicability.UNSAFE, f"set `{target}.read_timeout = {seconds}`", (edit,))
