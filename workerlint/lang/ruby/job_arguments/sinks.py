"""The sinks of job arguments (RULES.md, WL401 and WL402): which call uses which of its values how.

Asked by the taint engine at every call whose receiver or an argument is tainted (:func:`check`),
with the taint of the receiver and of each argument; a sink reached by a tainted value becomes a
:class:`~workerlint.taint.Finding`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from workerlint.lang.ruby import http, nodes, shown
from workerlint.lang.ruby.job_arguments.derivations import DERIVE
from workerlint.lang.ruby.job_arguments.sanitizers import INJECTION, SIZE, subject_name
from workerlint.lang.ruby.libraries.iteration import RANGE_ITERATORS
from workerlint.lang.ruby.model import QUERY_METHODS
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.taint import CLEAN, Call, Finding, Origin, Taint

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import HttpRequest
    from workerlint.lang.ruby.context import RubyContext


class Probe:
    """What a sink check asks at one call: the file, the taint of a node of the call (evaluated
    again on a copy of the state), and where the findings go."""

    def __init__(self, ctx: RubyContext, peek: Callable[[Node | None], Taint]) -> None:
        self.ctx = ctx
        self.peek = peek
        self.found: list[Finding] = []

    def report(self, finding: Finding) -> None:
        self.found.append(finding)


# Kind of WL401 sink -> (what it is, level is error).
KINDS = {
    "code": ("code evaluation", True),
    "shell": ("a shell command", True),
    "deserialization": ("unsafe deserialization", True),
    "oj_default": ("unsafe deserialization", False),
    "sql": ("SQL text", False),
    "constant": ("a constant name", False),
    "method": ("a method name", False),
    "file": ("a file path", False),
    "url": ("the scheme or host of a URL", False),
    # The whole URL is a job argument: the job is made to fetch caller-given URLs (webhooks,
    # link checks); reported only with the `whole-url-arguments` option.
    "url_whole": ("the scheme or host of a URL", False),
}
# Kind of WL401 sink -> the weakness (CWE) a job argument reaching it is.
CWE = {
    "code": 94,  # code injection
    "shell": 78,  # OS command injection
    "deserialization": 502,  # deserialization of untrusted data
    "oj_default": 502,
    "sql": 89,  # SQL injection
    "constant": 470,  # unsafe reflection: externally-controlled input selects a class
    "method": 470,  # ... or a method
    "file": 22,  # path traversal
    "url": 918,  # server-side request forgery
    "url_whole": 918,
}
KERNEL_SINKS = frozenset({"send", "public_send", "__send__"})
EVALS = frozenset({"instance_eval", "class_eval", "module_eval", "class_exec"})
SHELL = frozenset({"system", "exec", "spawn"})
OPEN3 = frozenset(
    {"capture2", "capture2e", "capture3", "popen2", "popen2e", "popen3", "pipeline",
     "pipeline_r", "pipeline_rw", "pipeline_w", "pipeline_start"}
)  # fmt: skip
# SQL text: a value interpolated (or concatenated) into the SQL string these take.
SQL_FRAGMENT = frozenset(
    {"where", "order", "reorder", "pluck", "select", "group", "having", "joins", "from",
     "exists?", "update_all", "delete_all", "not", "rewhere", "find_by"}
)  # fmt: skip
SQL_LISTS = frozenset({"order", "reorder", "pluck", "select", "group"})
# These take a whole SQL statement: a raw job argument there is SQL text too.
SQL_STATEMENT = frozenset({"find_by_sql", "count_by_sql"})
SQL_CONNECTION = frozenset(
    {"execute", "exec_query", "select_all", "select_one", "select_value", "select_values",
     "select_rows", "exec_update", "exec_delete", "exec_insert", "update", "delete", "insert"}
)  # fmt: skip
SENDS = frozenset({"send", "public_send", "__send__", "try", "try!", "method", "public_method"})
CONSTANTIZE = frozenset({"constantize", "safe_constantize"})
CONST_GET = frozenset({"const_get", "qualified_const_get"})
FILE_METHODS = frozenset(
    {"open", "read", "write", "delete", "unlink", "readlines", "binread", "binwrite", "foreach",
     "new", "rename", "symlink", "link", "truncate", "chmod", "chown", "readlink", "lines"}
)  # fmt: skip
DIR_METHODS = frozenset(
    {"glob", "entries", "children", "each_child", "foreach", "mkdir", "rmdir", "delete",
     "unlink", "open", "new"}
)  # fmt: skip
HTTP_MODULES = frozenset(
    {"HTTParty", "Faraday", "Net::HTTP", "URI", "RestClient", "Excon", "HTTP", "Typhoeus"}
)
HTTP_BUILDERS = {
    ("Faraday", "new"): "url",
    ("Net::HTTP", "new"): None,
    ("Net::HTTP", "start"): None,
    ("Excon", "new"): None,
    ("Typhoeus::Request", "new"): None,
}
# WL402 uses (RANGE_ITERATORS: lang/ruby/libraries/iteration.py).
SIZED = frozenset({"limit", "each_slice"})
# On an Array these only slice what is there; they size work on a query (`Post.order(..).first(n)`).
SIZED_QUERIES = frozenset({"first", "take", "last"})


def span_of(call: Node) -> tuple[int, int]:
    """A call's method name through the end of its arguments (RULES.md, "Where a finding
    points")."""
    method = call.child_by_field_name("method") if call.type == "call" else None
    start = method.start_byte if method is not None else call.start_byte
    args = nodes.argument_list(call)
    end = args.end_byte if args is not None else (method or call).end_byte
    return start, end


