from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, Invalid, Level, Rule, Span, Valid
from workerlint.facts import HttpRequest
from workerlint.lang.ruby import breakers, http, nodes
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node


class ExternalCallWithoutCircuitBreaker(Rule):
    """## What it does
    In a project that uses a circuit-breaker library, reports an HTTP request made in worker code
    outside any circuit breaker.

    The rule is active when `Gemfile.lock` has `stoplight`, `circuitbox`, `semian` or
    `circuit_breaker`, or when the `circuit-breakers` setting names the project's own wrappers
    (a class, `ExternalApi`, a call, `ExternalApi.call`, or a method, `with_breaker`). A call is
    protected when it runs:
    - inside a breaker block: `Stoplight("x").run { }`, `Stoplight("x") { }.run`,
      `Circuitbox.circuit(:x, exceptions: [...]).run { }`, `CircuitBreaker.run { }`,
      `Semian[:x].acquire { }`, a variable or constant holding such a breaker
      (`CIRCUIT.run { }`), a block given to a configured wrapper, or a block given to a method of
      the same class that runs a breaker (`def with_light(&) = Stoplight("x").run(&)`);
    - in a method declared with `circuit_method :name` (circuit_breaker), or in a method of the
      class that is called from inside a breaker block (`Stoplight("x").run { push(id) }`);
    - on a Faraday connection whose `Faraday.new` block adds breaker middleware
      (`f.use Circuitbox::FaradayMiddleware`, `f.use :circuit_breaker` from
      faraday_middleware-circuit_breaker);
    - through Net::HTTP while Semian's adapter is configured process-wide
      (`Semian::NetHTTP.semian_configuration =` in `config/**/*.rb`): Net::HTTP, HTTParty,
      RestClient, open-uri, and Faraday on its default `net_http` adapter. Excon, http.rb,
      Typhoeus and Faraday on another adapter are not covered. `require "semian/net_http"` alone
      does not count: without a configuration Semian protects no host.

    Without a breaker library the rule says nothing, unless it is selected by name
    (`--select WL202`); then it reports notes.

    ## Why is this bad?
    When a partner service goes down, every job that calls it still opens a connection, waits
    for its timeout and fails, then retries and does it again. The workers' threads are spent
    waiting on a service known to be down, the retry set fills, and the other queues slow down.
    A circuit breaker notices the failures and makes the next calls fail at once until the
    service recovers. A project that has adopted one gets this protection only where a call goes
    through it.

    ## Example
    ```ruby
    class PartnerSyncWorker
      include Sidekiq::Job

      def perform(id)
        HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
      end
    end
    ```

    Use instead:
    ```ruby
    class PartnerSyncWorker
      include Sidekiq::Job

      def perform(id)
        Stoplight("partner").run do
          HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
        end
      end
    end
    ```

    ## Fix safety
    The suggestion is display-only: it wraps the call's statement (or the right-hand side of its
    assignment) in the project's breaker: the first configured wrapper, else
    `Stoplight("name").run`, else `Circuitbox.circuit(:name, exceptions: [...]).run`. The circuit
    name and the exceptions that count as failures are the project's decision, and a breaker
    changes behaviour: while it is open the call raises (Stoplight) or returns nil (Circuitbox)
    without being made. There is no suggestion where wrapping would change the code's meaning
    (the statement assigns a local variable or uses `next`/`break`), for Semian and
    circuit_breaker (configure the adapter, declare `circuit_method`), nor for notes.
    """

    code = "WL202"
    name = "external-call-without-circuit-breaker"
    level = Level.WARNING
    summary = "An HTTP request in worker code outside the project's circuit breaker."
    fix_availability = "sometimes"
    suggestion_only = True
    tags = ("external-calls", "resilience")
    precision = "medium"
    call_methods = http.REQUEST_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        gems = breakers.libraries(ctx)
        wrappers = ctx.settings.circuit_breakers
        active = bool(gems or wrappers)
        if not active and not self.explicitly_selected:
            return
        found = http.classify(node, ctx)
        if found is None:
            return
        covered = breakers.protected(found, ctx)
        if covered is not None:
            ctx.skip(f"{ctx.relpath}:{node.start_point[0] + 1}: `{found.label}`: {covered.how}")
            return
        span = _span(node)
        outside = f"`{found.label}` runs outside a circuit breaker{_where(found, ctx)}"
        effect = "while its service is down, every job still calls it, waits and fails"
        if not active:
            message = (
                f"{outside}: {effect} (a note: WL202 was selected by name, but the project uses "
                "no circuit-breaker library (stoplight, circuitbox, semian, circuit_breaker in "
                "Gemfile.lock) and the `circuit-breakers` setting names no wrapper)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        if wrappers:
            why = f"the `circuit-breakers` setting names `{wrappers[0]}`"
        else:
            why = "the project uses " + " and ".join(_gem_source(g, ctx) for g in gems)
        message = f"{outside}, although {why}: {effect}"
        ctx.report(span, message, fix=_fix(found, gems, wrappers, ctx))


def _gem_source(gem: str, ctx: FileContext) -> str:
    line = breakers.lock_line(ctx, gem)
    return f"{gem} (Gemfile.lock:{line})" if line else f"{gem} (Gemfile.lock)"


def _span(call: Node) -> Span:
    return Span(*nodes.call_span(call))


def _where(found: HttpRequest, ctx: FileContext) -> str:
    builder = found.builder
    semian = ctx.index.semian_net_http
    if semian is not None and found.client not in breakers.NET_HTTP_BASED:
        client = _CLIENT_NAMES.get(found.client, found.client)
        if builder is not None and found.client == "faraday":
            client = f"Faraday on the `{breakers.faraday_adapter(builder)}` adapter"
        return (
            f" (Semian's Net::HTTP adapter, configured in {semian.path}:{semian.line}, does not "
            f"cover {client})"
        )
    if builder is not None and builder.call.start_point[0] != found.node.start_point[0]:
        line = builder.call.start_point[0] + 1
        what = "breaker middleware" if builder.kind == "Faraday.new" else "breaker"
        return f" (its connection, built by `{builder.kind}` on line {line}, has no {what})"
    return ""


_CLIENT_NAMES = {
    "excon": "Excon",
    "http_rb": "http.rb",
    "typhoeus": "Typhoeus",
}
_EXCEPTIONS = {
    "faraday": "Faraday::ConnectionFailed, Faraday::TimeoutError",
    "net_http": "Net::OpenTimeout, Net::ReadTimeout",
    "httparty": "Net::OpenTimeout, Net::ReadTimeout",
    "open_uri": "Net::OpenTimeout, Net::ReadTimeout",
    "rest_client": "RestClient::Exceptions::Timeout",
    "excon": "Excon::Error::Timeout, Excon::Error::Socket",
    "http_rb": "HTTP::TimeoutError, HTTP::ConnectionError",
}
_GENERIC = frozenset(
    {"HTTParty", "Faraday", "Net::HTTP", "URI", "RestClient", "RestClient::Request", "Excon",
     "HTTP", "Typhoeus"}
)  # fmt: skip


def _fix(
    found: HttpRequest, gems: tuple[str, ...], wrappers: tuple[str, ...], ctx: FileContext
) -> Fix | None:
    name = _circuit_name(found, ctx)
    if wrappers:
        first = wrappers[0]
        opener = f"{first}.call" if first[:1].isupper() and "." not in first else first
    elif "stoplight" in gems:
        opener = f'Stoplight("{name}").run'
    elif "circuitbox" in gems and found.client in _EXCEPTIONS:
        symbol = f":{name}" if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else f':"{name}"'
        exceptions = _EXCEPTIONS[found.client]
        opener = f"Circuitbox.circuit({symbol}, exceptions: [{exceptions}]).run"
    elif "semian" in gems and found.client in breakers.NET_HTTP_BASED:
        title = "configure `Semian::NetHTTP.semian_configuration` in an initializer"
        return Fix(Applicability.DISPLAY_ONLY, title, ())
    elif "circuit_breaker" in gems:
        title = "make the call in a method declared with `circuit_method` (circuit_breaker)"
        return Fix(Applicability.DISPLAY_ONLY, title, ())
    else:
        return None
    edit = _wrap(found.node, opener, ctx)
    if edit is None:
        return None
    return Fix(Applicability.DISPLAY_ONLY, f"wrap the call in `{opener}`", (edit,))


def _circuit_name(found: HttpRequest, ctx: FileContext) -> str:
    recv = nodes.receiver(found.node)
    reused = _existing_light(recv, ctx)
    if reused is not None:
        return reused
    service = _service_name(found, recv)
    if service is not None:
        return service
    const = nodes.constant_path(recv) if recv is not None else None
    if const is None or const in _GENERIC:
        scope = ctx.class_scope
        const = scope.facts.name if scope is not None else "external_api"
        const = re.sub(r"(Worker|Job)$", "", const) or const
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", const.split("::")[-1]).lower()
    return snake or "external_api"


_GENERIC_HOLDERS = frozenset({"connection", "conn", "client", "http", "faraday", "api", "request"})
_URL_SUFFIX = re.compile(r"_(API_)?(URL|URI|HOST|ENDPOINT|BASE)$")


def _service_name(found: HttpRequest, recv: Node | None) -> str | None:
    """One circuit per service, not per class: named after the URL constant the call or its
    connection uses (`TAX_URL` -> `tax`), else after the variable or method holding the
    connection (`tax_client`)."""
    sources: list[Node] = []
    if found.builder is not None:
        sources.extend(nodes.arguments(found.builder.call))
    sources.extend(nodes.arguments(found.node)[:1])
    for arg in sources:
        value = nodes.pair_value(arg) if arg.type == "pair" else arg
        key = arg.child_by_field_name("key") if arg.type == "pair" else None
        if key is not None and nodes.key_name(key) not in ("url", "uri", "host", "base_uri"):
            continue
        const = nodes.constant_path(value) if value is not None else None
        if const is not None and _URL_SUFFIX.search(const.split("::")[-1]):
            return _URL_SUFFIX.sub("", const.split("::")[-1]).lower()
    if recv is not None and recv.type in ("identifier", "instance_variable", "call"):
        if recv.type == "call" and nodes.receiver(recv) is not None:
            return None
        name = nodes.text(recv.child_by_field_name("method") if recv.type == "call" else recv)
        name = name.lstrip("@")
        if name and name not in _GENERIC_HOLDERS and name.isidentifier():
            return name
    return None


def _existing_light(recv: Node | None, ctx: FileContext) -> str | None:
    """The name of a ``Stoplight("name")`` of the class already used with the same receiver."""
    scope = ctx.class_scope
    if recv is None or scope is None or nodes.constant_path(recv) in _GENERIC:
        return None
    written = nodes.text(recv)
    for node in nodes.descendants(scope.node):
        if node.type != "call" or nodes.method_name(node) != "Stoplight":
            continue
        args = nodes.arguments(node)
        name = nodes.literal_value(args[0]) if args else None
        owner = node.parent if nodes.block(node) is None else node
        block = nodes.block(owner) if owner is not None else None
        if (
            isinstance(name, str)
            and block is not None
            and re.search(rf"(?<![\w.@]){re.escape(written)}\.", nodes.text(block))
        ):
            return name
    return None


_WIDTH = 100  # a wrapped line longer than this is written as a do ... end block
_UNWRAPPABLE = frozenset({"next", "break", "redo", "retry", "heredoc_body", "heredoc_beginning"})


def _wrap(call: Node, opener: str, ctx: FileContext) -> Edit | None:
    """The statement holding ``call`` (or its assignment's right side) inside ``opener do``."""
    statement = call
    while statement.parent is not None and statement.parent.type not in STATEMENT_PARENTS:
        statement = statement.parent
        if statement.type in ("method", "singleton_method", "block", "do_block", "class"):
            return None
    if statement.parent is None:
        return None
    target = statement
    if statement.type in ("assignment", "operator_assignment"):
        right = statement.child_by_field_name("right")
        if right is None or not (right.start_byte <= call.start_byte < right.end_byte):
            return None
        target = right
    elif statement.type == "return":
        return None
    for node in (target, *nodes.descendants(target)):
        if node.type in _UNWRAPPABLE:
            return None
        if node.type in ("assignment", "operator_assignment"):
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                return None  # the local would become the block's own
        if node.type in ("string", "string_array") and node.start_point[0] != node.end_point[0]:
            return None  # re-indenting would change the string
    data = ctx.data
    line_start = data.rfind(b"\n", 0, statement.start_byte) + 1
    indent = data[line_start : statement.start_byte].decode("utf-8", "replace")
    if indent.strip():
        return None
    body = data[target.start_byte : target.end_byte].decode("utf-8", "replace")
    newline = "\r\n" if "\r\n" in data[line_start : target.end_byte + 2].decode("latin-1") else "\n"
    if target is not statement and "\n" not in body:
        braces = f"{opener} {{ {body} }}"
        line_end = data.find(b"\n", target.end_byte)
        line_end = len(data) if line_end == -1 else line_end
        width = len(data[line_start:line_end]) - len(body.encode()) + len(braces.encode())
        if width <= _WIDTH:
            return Edit(target.start_byte, target.end_byte, braces)
    lines = body.split(newline)
    inner = newline.join(f"  {line}" if line.strip() else line for line in lines[1:])
    first = f"{indent}  {lines[0]}"
    text = f"{opener} do{newline}{first}"
    if inner:
        text += f"{newline}{inner}"
    text += f"{newline}{indent}end"
    return Edit(target.start_byte, target.end_byte, text)


_LOCK = {
    "Gemfile.lock": (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n"
        "    stoplight (4.1.0)\n"
    )
}
_CIRCUITBOX_LOCK = {
    "Gemfile.lock": (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n"
        "    circuitbox (2.0.0)\n"
    )
}
_SEMIAN = {
    "Gemfile.lock": (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n    semian (0.21.0)\n"
    ),
    "config/initializers/semian.rb": (
        'require "semian"\n'
        'require "semian/net_http"\n\n'
        "Semian::NetHTTP.semian_configuration = proc do |host, port|\n"
        '  { name: "#{host}_#{port}", circuit_breaker: true, bulkhead: false,\n'
        "    success_threshold: 1, error_threshold: 3, error_timeout: 10 }\n"
        "end\n"
    ),
}

ExternalCallWithoutCircuitBreaker.VALID = (
    Valid(
        """\
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("partner").run do
      HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
    end
  end
end
""",
        files=_LOCK,
    ),
    # The older form: the block is given to Stoplight() and `.run` comes after it.
    Valid(
        """\
class PriceWorker
  include Sidekiq::Job

  def perform(sku)
    light = Stoplight("prices") { HTTParty.get("https://prices.example.com/#{sku}", timeout: 5) }
    light.run
  end
end
""",
        files=_LOCK,
    ),
    # A helper method called from inside the breaker block.
    Valid(
        """\
class CrmPushWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("crm").run { push(id) }
  end

  private

  def push(id)
    HTTParty.put("https://crm.example.com/contacts/#{id}", timeout: 5)
  end
end
""",
        files=_LOCK,
    ),
    # A circuit kept in a constant, and a method that runs the breaker around its block.
    Valid(
        """\
class LedgerWorker
  include Sidekiq::Job

  LEDGER = Circuitbox.circuit(:ledger, exceptions: [Net::ReadTimeout])

  def perform(id)
    LEDGER.run { HTTParty.post("https://ledger.example.com/entries", body: { id: id }) }
    guarded { Net::HTTP.get_response(URI("https://ledger.example.com/ping")) }
  end

  def guarded(&block)
    Circuitbox.circuit(:ledger_ping, exceptions: [Net::ReadTimeout]).run(&block)
  end
end
""",
        files=_CIRCUITBOX_LOCK,
    ),
    # Semian's Net::HTTP adapter is configured process-wide: HTTParty and Faraday's default
    # adapter go through Net::HTTP.
    Valid(
        """\
class ShipmentWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.get("https://carrier.example.com/shipments/#{id}", timeout: 5)
    Faraday.new("https://carrier.example.com").get("/labels/#{id}")
  end
end
""",
        files=_SEMIAN,
    ),
    # Breaker middleware on the Faraday connection the call is made on.
    Valid(
        """\
class StockLevelWorker
  include Sidekiq::Job

  def perform(sku)
    connection.get("/stock/#{sku}")
  end

  def connection
    @connection ||= Faraday.new("https://stock.example.com") do |f|
      f.use Circuitbox::FaradayMiddleware, exceptions: [Faraday::TimeoutError]
      f.request :json
    end
  end
end
""",
        files=_CIRCUITBOX_LOCK,
    ),
    # A wrapper named in the circuit-breakers setting.
    Valid(
        """\
class RatesWorker
  include Sidekiq::Job

  def perform
    ExternalApi.call(:rates) { HTTParty.get("https://rates.example.com/latest", timeout: 5) }
    with_breaker(:fx) { HTTParty.get("https://fx.example.com/latest", timeout: 5) }
  end
end
""",
        settings={"circuit-breakers": ["ExternalApi", "with_breaker"]},
    ),
    # No breaker library and no wrapper setting: the rule is silent unless selected by name.
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
    # circuit_breaker gem: the method is declared as a circuit.
    Valid(
        """\
class QuoteWorker
  include Sidekiq::Job
  include CircuitBreaker

  circuit_method :fetch_quote

  def perform(symbol)
    fetch_quote(symbol)
  end

  def fetch_quote(symbol)
    HTTParty.get("https://quotes.example.com/#{symbol}", timeout: 5)
  end
end
""",
        files={
            "Gemfile.lock": (
                "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n"
                "    circuit_breaker (1.1.2)\n"
            )
        },
    ),
    # Not worker code: a service outside the worker folders.
    Valid(
        """\
class PartnerClient
  def orders
    HTTParty.get("https://partner.example.com/orders", timeout: 5)
  end
end
""",
        path="app/services/partner_client.rb",
        files=_LOCK,
    ),
    # Calls through an http-wrappers class are not HTTP request calls at all.
    Valid(
        """\
class InvoiceMailWorker
  include Sidekiq::Job

  def perform(id)
    MailApi.post("/send", body: { id: id })
  end
end
""",
        files={**_LOCK, "app/services/mail_api.rb": "class MailApi\n  include HTTParty\nend\n"},
        settings={"http-wrappers": ["MailApi"]},
    ),
    # A Semian resource acquired around the call, and Stoplight on an ivar holding the light.
    Valid(
        """\
class SearchWorker
  include Sidekiq::Job

  def perform(q)
    Semian[:search].acquire { Excon.get("https://search.example.com", query: { q: q }) }
    @light ||= Stoplight("suggest")
    @light.run { Excon.get("https://suggest.example.com", query: { q: q }) }
  end
end
""",
        files={
            "Gemfile.lock": (
                "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n"
                "    semian (0.21.0)\n    stoplight (4.1.0)\n"
            )
        },
    ),
)

ExternalCallWithoutCircuitBreaker.INVALID = (
    # One circuit per service: named after the URL constant, or the method holding the client.
    Invalid(
        """\
class LedgerSyncWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.post(LEDGER_API_URL, body: { id: id }.to_json, timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    fx_rates.get("/latest")
             ^^^^^^^^^^^^^^ `fx_rates.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 10, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end

  def fx_rates
    @fx_rates ||= Faraday.new("https://fx.example.com", request: { timeout: 5 })
  end
end
""",
        files=_LOCK,
        fixed="""\
class LedgerSyncWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("ledger").run do
      HTTParty.post(LEDGER_API_URL, body: { id: id }.to_json, timeout: 5)
    end
    Stoplight("fx_rates").run do
      fx_rates.get("/latest")
    end
  end

  def fx_rates
    @fx_rates ||= Faraday.new("https://fx.example.com", request: { timeout: 5 })
  end
end
""",
    ),
    # Inside a transaction, not a breaker; the suggestion reuses the class's light for the
    # same connection.
    Invalid(
        """\
class PartnerShipWorker
  include Sidekiq::Job

  def perform(id)
    order = Order.find(id)
    Stoplight("partner-api").run { partner.put("/orders/#{id}", order.to_json) }
    Order.transaction do
      tracking = partner.get("/orders/#{id}/tracking").body
                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `partner.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 14, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      order.update!(tracking_number: tracking["number"])
    end
  end

  def partner
    @partner ||= Faraday.new("https://partner.example.com", request: { timeout: 5 })
  end
end
""",
        files=_LOCK,
        fixed="""\
class PartnerShipWorker
  include Sidekiq::Job

  def perform(id)
    order = Order.find(id)
    Stoplight("partner-api").run { partner.put("/orders/#{id}", order.to_json) }
    Order.transaction do
      tracking = Stoplight("partner-api").run { partner.get("/orders/#{id}/tracking").body }
      order.update!(tracking_number: tracking["number"])
    end
  end

  def partner
    @partner ||= Faraday.new("https://partner.example.com", request: { timeout: 5 })
  end
end
""",
    ),
    Invalid(
        """\
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end
""",
        files=_LOCK,
        fixed="""\
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("partner_sync").run do
      HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
    end
  end
end
""",
    ),
    # An assignment: the right-hand side is wrapped, so the local stays in the method.
    Invalid(
        """\
class ChargeStatusWorker
  include Sidekiq::Job

  def perform(id)
    charge = PaymentGateway.get("/v1/charges/#{id}")
                            ^^^^^^^^^^^^^^^^^^^^^^^^ `PaymentGateway.get` runs outside a circuit breaker, although the project uses circuitbox (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    charge["status"]
  end
end
""",
        files={
            **_CIRCUITBOX_LOCK,
            "app/services/payment_gateway.rb": (
                "class PaymentGateway\n  include HTTParty\n  default_timeout 8\nend\n"
            ),
        },
        fixed="""\
class ChargeStatusWorker
  include Sidekiq::Job

  def perform(id)
    charge = Circuitbox.circuit(:payment_gateway, exceptions: [Net::OpenTimeout, Net::ReadTimeout]).run do
      PaymentGateway.get("/v1/charges/#{id}")
    end
    charge["status"]
  end
end
""",
    ),
    # The call is after the breaker block closes.
    Invalid(
        """\
class CatalogWorker
  include Sidekiq::Job

  def perform(sku)
    Stoplight("catalog").run { HTTParty.get("https://catalog.example.com/#{sku}", timeout: 5) }
    HTTParty.delete("https://catalog.example.com/cache/#{sku}", timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.delete` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end
""",
        files=_LOCK,
        fixed="""\
class CatalogWorker
  include Sidekiq::Job

  def perform(sku)
    Stoplight("catalog").run { HTTParty.get("https://catalog.example.com/#{sku}", timeout: 5) }
    Stoplight("catalog").run do
      HTTParty.delete("https://catalog.example.com/cache/#{sku}", timeout: 5)
    end
  end
end
""",
    ),
    # A block that is not a breaker (a cache fetch) does not protect the call.
    Invalid(
        """\
class ExchangeRateWorker
  include Sidekiq::Job

  def perform(currency)
    Rails.cache.fetch("fx:#{currency}", expires_in: 1.hour) do
      HTTParty.get("https://fx.example.com/#{currency}", timeout: 5)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    end
  end
end
""",
        files=_LOCK,
        fixed="""\
class ExchangeRateWorker
  include Sidekiq::Job

  def perform(currency)
    Rails.cache.fetch("fx:#{currency}", expires_in: 1.hour) do
      Stoplight("exchange_rate").run do
        HTTParty.get("https://fx.example.com/#{currency}", timeout: 5)
      end
    end
  end
end
""",
    ),
    # The connection's middleware has no breaker; the message says where it was built.
    Invalid(
        """\
class TrackingWorker
  include Sidekiq::Job

  def perform(code)
    client.get("/track/#{code}")
           ^^^^^^^^^^^^^^^^^^^^^ `client.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 9, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end

  def client
    Faraday.new("https://track.example.com", request: { timeout: 5 }) do |f|
      f.response :json
    end
  end
end
""",
        files=_LOCK,
        fixed="""\
class TrackingWorker
  include Sidekiq::Job

  def perform(code)
    Stoplight("tracking").run do
      client.get("/track/#{code}")
    end
  end

  def client
    Faraday.new("https://track.example.com", request: { timeout: 5 }) do |f|
      f.response :json
    end
  end
end
""",
    ),
    # Semian covers Net::HTTP, not http.rb.
    Invalid(
        """\
class AvatarWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.timeout(5).get(url)
                    ^^^^^^^^ `HTTP.timeout.get` runs outside a circuit breaker (Semian's Net::HTTP adapter, configured in config/initializers/semian.rb:4, does not cover http.rb), although the project uses semian (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end
""",
        files=_SEMIAN,
    ),
    # A configured wrapper: the suggestion uses the first one.
    Invalid(
        """\
class RefundWorker
  include Sidekiq::Job

  def perform(id)
    ExternalApi.call(:refunds) { HTTParty.post("https://pay.example.com/refunds", timeout: 5) }
    HTTParty.get("https://pay.example.com/refunds/#{id}", timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` runs outside a circuit breaker, although the `circuit-breakers` setting names `ExternalApi.call`: while its service is down, every job still calls it, waits and fails
  end
end
""",
        settings={"circuit-breakers": ["ExternalApi.call"]},
        fixed="""\
class RefundWorker
  include Sidekiq::Job

  def perform(id)
    ExternalApi.call(:refunds) { HTTParty.post("https://pay.example.com/refunds", timeout: 5) }
    ExternalApi.call do
      HTTParty.get("https://pay.example.com/refunds/#{id}", timeout: 5)
    end
  end
end
""",
    ),
    # Selected by name in a project with no breaker library: a note that says why.
    Invalid(
        """\
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker: while its service is down, every job still calls it, waits and fails (a note: WL202 was selected by name, but the project uses no circuit-breaker library (stoplight, circuitbox, semian, circuit_breaker in Gemfile.lock) and the `circuit-breakers` setting names no wrapper)
  end
end
""",
        settings={"select": ["WL202"]},
    ),
    # A helper module beside the workers; next would change meaning inside a block: no edit.
    Invalid(
        """\
module Partner
  module Feed
    def self.pull(urls)
      urls.each do |url|
        next unless HTTParty.head(url, timeout: 5).success?
                             ^^^^^^^^^^^^^^^^^^^^^ `HTTParty.head` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      end
    end
  end
end
""",
        path="app/workers/partner/feed.rb",
        files=_LOCK,
    ),
    # Net::HTTP instance call on a Net::HTTP.start block parameter.
    Invalid(
        """\
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 5) do |http|
      http.request(Net::HTTP::Get.new(path))
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `http.request` runs outside a circuit breaker (its connection, built by `Net::HTTP.start` on line 5, has no breaker), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    end
  end
end
""",
        files=_LOCK,
        fixed="""\
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 5) do |http|
      Stoplight("thumb").run do
        http.request(Net::HTTP::Get.new(path))
      end
    end
  end
end
""",
    ),
    # A multi-line call: every line moves into the block.
    Invalid(
        """\
class LeadWorker
  include Sidekiq::Job

  def perform(lead)
    HTTParty.post(
             ^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      "https://crm.example.com/leads",
      body: lead.to_json,
      timeout: 5
    )
  end
end
""",
        files=_LOCK,
        fixed="""\
class LeadWorker
  include Sidekiq::Job

  def perform(lead)
    Stoplight("lead").run do
      HTTParty.post(
        "https://crm.example.com/leads",
        body: lead.to_json,
        timeout: 5
      )
    end
  end
end
""",
    ),
    # A breaker in a different method that does not call this one protects nothing here.
    Invalid(
        """\
class ReportUploadWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("reports").run { notify(id) }
    upload(id)
  end

  def notify(id)
    Slack.notify("report #{id}")
  end

  def upload(id)
    RestClient.put("https://files.example.com/reports/#{id}", "")
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RestClient.put` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end
""",
        files=_LOCK,
        fixed="""\
class ReportUploadWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("reports").run { notify(id) }
    upload(id)
  end

  def notify(id)
    Slack.notify("report #{id}")
  end

  def upload(id)
    Stoplight("report_upload").run do
      RestClient.put("https://files.example.com/reports/#{id}", "")
    end
  end
end
""",
    ),
)
