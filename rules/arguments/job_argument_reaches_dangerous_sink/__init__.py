from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from workerlint import Invalid, Level, Rule, Span, Valid
from workerlint.lang.ruby.flow import analyse_class
from workerlint.lang.ruby.sinks import CWE, KINDS
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

_ADVICE = {
    "code": "never evaluate job data: dispatch through a literal Hash of allowed handlers",
    "shell": (
        "check it against an allow-list, and pass the command as separate arguments "
        '(`system("cmd", arg)`)'
    ),
    "deserialization": "parse it as JSON (`JSON.parse`) instead of loading objects from it",
    "oj_default": (
        "`Oj.load` without `mode:` uses Oj's default mode, `:object` unless the project changes "
        "it: pass `mode: :strict` (or use `JSON.parse`)"
    ),
    "sql": 'pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)',
    "constant": "check it against an allow-list (`ALLOWED.include?({arg})`) or look it up in a "
    "literal Hash",
    "method": "check it against an allow-list (`ALLOWED.include?({arg})`) or `case`/`when` on "
    "literal names",
    "file": "check it against an allow-list or an anchored pattern (`/\\A[\\w-]+\\z/`) before "
    "building the path",
    "url": "keep the scheme and host fixed and put the argument only in the path or query",
    "url_whole": "check its host against an allow-list (`URI(url).host`) before the request",
}


