# WL401 job-argument-reaches-dangerous-sink: its examples (format: workerlint/app/examples.py)

# case: constantize-an-argument (invalid)
# note: No code of the project enqueues ExportWorker: only a person (a console, a manual push)
# note: gives its arguments, so this is a note; a code, command, deserialization or SQL sink stays
# note: at its level (see `shell-command-interpolation`), since a write to Redis would run code.
class ExportWorker
  include Sidekiq::Job

  def perform(exporter, record_id)
    exporter.constantize.new(record_id).run
    #        ^^^^^^^^^^^ job argument `exporter` reaches a constant name without validation; no enqueue site of `ExportWorker` in the project shows where it comes from: `perform(exporter)` -> `exporter.constantize`; check it against an allow-list (`ALLOWED.include?(exporter)`) or look it up in a literal Hash
  end
end

# case: const-get-of-a-derived-name (invalid)
# note: Derived through a Hash argument and a String transformation.
class WebhookWorker
  include Sidekiq::Job

  def perform(payload)
    handler = "#{payload["event"].camelize}Handler"
    Object.const_get(handler).new(payload).call
    #      ^^^^^^^^^^^^^^^^^^ job argument `payload` reaches a constant name without validation; no enqueue site of `WebhookWorker` in the project shows where it comes from: `perform(payload)` -> `Object.const_get`; check it against an allow-list (`ALLOWED.include?(handler)`) or look it up in a literal Hash
  end
end

# case: guard-after-the-sink (invalid)
# note: A guard after the sink does not protect it.
class ModerationWorker
  include Sidekiq::Job

  ACTIONS = %w[approve reject].freeze

  def perform(action, id)
    Comment.find(id).public_send(action)
    #                ^^^^^^^^^^^^^^^^^^^ job argument `action` reaches a method name without validation; no enqueue site of `ModerationWorker` in the project shows where it comes from: `perform(action)` -> `Comment.find(...).public_send`; check it against an allow-list (`ALLOWED.include?(action)`) or `case`/`when` on literal names
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
      #    ^^^^^^^^^^^^^^^^^^^^^ job argument `role` reaches a method name without validation; no enqueue site of `RoleWorker` in the project shows where it comes from: `perform(role)` -> `user.send`; check it against an allow-list (`ALLOWED.include?(role)`) or `case`/`when` on literal names
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
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation; no enqueue site of `ConvertWorker` in the project shows where it comes from: `perform(filename)` -> `system`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
    `ls -la #{filename}`
  # ^^^^^^^^^^^^^^^^^^^^ job argument `filename` reaches a shell command without validation; no enqueue site of `ConvertWorker` in the project shows where it comes from: `perform(filename)` -> `backticks`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
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
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `dump` reaches unsafe deserialization without validation; no enqueue site of `ReplayWorker` in the project shows where it comes from: `perform(dump)` -> `restore(blob)` -> `Marshal.load`; parse it as JSON (`JSON.parse`) instead of loading objects from it
  end
end

# case: sql-text-interpolated-and-concatenated (invalid)
# note: SQL text: interpolated into where, or built before execute.
class CleanupWorker
  include Sidekiq::Job

  def perform(column, table)
    Event.where("#{column} IS NULL").delete_all
    #     ^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `column` reaches SQL text without validation; no enqueue site of `CleanupWorker` in the project shows where it comes from: `perform(column)` -> `Event.where`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
    sql = "DELETE FROM " + table
    ActiveRecord::Base.connection.execute(sql)
    #                             ^^^^^^^^^^^^ job argument `table` reaches SQL text without validation; no enqueue site of `CleanupWorker` in the project shows where it comes from: `perform(table)` -> `ActiveRecord::Base.connection.execute`; pass it as a bound parameter (`where("name = ?", value)` or `where(name: value)`)
  end
end

# case: url-host-and-file-path (invalid)
# note: The host of a URL, and a file path.
class FetchWorker
  include Sidekiq::Job

  def perform(host, name)
    body = HTTParty.get("https://#{host}/status", timeout: 5).body
    #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `host` reaches the scheme or host of a URL without validation; no enqueue site of `FetchWorker` in the project shows where it comes from: `perform(host)` -> `HTTParty.get`; keep the scheme and host fixed and put the argument only in the path or query
    File.write("tmp/#{name}.txt", body)
    #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `name` reaches a file path without validation; no enqueue site of `FetchWorker` in the project shows where it comes from: `perform(name)` -> `File.write`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
  end
