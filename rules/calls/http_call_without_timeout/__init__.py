from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from workerlint import Applicability, Edit, Fix, Invalid, Level, Rule, Span, Valid
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


_FARADAY_TIMEOUT_INIT = {
    "config/initializers/faraday.rb": (
        "Faraday.default_connection_options = Faraday::ConnectionOptions.new(\n"
        "  request: { open_timeout: 2, timeout: 8 }\n"
        ")\n"
    )
}
_GATEWAY = {
    "app/services/payment_gateway.rb": (
        "class PaymentGateway\n"
        "  include HTTParty\n"
        '  base_uri "https://pay.example.com"\n'
        "  default_timeout 8\n"
        "end\n"
    )
}
_ACTIVE_JOB_BASE = {
    "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
}

HttpCallWithoutTimeout.VALID = (
    Valid(
        """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: 5)
  end
end
"""
    ),
    # The connection is built in another method, with a timeout on it.
    Valid(
        """\
class TaxSyncWorker
  include Sidekiq::Job

  def perform(id)
    connection.post("/rates", { id: id }.to_json)
  end

  private

  def connection
    @connection ||= Faraday.new(url: ENV.fetch("TAX_URL"), request: { timeout: 10 }) do |f|
      f.request :json
    end
  end
end
"""
    ),
    # HTTParty class with a class-level default_timeout, defined elsewhere in the project.
    Valid(
        """\
class CaptureWorker
  include Sidekiq::Job

  def perform(payment_id)
    PaymentGateway.post("/captures", body: { id: payment_id })
  end
end
""",
        files=_GATEWAY,
    ),
    Valid(
        """\
class StatusWorker
  include Sidekiq::Job

  def perform(host)
    request = Net::HTTP::Get.new("/status")
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 5) do |http|
      http.request(request)
    end
  end
end
"""
    ),
    # A **splat may carry the timeout: unknown, so not reported.
    Valid(
        """\
class UploadWorker
  include Sidekiq::Job

  def perform(url, body, options = {})
    HTTParty.put(url, body: body, **options)
  end
end
"""
    ),
    # Process-wide Faraday default in an initializer covers every connection.
    Valid(
        """\
class FeedWorker
  include Sidekiq::Job

  def perform(url)
    conn = Faraday.new(url)
    conn.get("/feed.json")
    Faraday.get(url)
  end
end
""",
        files=_FARADAY_TIMEOUT_INIT,
    ),
    Valid(
        """\
class AvatarWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.headers(accept: "image/png").timeout(5).get(url)
  end
end
"""
    ),
    # Timeout set on the Net::HTTP instance before the request.
    Valid(
        """\
class InventoryWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("inventory.internal", 443)
    http.use_ssl = true
    http.read_timeout = 4
    http.get("/skus/#{sku}")
  end
end
"""
    ),
    # Not worker code: a service outside the worker folders, not a worker class.
    Valid(
        """\
class GeoLookup
  def call(ip)
    HTTParty.get("https://geo.example.com/#{ip}")
  end
end
""",
        path="app/services/geo_lookup.rb",
    ),
    # A connection kept in a constant of the class, with its timeout.
    Valid(
        """\
class GeocodeWorker
  include Sidekiq::Job

  GEO = Faraday.new("https://geo.example.com", request: { timeout: 4 })

  def perform(address)
    GEO.get("/search", q: address)
  end
end
"""
    ),
    # A per-request timeout in Faraday's request block.
    Valid(
        """\
class ExportWorker
  include Sidekiq::Job

  def perform(id)
    client.get("/exports/#{id}") { |req| req.options.timeout = 20 }
  end

  def client
    Faraday.new(url: "https://exports.example.com")
  end
end
"""
    ),
    # Calls through a wrapper named in the http-wrappers setting are trusted.
    Valid(
        """\
class CrmWorker
  include Sidekiq::Job

  def perform(id)
    CrmClient.get("/contacts/#{id}")
  end
end
""",
        files={"app/services/crm_client.rb": "class CrmClient\n  include HTTParty\nend\n"},
        settings={"http-wrappers": ["CrmClient"]},
    ),
    # Not an HTTP client: the receiver cannot be resolved to one.
    Valid(
        """\
class CacheWorker
  include Sidekiq::Job

  def perform(key)
    store = Rails.cache
    store.delete(key)
    params.get(key)
  end
end
"""
    ),
)

