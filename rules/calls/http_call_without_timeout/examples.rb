# WL201 http-call-without-timeout: its examples (format: workerlint/app/examples.py)

# case: httparty-post-without-timeout (invalid)
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body)
    #        ^^^^^^^^^^^^^^^^^^^^^ `HTTParty.post` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# fixed:
class WebhookWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 10)
  end
end

# case: memoized-faraday-connection-without-timeout (invalid)
# note: The memoized connection in another method has no timeout: the fix goes to Faraday.new.
class InvoicePushWorker
  include Sidekiq::Job

  def perform(id)
    connection.post("/invoices", id.to_s)
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^ `connection.post` has no read timeout (its connection, built by `Faraday.new` on line 9, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end

  def connection
    @connection ||= Faraday.new(url: "https://books.example.com") do |f|
      f.request :json
    end
  end
end

# fixed:
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

# case: net-http-get-response (invalid)
class MirrorWorker
  include Sidekiq::Job

  def perform(url)
    Net::HTTP.get_response(URI(url))
    #         ^^^^^^^^^^^^^^^^^^^^^^ `Net::HTTP.get_response` cannot take a read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# case: httparty-open-timeout-only (invalid)
# note: open_timeout alone bounds the connection, not the read.
class QuoteWorker
  include Sidekiq::Job

  def perform(symbol)
    HTTParty.get("https://quotes.example.com/#{symbol}", open_timeout: 2)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# fixed:
class QuoteWorker
  include Sidekiq::Job

  def perform(symbol)
    HTTParty.get("https://quotes.example.com/#{symbol}", open_timeout: 2, timeout: 10)
  end
end

# case: net-http-instance-without-read-timeout (invalid)
class StockWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("stock.internal", 443)
    http.use_ssl = true
    http.get("/skus/#{sku}")
    #    ^^^^^^^^^^^^^^^^^^^ `http.get` has no read timeout (its connection, built by `Net::HTTP.new` on line 5, sets none): a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# fixed:
class StockWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("stock.internal", 443)
    http.read_timeout = 10
    http.use_ssl = true
    http.get("/skus/#{sku}")
  end
end

# case: http-rb-chain-without-timeout (invalid)
class ProfileWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.headers(accept: "application/json").get(url)
    #                                        ^^^^^^^^ `HTTP.headers.get` has no read timeout: a hung server holds this worker thread indefinitely (http.rb sets no default)
  end
end

# fixed:
class ProfileWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.timeout(10).headers(accept: "application/json").get(url)
  end
end

# case: rest-client-get (invalid)
class LegacyPingWorker
  include Sidekiq::Job

  def perform(url)
    RestClient.get(url)
    #          ^^^^^^^^ `RestClient.get` cannot take a read timeout: a hung server holds this worker thread for up to 60 s (RestClient's default)
  end
end

# case: uri-open-in-a-job-through-a-base-class (invalid)
# note: A worker through a project base class, outside the worker folders.
# file: app/services/sync_job.rb
class SyncJob < ApplicationJob
  def perform(url)
    URI.open(url).read
    #   ^^^^^^^^^ `URI.open` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default)
  end
end

# fixed:
class SyncJob < ApplicationJob
  def perform(url)
    URI.open(url, read_timeout: 10).read
  end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: helper-module-beside-the-workers (invalid)
# note: A helper module beside the workers runs inside them; a literal options hash gets the key.
# file: app/workers/support/fetch.rb
module Support
  module Fetch
    def self.json(url, headers)
      HTTParty.get(url, { headers: headers })
      #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
    end
  end
end

# fixed:
module Support
  module Fetch
    def self.json(url, headers)
      HTTParty.get(url, { headers: headers, timeout: 10 })
    end
  end
end

# case: net-http-start-without-read-timeout (invalid)
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true) do |http|
      http.request(Net::HTTP::Get.new(path))
      #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `http.request` has no read timeout (its connection, built by `Net::HTTP.start` on line 5, sets none): a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
    end
  end
