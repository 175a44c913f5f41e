# WL401 job-argument-reaches-dangerous-sink: its examples (format: workerlint/app/examples.py)

# case: constantize-an-argument (invalid)
class ExportWorker
  include Sidekiq::Job

  def perform(exporter, record_id)
    exporter.constantize.new(record_id).run
    #        ^^^^^^^^^^^ job argument `exporter` reaches a constant name without validation: `perform(exporter)` -> `exporter.constantize`; check it against an allow-list (`ALLOWED.include?(exporter)`) or look it up in a literal Hash
  end
end

# case: const-get-of-a-derived-name (invalid)
# note: Derived through a Hash argument and a String transformation.
class WebhookWorker
  include Sidekiq::Job

  def perform(payload)
    handler = "#{payload["event"].camelize}Handler"
    Object.const_get(handler).new(payload).call
    #      ^^^^^^^^^^^^^^^^^^ job argument `payload` reaches a constant name without validation: `perform(payload)` -> `Object.const_get`; check it against an allow-list (`ALLOWED.include?(handler)`) or look it up in a literal Hash
  end
end

# case: guard-after-the-sink (invalid)
# note: A guard after the sink does not protect it.
class ModerationWorker
  include Sidekiq::Job

  ACTIONS = %w[approve reject].freeze

  def perform(action, id)
    Comment.find(id).public_send(action)
    #                ^^^^^^^^^^^^^^^^^^^ job argument `action` reaches a method name without validation: `perform(action)` -> `Comment.find(...).public_send`; check it against an allow-list (`ALLOWED.include?(action)`) or `case`/`when` on literal names
    raise ArgumentError unless ACTIONS.include?(action)
  end
end

# case: guard-in-another-branch (invalid)
# note: A guard in one branch does not protect the other branch.
class RoleWorker
  include Sidekiq::Job

  ROLES = %w[editor viewer].freeze

  def perform(role, user_id, force)
    user = User.find(user_id)
    if force
      user.send("grant_#{role}")
      #    ^^^^^^^^^^^^^^^^^^^^^ job argument `role` reaches a method name without validation: `perform(role)` -> `user.send`; check it against an allow-list (`ALLOWED.include?(role)`) or `case`/`when` on literal names
    elsif ROLES.include?(role)
      user.send("grant_#{role}")
    end
  end
end

# case: shell-command-interpolation (invalid)
# note: Shell command with interpolation: an error.
class ConvertWorker
  include Sidekiq::Job

  def perform(filename)
    system("convert #{filename} out.pdf")
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation: `perform(filename)` -> `system`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
    `ls -la #{filename}`
  # ^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation: `perform(filename)` -> `backticks`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
  end
end

# case: marshal-load-in-a-helper-method (invalid)
# note: Passed to another method of the class: its parameter is a job argument too.
class ReplayWorker
  include Sidekiq::Job

  def perform(dump)
    restore(dump)
  end

  private

  def restore(blob)
    Marshal.load(Base64.decode64(blob))
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `dump` reaches unsafe deserialization without validation: `perform(dump)` -> `restore(blob)` -> `Marshal.load`; parse it as JSON (`JSON.parse`) instead of loading objects from it
  end
end

# case: sql-text-interpolated-and-concatenated (invalid)
# note: SQL text: interpolated into where, or built before execute.
class CleanupWorker
  include Sidekiq::Job

  def perform(column, table)
    Event.where("#{column} IS NULL").delete_all
    #     ^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `column` reaches SQL text without validation: `perform(column)` -> `Event.where`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
    sql = "DELETE FROM " + table
    ActiveRecord::Base.connection.execute(sql)
    #                             ^^^^^^^^^^^^ job argument `table` reaches SQL text without validation: `perform(table)` -> `ActiveRecord::Base.connection.execute`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
  end
end

# case: url-host-and-file-path (invalid)
# note: The host of a URL, and a file path.
class FetchWorker
  include Sidekiq::Job

  def perform(host, name)
    body = HTTParty.get("https://#{host}/status", timeout: 5).body
    #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `host` reaches the scheme or host of a URL without validation: `perform(host)` -> `HTTParty.get`; keep the scheme and host fixed and put the argument only in the path or query
    File.write("tmp/#{name}.txt", body)
    #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `name` reaches a file path without validation: `perform(name)` -> `File.write`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
  end
end

# case: eval-in-an-active-job (invalid)
# note: ActiveJob arguments are job arguments; eval is an error.
# file: app/jobs/formula_job.rb
class FormulaJob < ApplicationJob
  def perform(formula)
    eval(formula.strip)
  # ^^^^^^^^^^^^^^^^^^^ job argument `formula` reaches code evaluation without validation: `perform(formula)` -> `eval`; never evaluate job data: dispatch through a literal Hash of allowed handlers
  end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: block-parameter-of-an-argument (invalid)
# note: A block parameter iterating a job argument is derived from it; to_s keeps it.
class BatchWorker
  include Sidekiq::Job

  def perform(steps, id)
    record = Order.find(id)
    steps.each do |step|
      record.try(step.to_s)
      #      ^^^^^^^^^^^^^^ job argument `steps` reaches a method name without validation: `perform(steps)` -> `record.try`; check it against an allow-list (`ALLOWED.include?(step)`) or `case`/`when` on literal names
    end
  end
end

