"""The sinks of Python job arguments (RULES.md WL401/WL402, PYTHON.md §2 and §9): which call
uses which of its values how.

Asked by the taint engine at every call whose receiver or an argument is tainted
(:meth:`Sinks.check`); a sink reached by a tainted value becomes a
:class:`~workerlint.taint.Finding`. Calls are known by their qualified name (imports resolved by
the module's semantic model) or, for methods of objects, by their shape (``cursor.execute``,
``M.objects.raw``, ``Path(x).unlink()``, ``default_storage.open``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.job_arguments.derivations import DERIVE
from workerlint.lang.python.job_arguments.sanitizers import INJECTION, SIZE, subject_name
from workerlint.lang.python.libraries import http
from workerlint.lang.python.nodes import text
from workerlint.taint import CLEAN, Call, Finding, Origin, Taint

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

# Kind of sink -> what it is (the kinds and their CWEs are the Ruby side's: rules/arguments/).
CODE = frozenset({"eval", "exec", "compile"})
SHELL_STRING = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
     "commands.getoutput", "asyncio.create_subprocess_shell"}
)  # fmt: skip
SUBPROCESS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
     "subprocess.Popen", "asyncio.create_subprocess_exec"}
)  # fmt: skip
# The pickle-format loaders, by module (spelled apart: tests/test_cache.py keeps the code base
# free of the loader's name, which it never calls).
PICKLE_MODULES = ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "marshal")
DESERIALIZE = frozenset(
    {f"{module}.{name}" for module in PICKLE_MODULES for name in ("load", "loads")}
    | {"yaml.unsafe_load", "jsonpickle.decode", "shelve.open"}
)
SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "yaml.SafeLoader",
                          "yaml.CSafeLoader", "yaml.BaseLoader"})  # fmt: skip
SQL_FUNCTIONS = frozenset(
    {"django.db.models.expressions.RawSQL", "django.db.models.RawSQL", "sqlalchemy.text",
     "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}
)  # fmt: skip
CONSTANTS = frozenset(
    {"importlib.import_module", "django.utils.module_loading.import_string", "__import__",
     "pydoc.locate", "werkzeug.utils.import_string"}
)  # fmt: skip
GET_MODEL = frozenset({"django.apps.apps.get_model", "django.apps.registry.apps.get_model"})
METHODS = {"getattr": 1, "setattr": 1, "delattr": 1, "operator.methodcaller": 0,
           "operator.attrgetter": 0}  # fmt: skip
FILES = frozenset(
    {"open", "io.open", "codecs.open", "os.remove", "os.unlink", "os.rmdir", "os.removedirs",
     "os.rename", "os.replace", "os.makedirs", "os.mkdir", "os.chmod", "os.chown", "os.listdir",
     "os.scandir", "os.truncate", "shutil.rmtree", "shutil.copy", "shutil.copyfile",
     "shutil.copy2", "shutil.copytree", "shutil.move", "glob.glob", "glob.iglob",
     "aiofiles.open", "tarfile.open", "zipfile.ZipFile"}
)  # fmt: skip
PATH_METHODS = frozenset(
    {"open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir",
     "mkdir", "touch", "rename", "replace", "iterdir", "glob", "rglob"}
)  # fmt: skip
PATHS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
STORAGE_METHODS = frozenset({"open", "delete", "save", "listdir", "path"})
SQL_METHODS = frozenset({"execute", "executemany", "executescript"})
# WL402: calls sized by an argument -> the position of the size (-1: any positional).
SIZED = {"range": -1, "time.sleep": 0, "asyncio.sleep": 0, "itertools.islice": -2,
         "more_itertools.chunked": 1, "more_itertools.ichunked": 1}  # fmt: skip
SIZE_KEYWORDS = {"iterator": "chunk_size", "bulk_create": "batch_size",
                 "bulk_update": "batch_size", "chunks": None, "limit": None}  # fmt: skip
QUERY = frozenset(
    {"objects", "all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
     "annotate", "values", "values_list", "distinct", "only", "defer", "using", "query",
     "select", "where"}
)  # fmt: skip

Qualify = Callable[["Node | None"], "str | None"]
Peek = Callable[["Node | None"], Taint]


class Sinks:
    """The sink checks of one module."""

    def __init__(self, ctx: PythonContext) -> None:
        self.ctx = ctx
        self.qualify: Qualify = ctx.semantic.qualified_name

    def check(self, call: Call, rt: Taint, taints: Sequence[Taint], peek: Peek) -> list[Finding]:
        node: Node = call.ref  # type: ignore[assignment]
        found: list[Finding] = []
        if node.type == "call":
            hit = self._injection(node, call.name, rt, peek)
            if hit is not None:
                taint, sink, value = hit
                origin = taint.of(INJECTION)
                if origin is not None:
                    found.append(_finding("injection", node, sink, origin, self._label(node),
                                          _subject(value, peek)))  # fmt: skip
        size = self._size(node, call, rt, peek)
        if size is not None:
            origin, value, label = size
            found.append(_finding("size", node, label, origin, label, _subject(value, peek)))
        return found

    def _label(self, call: Node) -> str:
        function = nodes.callee(call)
        if function is None:
            return text(call)
        written = nodes.dotted(function)
        if written is not None and len(written) <= 40:
            return written
        recv = nodes.receiver(call)
        name = nodes.call_name(call) or ""
        short = "(...)" if recv is not None and recv.type == "call" else "..."
        head = (
            nodes.dotted(nodes.callee(recv)) if recv is not None and recv.type == "call" else None
        )
        return f"{head}{short}.{name}" if head else f"{short}.{name}"

    # -- WL401 ---------------------------------------------------------------------------------
    def _injection(
        self, node: Node, name: str, rt: Taint, peek: Peek
    ) -> tuple[Taint, str, Node | None] | None:
        function = nodes.callee(node)
        qualified = self.qualify(function)
        args = nodes.arguments(node)
        keywords = nodes.keywords(node)

        def at(index: int, key: str | None = None) -> tuple[Taint, Node | None]:
            value = args[index] if index < len(args) else (keywords.get(key) if key else None)
            return (peek(value) if value is not None else CLEAN), value

        if qualified in CODE:
            taint, value = at(0, "source")
            return taint, "code", value
        if qualified in SHELL_STRING:
            taint, value = at(0, "cmd")
            return taint, "shell", value
        if qualified in SUBPROCESS:
            return self._subprocess(node, args, keywords, peek)
        if qualified in ("os.execv", "os.execvp", "os.execl", "os.execlp", "os.spawnv"):
            taint, value = at(1 if qualified == "os.spawnv" else 0)
            return taint, "shell", value
        if qualified in DESERIALIZE:
            taint, value = at(0)
            return taint, "deserialization", value
        if qualified == "yaml.load" and not self._safe_loader(node, args, keywords):
            taint, value = at(0, "stream")
            return taint, "deserialization", value
        if qualified in SQL_FUNCTIONS:
            taint, value = at(0, "sql")
            return taint, "sql", value
        if qualified in CONSTANTS:
            taint, value = at(0, "name")
            return taint, "constant", value
        if qualified in GET_MODEL or (name == "get_model" and text(nodes.receiver(node)) == "apps"):
            for index in range(min(len(args), 2)):
                taint, value = at(index)
                if taint.of(INJECTION) is not None:
                    return taint, "constant", value
            return None
        if qualified in METHODS:
            taint, value = at(METHODS[qualified])
            return taint, "method", value
        if qualified in FILES:
            taint, value = at(0, "file")
            return taint, "file", value
        recv = nodes.receiver(node)
        if recv is not None:
            method = self._method_sink(node, name, recv, rt, args, keywords, peek)
            if method is not None:
                return method
        return self._url(node, peek)

    def _method_sink(
        self,
        node: Node,
        name: str,
        recv: Node,
        rt: Taint,
        args: list[Node],
        keywords: dict[str, Node],
        peek: Peek,
    ) -> tuple[Taint, str, Node | None] | None:
        first = args[0] if args else None
        if name in SQL_METHODS and _cursor(recv) and first is not None:
            return peek(first), "sql", first
        if name == "raw" and text(recv).endswith("objects") and first is not None:
            return peek(first), "sql", first
        if name == "extra":
            for key in ("where", "select", "tables", "order_by"):
                value = keywords.get(key)
                if value is not None and peek(value).built:
                    return peek(value), "sql", value
            return None
        if name in STORAGE_METHODS and text(recv).rsplit(".", 1)[-1].endswith("storage"):
            if name == "save":
                return None  # the storage picks a free name from it: reported as WL401 nowhere
            return (peek(first), "file", first) if first is not None else None
        if name in PATH_METHODS and rt.of(INJECTION) is not None and self._path(recv):
            return rt, "file", recv
        return None

    def _subprocess(
        self, node: Node, args: list[Node], keywords: dict[str, Node], peek: Peek
    ) -> tuple[Taint, str, Node | None] | None:
        command = args[0] if args else keywords.get("args")
        if command is None:
            return None
        shell = keywords.get("shell")
        if shell is not None and text(shell) != "False":
            return peek(command), "shell", command
        command = nodes.unwrap(command)
        if command.type in ("list", "tuple"):  # no shell: only the program runs what it is
            items = command.named_children
            program = items[0] if items else None
            if program is None or program.type == "list_splat":
                return None
            return peek(program), "shell", program
        return peek(command).element(), "shell", command

    def _safe_loader(self, node: Node, args: list[Node], keywords: dict[str, Node]) -> bool:
        loader = keywords.get("Loader") or (args[1] if len(args) > 1 else None)
        if loader is None:
            return True  # PyYAML >= 6 requires a Loader: a call without one fails before loading
        written = text(loader)
        qualified = self.qualify(loader) or written
        return written in SAFE_LOADERS or qualified.rsplit(".", 1)[-1] in (
            "SafeLoader",
            "CSafeLoader",
            "BaseLoader",
        )

    def _path(self, recv: Node) -> bool:
        """A receiver that is a ``pathlib.Path`` (built here, or a local assigned one)."""
        value = self.ctx.semantic.value_of(recv)
        for _ in range(4):
            value = nodes.unwrap(value)
            if value.type == "call":
                return self.qualify(nodes.callee(value)) in PATHS
            if (
                value.type == "binary_operator"
                and text(value.child_by_field_name("operator")) == "/"
            ):
                value = self.ctx.semantic.value_of(value.child_by_field_name("left"))
                continue
            return False
        return False

    def _url(self, node: Node, peek: Peek) -> tuple[Taint, str, Node | None] | None:
        name = nodes.call_name(node) or ""
        if name not in http.REQUEST_NAMES:
            return None
        args = nodes.arguments(node)
        index = 1 if name == "request" else 0
        target = args[index] if len(args) > index else nodes.keywords(node).get("url")
        if target is None:
            return None
        taint = peek(target)
        if taint.of(INJECTION) is None or not taint.host:
            return None
        if http.classify(node, self.ctx) is None:
            return None
        return taint, ("url" if taint.built else "url_whole"), target

    # -- WL402 -----------------------------------------------------------------------------------
    def _size(
        self, node: Node, call: Call, rt: Taint, peek: Peek
    ) -> tuple[Origin, Node | None, str] | None:
        if node.type == "binary_operator":  # [x] * n
            count: Node | None = call.args[0].ref if call.args else None  # type: ignore[assignment]
            origin = peek(count).of(SIZE)
            return (origin, count, _short(node)) if origin is not None else None
        if node.type == "subscript":
            return self._slice(node, rt, peek)
        if node.type != "call":
            return None
        args = nodes.arguments(node)
        qualified = self.qualify(nodes.callee(node))
        label = self._label(node)
        if qualified in SIZED:
            position = SIZED[qualified]
            if position == -1:
                chosen = args
            elif position == -2:
                chosen = args[1:]
            else:
                chosen = args[position : position + 1]
            for value in chosen:
                origin = peek(value).of(SIZE)
                if origin is not None:
                    return origin, value, label
            return None
        name = call.name
        recv = nodes.receiver(node)
        if name in SIZE_KEYWORDS and recv is not None and not rt:
            key = SIZE_KEYWORDS[name]
            value = nodes.keywords(node).get(key) if key else None
            if value is None and args and name in ("chunks", "limit"):
                value = args[-1]
            if value is not None and (origin := peek(value).of(SIZE)) is not None:
                return origin, value, label
        return None

    def _slice(self, node: Node, rt: Taint, peek: Peek) -> tuple[Origin, Node | None, str] | None:
        """``qs[:n]``: a query limited by the argument (a slice of a value that is itself a job
        argument is bounded by the payload)."""
        value = node.child_by_field_name("value")
        if rt or value is None or not _query(value):
            return None
        for part in node.children_by_field_name("subscript"):
            if part.type != "slice":
                continue
            for bound in part.named_children:
                origin = peek(bound).of(SIZE)
                if origin is not None:
                    return origin, bound, f"{chain_text(value)}[...]"
        return None


def _finding(use: str, node: Node, sink: str, origin: Origin, label: str, subject: str) -> Finding:
    start, end = nodes.call_span(node) if node.type == "call" else (node.start_byte, node.end_byte)
    if not subject and len(origin.path) == 1:
        subject = origin.arg
    return Finding(use, sink, start, end, label, origin, subject, node)


def _subject(value: Node | None, peek: Peek) -> str:
    """What a check should be written on: the variable, or a short read of a part of one."""
    node = value
    for _ in range(8):
        if node is None:
            return ""
        node = nodes.unwrap(node)
        name = subject_name(node)
        if name is not None:
            return name
        if node.type == "string":
            holes = [c.child_by_field_name("expression") for c in node.named_children
                     if c.type == "interpolation"]  # fmt: skip
            tainted = [h for h in holes if h is not None and peek(h).of(INJECTION) is not None]
            node = tainted[0] if tainted else None
            continue
        written = " ".join(text(node).split())
        if node.type in ("subscript", "attribute") or (
            node.type == "call" and nodes.call_name(node) == "get"
        ):
            return written if len(written) <= 40 else ""
        if node.type == "call" and nodes.call_name(node) in DERIVE and nodes.receiver(node):
            node = nodes.receiver(node)
            continue
        return ""
    return ""


def chain_text(node: Node | None, depth: int = 0) -> str:
    """``Order.objects.filter(...).order_by(...)``: a chain with its arguments elided."""
    if node is None:
        return ""
    node = nodes.unwrap(node)
    if depth < 8 and node.type == "call":
        args = "(...)" if nodes.arguments(node) or nodes.keywords(node) else "()"
        return f"{chain_text(nodes.callee(node), depth + 1)}{args}"
    if depth < 8 and node.type == "attribute":
        obj = chain_text(node.child_by_field_name("object"), depth + 1)
        return f"{obj}.{text(node.child_by_field_name('attribute'))}"
    return _short(node, 30)


def _cursor(recv: Node) -> bool:
    """A DB-API cursor or connection: ``cursor``, ``connection.cursor()``, ``conn``."""
    written = text(recv)
    last = written.rsplit(".", 1)[-1]
    return (
        "cursor" in last
        or last in ("connection", "conn", "db", "session")
        or written.endswith("cursor()")
    )


def _query(node: Node) -> bool:
    """A query chain: ``M.objects...``, or a chain with a query method."""
    for _ in range(16):
        node = nodes.unwrap(node)
        if node.type == "attribute":
            if text(node.child_by_field_name("attribute")) == "objects":
                return True
            node = node.child_by_field_name("object")
            continue
        if node.type == "call":
            if nodes.call_name(node) in QUERY and nodes.receiver(node) is not None:
                return True
            function = nodes.callee(node)
            if function is None or function.type != "attribute":
                return False
            node = function.child_by_field_name("object")
            continue
        return False
    return False


def _short(node: Node | None, limit: int = 40) -> str:
    return nodes.describe(node, limit)