end

# fixed:
class ThumbWorker
  include Sidekiq::Job

  def perform(host, path)
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 10) do |http|
      http.request(Net::HTTP::Get.new(path))
    end
  end
end

# case: timeout-seconds-option-in-the-fix (invalid)
# note: timeout-seconds sets the number the fix writes; Faraday's request hash gets the key.
# options: { timeout-seconds = 5 }
class RatesWorker
  include Sidekiq::Job

  def perform
    conn = Faraday.new("https://rates.example.com", request: { open_timeout: 2 })
    conn.get("/latest")
    #    ^^^^^^^^^^^^^^ `conn.get` has no read timeout (its connection, built by `Faraday.new` on line 5, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end
end

# fixed:
class RatesWorker
  include Sidekiq::Job

  def perform
    conn = Faraday.new("https://rates.example.com", request: { open_timeout: 2, timeout: 5 })
    conn.get("/latest")
  end
end

# case: faraday-connection-constant-without-timeout (invalid)
# note: A connection kept in a constant of the class, without a timeout.
class AvatarSyncWorker
  include Sidekiq::Job

  CDN = Faraday.new(url: "https://cdn.example.com")

  def perform(path)
    CDN.head(path)
    #   ^^^^^^^^^^ `CDN.head` has no read timeout (its connection, built by `Faraday.new` on line 4, sets none): a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end
end

# fixed:
class AvatarSyncWorker
  include Sidekiq::Job

  CDN = Faraday.new(url: "https://cdn.example.com", request: { timeout: 10 })

  def perform(path)
    CDN.head(path)
  end
end