def _short(node: Node | None, limit: int = 40) -> str:
    return shown.describe(node, limit)


def chain_text(node: Node, depth: int = 0) -> str:
    """``Post.where(...).order(...)``: a receiver chain with its arguments elided."""
    if node.type == "call" and depth < 8:
        recv = nodes.receiver(node)
        name = method_name(node) or ""
        args = "(...)" if nodes.arguments(node) else ""
        return f"{chain_text(recv, depth + 1)}.{name}{args}" if recv is not None else name + args
    return _short(node, 30)


def label(call: Node) -> str:
    recv = nodes.receiver(call)
    name = method_name(call) or text(call)
    if recv is None:
        return name
    return f"{chain_text(recv)}.{name}"


def _emit(
    probe: Probe,
    use: str,
    node: Node,
    kind: str,
    origin: Origin,
    what: str = "",
    value: Node | None = None,
) -> None:
    start, end = (node.start_byte, node.end_byte) if node.type != "call" else span_of(node)
    subject = _subject(value, probe)
    if subject is None:
        subject = origin.arg if value is None and len(origin.path) == 1 else ""
    probe.report(Finding(use, kind, start, end, what or label(node), origin, subject, node))


# Reading a part of a value: a check is written on the part (`params.fetch("kind")`).
_PARTS = frozenset({"[]", "fetch", "dig", "values_at", "slice"})
SUBJECT = 40  # the longest expression a message names as what to check


def _subject(value: Node | None, probe: Probe) -> str | None:
    """What a check should be written on: the variable, or the short expression reading a part
    of one, that carries the job argument into the sink (``kind`` in ``kind.constantize``,
    ``@command`` in ``send("#{@command.tr("-", "_")}_command")``, ``params.fetch("class")``);
    None when there is no such expression."""
    node = value
    for _ in range(8):
        if node is None:
            return None
        name = subject_name(node)
        if name is not None:
            return name
        if node.type == "string":
            holes = [
                c.named_children[0]
                for c in node.named_children
                if c.type == "interpolation" and len(c.named_children) == 1
            ]
            tainted = [h for h in holes if probe.peek(h).of(INJECTION) is not None]
            node = tainted[0] if tainted else (holes[0] if len(holes) == 1 else None)
            continue
        written = " ".join(text(node).split())
        if node.type == "element_reference" or (
            node.type == "call" and method_name(node) in _PARTS
        ):
            return written if len(written) <= SUBJECT else None
        if node.type == "call" and (method_name(node) or "") in DERIVE and nodes.receiver(node):
            node = nodes.receiver(node)
            continue
        return None
    return None


