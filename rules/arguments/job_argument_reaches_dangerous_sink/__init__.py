from __future__ import annotations

from typing import ClassVar

from workerlint import FolderCheck, Level, Rule


class JobArgumentReachesDangerousSink(Rule):
    """## What it does
    Follows each job argument of a worker class (`perform`'s parameters; for
    `Sidekiq::IterableJob`, `build_enumerator`'s but `cursor`, and `each_iteration`'s after the
    item, which is a job argument only when `build_enumerator` uses `array_enumerator`) through
    assignments, interpolation, concatenation, `[]`/`fetch`/`dig`, `to_s`/`to_sym`, String
    transformations (`camelize`, `classify`, `downcase`, `gsub`, `split`, `format`, ...), block
    parameters of its iteration, instance variables, and calls to other methods of the same class,
    and reports it reaching, with no validation on every path before it:

    - code: `eval`, `instance_eval`/`class_eval`/`module_eval` with a string;
    - a shell command: `system`, `exec`, `spawn`, backticks and `%x` with interpolation,
      `IO.popen`, `Open3.*`, `Kernel#open` where the value can start the string (a leading `|`
      runs a command). In the multi-argument form (`system("convert", path)`) only the
      program name counts, as no shell is involved;
    - deserialization: `Marshal.load`, `YAML.unsafe_load`, `Oj.object_load`, `Oj.load` with
      `mode: :object`. `Oj.load` with no `mode:` uses Oj's default mode, which is `:object`
      unless an initializer changes it (`Oj.default_options =`, `Oj.mimic_JSON`,
      `Oj.optimize_rails`): reported one level lower. Not with `mode: :strict`/`:compat`/`:json`.
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
    - the scheme or host of a URL: interpolated before its path, given to an HTTP request call
      (`HTTParty.get`, `URI.open`, `Net::HTTP.get`, `Faraday.get`, ...) or to a connection
      builder (`Faraday.new`, `Net::HTTP.start`); `"https://api.example.com/#{id}"` is fine;
    - the whole URL of an HTTP request (`HTTParty.post(url)`: server-side request forgery),
      only when the argument comes from the request or from stored data: a job made to call
      the URLs it is given (webhook delivery, link checking) is fine when the app chooses them.

    The level follows the sink and where the argument comes from, its provenance: what every
    enqueue site of the worker in the project passes in that position (`perform_async`,
    `perform_in`/`perform_at` after the schedule, `perform_bulk` rows, `set(...)`,
    `perform_later` with keywords by name, `Sidekiq::Client.push`), followed through locals and
    methods of the class at the site, the worst over all sites:

    | provenance | code, command, deserialization | other sinks | the whole URL |
    |---|---|---|---|
    | request (`params`, `request`, `cookies`, a payload parsed from the body) | error | error | error |
    | stored (an attribute read from a record) | error | warning | warning |
    | unknown (anything else, or no enqueue site in the project) | error | warning | none |
    | internal (literals, constants, class names, ids, numbers, times) | note | note | none |

    A worker that no code of the project enqueues (no enqueue site, and no enqueue whose job
    class is not known) gets its arguments only from a person (a console, a manual push): its
    unknown provenance is a note, not a warning, except at code, command, deserialization and
    SQL sinks, where a write to Redis would run code.

    The `<name>_type` column of a model's polymorphic association (`belongs_to :name,
    polymorphic: true`, `delegated_type :name`) is internal, not stored: Rails writes it
    itself, with the class name of the associated record.

    `Oj.load` without `mode:` is one level lower than its row. A worker that passes its own job
    argument on to another worker gives it its own provenance (an argument only a cycle of
    workers passes is unknown). An enqueue whose job class cannot be resolved
    (`name.constantize.perform_async(x)`, `job.perform_async(*args)` in a generic dispatcher)
    counts only for a worker the project never enqueues by name: its job arguments are unknown
    then (not the note of a worker nothing enqueues). A worker with enqueue sites of its own is
    decided by them. When the sink reads one key of a Hash argument (`options.fetch("klass")`) and the
    sites pass a literal Hash, that key's value decides. The message shows the path from the
    enqueue site to the sink.

    Validation that counts, as a branch condition or an early `return`/`raise`/`next`: a
    membership check (`ALLOWED.include?(x)`, `x.in?(LIST)`, `LIST.member?(x)`, `key?`), a
    comparison with a literal, `case x when "a", "b"` (inside those branches only), an anchored
    regexp match (`x.match?(/\\A[a-z_]+\\z/)`), `is_a?(Integer)`, and `Integer(x)`/`Float(x)`
    as a statement. `x.to_i`/`x.to_f`/`Integer(x)` give a number, which is clean. A lookup in a
    Hash (`HANDLERS.fetch(x)`, `HANDLERS[x]`) gives the Hash's value, not the argument.

    A lookup guard validates too, as a literal Hash lookup does (an unknown name stops there): a
    branch condition or an early `return`/`raise`/`next` on whether a lookup keyed by the value
    found something, `return unless REGISTRY.command(name).present?`,
    `return if Handlers.find(name).nil?`, `raise ... unless X.fetch_handler(name)`,
    `return unless (handler = lookup(name))`, `return unless HANDLERS[name]`. The lookup is a
    call (or `[]`) with the value itself among its arguments (or `to_s`/`to_sym` of it; not a
    value made from it, `name.upcase`, which may be found when `name` is not), tested as it is,
    with `!`, `present?`, `nil?` or `blank?`; and, like every validation, before the use on every
    path. Not lookups: calls that reshape the value or always return (`new`, `URI.parse`,
    `Integer`), sinks themselves, and questions any name or path passes (`respond_to?`,
    `const_defined?`, `File.exist?` and other calls on `File`, `Dir`, `Object`, `Kernel`).
    `respond(...) and return` (an action, then an exit: Rails' `render ... and return`) leaves
    as `return` does. Passing
    an argument to another method does not make its result tainted: `User.find(id)` returns a
    record.

    In Python, the task's parameters are followed the same way (minus the bound `self` of a
    method or a `bind=True` task, and arq's `ctx`): through assignments and tuple unpacking,
    f-strings, `%`, `.format`, `+`, subscripts, attributes, `.get`, string methods,
    `os.path.join`, `Path(...)`, `b64decode`, `json.loads`, `Dataclass(**arg)`, the elements
    of a `for` or a comprehension over it, `self.x`, and calls of the module's functions and
    the class's methods. Sinks: `eval`/`exec`/`compile`; `os.system`, `os.popen`,
    `subprocess.*` with `shell=True` (without a shell, only the program of an argument list
    counts); the `loads` of pickle and marshal, `yaml.load` without a safe `Loader`,
    `yaml.unsafe_load`; SQL text in `cursor.execute`, `Model.objects.raw`, `RawSQL`,
    `.extra(where=...)`, SQLAlchemy `text()`; `importlib.import_module`, `import_string`,
    `__import__`, `apps.get_model`; `getattr`/`setattr`/`delattr`, `operator.methodcaller`; file
    operations (`open`, `os.remove`, `os.unlink`, `shutil.rmtree`, `Path(x).open/read_text/
    write_text/unlink/...`, `default_storage.open/delete`; not `Path(x)` itself); the scheme or
    host of a URL given to a request call WL201 knows. Validation that counts: `if x not in
    ALLOWED: return/raise`, `assert x in ALLOWED`, `x == "literal"`, `all(v in ALLOWED for v in
    x)`, `match x: case "a" | "b":`, `re.fullmatch(...)`, `x.isdigit()`, `int(x)` (as a
    statement, or its value), a lookup in a literal dict; a check on an attribute of an argument
    (`spec.model in ALLOWED`) counts for the whole argument. Provenance reads every enqueue site:
    `.delay(...)`, `.apply_async(args, kwargs)`, `.s()`/`.si()`, Dramatiq's `.send(...)`, RQ's
    `enqueue(f, ...)`, `send_task("name", args=...)`; request values are Django's
    `request.GET/POST/body/FILES/headers/COOKIES/META` and a view's URL parameters, DRF's
    `request.data/query_params`, Flask's `request.args/form/json/values/get_json()`, FastAPI
    endpoint parameters; stored values are fields read from a record (`Model.objects.get(...)`,
    `self` in a model, a signal's `instance`); internal values are literals, constants, ids
    (`.pk`, `*_id`), `uuid4()`, `secrets.*`, `default_storage.save(...)`,
    `NamedTemporaryFile().name`, `mkdtemp()`/`mkstemp()`.

    ## Why is this bad?
    Job arguments come from wherever jobs are enqueued: a controller passing request parameters,
    a webhook payload, another service pushing to the same Redis, anyone who can write to Redis.
    A job that turns an argument into code, a command, a class, a method call or a file path lets
    whoever controls that argument run arbitrary code in the worker process, which holds the
    application's credentials. When the app itself only ever passes internal values (a class
    name it chose), the finding is a note: the risk is whoever else can write to Redis.

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
    ruby = FolderCheck("RubyDangerousSinkCheck")
    python = FolderCheck("DangerousSinkCheck")
    # Gone in v3 (RULES.md): provenance decides whether a whole-URL argument is reported.
    removed_options: ClassVar[dict[str, str]] = {
        "whole-url-arguments": "a job argument used as a whole URL is now reported by where it "
        "comes from (an error from the request, a warning from stored data)"
    }
