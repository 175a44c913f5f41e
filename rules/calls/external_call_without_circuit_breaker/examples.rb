# WL202 external-call-without-circuit-breaker: its examples (format: workerlint/app/examples.py)

# case: one-circuit-per-service (invalid)
# note: One circuit per service: named after the URL constant, or the method holding the client.
class LedgerSyncWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.post(LEDGER_API_URL, body: { id: id }.to_json, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    fx_rates.get("/latest")
    #        ^^^^^^^^^^^^^^ `fx_rates.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 10, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end

  def fx_rates
    @fx_rates ||= Faraday.new("https://fx.example.com", request: { timeout: 5 })
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: call-inside-a-transaction-reuses-the-light (invalid)
# note: Inside a transaction, not a breaker; the suggestion reuses the class's light for the
# note: same connection.
class PartnerShipWorker
  include Sidekiq::Job

  def perform(id)
    order = Order.find(id)
    Stoplight("partner-api").run { partner.put("/orders/#{id}", order.to_json) }
    Order.transaction do
      tracking = partner.get("/orders/#{id}/tracking").body
      #                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `partner.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 14, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      order.update!(tracking_number: tracking["number"])
    end
  end

  def partner
    @partner ||= Faraday.new("https://partner.example.com", request: { timeout: 5 })
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: httparty-post-without-breaker (invalid)
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end

# fixed:
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("partner_sync").run do
      HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: assigned-call-wrapped-in-circuitbox (invalid)
# note: An assignment: the right-hand side is wrapped, so the local stays in the method.
class ChargeStatusWorker
  include Sidekiq::Job

  def perform(id)
    charge = PaymentGateway.get("/v1/charges/#{id}")
    #                       ^^^^^^^^^^^^^^^^^^^^^^^^ `PaymentGateway.get` runs outside a circuit breaker, although the project uses circuitbox (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    charge["status"]
  end
end

# fixed:
class ChargeStatusWorker
  include Sidekiq::Job

  def perform(id)
    charge = Circuitbox.circuit(:payment_gateway, exceptions: [Net::OpenTimeout, Net::ReadTimeout]).run do
      PaymentGateway.get("/v1/charges/#{id}")
    end
    charge["status"]
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     circuitbox (2.0.0)

# file: app/services/payment_gateway.rb
class PaymentGateway
  include HTTParty
  default_timeout 8
end

# case: call-after-the-breaker-block (invalid)
# note: The call is after the breaker block closes.
class CatalogWorker
  include Sidekiq::Job

  def perform(sku)
    Stoplight("catalog").run { HTTParty.get("https://catalog.example.com/#{sku}", timeout: 5) }
    HTTParty.delete("https://catalog.example.com/cache/#{sku}", timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.delete` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end

# fixed:
class CatalogWorker
  include Sidekiq::Job

  def perform(sku)
    Stoplight("catalog").run { HTTParty.get("https://catalog.example.com/#{sku}", timeout: 5) }
    Stoplight("catalog").run do
      HTTParty.delete("https://catalog.example.com/cache/#{sku}", timeout: 5)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: cache-fetch-block-is-not-a-breaker (invalid)
# note: A block that is not a breaker (a cache fetch) does not protect the call.
class ExchangeRateWorker
  include Sidekiq::Job

  def perform(currency)
    Rails.cache.fetch("fx:#{currency}", expires_in: 1.hour) do
      HTTParty.get("https://fx.example.com/#{currency}", timeout: 5)
      #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    end
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: faraday-middleware-without-breaker (invalid)
# note: The connection's middleware has no breaker; the message says where it was built.
class TrackingWorker
  include Sidekiq::Job

  def perform(code)
    client.get("/track/#{code}")
    #      ^^^^^^^^^^^^^^^^^^^^^ `client.get` runs outside a circuit breaker (its connection, built by `Faraday.new` on line 9, has no breaker middleware), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end

  def client
    Faraday.new("https://track.example.com", request: { timeout: 5 }) do |f|
      f.response :json
    end
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: semian-does-not-cover-http-rb (invalid)
# note: Semian covers Net::HTTP, not http.rb.
class AvatarWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.timeout(5).get(url)
    #               ^^^^^^^^ `HTTP.timeout.get` runs outside a circuit breaker (Semian's Net::HTTP adapter, configured in config/initializers/semian.rb:4, does not cover http.rb), although the project uses semian (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     semian (0.21.0)

# file: config/initializers/semian.rb
require "semian"
require "semian/net_http"

Semian::NetHTTP.semian_configuration = proc do |host, port|
  { name: "#{host}_#{port}", circuit_breaker: true, bulkhead: false,
    success_threshold: 1, error_threshold: 3, error_timeout: 10 }
end

# case: configured-wrapper-in-the-suggestion (invalid)
# note: A configured wrapper: the suggestion uses the first one.
# settings: { circuit-breakers = ["ExternalApi.call"] }
class RefundWorker
  include Sidekiq::Job

  def perform(id)
    ExternalApi.call(:refunds) { HTTParty.post("https://pay.example.com/refunds", timeout: 5) }
    HTTParty.get("https://pay.example.com/refunds/#{id}", timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` runs outside a circuit breaker, although the `circuit-breakers` setting names `ExternalApi.call`: while its service is down, every job still calls it, waits and fails
  end
end

# fixed:
class RefundWorker
  include Sidekiq::Job

  def perform(id)
    ExternalApi.call(:refunds) { HTTParty.post("https://pay.example.com/refunds", timeout: 5) }
    ExternalApi.call do
      HTTParty.get("https://pay.example.com/refunds/#{id}", timeout: 5)
    end
  end
end

# case: selected-by-name-without-breaker-library (invalid)
# note: Selected by name in a project with no breaker library: a note that says why.
# settings: { select = ["WL202"] }
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` runs outside a circuit breaker: while its service is down, every job still calls it, waits and fails (a note: WL202 was selected by name, but the project uses no circuit-breaker library (stoplight, circuitbox, semian, circuit_breaker in Gemfile.lock) and the `circuit-breakers` setting names no wrapper)
  end
end

# case: helper-module-with-next-in-a-block (invalid)
# note: A helper module beside the workers; next would change meaning inside a block: no edit.
# file: app/workers/partner/feed.rb
module Partner
  module Feed
    def self.pull(urls)
      urls.each do |url|
        next unless HTTParty.head(url, timeout: 5).success?
        #                    ^^^^^^^^^^^^^^^^^^^^^ `HTTParty.head` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      end
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: net-http-start-block-parameter (invalid)
# note: Net::HTTP instance call on a Net::HTTP.start block parameter.
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 5) do |http|
      http.request(Net::HTTP::Get.new(path))
      #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `http.request` runs outside a circuit breaker (its connection, built by `Net::HTTP.start` on line 5, has no breaker), although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
    end
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: multi-line-call-moves-into-the-block (invalid)
# note: A multi-line call: every line moves into the block.
class LeadWorker
  include Sidekiq::Job

  def perform(lead)
    HTTParty.post(
    #        ^^^^^ `HTTParty.post` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
      "https://crm.example.com/leads",
      body: lead.to_json,
      timeout: 5
    )
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: breaker-in-an-unrelated-method (invalid)
# note: A breaker in a different method that does not call this one protects nothing here.
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
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `RestClient.put` runs outside a circuit breaker, although the project uses stoplight (Gemfile.lock:5): while its service is down, every job still calls it, waits and fails
  end
end

# fixed:
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: stoplight-run-block (valid)
class PartnerSyncWorker
  include Sidekiq::Job

  def perform(id)
    Stoplight("partner").run do
      HTTParty.post("https://partner.example.com/orders", body: { id: id }, timeout: 5)
    end
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: stoplight-with-block-then-run (valid)
# note: The older form: the block is given to Stoplight() and `.run` comes after it.
class PriceWorker
  include Sidekiq::Job

  def perform(sku)
    light = Stoplight("prices") { HTTParty.get("https://prices.example.com/#{sku}", timeout: 5) }
    light.run
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: helper-called-inside-the-breaker (valid)
# note: A helper method called from inside the breaker block.
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: circuitbox-circuit-constant-and-wrapper-method (valid)
# note: A circuit kept in a constant, and a method that runs the breaker around its block.
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     circuitbox (2.0.0)

# case: semian-net-http-adapter (valid)
# note: Semian's Net::HTTP adapter is configured process-wide: HTTParty and Faraday's default
# note: adapter go through Net::HTTP.
class ShipmentWorker
  include Sidekiq::Job

  def perform(id)
    HTTParty.get("https://carrier.example.com/shipments/#{id}", timeout: 5)
    Faraday.new("https://carrier.example.com").get("/labels/#{id}")
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     semian (0.21.0)

# file: config/initializers/semian.rb
require "semian"
require "semian/net_http"

Semian::NetHTTP.semian_configuration = proc do |host, port|
  { name: "#{host}_#{port}", circuit_breaker: true, bulkhead: false,
    success_threshold: 1, error_threshold: 3, error_timeout: 10 }
end

# case: circuitbox-faraday-middleware (valid)
# note: Breaker middleware on the Faraday connection the call is made on.
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     circuitbox (2.0.0)

# case: configured-circuit-breaker-wrappers (valid)
# note: A wrapper named in the circuit-breakers setting.
# settings: { circuit-breakers = ["ExternalApi", "with_breaker"] }
class RatesWorker
  include Sidekiq::Job

  def perform
    ExternalApi.call(:rates) { HTTParty.get("https://rates.example.com/latest", timeout: 5) }
    with_breaker(:fx) { HTTParty.get("https://fx.example.com/latest", timeout: 5) }
  end
end

# case: no-breaker-library-in-the-project (valid)
# note: No breaker library and no wrapper setting: the rule is silent unless selected by name.
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: 5)
  end
end

# case: circuit-breaker-gem-circuit-method (valid)
# note: circuit_breaker gem: the method is declared as a circuit.
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

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     circuit_breaker (1.1.2)

# case: service-outside-worker-code (valid)
# note: Not worker code: a service outside the worker folders.
# file: app/services/partner_client.rb
class PartnerClient
  def orders
    HTTParty.get("https://partner.example.com/orders", timeout: 5)
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# case: call-through-an-http-wrapper (valid)
# note: Calls through an http-wrappers class are not HTTP request calls at all.
# settings: { http-wrappers = ["MailApi"] }
class InvoiceMailWorker
  include Sidekiq::Job

  def perform(id)
    MailApi.post("/send", body: { id: id })
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     stoplight (4.1.0)

# file: app/services/mail_api.rb
class MailApi
  include HTTParty
end

# case: semian-resource-and-memoized-stoplight (valid)
# note: A Semian resource acquired around the call, and Stoplight on an ivar holding the light.
class SearchWorker
  include Sidekiq::Job

  def perform(q)
    Semian[:search].acquire { Excon.get("https://search.example.com", query: { q: q }) }
    @light ||= Stoplight("suggest")
    @light.run { Excon.get("https://suggest.example.com", query: { q: q }) }
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)
#     semian (0.21.0)
#     stoplight (4.1.0)
