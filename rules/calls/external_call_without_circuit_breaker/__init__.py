from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


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

    ## Python
    Active when `pybreaker`, `circuitbreaker`, `aiobreaker` or `purgatory` is locked
    (`poetry.lock`, `uv.lock`, `pdm.lock`, `Pipfile.lock`, or a `==` pin in
    `requirements*.txt`), or when the `circuit-breakers` setting names a wrapper. Covers the
    HTTP requests WL201 recognizes (requests, httpx, urllib, urllib3, aiohttp, http.client; not
    SMTP, not boto3) in task code. Protected: in a function decorated with a breaker (`@breaker`
    where `breaker = pybreaker.CircuitBreaker(...)`, here or imported from a project module),
    with circuitbreaker's `@circuit`/`@circuit(...)`, or with an instance of a `CircuitBreaker`
    subclass; inside `with breaker.calling():` or purgatory's `with factory.get_breaker(...)`;
    in a function given to `breaker.call(f, ...)`/`breaker.call_async(f, ...)` in the module;
    or inside a wrapper the setting names (decorator, context manager or call). Retries
    (tenacity, backoff, `autoretry_for`) never count. The suggestion is display-only and names
    the locked library's form.

    ```python
    payments_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)

    @shared_task
    def capture(payment_id):
        requests.post(CAPTURE_URL, json={"id": payment_id}, timeout=5)  # WL202
    ```

    Use instead: `with payments_breaker.calling(): requests.post(...)`, or decorate the task's
    helper with `@payments_breaker`.

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
    ruby = FolderCheck("RubyCircuitBreakerCheck")
    python = FolderCheck("CircuitBreakerCheck")
    name = "external-call-without-circuit-breaker"
    level = Level.WARNING
    summary = "An HTTP request in worker code outside the project's circuit breaker."
    fix_availability = "sometimes"
    suggestion_only = True
    tags = ("external-calls", "resilience")
    precision = "medium"
