"""WL305's Python check: a whole file, object or response body read into memory in task code
(PYTHON.md §2): ``open(p).read()``/``.readlines()`` (also through ``with open(p) as f``),
``Path.read_text``/``read_bytes``, ``default_storage.open(p).read()`` (any ``*storage``),
``s3.get_object(...)["Body"].read()``, ``requests.get(url).content`` and ``pandas.read_csv``
without ``chunksize``. A path built from ``__file__`` or ``settings.BASE_DIR`` names a file
shipped with the code, whose size is known when it is deployed: not reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries import http
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import PythonFileContext

OPENERS = frozenset({"open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open"})
URL_OPENERS = frozenset({"urllib.request.urlopen"})
PANDAS = frozenset({"pandas.read_csv", "pandas.read_table"})
SHIPPED = frozenset({"__file__", "django.conf.settings.BASE_DIR"})
STREAM_FILE = (
    "iterate over the file object (one line at a time) or read it in chunks (`f.read(65536)`)"
)
MAX_DEPTH = 6


class WholeFileCheck(LanguageCheck):
    call_names = frozenset(
        {"read", "readlines", "read_text", "read_bytes", "read_csv", "read_table"}
    )
    node_types = frozenset({"attribute"})

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        if node.type == "attribute":
            self._content(node, ctx)
            return
        name = nodes.call_name(node) or ""
        if name in ("read_csv", "read_table"):
            self._pandas(node, ctx)
            return
        receiver = nodes.receiver(node)
        if receiver is None or nodes.arguments(node) or nodes.keywords(node):
            return  # `f.read(65536)` reads a chunk
        if name in ("read_text", "read_bytes"):
            if _shipped(receiver, ctx):
                return
            message = (
                f"`{_shown(receiver)}.{name}()` reads the whole file into memory; open it and "
                f"{STREAM_FILE}"
            )
            ctx.report(Span(*nodes.call_span(node)), message)
            return
        source = nodes.unwrap(ctx.semantic.value_of(receiver))
        if source.type == "subscript":
            self._object_body(node, name, source, ctx)
            return
        if source.type != "call":
            return
        opener = ctx.semantic.qualified_name(nodes.callee(source))
        args = nodes.arguments(source)
        if opener in OPENERS and args:
            if _shipped(args[0], ctx):
                return
            label = text(nodes.callee(source))
            message = f"`{label}(...).{name}()` reads the whole file into memory; {STREAM_FILE}"
            ctx.report(Span(*nodes.call_span(node)), message)
        elif opener in URL_OPENERS and args:
            message = (
                f"`{text(nodes.callee(source))}(...).{name}()` reads the whole response body into "
                "memory; copy it in chunks with `shutil.copyfileobj(response, file)`"
            )
            ctx.report(Span(*nodes.call_span(node)), message)
        elif nodes.call_name(source) == "open" and _storage(nodes.receiver(source), ctx) and args:
            label = f"{_shown(nodes.receiver(source))}.open"
            message = (
                f"`{label}(...).{name}()` reads the whole stored file into memory; read it in "
                "chunks (`for chunk in f.chunks():`) or copy it with `shutil.copyfileobj`"
            )
            ctx.report(Span(*nodes.call_span(node)), message)

    def _object_body(self, node: Node, name: str, subscript: Node, ctx: PythonFileContext) -> None:
        """``s3.get_object(...)["Body"].read()``: the whole object at once."""
        key = nodes.string_value(subscript.child_by_field_name("subscript"))
        value = subscript.child_by_field_name("value")
        if key != "Body" or value is None or name != "read":
            return
        value = nodes.unwrap(ctx.semantic.value_of(value))
        if value.type != "call" or nodes.call_name(value) not in ("get_object", "get"):
            return
        message = (
            '`["Body"].read()` reads the whole S3 object into memory; stream it with '
            "`iter_chunks()`/`iter_lines()`, or `download_fileobj` to a file"
        )
        ctx.report(Span(*nodes.call_span(node)), message)

    def _content(self, node: Node, ctx: PythonFileContext) -> None:
        """``requests.get(url).content``: the whole response body at once."""
        attribute = node.child_by_field_name("attribute")
        if attribute is None or text(attribute) != "content":
            return
        parent = node.parent
        if (
            parent is not None
            and parent.type == "assignment"
            and parent.child_by_field_name("left") == node
        ):
            return
        obj = node.child_by_field_name("object")
        if obj is None:
            return
        if _reported(node):
            line = node.start_point.row + 1
            ctx.skip(
                f"{ctx.relpath}:{line}: `.content` is only shown (a log message, an exception "
                "text): requests has read the body already, and streaming would not help"
            )
            return
        source = nodes.unwrap(ctx.semantic.value_of(obj))
        if source.type != "call":
            return
        found = http.classify(source, ctx)
        if found is None or found.client != "requests":
            return
        message = (
            f"`{found.label}(...).content` reads the whole response body into memory (with or "
            "without `stream=True`); stream it with `stream=True` and `iter_content(chunk_size=65536)`"
        )
        ctx.report(Span(attribute.start_byte, attribute.end_byte), message)

    def _pandas(self, node: Node, ctx: PythonFileContext) -> None:
        qualified = ctx.semantic.qualified_name(nodes.callee(node))
        keywords = nodes.keywords(node)
        if qualified not in PANDAS or "chunksize" in keywords or "nrows" in keywords:
            return
        if "iterator" in keywords or nodes.has_splat(node, double=True):
            return
        args = nodes.arguments(node)
        if args and _shipped(args[0], ctx):
            return
        label = text(nodes.callee(node))
        message = (
            f"`{label}` without `chunksize` reads the whole file into one DataFrame; pass "
            "`chunksize=` to read it in chunks"
        )
        ctx.report(Span(*nodes.call_span(node)), message)


LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"}
)


def _reported(node: Node) -> bool:
    """Whether a value is only shown: in an f-string, a log call, or a ``raise``."""
    current = node.parent
    while current is not None and current.type not in ("block", "module"):
        if current.type in ("interpolation", "raise_statement"):
            return True
        if current.type == "call" and nodes.call_name(current) in LOG_METHODS:
            return True
        current = current.parent
    return False


def _storage(node: Node | None, ctx: PythonFileContext) -> bool:
    """A Django storage: ``default_storage``, ``storages[...]``, any name ending in ``storage``."""
    if node is None:
        return False
    written = nodes.dotted(node) or ""
    return written.lower().endswith("storage") or (
        ctx.semantic.qualified_name(node) or ""
    ).endswith("default_storage")


def _shipped(path: Node, ctx: PythonFileContext, depth: int = 0) -> bool:
    """A path built from ``__file__`` or ``settings.BASE_DIR`` (also through locals)."""
    if depth > MAX_DEPTH:
        return False
    path = nodes.unwrap(ctx.semantic.value_of(path))
    if path.type in ("identifier", "attribute"):
        if text(path) == "__file__" or ctx.semantic.qualified_name(path) in SHIPPED:
            return True
        obj = path.child_by_field_name("object") if path.type == "attribute" else None
        return obj is not None and _shipped(obj, ctx, depth + 1)  # `Path(__file__).parent`
    if path.type == "binary_operator":  # `BASE_DIR / "data.json"`
        left = path.child_by_field_name("left")
        return left is not None and _shipped(left, ctx, depth + 1)
    if path.type == "call":
        inner = [*nodes.arguments(path)]
        receiver = nodes.receiver(path)
        if receiver is not None:
            inner.append(receiver)
        return any(_shipped(a, ctx, depth + 1) for a in inner)
    return False


def _shown(node: Node | None) -> str:
    written = " ".join(text(node).split())
    return written if len(written) <= 40 else "..." + written[-37:]