_NOT_POSITIONAL = frozenset({"pair", "block_argument", "hash_splat_argument"})


def _positional(args: list[Node], taints: list[Taint]) -> list[tuple[Node, Taint]]:
    return [(a, t) for a, t in zip(args, taints, strict=False) if a.type not in _NOT_POSITIONAL]


def check(call: Call, rt: Taint, taints: Sequence[Taint], probe: Probe) -> list[Finding]:
    """What reaches a sink at ``call``: backticks, ``Dir[]``, or a call."""
    node = call.ref
    assert node is not None
    if node.type == "subshell":
        taint = taints[0] if taints else CLEAN
        if taint.of(INJECTION) is not None:
            report_subshell(probe, node, taint)
    elif node.type == "element_reference":
        obj = node.child_by_field_name("object")
        if obj is not None and constant_path(obj) == "Dir":
            report_dir_index(probe, node)
    elif node.type == "call":
        check_call(probe, node, call.name, rt, nodes.arguments(node), list(taints))
    return probe.found


def check_call(
    probe: Probe,
    node: Node,
    name: str,
    rt: Taint,
    args: list[Node],
    taints: list[Taint],
) -> None:
    recv = nodes.receiver(node)
    const = constant_path(recv) if recv is not None else None
    positional = _positional(args, taints)
    first = positional[0][1] if positional else CLEAN
    kind = _injection(probe, node, name, recv, const, rt, args, positional)
    if kind is not None:
        taint, sink = kind
        origin = taint.of(INJECTION)
        if origin is not None:
            value = recv if sink == "constant" and name in CONSTANTIZE else None
            if value is None and positional:
                value = positional[0][0]
            _emit(probe, "injection", node, sink, origin, value=value)
    _size(probe, node, name, recv, const, rt, args, first)


def _injection(
    probe: Probe,
    node: Node,
    name: str,
    recv: Node | None,
    const: str | None,
    rt: Taint,
    args: list[Node],
    positional: list[tuple[Node, Taint]],
) -> tuple[Taint, str] | None:
    first = positional[0][1] if positional else CLEAN
    bare = recv is None or const == "Kernel"
    if name == "eval" and (bare or text(recv) == "binding"):
        return first, "code"
    if name in EVALS and positional and nodes.block(node) is None:
        return first, "code"
    if name in SHELL and (bare or const == "Process"):
        return _command(probe, positional), "shell"
    if (const == "Open3" and name in OPEN3) or (const == "IO" and name == "popen"):
        return _command(probe, positional), "shell"
    if name == "open" and bare and positional and first.lead:
        return first, "shell"
    if const in ("Marshal",) and name in ("load", "restore"):
        return first, "deserialization"
    if const in ("YAML", "Psych") and name in ("unsafe_load", "unsafe_load_file"):
        return first, "deserialization"
    if const == "Oj" and name == "object_load":
        return first, "deserialization"
    if const == "Oj" and name == "load":
        mode = _oj_mode(args)
        return (first, mode) if mode is not None else None
    if name in SQL_FRAGMENT and recv is not None:
        # where("a = ?", x): only the first argument is SQL text; select/order take fragments.
        texts = positional if name in SQL_LISTS else positional[:1]
        for node_, taint in texts:
            if node_.type == "array" and node_.named_children:
                taint = probe.peek(node_.named_children[0])
            if taint.of(INJECTION) is not None and taint.built:
                return taint, "sql"
        return None
    if name in SQL_STATEMENT or (name in SQL_CONNECTION and _connection(recv)):
        statement = positional[0][0] if positional else None
        if statement is not None and statement.type == "array":  # ["... = ?", value]
            items = statement.named_children
            return (probe.peek(items[0]) if items else CLEAN), "sql"
        return first, "sql"
    if name in CONSTANTIZE and recv is not None:
        return rt, "constant"
    if name in CONST_GET:
        return first, "constant"
    if name in SENDS:
        return first, "method"
    if rt.of(INJECTION) is not None and _block_symbol(args) in CONSTANTIZE:
        return rt.element(), "constant"
    if rt.of(INJECTION) is not None and _block_symbol(args) in ("system", "eval"):
        return rt.element(), "shell"
    if const in ("File", "IO") and name in FILE_METHODS:
        return first, "file"
    if const == "Dir" and name in DIR_METHODS:
        return first, "file"
    if const == "FileUtils":
        return _any(positional), "file"
    return _url(probe, node, name, recv, const, args, positional)