# case: typhoeus-post (invalid)
class SearchIndexWorker
  include Sidekiq::Job

  def perform(doc)
    Typhoeus.post("https://search.internal/docs", body: doc)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Typhoeus.post` has no read timeout: a hung server holds this worker thread indefinitely (Typhoeus sets no default)
  end
end

# fixed:
class SearchIndexWorker
  include Sidekiq::Job

  def perform(doc)
    Typhoeus.post("https://search.internal/docs", body: doc, timeout: 10)
  end
end

# case: httparty-class-from-a-class-method (invalid)
# note: An HTTParty class without default_timeout, called from a class method of the worker.
class RefundWorker
  include Sidekiq::Job

  def self.refund(id)
    BillingApi.post("/refunds", body: { id: id })
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `BillingApi.post` has no read timeout: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# fixed:
class RefundWorker
  include Sidekiq::Job

  def self.refund(id)
    BillingApi.post("/refunds", body: { id: id }, timeout: 10)
  end
end

# file: app/services/billing_api.rb
class BillingApi
  include HTTParty
end

# case: httparty-get-with-timeout (valid)
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: 5)
  end
end

# case: memoized-faraday-connection-with-timeout (valid)
# note: The connection is built in another method, with a timeout on it.
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

# case: httparty-class-with-default-timeout (valid)
# note: HTTParty class with a class-level default_timeout, defined elsewhere in the project.
class CaptureWorker
  include Sidekiq::Job

  def perform(payment_id)
    PaymentGateway.post("/captures", body: { id: payment_id })
  end
end

# file: app/services/payment_gateway.rb
class PaymentGateway
  include HTTParty
  base_uri "https://pay.example.com"
  default_timeout 8
end

# case: net-http-start-with-read-timeout (valid)
class StatusWorker
  include Sidekiq::Job

  def perform(host)
    request = Net::HTTP::Get.new("/status")
    Net::HTTP.start(host, 443, use_ssl: true, read_timeout: 5) do |http|
      http.request(request)
    end
  end
end

# case: options-splat-may-carry-the-timeout (valid)
# note: A **splat may carry the timeout: unknown, so not reported.
class UploadWorker
  include Sidekiq::Job

  def perform(url, body, options = {})
    HTTParty.put(url, body: body, **options)
  end
end

# case: faraday-default-in-an-initializer (valid)
# note: Process-wide Faraday default in an initializer covers every connection.
class FeedWorker
  include Sidekiq::Job

  def perform(url)
    conn = Faraday.new(url)
    conn.get("/feed.json")
    Faraday.get(url)
  end
end

# file: config/initializers/faraday.rb
Faraday.default_connection_options = Faraday::ConnectionOptions.new(
  request: { open_timeout: 2, timeout: 8 }
)

# case: http-rb-chain-with-timeout (valid)
class AvatarWorker
  include Sidekiq::Job

  def perform(url)
    HTTP.headers(accept: "image/png").timeout(5).get(url)
  end
end

# case: net-http-instance-with-read-timeout (valid)
# note: Timeout set on the Net::HTTP instance before the request.
class InventoryWorker
  include Sidekiq::Job

  def perform(sku)
    http = Net::HTTP.new("inventory.internal", 443)
    http.use_ssl = true
    http.read_timeout = 4
    http.get("/skus/#{sku}")
  end
end

# case: service-outside-worker-code (valid)
# note: Not worker code: a service outside the worker folders, not a worker class.
# file: app/services/geo_lookup.rb
class GeoLookup
  def call(ip)
    HTTParty.get("https://geo.example.com/#{ip}")
  end
end

# case: faraday-connection-constant-with-timeout (valid)
# note: A connection kept in a constant of the class, with its timeout.
class GeocodeWorker
  include Sidekiq::Job

  GEO = Faraday.new("https://geo.example.com", request: { timeout: 4 })

  def perform(address)
    GEO.get("/search", q: address)
  end
end

# case: faraday-per-request-timeout (valid)
# note: A per-request timeout in Faraday's request block.
class ExportWorker
  include Sidekiq::Job

  def perform(id)
    client.get("/exports/#{id}") { |req| req.options.timeout = 20 }
  end

  def client
    Faraday.new(url: "https://exports.example.com")
  end
end

# case: call-through-an-http-wrapper (valid)
# note: Calls through a wrapper named in the http-wrappers setting are trusted.
# settings: { http-wrappers = ["CrmClient"] }
class CrmWorker
  include Sidekiq::Job

  def perform(id)
    CrmClient.get("/contacts/#{id}")
  end
end

# file: app/services/crm_client.rb
class CrmClient
  include HTTParty
end

# case: receiver-not-an-http-client (valid)
# note: Not an HTTP client: the receiver cannot be resolved to one.
class CacheWorker
  include Sidekiq::Job

  def perform(key)
    store = Rails.cache
    store.delete(key)
    params.get(key)
  end
end

# case: httparty-timeout-nil (invalid)
# note: `timeout: nil` turns the timeout off: it is not a timeout.
class PriceFeedWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: nil)
    #        ^^^^^^^^^^^^^^^^^^^^^^ `HTTParty.get` sets `timeout` to nil, which turns the read timeout off: a hung server holds this worker thread for up to 60 s per read (Net::HTTP's default), twice for idempotent requests
  end
end

# fixed:
class PriceFeedWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: 10)
  end
end

# case: faraday-timeout-as-query-parameter (invalid)
# note: A `timeout` inside `params:` is a query parameter of the request, not a read timeout.
class SearchWorker
  include Sidekiq::Job

  def perform(term)
    Faraday.new("https://search.example.com", params: { timeout: 1 }).get("/q", q: term)
    #                                                                 ^^^^^^^^^^^^^^^^^^ `Faraday.new.get` has no read timeout: a hung server holds this worker thread as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)
  end
end

# fixed:
class SearchWorker
  include Sidekiq::Job

  def perform(term)
    Faraday.new("https://search.example.com", params: { timeout: 1 }, request: { timeout: 10 }).get("/q", q: term)
  end
end

# case: faraday-request-timeout-beside-params (valid)
class SearchWorker
  include Sidekiq::Job

  def perform(term)
    Faraday.new("https://search.example.com", params: { q: term }, request: { timeout: 5 }).get("/q")
  end
end

