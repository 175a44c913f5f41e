from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from workerlint import FolderCheck, Level, Rule, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.job_arguments import analyse_class
from workerlint.lang.ruby.job_arguments.sinks import CWE, KINDS
from workerlint.lang.ruby.nodes import method_name, text
from workerlint.lang.ruby.provenance.analysis import argument_position
from workerlint.lang.ruby.provenance.facts import REQUEST, STORED, UNKNOWN
from workerlint.lang.ruby.provenance.query import INTERNAL, Provenance
from workerlint.project.context import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.model import ClassScope
    from workerlint.taint import Finding

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
    "url_whole": "check its host against an allow-list (`URI({arg}).host`) before the request",
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
    worker_code_only = False
    node_types = frozenset({"class"})
    # The gate: it reports only on a worker class (the index decides which).
    gate_worker_classes = True
    python = FolderCheck("DangerousSinkCheck")
    # Gone in v3 (RULES.md): provenance decides whether a whole-URL argument is reported.
    removed_options: ClassVar[dict[str, str]] = {
        "whole-url-arguments": "a job argument used as a whole URL is now reported by where it "
        "comes from (an error from the request, a warning from stored data)"
    }

    def visit(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if scope is None or scope.node != node or not ctx.index.is_worker(scope.facts.name):
            return
        for finding in analyse_class(scope, ctx):
            if finding.use != "injection":
                continue
            found = _provenance(finding, scope, ctx)
            level = level_of(finding.sink, found.kind)
            if level is None:
                continue
            if found.unreached and finding.sink not in _EXECUTES and level is Level.WARNING:
                level = Level.NOTE  # only a person gives it: no flow of the app to act on
            what, _ = KINDS[finding.sink]
            arg = finding.origin.arg
            chain = " -> ".join((*found.chain, finding.origin.describe(), f"`{finding.label}`"))
            message = (
                f"job argument `{arg}` reaches {what} without validation; "
                f"{found.reason or _ORIGIN[found.kind]}: {chain}; "
                f"{_advice(finding.sink, finding.subject)}"
            )
            ctx.report(
                Span(finding.start, finding.end), message, level=level, cwe=CWE[finding.sink]
            )


# What the message says of each provenance.
_ORIGIN = {
    REQUEST: "it comes from the request",
    STORED: "it comes from stored data",
    UNKNOWN: "where it comes from is not known",
    INTERNAL: "the app passes only internal values",
}
# Sinks that run what they are given: every provenance but internal is an error.
_RUNS = frozenset({"code", "shell", "deserialization"})
_LOWER = {Level.ERROR: Level.WARNING, Level.WARNING: Level.NOTE}
# Sinks where a job argument written to Redis by hand would run code (in Ruby, a shell or the
# database): a worker no code enqueues keeps its level there.
_EXECUTES = _RUNS | {"oj_default", "sql"}


def level_of(sink: str, kind: str) -> Level | None:
    """The level of a finding at ``sink`` for an argument of provenance ``kind`` (RULES.md,
    WL401), or None when it is not reported."""
    if sink == "url_whole":
        return {REQUEST: Level.ERROR, STORED: Level.WARNING}.get(kind)
    if sink in _RUNS or sink == "oj_default":
        level = Level.NOTE if kind == INTERNAL else Level.ERROR
        return _LOWER.get(level) if sink == "oj_default" else level
    return {REQUEST: Level.ERROR, STORED: Level.WARNING, UNKNOWN: Level.WARNING}.get(
        kind, Level.NOTE
    )


def _provenance(finding: Finding, scope: ClassScope, ctx: FileContext) -> Provenance:
    """Where the job argument of ``finding`` comes from, across the project."""
    entry = finding.origin.path[0].split("(", 1)[0] if finding.origin.path else "perform"
    position = argument_position(scope, entry, finding.origin.arg)
    if position is None:
        return Provenance(UNKNOWN, (), "it is not one of the job's positional or keyword arguments")
    index, keyword = position
    return ctx.index.provenance.of(scope.facts.name, index, keyword, _read_key(finding, ctx))


def _read_key(finding: Finding, ctx: FileContext) -> str:
    """The key of a Hash job argument whose value reaches the sink (``args.fetch("klass")``,
    ``options["type"].camelize``, through locals), or "" when the sink gets another value."""
    sink: Node | None = finding.ref  # type: ignore[assignment]
    if sink is None or sink.type != "call" or not finding.origin.path:
        return ""
    param = finding.origin.path[-1].rsplit("(", 1)[-1].rstrip(")")
    name = method_name(sink) or ""
    receiver = nodes.receiver(sink)
    args = [a for a in nodes.arguments(sink) if a.type not in ("pair", "block_argument")]
    node = receiver if name in ("constantize", "safe_constantize") else (args[0] if args else None)
    for _ in range(8):
        if node is None:
            return ""
        if node.type == "identifier":
            if text(node) == param:
                return ""
            binding = ctx.semantic.binding_of(node)
            node = binding.value if binding is not None else None
        elif node.type == "string":
            holes = [c for c in node.named_children if c.type == "interpolation"]
            inner = holes[0].named_children if len(holes) == 1 else []
            node = inner[0] if len(inner) == 1 else None
        elif _reads(node):
            container = node.child_by_field_name("object") or nodes.receiver(node)
            keys = node.named_children[1:] if node.type == "element_reference" else args_of(node)
            key = nodes.literal_value(keys[0]) if keys else None
            if container is not None and text(container) == param and isinstance(key, str):
                return str(key)
            return ""
        elif node.type == "call" and nodes.receiver(node) is not None:
            node = nodes.receiver(node)  # a transformation of the value read (`.to_s`)
        else:
            return ""
    return ""


def _reads(node: Node) -> bool:
    if node.type == "element_reference":
        return True
    return node.type == "call" and method_name(node) in ("fetch", "dig", "[]")


def args_of(call: Node) -> list[Node]:
    return [a for a in nodes.arguments(call) if a.type not in ("pair", "block_argument")]


def _advice(sink: str, subject: str) -> str:
    advice = _ADVICE[sink]
    if subject:
        return advice.replace("{arg}", subject)
    return advice.replace(" (`ALLOWED.include?({arg})`)", "").replace("{arg}", "url")
