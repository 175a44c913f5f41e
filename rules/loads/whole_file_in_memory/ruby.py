"""WL305's Ruby check: reading a whole file or attachment into memory in worker code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Span
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext

FILE_CLASSES = frozenset({"File", "IO"})
WHOLE_READS = {
    "read": "stream it with `File.foreach` (lines), `CSV.foreach`, or `IO.copy_stream`",
    "binread": 'stream it with `File.open(path, "rb") { |f| f.read(chunk_size) }` or '
    "`IO.copy_stream`",
    "readlines": "iterate with `File.foreach(path)`, which reads one line at a time",
}
OPENERS = frozenset({"open"})
# Folders of the application itself: a literal path into them names a file shipped with the code,
# whose size is known when it is deployed.
APP_FOLDERS = frozenset({"config", "app", "lib", "db", "vendor", "public"})
BLOB_NAMES = ("blob", "attachment", "variant", "preview")
OTHER_DOWNLOADERS = frozenset({"shrine", "carrierwave", "paperclip", "kt-paperclip", "dragonfly"})
DOWNLOAD_HINT = (
    "stream it with `download { |chunk| ... }`, or use `open { |file| ... }` for a tempfile on disk"
)


class RubyWholeFileCheck(LanguageCheck):
    call_names = frozenset({*WHOLE_READS, "download"})

    def begin_file(self, ctx: FileContext) -> None:
        self._own_download: bool | None = None

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type != "call" or nodes.block(node) is not None:
            return
        if any(a.type == "block_argument" for a in nodes.arguments(node)):
            return
        name = method_name(node) or ""
        receiver = nodes.receiver(node)
        if receiver is None:
            return
        if name == "download":
            self._download(node, receiver, ctx)
            return
        const = constant_path(receiver)
        if const is not None and const.removeprefix("::") in FILE_CLASSES:
            args = nodes.arguments(node)
            if not args or _shipped_file(args[0], ctx):
                return
            label = f"{const}.{name}"
            message = f"`{label}` reads the whole file into memory; {WHOLE_READS[name]}"
            ctx.report(_span(node), message)
        elif name == "read" and not nodes.arguments(node) and _opened(receiver):
            opener = text(receiver.child_by_field_name("method"))
            prefix = constant_path(nodes.receiver(receiver)) if nodes.receiver(receiver) else None
            label = f"{prefix}.{opener}" if prefix else opener
            message = (
                f"`{label}(...).read` reads the whole body into memory; stream it with a block "
                f"(`{label}(...) {{ |io| IO.copy_stream(io, destination) }}`) or read it in chunks"
            )
            ctx.report(_span(node), message)

    def _download(self, node: Node, receiver: Node, ctx: FileContext) -> None:
        if nodes.arguments(node) or constant_path(receiver) is not None:
            return
        named = method_name(receiver) or text(receiver).lstrip("@")
        if not named.endswith(BLOB_NAMES):
            if OTHER_DOWNLOADERS & ctx.setup.gems or "activestorage" not in ctx.setup.gems:
                return
            if self._project_defines_download(ctx):
                return
        shown = " ".join(text(receiver).split())
        if len(shown) > 40:
            shown = f"...{method_name(receiver)}"
        message = (
            f"`{shown}.download` (Active Storage) reads the whole file into memory; "
            + DOWNLOAD_HINT
        )
        ctx.report(_span(node), message)

    def _project_defines_download(self, ctx: FileContext) -> bool:
        if self._own_download is None:
            self._own_download = any(
                "download" in cls.methods for group in ctx.index.classes.values() for cls in group
            )
        return self._own_download


def _span(node: Node) -> Span:
    method = node.child_by_field_name("method")
    args = nodes.argument_list(node)
    assert method is not None
    return Span(method.start_byte, (args or method).end_byte)


def _opened(receiver: Node) -> bool:
    """`open(x)`, `File.open(x)`, `URI.open(x)`, `Kernel.open(x)`, `URI.parse(u).open`."""
    if receiver.type != "call" or method_name(receiver) not in OPENERS:
        return False
    if nodes.block(receiver) is not None:
        return False
    owner = nodes.receiver(receiver)
    if owner is None:
        return bool(nodes.arguments(receiver))
    const = constant_path(owner)
    if const is not None:
        return const.removeprefix("::") in ("File", "URI", "Kernel")
    return owner.type == "call" and method_name(owner) in ("URI", "parse")


SOURCE = "<source>"  # __dir__ or __FILE__: a path next to the code
DYNAMIC = "\0"  # where an interpolation starts in a path piece


def _shipped_file(path: Node, ctx: FileContext) -> bool:
    """A path made of literals into the application's own folders, or next to the source."""
    parts = _path_parts(path, 0, ctx)
    if not parts:
        return False
    if SOURCE in parts:
        return True
    head, dynamic, _ = parts[0].partition(DYNAMIC)
    head = head.lstrip("./") if not head.startswith("/") else head
    folder, slash, _ = head.partition("/")
    complete = not dynamic or bool(slash)  # `"app/queries/#{name}.sql"`, not `"#{dir}/x"`
    return complete and folder in APP_FOLDERS


def _path_parts(node: Node, depth: int, ctx: FileContext) -> list[str] | None:
    """The literal pieces of a path expression, or None when any piece is not a literal."""
    if depth > 8:
        return None
    written = constant_path(node)
    if written is not None:  # `File.read(RULES_PATH)` with `RULES_PATH = "config/rules.yml"`
        value = ctx.index.constant(written, lexical(ctx.class_scope))
        return [value] if isinstance(value, str) else None
    if node.type == "string":
        value = nodes.literal_value(node)
        if isinstance(value, str):
            return [value]
        head = ""
        for child in node.named_children:  # the literal text before the first interpolation
            if child.type != "string_content":
                break
            head += text(child)
        return [head + DYNAMIC]
    if node.type == "identifier" and text(node) in ("__dir__", "__FILE__"):
        return [SOURCE]
    if node.type != "call" or text(node) == "Rails.root":
        return [] if text(node) == "Rails.root" else None
    name = method_name(node)
    receiver = nodes.receiver(node)
    owner = constant_path(receiver) if receiver is not None else None
    rails_join = name == "join" and receiver is not None and text(receiver) == "Rails.root"
    file_helper = name in ("join", "expand_path", "dirname") and owner in ("File", "Pathname")
    if not (rails_join or file_helper):
        return None
    parts: list[str] = []
    for arg in nodes.arguments(node):
        inner = _path_parts(arg, depth + 1, ctx)
        if inner is None:
            return None
        parts.extend(inner)
    return parts
