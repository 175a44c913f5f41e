from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from workerlint import Level, Rule, Span
from workerlint.lang.ruby.job_arguments import analyse_class
from workerlint.lang.ruby.job_arguments.sinks import CWE, KINDS
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
            if finding.sink == "url_whole" and not self.options["whole-url-arguments"]:
                continue
            what, severe = KINDS[finding.sink]
            arg = finding.origin.arg
            advice = _ADVICE[finding.sink].replace("{arg}", finding.subject)
            message = (
                f"job argument `{arg}` reaches {what} without validation: "
                f"{finding.origin.describe()} -> `{finding.label}`; {advice}"
            )
            level = Level.ERROR if severe else Level.WARNING
            ctx.report(
                Span(finding.start, finding.end), message, level=level, cwe=CWE[finding.sink]
            )


_CONST = "check it against an allow-list (`ALLOWED.include?({a})`) or look it up in a literal Hash"
_SEND = "check it against an allow-list (`ALLOWED.include?({a})`) or `case`/`when` on literal names"