end

# case: eval-in-an-active-job (invalid)
# note: ActiveJob arguments are job arguments; eval is an error.
# file: app/jobs/formula_job.rb
class FormulaJob < ApplicationJob
  def perform(formula)
    eval(formula.strip)
  # ^^^^^^^^^^^^^^^^^^^ job argument `formula` reaches code evaluation without validation; no enqueue site of `FormulaJob` in the project shows where it comes from: `perform(formula)` -> `eval`; never evaluate job data: dispatch through a literal Hash of allowed handlers
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
      #      ^^^^^^^^^^^^^^ job argument `steps` reaches a method name without validation; no enqueue site of `BatchWorker` in the project shows where it comes from: `perform(steps)` -> `record.try`; check it against an allow-list (`ALLOWED.include?(step)`) or `case`/`when` on literal names
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
              #         ^^^^^^^^^^^^^^^^ job argument `mode` reaches a constant name without validation; no enqueue site of `ModeWorker` in the project shows where it comes from: `perform(mode)` -> `mode.safe_constantize`; check it against an allow-list (`ALLOWED.include?(mode)`) or look it up in a literal Hash
              end
    name = fallback.present? ? fallback : "default"
    Oj.load(File.read("config/#{name}.json"), mode: :strict)
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `fallback` reaches a file path without validation; no enqueue site of `ModeWorker` in the project shows where it comes from: `perform(fallback)` -> `File.read`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
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
    #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `index_name` reaches a shell command without validation; no enqueue site of `ReindexJob` in the project shows where it comes from: `each_iteration(index_name)` -> `Open3.capture2`; check it against an allow-list, and pass the command as separate arguments (`system("cmd", arg)`)
  end
end

# case: whole-url-from-the-request (invalid)
# note: A job argument used as the whole URL, from a request parameter: server-side request
# note: forgery, an error.
class LinkCheckWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url, timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^ job argument `url` reaches the scheme or host of a URL without validation; it comes from the request: `params[:url]` in app/controllers/link_checks_controller.rb:3 -> `LinkCheckWorker.perform_async` -> `perform(url)` -> `HTTParty.get`; check its host against an allow-list (`URI(url).host`) before the request
  end
end

# file: app/controllers/link_checks_controller.rb
class LinkChecksController < ApplicationController
  def create
    LinkCheckWorker.perform_async(params[:url])
    head :accepted
  end
end

# case: oj-load-without-mode (invalid)
# note: Oj.load without mode: uses Oj's default mode (:object unless changed): a warning.
class CacheWarmWorker
  include Sidekiq::Job

  def perform(snapshot)
    Rails.cache.write("warm", Oj.load(snapshot))
    #                            ^^^^^^^^^^^^^^ job argument `snapshot` reaches unsafe deserialization without validation; no enqueue site of `CacheWarmWorker` in the project shows where it comes from: `perform(snapshot)` -> `Oj.load`; `Oj.load` without `mode:` uses Oj's default mode, `:object` unless the project changes it: pass `mode: :strict` (or use `JSON.parse`)
  end
end

# case: request-fed-constantize (invalid)
# note: A request parameter a controller enqueues reaches constantize: an error, and the message
# note: shows the path from the enqueue site.
class ExportWorker
  include Sidekiq::Job

  def perform(kind, account_id)
    kind.constantize.new(account_id).run
    #    ^^^^^^^^^^^ job argument `kind` reaches a constant name without validation; it comes from the request: `params[:kind]` in app/controllers/exports_controller.rb:3 -> `ExportWorker.perform_async` -> `perform(kind)` -> `kind.constantize`; check it against an allow-list (`ALLOWED.include?(kind)`) or look it up in a literal Hash
  end
end

# file: app/controllers/exports_controller.rb
class ExportsController < ApplicationController
  def create
    kind = params[:kind]
    ExportWorker.perform_async(kind, current_account.id)
    head :accepted
  end
