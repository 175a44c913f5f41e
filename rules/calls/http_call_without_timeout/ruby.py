"""WL201's Ruby check: an HTTP request in worker code with no read timeout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Span
from workerlint.lang.ruby import http, nodes
from workerlint.lang.ruby.edits import add_keyword, insert_into_hash

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import HttpRequest
    from workerlint.project.context import FileContext


class RubyTimeoutCheck(LanguageCheck):
    call_names = http.REQUEST_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        found = http.classify(node, ctx)
        if found is None or found.has_timeout:
            return
        if found.unknown:
            line = node.start_point[0] + 1
            ctx.skip(
                f"{ctx.relpath}:{line}: `{found.label}` takes its options from a splat or a "
                "variable: its timeout cannot be known"
            )
            return
        ctx.report(
            Span(*nodes.call_span(node)), self._message(found, ctx), fix=self._fix(found, ctx)
        )

    def _message(self, found: HttpRequest, ctx: FileContext) -> str:
        hold = f"a hung server holds this worker thread {http.DEFAULT_WAIT[found.client]}"
        if found.impossible:
            return f"`{found.label}` cannot take a read timeout: {hold}"
        if found.nil_value is not None:
            key = nodes.key_name(found.nil_value.parent.child_by_field_name("key"))
            return f"`{found.label}` sets `{key}` to nil, which turns the read timeout off: {hold}"
        where = ""
        builder = found.builder
        if builder is not None and not _same_line(builder.call, found.node):
            line = builder.call.start_point[0] + 1
            where = f" (its connection, built by `{builder.kind}` on line {line}, sets none)"
        return f"`{found.label}` has no read timeout{where}: {hold}"

    def _fix(self, found: HttpRequest, ctx: FileContext) -> Fix | None:
        seconds = int(self.options["timeout-seconds"])
        unsafe = Applicability.UNSAFE
        nil = found.nil_value
        if nil is not None:
            edit = Edit(nil.start_byte, nil.end_byte, str(seconds))
            return Fix(unsafe, f"set it to {seconds} seconds instead of nil", (edit,))
        if found.builder is not None and found.builder.kind == "Net::HTTP.new":
            return _net_http_setter(found.builder, seconds, ctx)
        if found.client == "http_rb":
            return _http_rb_fix(found.node, seconds)
        if found.impossible or found.option_call is None:
            shape = _SHAPES.get(found.client)
            return Fix(Applicability.DISPLAY_ONLY, shape, ()) if shape else None
        if found.client == "faraday":
            edit = _faraday_edit(found.option_call, seconds)
            title = f"add `request: {{ timeout: {seconds} }}` to `Faraday.new`"
            return Fix(unsafe, title, (edit,)) if edit else None
        entry = f"{found.option_key}: {seconds}"
        edit = add_keyword(found.option_call, entry)
        if edit is None:
            return None
        target = nodes.text(found.option_call).split("(")[0]
        return Fix(unsafe, f"add `{entry}` to `{target}`", (edit,))


_SHAPES = {
    "net_http": 'use `Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https", '
    "open_timeout: 5, read_timeout: 10) { |http| http.request(...) }`",
    "rest_client": "use `RestClient::Request.execute(method: :get, url: url, timeout: 10)`",
    "faraday": "build a connection with `Faraday.new(url, request: { timeout: 10 })`, or set "
    "`Faraday.default_connection_options` in an initializer",
    "open_uri": "use `URI.open(url, read_timeout: 10)`",
}


def _same_line(a: Node, b: Node) -> bool:
    return a.start_point[0] == b.start_point[0]


def _http_rb_fix(call: Node, seconds: int) -> Fix | None:
    root = call
    while (inner := nodes.receiver(root)) is not None and inner.type == "call":
        root = inner
    method = root.child_by_field_name("method")
    if method is None:
        return None
    edit = Edit(method.start_byte, method.start_byte, f"timeout({seconds}).")
    return Fix(Applicability.UNSAFE, f"add `.timeout({seconds})` to the http.rb chain", (edit,))


def _faraday_edit(builder: Node, seconds: int) -> Edit | None:
    args = [a for a in nodes.arguments(builder) if a.type != "block_argument"]
    pairs, _ = nodes.option_pairs(args)
    request = pairs.get("request")
    if request is not None:
        value = nodes.pair_value(request)
        if value is None or value.type != "hash":
            return None
        return insert_into_hash(value, f"timeout: {seconds}")
    return add_keyword(builder, f"request: {{ timeout: {seconds} }}")


def _net_http_setter(builder: http.Builder, seconds: int, ctx: FileContext) -> Fix | None:
    statement = builder.statement
    if statement is None or statement.type != "assignment" or builder.target is None:
        return None
    data = ctx.data
    line_start = data.rfind(b"\n", 0, statement.start_byte) + 1
    indent = data[line_start : statement.start_byte]
    if indent.strip():
        return None
    line_end = data.find(b"\n", statement.end_byte)
    if line_end == -1 or data[statement.end_byte : line_end].strip():
        return None
    target = nodes.text(builder.target)
    newline = "\r\n" if data[line_end - 1 : line_end] == b"\r" else "\n"
    text = f"{newline}{indent.decode()}{target}.read_timeout = {seconds}"
    edit = Edit(statement.end_byte, statement.end_byte, text)
    return Fix(Applicability.UNSAFE, f"set `{target}.read_timeout = {seconds}`", (edit,))