# case: case-else-branch-and-ternary (invalid)
# note: The else branch of a case is not validated; a ternary joins both values.
class ModeWorker
  include Sidekiq::Job

  def perform(mode, fallback)
    handler = case mode
              when "fast" then FastHandler
              else mode.safe_constantize
              #         ^^^^^^^^^^^^^^^^ job argument `mode` reaches a constant name without validation: `perform(mode)` -> `mode.safe_constantize`; check it against an allow-list (`ALLOWED.include?(mode)`) or look it up in a literal Hash
              end
    name = fallback.present? ? fallback : "default"
    Oj.load(File.read("config/#{name}.json"), mode: :strict)
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `fallback` reaches a file path without validation: `perform(fallback)` -> `File.read`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
    handler.run
  end
end

# case: iterable-job-each-iteration (invalid)
# note: IterableJob: each_iteration's extra parameters are job arguments.
class ReindexJob
  include Sidekiq::IterableJob

  def build_enumerator(index_name, cursor:)
    active_record_records_enumerator(Post.all, cursor: cursor)
  end

  def each_iteration(post, index_name)
    Open3.capture2("reindex --index #{index_name} #{post.id}")
    #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `index_name` reaches a shell command without validation: `each_iteration(index_name)` -> `Open3.capture2`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
  end
end

# case: whole-url-argument-with-the-option (invalid)
# note: With the option, a job argument used as the whole URL is reported.
# options: { whole-url-arguments = true }
class WebhookDeliveryWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `url` reaches the scheme or host of a URL without validation: `perform(url)` -> `HTTParty.post`; check its host against an allow-list (`URI(url).host`) before the request
  end
end

# case: oj-load-without-mode (invalid)
# note: Oj.load without mode: uses Oj's default mode (:object unless changed): a warning.
class CacheWarmWorker
  include Sidekiq::Job

  def perform(snapshot)
    Rails.cache.write("warm", Oj.load(snapshot))
    #                            ^^^^^^^^^^^^^^ job argument `snapshot` reaches unsafe deserialization without validation: `perform(snapshot)` -> `Oj.load`; `Oj.load` without `mode:` uses Oj's default mode, `:object` unless the project changes it: pass `mode: :strict` (or use `JSON.parse`)
  end
end

# case: allow-list-with-early-return (valid)
# note: An allow-list checked with an early return dominates the sinks after it.
class ReportWorker
  include Sidekiq::Job

  REPORTS = %w[SalesReport StockReport].freeze

  def perform(report_class, account_id)
    return unless REPORTS.include?(report_class)

    report_class.constantize.new(account_id).deliver
  end
end

# case: literal-hash-lookup (valid)
# note: A literal Hash lookup: the result is the Hash's value, not the argument.
class ExportWorker
  include Sidekiq::Job

  EXPORTERS = { "csv" => "CsvExporter", "pdf" => "PdfExporter" }.freeze

  def perform(format, id)
    EXPORTERS.fetch(format).constantize.new(id).run
    HANDLERS[format].call(id)
  end
end

# case: case-when-on-literal-names (valid)
# note: case/when on literal names validates inside those branches.
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

# case: record-loaded-by-an-argument (valid)
# note: A record loaded by a job argument is not derived from it.
class NotifyWorker
  include Sidekiq::Job

  def perform(user_id)
    user = User.find(user_id)
    user.send(:notify!)
    user.preferred_channel.constantize.deliver(user)
  end
end

# case: integer-conversion-ends-the-derivation (valid)
# note: A number cannot inject: Integer() and to_i end the derivation.
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

# case: bound-sql-parameters (valid)
# note: Bound parameters are not SQL text.
class SearchWorker
  include Sidekiq::Job

  def perform(name, status)
    Customer.where(name: name).update_all(flagged: true)
    Customer.where("name ILIKE ? AND status = ?", "%#{name}%", status).delete_all
  end
end

# case: anchored-regexp-and-in-guard (valid)
# note: An anchored regexp guarding the use, and an ActiveJob argument checked with in?.
# file: app/jobs/thumbnail_job.rb
class ThumbnailJob < ApplicationJob
  def perform(filename, size)
    raise ArgumentError unless filename.match?(/\A[\w-]+\.png\z/)
    system("convert uploads/#{filename} -resize 100x100 thumbs/#{filename}")
    send("resize_#{size}") if size.in?(%w[small large])
  end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# case: argument-in-the-url-path-and-system-argv (valid)
# note: The argument only in the path of the URL; the multi-argument form of system.
class SyncWorker
  include Sidekiq::Job

  def perform(user_id, path)
    HTTParty.get("https://api.example.com/users/#{user_id}", timeout: 5)
    system("git", "-C", "/srv/repo", "checkout", path)
  end
end

# case: next-unless-guard-in-a-loop (valid)
# note: A guard with next inside a loop protects the rest of the block.
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

# case: service-outside-worker-code (valid)
# note: Not a worker class: a service taking the same values.
# file: app/services/dispatcher.rb
class Dispatcher
  def call(kind)
    kind.constantize.new.run
  end
end

# case: validated-in-a-helper-and-json-parse (valid)
# note: Validated in a helper before being passed on; JSON parsing is not deserialization.
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

# case: every-branch-validates (valid)
# note: Both branches validate: every path to the sink passes a check.
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

# case: whole-url-argument-without-the-option (valid)
# note: A whole-URL argument is reported only with the whole-url-arguments option.
class WebhookDeliveryWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
  end
end

# case: host-allow-list-with-whole-url-option (valid)
# note: With the option, a host allow-list check before the request validates it.
# options: { whole-url-arguments = true }
class WebhookDeliveryWorker
  include Sidekiq::Job

  HOSTS = %w[hooks.example.com hooks.partner.example].freeze

  def perform(url, body)
    return unless HOSTS.include?(URI.parse(url).host)

    HTTParty.post(url, body: body, timeout: 5)
  end
end