class JobArgumentReachesDangerousSink(Rule):
    """## What it does
    Follows each job argument of a worker class (`perform`'s parameters; for
    `Sidekiq::IterableJob`, `build_enumerator`'s but `cursor`, and `each_iteration`'s after the
    item, which is a job argument only when `build_enumerator` uses `array_enumerator`) through
    assignments, interpolation, concatenation, `[]`/`fetch`/`dig`, `to_s`/`to_sym`, String
    transformations (`camelize`, `classify`, `downcase`, `gsub`, `split`, `format`, ...), block
    parameters of its iteration, instance variables, and calls to other methods of the same class,
    and reports it reaching, with no validation on every path before it:

    - code: `eval`, `instance_eval`/`class_eval`/`module_eval` with a string (error);
    - a shell command: `system`, `exec`, `spawn`, backticks and `%x` with interpolation,
      `IO.popen`, `Open3.*`, `Kernel#open` where the value can start the string (a leading `|`
      runs a command) (error). In the multi-argument form (`system("convert", path)`) only the
      program name counts, as no shell is involved;
    - deserialization: `Marshal.load`, `YAML.unsafe_load`, `Oj.object_load`, `Oj.load` with
      `mode: :object` (error). `Oj.load` with no `mode:` uses Oj's default mode, which is
      `:object` unless an initializer changes it (`Oj.default_options =`, `Oj.mimic_JSON`,
      `Oj.optimize_rails`): reported as a warning. Not with `mode: :strict`/`:compat`/`:json`.
      `YAML.load` is safe from Psych 4 (Ruby 3.1) and not reported;
    - SQL text: interpolated or concatenated into the string given to `where`, `order`, `pluck`,
      `select`, `group`, `having`, `joins`, `from`, `exists?`, `update_all`, `delete_all`, or
      given in any form to `find_by_sql` or to `execute` on a connection. `where(name: x)` and
      `where("name = ?", x)` bind it and are fine. A raw argument given to `order`/`pluck` is not
      reported: Rails 6+ rejects anything but column references there (unless wrapped in
      `Arel.sql`, which is reported);
    - a constant name: `constantize`, `safe_constantize`, `const_get`;
    - a method name: the first argument of `send`, `public_send`, `__send__`, `try`, `method`;
    - a file path: `File.open/read/write/delete/...`, `IO.read/...`, `FileUtils.*`, `Dir.glob`,
      `Dir[]`;
    - the scheme or host of a URL: the whole URL, or interpolated before its path, given to an
      HTTP request call (`HTTParty.get`, `URI.open`, `Net::HTTP.get`, `Faraday.get`, ...) or to a
      connection builder (`Faraday.new`, `Net::HTTP.start`). `"https://api.example.com/#{id}"` is
      fine. A job argument that is the whole URL (`HTTParty.post(url)`) is reported only with the
      `whole-url-arguments` option: such a job is made to call the URLs it is given (webhook
      delivery, link checking), and the check belongs where the URL is accepted.

    Validation that counts, as a branch condition or an early `return`/`raise`/`next`: a
    membership check (`ALLOWED.include?(x)`, `x.in?(LIST)`, `LIST.member?(x)`, `key?`), a
    comparison with a literal, `case x when "a", "b"` (inside those branches only), an anchored
    regexp match (`x.match?(/\\A[a-z_]+\\z/)`), `is_a?(Integer)`, and `Integer(x)`/`Float(x)`
    as a statement. `x.to_i`/`x.to_f`/`Integer(x)` give a number, which is clean. A lookup in a
    Hash (`HANDLERS.fetch(x)`, `HANDLERS[x]`) gives the Hash's value, not the argument. Passing
    an argument to another method does not make its result tainted: `User.find(id)` returns a
    record.

    ## Why is this bad?
    Job arguments come from wherever jobs are enqueued: a controller passing request parameters,
    a webhook payload, another service pushing to the same Redis, anyone who can write to Redis. A job that
    turns an argument into code, a command, a class, a method call or a file path lets whoever
    controls that argument run arbitrary code in the worker process, which holds the
    application's credentials.

    ## Example
    ```ruby
    class ExportWorker
      include Sidekiq::Job

      def perform(exporter, record_id)
        exporter.constantize.new(record_id).run
      end
    end
    ```

    Use instead:
    ```ruby
    class ExportWorker
      include Sidekiq::Job

      EXPORTERS = { "csv" => CsvExporter, "pdf" => PdfExporter }.freeze

      def perform(exporter, record_id)
        EXPORTERS.fetch(exporter).new(record_id).run
      end
    end
    ```

    ## Options
    - `whole-url-arguments` (default `false`): also report a job argument used as the whole URL
      of an HTTP request call (`perform(url)` -> `HTTParty.get(url)`), unless its host is checked
      against an allow-list first.
    """

    code = "WL401"
    name = "job-argument-reaches-dangerous-sink"
    level = Level.WARNING
    summary = "A job argument reaches code, a command, a class or method name, SQL or a path."
    fix_availability = "none"
    precision = "medium"
    tags = ("security", "arguments")
    # Code, OS command, deserialization, SQL, class/method name, path, URL host (sinks.CWE).
    cwe = (94, 78, 502, 89, 470, 22, 918)
    # High: CVSS 3.1 AV:N/AC:L/PR:L/UI:N/C:H/I:H/A:H scores 8.8, remote code execution by anyone
    # who can enqueue the job, usually through an authenticated request.
    security_severity = 8.8
    worker_code_only = False
    node_types = frozenset({"class"})
    option_defaults: ClassVar[dict[str, bool]] = {"whole-url-arguments": False}

    def visit(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if scope is None or scope.node != node or not ctx.index.is_worker(scope.facts.name):
            return
        for finding in analyse_class(scope, ctx):
            if finding.use != "injection":
                continue
            if finding.kind == "url_whole" and not self.options["whole-url-arguments"]:
                continue
            what, severe = KINDS[finding.kind]
            arg = finding.origin.arg
            advice = _ADVICE[finding.kind].replace("{arg}", finding.subject)
            message = (
                f"job argument `{arg}` reaches {what} without validation: "
                f"{finding.origin.describe()} -> `{finding.label}`; {advice}"
            )
            level = Level.ERROR if severe else Level.WARNING
            ctx.report(
                Span(finding.start, finding.end), message, level=level, cwe=CWE[finding.kind]
            )


_CONST = "check it against an allow-list (`ALLOWED.include?({a})`) or look it up in a literal Hash"
_SEND = "check it against an allow-list (`ALLOWED.include?({a})`) or `case`/`when` on literal names"

JobArgumentReachesDangerousSink.VALID = (
    # An allow-list checked with an early return dominates the sinks after it.
    Valid(
        """\
class ReportWorker
  include Sidekiq::Job

  REPORTS = %w[SalesReport StockReport].freeze

  def perform(report_class, account_id)
    return unless REPORTS.include?(report_class)

    report_class.constantize.new(account_id).deliver
  end
end
"""
    ),
    # A literal Hash lookup: the result is the Hash's value, not the argument.
    Valid(
        """\
class ExportWorker
  include Sidekiq::Job

  EXPORTERS = { "csv" => "CsvExporter", "pdf" => "PdfExporter" }.freeze

  def perform(format, id)
    EXPORTERS.fetch(format).constantize.new(id).run
    HANDLERS[format].call(id)
  end
end
"""
    ),
    # case/when on literal names validates inside those branches.
    Valid(
        """\
class ModerationWorker
  include Sidekiq::Job

  def perform(action, comment_id)
    comment = Comment.find(comment_id)
    case action
    when "approve", "reject"
      comment.public_send(action)
    else
      raise ArgumentError, "unknown action"
    end
  end
end
"""
    ),
    # A record loaded by a job argument is not derived from it.
    Valid(
        """\
class NotifyWorker
  include Sidekiq::Job

  def perform(user_id)
    user = User.find(user_id)
    user.send(:notify!)
    user.preferred_channel.constantize.deliver(user)
  end
end
"""
    ),
    # A number cannot inject: Integer() and to_i end the derivation.
    Valid(
        """\
class PurgeWorker
  include Sidekiq::Job

  def perform(days, table, step)
    cutoff = Integer(days)
    Event.where("created_at < now() - interval '#{cutoff} days'").delete_all
    Event.where("id > #{table.to_i}").update_all(archived: true)
    Integer(step)
    Cleanup.public_send(step)
  end
end
"""
    ),
    # Bound parameters are not SQL text.
    Valid(
        """\
class SearchWorker
  include Sidekiq::Job

  def perform(name, status)
    Customer.where(name: name).update_all(flagged: true)
    Customer.where("name ILIKE ? AND status = ?", "%#{name}%", status).delete_all
  end
end
"""
    ),
    # An anchored regexp guarding the use, and an ActiveJob argument checked with in?.
    Valid(
        """\
class ThumbnailJob < ApplicationJob
  def perform(filename, size)
    raise ArgumentError unless filename.match?(/\\A[\\w-]+\\.png\\z/)
    system("convert uploads/#{filename} -resize 100x100 thumbs/#{filename}")
    send("resize_#{size}") if size.in?(%w[small large])
  end
end
""",
        path="app/jobs/thumbnail_job.rb",
        files={"app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n"},
    ),
    # The argument only in the path of the URL; the multi-argument form of system.
    Valid(
        """\
class SyncWorker
  include Sidekiq::Job

  def perform(user_id, path)
    HTTParty.get("https://api.example.com/users/#{user_id}", timeout: 5)
    system("git", "-C", "/srv/repo", "checkout", path)
  end
end
"""
    ),
    # A guard with next inside a loop protects the rest of the block.
    Valid(
        """\
class BulkActionWorker
  include Sidekiq::Job

  ACTIONS = %w[archive restore].freeze

  def perform(actions, id)
    record = Document.find(id)
    actions.each do |action|
      next unless ACTIONS.include?(action)

      record.public_send(action)
    end
  end
end
"""
    ),
    # Not a worker class: a service taking the same values.
    Valid(
        """\
class Dispatcher
  def call(kind)
    kind.constantize.new.run
  end
end
""",
        path="app/services/dispatcher.rb",
    ),
    # Validated in a helper before being passed on; JSON parsing is not deserialization.
    Valid(
        """\
class ImportWorker
  include Sidekiq::Job

  def perform(payload, kind)
    data = JSON.parse(payload)
    Oj.load(payload, mode: :strict)
    importer_for(kind).import(data)
  end

  private

  def importer_for(kind)
    raise ArgumentError unless %w[Csv Xml].include?(kind)

    "#{kind}Importer".constantize
  end
end
"""
    ),
    # Both branches validate: every path to the sink passes a check.
    Valid(
        """\
class RoleWorker
  include Sidekiq::Job

  def perform(role, user_id)
    if role == "admin"
      method_name = :grant_admin
    elsif %w[editor viewer].include?(role)
      method_name = "grant_#{role}"
    else
      return
    end
    User.find(user_id).public_send(method_name)
  end
end
"""
    ),
)

JobArgumentReachesDangerousSink.VALID += (
    # A whole-URL argument is reported only with the whole-url-arguments option.
    Valid(
        """\
class WebhookDeliveryWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
  end
end
"""
    ),
    # With the option, a host allow-list check before the request validates it.
    Valid(
        """\
class WebhookDeliveryWorker
  include Sidekiq::Job

  HOSTS = %w[hooks.example.com hooks.partner.example].freeze

  def perform(url, body)
    return unless HOSTS.include?(URI.parse(url).host)

    HTTParty.post(url, body: body, timeout: 5)
  end
end
""",
        options={"whole-url-arguments": True},
    ),
)

JobArgumentReachesDangerousSink.INVALID = (
    Invalid(
        """\
class ExportWorker
  include Sidekiq::Job

  def perform(exporter, record_id)
    exporter.constantize.new(record_id).run
             ^^^^^^^^^^^ job argument `exporter` reaches a constant name without validation: `perform(exporter)` -> `exporter.constantize`; check it against an allow-list (`ALLOWED.include?(exporter)`) or look it up in a literal Hash
  end
end
"""
    ),
    # Derived through a Hash argument and a String transformation.
    Invalid(
        """\
class WebhookWorker
  include Sidekiq::Job

  def perform(payload)
    handler = "#{payload["event"].camelize}Handler"
    Object.const_get(handler).new(payload).call
           ^^^^^^^^^^^^^^^^^^ job argument `payload` reaches a constant name without validation: `perform(payload)` -> `Object.const_get`; check it against an allow-list (`ALLOWED.include?(handler)`) or look it up in a literal Hash
  end
end
"""
    ),
    # A guard after the sink does not protect it.
    Invalid(
        """\
class ModerationWorker
  include Sidekiq::Job

  ACTIONS = %w[approve reject].freeze

  def perform(action, id)
    Comment.find(id).public_send(action)
                     ^^^^^^^^^^^^^^^^^^^ job argument `action` reaches a method name without validation: `perform(action)` -> `Comment.find(...).public_send`; check it against an allow-list (`ALLOWED.include?(action)`) or `case`/`when` on literal names
    raise ArgumentError unless ACTIONS.include?(action)
  end
end
"""
    ),
    # A guard in one branch does not protect the other branch.
    Invalid(
        """\
class RoleWorker
  include Sidekiq::Job

  ROLES = %w[editor viewer].freeze

  def perform(role, user_id, force)
    user = User.find(user_id)
    if force
      user.send("grant_#{role}")
           ^^^^^^^^^^^^^^^^^^^^^ job argument `role` reaches a method name without validation: `perform(role)` -> `user.send`; check it against an allow-list (`ALLOWED.include?(role)`) or `case`/`when` on literal names
    elsif ROLES.include?(role)
      user.send("grant_#{role}")
    end
  end
end
"""
    ),
    # Shell command with interpolation: an error.
    Invalid(
        """\
class ConvertWorker
  include Sidekiq::Job

  def perform(filename)
    system("convert #{filename} out.pdf")
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation: `perform(filename)` -> `system`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
    `ls -la #{filename}`
    ^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation: `perform(filename)` -> `backticks`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
  end
end
"""
    ),
    # Passed to another method of the class: its parameter is a job argument too.
    Invalid(
        """\
class ReplayWorker
  include Sidekiq::Job

  def perform(dump)
    restore(dump)
  end

  private

  def restore(blob)
    Marshal.load(Base64.decode64(blob))
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `dump` reaches unsafe deserialization without validation: `perform(dump)` -> `restore(blob)` -> `Marshal.load`; parse it as JSON (`JSON.parse`) instead of loading objects from it
  end
end
"""
    ),
    # SQL text: interpolated into where, or built before execute.
    Invalid(
        """\
class CleanupWorker
  include Sidekiq::Job

  def perform(column, table)
    Event.where("#{column} IS NULL").delete_all
          ^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `column` reaches SQL text without validation: `perform(column)` -> `Event.where`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
    sql = "DELETE FROM " + table
    ActiveRecord::Base.connection.execute(sql)
                                  ^^^^^^^^^^^^ job argument `table` reaches SQL text without validation: `perform(table)` -> `ActiveRecord::Base.connection.execute`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
  end
end
"""
    ),
    # The host of a URL, and a file path.
    Invalid(
        """\
class FetchWorker
  include Sidekiq::Job

  def perform(host, name)
    body = HTTParty.get("https://#{host}/status", timeout: 5).body
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `host` reaches the scheme or host of a URL without validation: `perform(host)` -> `HTTParty.get`; keep the scheme and host fixed and put the argument only in the path or query
    File.write("tmp/#{name}.txt", body)
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `name` reaches a file path without validation: `perform(name)` -> `File.write`; check it against an allow-list or an anchored pattern (`/\\A[\\w-]+\\z/`) before building the path
  end
end
"""
    ),
    # ActiveJob arguments are job arguments; eval is an error.
    Invalid(
        """\
class FormulaJob < ApplicationJob
  def perform(formula)
    eval(formula.strip)
    ^^^^^^^^^^^^^^^^^^^ job argument `formula` reaches code evaluation without validation: `perform(formula)` -> `eval`; never evaluate job data: dispatch through a literal Hash of allowed handlers
  end
end
""",
        path="app/jobs/formula_job.rb",
        files={"app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n"},
    ),
    # A block parameter iterating a job argument is derived from it; to_s keeps it.
    Invalid(
        """\
class BatchWorker
  include Sidekiq::Job

  def perform(steps, id)
    record = Order.find(id)
    steps.each do |step|
      record.try(step.to_s)
             ^^^^^^^^^^^^^^ job argument `steps` reaches a method name without validation: `perform(steps)` -> `record.try`; check it against an allow-list (`ALLOWED.include?(step)`) or `case`/`when` on literal names
    end
  end
end
"""
    ),
    # The else branch of a case is not validated; a ternary joins both values.
    Invalid(
        """\
class ModeWorker
  include Sidekiq::Job

  def perform(mode, fallback)
    handler = case mode
              when "fast" then FastHandler
              else mode.safe_constantize
                        ^^^^^^^^^^^^^^^^ job argument `mode` reaches a constant name without validation: `perform(mode)` -> `mode.safe_constantize`; check it against an allow-list (`ALLOWED.include?(mode)`) or look it up in a literal Hash
              end
    name = fallback.present? ? fallback : "default"
    Oj.load(File.read("config/#{name}.json"), mode: :strict)
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `fallback` reaches a file path without validation: `perform(fallback)` -> `File.read`; check it against an allow-list or an anchored pattern (`/\\A[\\w-]+\\z/`) before building the path
    handler.run
  end
end
"""
    ),
    # IterableJob: each_iteration's extra parameters are job arguments.
    Invalid(
        """\
class ReindexJob
  include Sidekiq::IterableJob

  def build_enumerator(index_name, cursor:)
    active_record_records_enumerator(Post.all, cursor: cursor)
  end

  def each_iteration(post, index_name)
    Open3.capture2("reindex --index #{index_name} #{post.id}")
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `index_name` reaches a shell command without validation: `each_iteration(index_name)` -> `Open3.capture2`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
  end
end
"""
    ),
    # With the option, a job argument used as the whole URL is reported.
    Invalid(
        """\
class WebhookDeliveryWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `url` reaches the scheme or host of a URL without validation: `perform(url)` -> `HTTParty.post`; check its host against an allow-list (`URI(url).host`) before the request
  end
end
""",
        options={"whole-url-arguments": True},
    ),
    # Oj.load without mode: uses Oj's default mode (:object unless changed): a warning.
    Invalid(
        """\
class CacheWarmWorker
  include Sidekiq::Job

  def perform(snapshot)
    Rails.cache.write("warm", Oj.load(snapshot))
                                 ^^^^^^^^^^^^^^ job argument `snapshot` reaches unsafe deserialization without validation: `perform(snapshot)` -> `Oj.load`; `Oj.load` without `mode:` uses Oj's default mode, `:object` unless the project changes it: pass `mode: :strict` (or use `JSON.parse`)
  end
end
"""
    ),
)