def _command(probe: Probe, positional: list[tuple[Node, Taint]]) -> Taint:
    """The taint that reaches a shell: the whole command when it is one string, else the program."""
    if positional and positional[0][0].type == "hash":
        positional = positional[1:]  # the environment
    if not positional:
        return CLEAN
    command, taint = positional[0]
    if command.type == "array":
        items = command.named_children
        return probe.peek(items[0]) if items else CLEAN
    return taint


def _any(positional: list[tuple[Node, Taint]]) -> Taint:
    for _, taint in positional:
        if taint.of(INJECTION) is not None:
            return taint
    return CLEAN


def _connection(recv: Node | None) -> bool:
    """A receiver that is a database connection (``ActiveRecord::Base.connection``, ``conn``)."""
    if recv is None:
        return False
    value = text(recv)
    return value.endswith("connection") or value in ("conn", "db")


def _block_symbol(args: list[Node]) -> str | None:
    for arg in args:
        if arg.type == "block_argument" and arg.named_children:
            inner = arg.named_children[0]
            if inner.type == "simple_symbol":
                return text(inner)[1:]
    return None


def _oj_mode(args: list[Node]) -> str | None:
    """The sink kind of ``Oj.load``: "deserialization" with ``mode: :object``; "oj_default"
    without ``mode:`` (Oj's default mode is :object, but an initializer may change it with
    ``Oj.default_options =``, ``Oj.mimic_JSON`` or ``Oj.optimize_rails``); None otherwise."""
    pairs, complete = nodes.option_pairs(list(args[1:]))
    mode = pairs.get("mode")
    if mode is None:
        return "oj_default" if complete else None
    value = nodes.pair_value(mode)
    return "deserialization" if value is not None and text(value) == ":object" else None


def _url(
    probe: Probe,
    node: Node,
    name: str,
    recv: Node | None,
    const: str | None,
    args: list[Node],
    positional: list[tuple[Node, Taint]],
) -> tuple[Taint, str] | None:
    """The scheme or host of a URL given to an HTTP request call (or to a connection builder)."""
    if (const, name) in HTTP_BUILDERS:
        key = HTTP_BUILDERS[(const, name)]
        taint = positional[0][1] if positional else CLEAN
        if key is not None and not positional:
            pairs, _ = nodes.option_pairs(args)
            value = nodes.pair_value(pairs[key]) if key in pairs else None
            taint = probe.peek(value) if value is not None else CLEAN
        return (taint, _url_kind(taint)) if taint.host else None
    if name not in http.REQUEST_METHODS:
        return None
    target: Node | None = positional[0][0] if positional else None
    whole = const in HTTP_MODULES or (recv is None and name == "open")
    if name == "open" and recv is not None and recv.type == "call" and nodes.arguments(recv):
        target, whole = nodes.arguments(recv)[0], True  # URI(url).open, URI.parse(url).open
    if const == "RestClient::Request":
        pairs, _ = nodes.option_pairs(args)
        target = nodes.pair_value(pairs["url"]) if "url" in pairs else None
    if target is None:
        return None
    taint = probe.peek(target)
    if taint.of(INJECTION) is None or not taint.host or not (whole or taint.built):
        return None
    if _classify(node, probe.ctx) is None:  # last: the costliest check
        return None
    return taint, _url_kind(taint)