end

# case: internal-class-name-is-a-note (invalid)
# note: Every enqueue site passes a class name the app chose: a note (only someone who can write
# note: to Redis chooses another).
class ReportWorker
  include Sidekiq::Job

  def perform(report_class, account_id)
    report_class.constantize.new(account_id).deliver
    #            ^^^^^^^^^^^ job argument `report_class` reaches a constant name without validation; the app passes only internal values: `WelcomeReport.name` in app/models/account.rb:5 -> `ReportWorker.perform_async` -> `perform(report_class)` -> `report_class.constantize`; check it against an allow-list (`ALLOWED.include?(report_class)`) or look it up in a literal Hash
  end
end

# file: app/models/account.rb
class Account < ApplicationRecord
  after_create_commit :send_welcome

  def send_welcome
    ReportWorker.perform_async(WelcomeReport.name, id)
    ReportWorker.perform_in(1.day, "FollowUpReport", id)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# case: polymorphic-type-column-is-internal (invalid)
# note: The `_type` column of a polymorphic association (`belongs_to ..., polymorphic: true`,
# note: `delegated_type`) is written by Rails with a class name: internal, a note. Another
# note: attribute of the same record is stored data.
class TranscodeWorker
  include Sidekiq::Job

  def perform(id, klass_name, kind)
    klass_name.constantize.find(id)
    #          ^^^^^^^^^^^ job argument `klass_name` reaches a constant name without validation; the app passes only internal values: `attachable_type` in app/models/attachment.rb:5 -> `TranscodeWorker.perform_async` -> `perform(klass_name)` -> `klass_name.constantize`; check it against an allow-list (`ALLOWED.include?(klass_name)`) or look it up in a literal Hash
    kind.constantize
    #    ^^^^^^^^^^^ job argument `kind` reaches a constant name without validation; it comes from stored data: `kind_type` in app/models/attachment.rb:5 -> `TranscodeWorker.perform_async` -> `perform(kind)` -> `kind.constantize`; check it against an allow-list (`ALLOWED.include?(kind)`) or look it up in a literal Hash
  end
end

# file: app/models/attachment.rb
class Attachment < ApplicationRecord
  belongs_to :attachable, polymorphic: true

  def transcode
    TranscodeWorker.perform_async(attachable_id, attachable_type, kind_type)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# case: stored-attribute-is-a-warning (invalid)