HttpCallWithoutTimeout.INVALID = (
    Invalid(
        """\
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body)
             ^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end
""",
        fixed="""\
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 10)
  end
end
""",
    ),
    # The memoized connection in another method has no timeout: the fix goes to Faraday.new.
    Invalid(
        """\
class InvoicePushWorker
  include Sidekiq::Job

  def perform(id)
    connection.post("/invoices", id.to_s)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^ `connection.post` has no read timeout (its connection, built by `Faraday.new` on line 9, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end

  def connection
    @connection ||= Faraday.new(url: "https://books.example.com") do |f|
      f.request :json
    end
  end
end
""",
        fixed="""\
class InvoicePushWorker
  include Sidekiq::Job

  def perform(id)
    connection.post("/invoices", id.to_s)
  end

  def connection
    @connection ||= Faraday.new(url: "https://books.example.com", request: { timeout: 10 }) do |f|
      f.request :json
    end
  end
end
""",
    ),
    Invalid(
        """\
class MirrorWorker
  include Sidekiq::Job

  def perform(url)
    Net::HTTP.get_response(URI(url))
              ^^^^^^^^^^^^^^^^^^^^^^ `Net::HTTP.get_response` cannot take a read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end
"""
    ),
    # open_timeout alone bounds the connection, not the read.
    Invalid(
        """\
class QuoteWorker
  include Sidekiq::Job

  def perform(symbol)
    HTTParty.get("https://quotes.example.com/#{symbol}", open_timeout: 2)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end
""",
        fixed="""\
class QuoteWorker
  include Sidekiq::Job

  def perform(symbol)
    HTTParty.get("https://quotes.example.com/#{symbol}", open_timeout: 2, timeout: 10)
  end
end
""",
    ),
    Invalid(
        """\
class StockWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("stock.internal", 443)
    http.use_ssl = true
    http.get("/skus/#{sku}")
         ^^^^^^^^^^^^^^^^^^^ `http.get` has no read timeout (its connection, built by `Net::HTTP.new` on line 5, sets none): a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end
""",
        fixed="""\
class StockWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("stock.internal", 443)
    http.read_timeout = 10
    http.use_ssl = true
    http.get("/skus/#{sku}")
  end
end
""",
    ),
    Invalid(
        """\
class ProfileWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.headers(accept: "application/json").get(url)
                                             ^^^^^^^^ `HTTP.headers.get` has no read timeout: a hung server holds this worker thread indefinitely (http.rb sets no default)
  end
end
""",
        fixed="""\
class ProfileWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.timeout(10).headers(accept: "application/json").get(url)
  end
end
""",
    ),
    Invalid(
        """\
class LegacyPingWorker
  include Sidekiq::Job

  def perform(url)
    RestClient.get(url)
               ^^^^^^^^ `RestClient.get` cannot take a read timeout: a hung server holds this worker thread for up to 60 s (RestClient's default)
  end
end
"""
    ),
    # A worker through a project base class, outside the worker folders.
    Invalid(
        """\
class SyncJob < ApplicationJob
  def perform(url)
    URI.open(url).read
        ^^^^^^^^^ `URI.open` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default)
  end
end
""",
        path="app/services/sync_job.rb",
        files=_ACTIVE_JOB_BASE,
        fixed="""\
class SyncJob < ApplicationJob
  def perform(url)
    URI.open(url, read_timeout: 10).read
  end
end
""",
    ),
    # A helper module beside the workers runs inside them; a literal options hash gets the key.
    Invalid(
        """\
module Support
  module Fetch
    def self.json(url, headers)
      HTTParty.get(url, { headers: headers })
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
    end
  end
end
""",
        path="app/workers/support/fetch.rb",
        fixed="""\
module Support
  module Fetch
    def self.json(url, headers)
      HTTParty.get(url, { headers: headers, timeout: 10 })
    end
  end
end
""",
    ),
    Invalid(
        """\
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true) do |http|
      http.request(Net::HTTP::Get.new(path))
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `http.request` has no read timeout (its connection, built by `Net::HTTP.start` on line 5, sets none): a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
    end
  end
end
""",
        fixed="""\
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 10) do |http|
      http.request(Net::HTTP::Get.new(path))
    end
  end
end
""",
    ),
    # timeout-seconds sets the number the fix writes; Faraday's request hash gets the key.
    Invalid(
        """\
class RatesWorker
  include Sidekiq::Job

  def perform
    conn = Faraday.new("https://rates.example.com", request: { open_timeout: 2 })
    conn.get("/latest")
         ^^^^^^^^^^^^^^ `conn.get` has no read timeout (its connection, built by `Faraday.new` on line 5, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end
end
""",
        options={"timeout-seconds": 5},
        fixed="""\
class RatesWorker
  include Sidekiq::Job

  def perform
    conn = Faraday.new("https://rates.example.com", request: { open_timeout: 2, timeout: 5 })
    conn.get("/latest")
  end
end
""",
    ),
    # A connection kept in a constant of the class, without a timeout.
    Invalid(
        """\
class AvatarSyncWorker
  include Sidekiq::Job

  CDN = Faraday.new(url: "https://cdn.example.com")

  def perform(path)
    CDN.head(path)
        ^^^^^^^^^^ `CDN.head` has no read timeout (its connection, built by `Faraday.new` on line 4, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end
end
""",
        fixed="""\
class AvatarSyncWorker
  include Sidekiq::Job

  CDN = Faraday.new(url: "https://cdn.example.com", request: { timeout: 10 })

  def perform(path)
    CDN.head(path)
  end
end
""",
    ),
    Invalid(
        """\
class SearchIndexWorker
  include Sidekiq::Job

  def perform(doc)
    Typhoeus.post("https://search.internal/docs", body: doc)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Typhoeus.post` has no read timeout: a hung server holds this worker thread indefinitely (Typhoeus sets no default)
  end
end
""",
        fixed="""\
class SearchIndexWorker
  include Sidekiq::Job

  def perform(doc)
    Typhoeus.post("https://search.internal/docs", body: doc, timeout: 10)
  end
end
""",
    ),
    # An HTTParty class without default_timeout, called from a class method of the worker.
    Invalid(
        """\
class RefundWorker
  include Sidekiq::Job

  def self.refund(id)
    BillingApi.post("/refunds", body: { id: id })
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `BillingApi.post` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end
""",
        files={"app/services/billing_api.rb": "class BillingApi\n  include HTTParty\nend\n"},
        fixed="""\
class RefundWorker
  include Sidekiq::Job

  def self.refund(id)
    BillingApi.post("/refunds", body: { id: id }, timeout: 10)
  end
end
""",
    ),
)