def _classify(call: Node, ctx: RubyContext) -> HttpRequest | None:
    """The HTTP request ``call`` is, with locals resolved in the method around it."""
    saved = ctx.method
    ctx.method = ctx.semantic.enclosing_method(call)
    try:
        return http.classify(call, ctx)
    finally:
        ctx.method = saved


def _url_kind(taint: Taint) -> str:
    return "url" if taint.built else "url_whole"


def report_subshell(probe: Probe, node: Node, taint: Taint) -> None:
    assert taint.of(INJECTION) is not None
    what = "backticks" if text(node)[0] == "`" else "%x"
    _emit(probe, "injection", node, "shell", taint.of(INJECTION), what)


def report_dir_index(probe: Probe, node: Node) -> None:
    keys = node.named_children[1:]
    taint = probe.peek(keys[0]) if keys else CLEAN
    if taint.of(INJECTION) is not None:
        _emit(probe, "injection", node, "file", taint.of(INJECTION), "Dir[]")


# -- WL402 --------------------------------------------------------------------------------------


def _size(
    probe: Probe,
    node: Node,
    name: str,
    recv: Node | None,
    const: str | None,
    rt: Taint,
    args: list[Node],
    first: Taint,
) -> None:
    found: Origin | None = None
    first_node = next((a for a in args if a.type not in _NOT_POSITIONAL), None)
    value: Node | None = first_node
    if name == "times" and recv is not None:
        found, value = rt.of(SIZE), recv
    elif name in ("upto", "downto", "step") and recv is not None:
        found, value = (rt.of(SIZE), recv) if rt.of(SIZE) else (first.of(SIZE), first_node)
    elif name in RANGE_ITERATORS and recv is not None and (bounds := _range(recv)) is not None:
        found = probe.peek(bounds).of(SIZE)
        value = next((c for c in bounds.named_children if probe.peek(c).of(SIZE)), None)
    elif _sized_by_first_argument(name, recv, const, rt):
        found = first.of(SIZE)
    elif name == "in_batches" and recv is not None:
        pairs, _ = nodes.option_pairs(args)
        value = nodes.pair_value(pairs["of"]) if "of" in pairs else None
        found = probe.peek(value).of(SIZE) if value is not None else None
    if found is not None:
        _emit(probe, "size", node, name, found, value=value)


def _sized_by_first_argument(name: str, recv: Node | None, const: str | None, rt: Taint) -> bool:
    """``Array.new(n)``, ``sleep(n)``, ``limit(n)``, ``each_slice(n)``, ``Post.order(..).first(n)``.

    Not on a receiver that is itself a job argument: slicing it is bounded by the payload.
    """
    if name == "new" and const == "Array":
        return True
    if name == "sleep":
        return recv is None or const == "Kernel"
    if recv is None or rt:
        return False
    if name in SIZED:
        return recv.type != "array"
    return name in SIZED_QUERIES and _query(recv)


def _query(node: Node) -> bool:
    """A call chain on a constant, or with a query method (``Post.order(...)``)."""
    for _ in range(16):
        if node.type != "call":
            return constant_path(node) is not None
        if method_name(node) in QUERY_METHODS:
            return True
        recv = nodes.receiver(node)
        if recv is None:
            return False
        node = recv
    return False


def _range(node: Node) -> Node | None:
    for _ in range(8):
        if node.type == "parenthesized_statements" and len(node.named_children) == 1:
            node = node.named_children[0]
        else:
            break
    return node if node.type == "range" else None