# note: A record's attribute, data users may have written: a warning for a constant name, and the
# note: whole URL of a request (server-side request forgery) is a warning too.
class WebhookWorker
  include Sidekiq::Job

  def perform(url, handler)
    HTTParty.post(url, body: "{}", timeout: 5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `url` reaches the scheme or host of a URL without validation; it comes from stored data: `url` in app/models/webhook_endpoint.rb:3 -> `WebhookWorker.perform_async` -> `perform(url)` -> `HTTParty.post`; check its host against an allow-list (`URI(url).host`) before the request
    handler.safe_constantize&.call
    #       ^^^^^^^^^^^^^^^^ job argument `handler` reaches a constant name without validation; it comes from stored data: `handler_name` in app/models/webhook_endpoint.rb:3 -> `WebhookWorker.perform_async` -> `perform(handler)` -> `handler.safe_constantize`; check it against an allow-list (`ALLOWED.include?(handler)`) or look it up in a literal Hash
  end
end

# file: app/models/webhook_endpoint.rb
class WebhookEndpoint < ApplicationRecord
  def deliver
    WebhookWorker.perform_async(url, handler_name)
  end
end

# file: app/models/application_record.rb
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end

# case: forwarded-by-another-worker (invalid)
# note: A worker passing its own job argument on gives it its own provenance: here the request.
class ImportStepWorker
  include Sidekiq::Job

  def perform(importer)
    Object.const_get(importer).run
    #      ^^^^^^^^^^^^^^^^^^^ job argument `importer` reaches a constant name without validation; it comes from the request: `params.require(:import).permit(:importer)` in app/controllers/imports_controller.rb:9 -> `ImportWorker.perform_async` -> `perform(importer)` -> `ImportStepWorker.perform_async` -> `perform(importer)` -> `Object.const_get`; check it against an allow-list (`ALLOWED.include?(importer)`) or look it up in a literal Hash
  end
end

# file: app/workers/import_worker.rb
class ImportWorker
  include Sidekiq::Job

  def perform(importer, file_id)
    ImportStepWorker.perform_async(importer)
  end
end

# file: app/controllers/imports_controller.rb
class ImportsController < ApplicationController
  def create
    ImportWorker.perform_async(import_params[:importer], upload.id)
  end

  private

  def import_params
    params.require(:import).permit(:importer)
  end
end

# case: unresolved-enqueue-makes-it-unknown (invalid)
# note: No enqueue the app names pushes ThemeWorker, but an enqueue whose job class is not known
# note: may: its job arguments are unknown (a warning here, not the note of a worker nothing
# note: enqueues).
class ThemeWorker
  include Sidekiq::Job

  def perform(theme)
    Themes.const_get(theme).apply
    #      ^^^^^^^^^^^^^^^^ job argument `theme` reaches a constant name without validation; it may come from an enqueue whose job class is not known (`job_class.constantize.perform_async` in app/services/theme_switcher.rb:3): `perform(theme)` -> `Themes.const_get`; check it against an allow-list (`ALLOWED.include?(theme)`) or look it up in a literal Hash
  end
end

# file: app/services/theme_switcher.rb
class ThemeSwitcher
  def replay(job_class, args)
    job_class.constantize.perform_async(*args)
  end
end

# case: known-sites-decide-over-an-unresolved-enqueue (invalid)
# note: The app's own enqueues of ThemeWorker pass a literal; an enqueue whose job class is not
# note: known (a generic replay) does not make them unknown: internal, a note.
class ThemeWorker
  include Sidekiq::Job

  def perform(theme)
    Themes.const_get(theme).apply
    #      ^^^^^^^^^^^^^^^^ job argument `theme` reaches a constant name without validation; the app passes only internal values: `"Dark"` in app/services/theme_switcher.rb:3 -> `ThemeWorker.perform_async` -> `perform(theme)` -> `Themes.const_get`; check it against an allow-list (`ALLOWED.include?(theme)`) or look it up in a literal Hash
  end
end

# file: app/services/theme_switcher.rb
class ThemeSwitcher
  def call
    ThemeWorker.perform_async("Dark")
  end

  def replay(job_class, args)
    job_class.constantize.perform_async(*args)
  end
end

# case: active-job-keyword-from-the-request (invalid)
# note: ActiveJob keyword arguments match the job's keyword parameters by name.
# file: app/jobs/render_job.rb
class RenderJob < ApplicationJob
  def perform(page_id, template:)
    File.read(Rails.root.join("templates", template))
    #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `template` reaches a file path without validation; it comes from the request: `params[:template]` in app/controllers/pages_controller.rb:3 -> `RenderJob.perform_later` -> `perform(template)` -> `File.read`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
  end
end

# file: app/jobs/application_job.rb
class ApplicationJob < ActiveJob::Base
end

# file: app/controllers/pages_controller.rb
class PagesController < ApplicationController
  def update
    RenderJob.set(wait: 5.seconds).perform_later(@page.id, template: params[:template])
  end
end

# case: hint-names-what-reaches-the-sink (invalid)
# note: The allow-list hint names the expression that reaches the sink: the part read from a Hash
# note: argument, or the instance variable a string is built from.
class IndexWorker
  include Sidekiq::Job

  def perform(options, command)
    options.fetch("class_name").constantize.reindex
    #                           ^^^^^^^^^^^ job argument `options` reaches a constant name without validation; no enqueue site of `IndexWorker` in the project shows where it comes from: `perform(options)` -> `options.fetch(...).constantize`; check it against an allow-list (`ALLOWED.include?(options.fetch("class_name"))`) or look it up in a literal Hash
    @command = command.to_s
    send("#{@command.tr("-", "_")}_command")
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ job argument `command` reaches a method name without validation; no enqueue site of `IndexWorker` in the project shows where it comes from: `perform(command)` -> `send`; check it against an allow-list (`ALLOWED.include?(@command)`) or `case`/`when` on literal names
  end
end

# case: lookup-guard-keyed-by-another-value (invalid)
# note: A lookup guard validates only the value it is keyed by: a value made from it may be found
# note: when it is not (`name.upcase`), and Ruby or the file system answer for any name: every
# note: method name passes `respond_to?`, every existing path `File.exist?`.
class DispatchWorker
  include Sidekiq::Job

  def perform(name, action, path)
    return unless CommandRegistry.command(name.upcase).present?
    return unless respond_to?(action)
    return unless File.exist?(path)

    send("run_#{name}")
  # ^^^^^^^^^^^^^^^^^^^ job argument `name` reaches a method name without validation; no enqueue site of `DispatchWorker` in the project shows where it comes from: `perform(name)` -> `send`; check it against an allow-list (`ALLOWED.include?(name)`) or `case`/`when` on literal names
    public_send(action)
  # ^^^^^^^^^^^^^^^^^^^ job argument `action` reaches a method name without validation; no enqueue site of `DispatchWorker` in the project shows where it comes from: `perform(action)` -> `public_send`; check it against an allow-list (`ALLOWED.include?(action)`) or `case`/`when` on literal names
    File.delete(path)
  #      ^^^^^^^^^^^^ job argument `path` reaches a file path without validation; no enqueue site of `DispatchWorker` in the project shows where it comes from: `perform(path)` -> `File.delete`; check it against an allow-list or an anchored pattern (`/\A[\w-]+\z/`) before building the path
  end
end

# case: lookup-guard-validates-the-name (valid)
# note: A guard that leaves unless a lookup keyed by the value finds something validates the
# note: value, as a literal Hash lookup does: an unknown name stops there. The result may be
# note: tested with `present?`, `nil?`, `blank?`, `!` or as it is, or assigned in the condition;
# note: `respond(...) and return` leaves like `return`.
class InteractionWorker
  include Sidekiq::Job

  def perform(command, kind, handler_name, event)
    unless CommandRegistry.command(command).present?
      respond(content: "Unknown command") and return
    end
    send("#{command.tr("-", "_")}_command")

    return if Handlers.find(kind).nil?
    "#{kind.camelize}Handler".constantize.new.call

    raise ArgumentError, "no handler" unless Handlers.fetch_handler(handler_name)
    public_send(handler_name)

    return unless (handler = lookup(event))
    handler.call(event)
    send("on_#{event}")
  end

  private

  def lookup(event)
    EventHandler.find_by(name: event)
  end

  def respond(content:)
    Rails.logger.info(content)
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

# case: oj-load-of-an-internal-value (valid)
# note: Oj.load without mode: is one level below its row: a note for an internal value goes.
class CacheWarmWorker
  include Sidekiq::Job

  def perform(snapshot)
    Rails.cache.write("warm", Oj.load(snapshot))
  end
end

# file: app/models/cache_warmer.rb
class CacheWarmer
  def call
    CacheWarmWorker.perform_async("{}")
  end
end

# case: whole-url-chosen-by-the-app (valid)
# note: The whole URL, from a constant the app chose: not reported (nor with no enqueue site:
# note: such a job is made to call the URLs it is given).
class WebhookDeliveryWorker
  include Sidekiq::Job

  def perform(url, body)
    HTTParty.post(url, body: body, timeout: 5)
  end
end

# file: app/services/status_pinger.rb
class StatusPinger
  STATUS_URL = "https://status.example.com/ping".freeze

  def call
    WebhookDeliveryWorker.perform_async(STATUS_URL, "{}")
  end
end

# case: host-allow-list-before-a-request-fed-url (valid)
# note: A host allow-list check before the request validates a URL from the request.
class WebhookDeliveryWorker
  include Sidekiq::Job

  HOSTS = %w[hooks.example.com hooks.partner.example].freeze

  def perform(url, body)
    return unless HOSTS.include?(URI.parse(url).host)

    HTTParty.post(url, body: body, timeout: 5)
  end
end

# file: app/controllers/hooks_controller.rb
class HooksController < ApplicationController
  def create
    WebhookDeliveryWorker.perform_async(params[:url], request.raw_post)
  end
end
