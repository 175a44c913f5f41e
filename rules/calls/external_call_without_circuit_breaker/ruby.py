"""WL202's Ruby check: an HTTP request in worker code outside the project's circuit breaker."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.facts import HttpRequest
from workerlint.lang.ruby import breakers, http, nodes
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.project.context import FileContext


class RubyCircuitBreakerCheck(LanguageCheck):
    call_names = http.REQUEST_METHODS

    def visit(self, node: Node, ctx: FileContext) -> None:
        gems = breakers.libraries(ctx)
        wrappers = ctx.settings.circuit_breakers
        active = bool(gems or wrappers)
        if not active and not self.explicitly_selected:
            return
        found = http.classify(node, ctx)
        if found is None:
            return
        covered = breakers.protected(found, ctx)
        if covered is not None:
            ctx.skip(f"{ctx.relpath}:{node.start_point[0] + 1}: `{found.label}`: {covered.how}")
            return
        span = _span(node)
        outside = f"`{found.label}` runs outside a circuit breaker{_where(found, ctx)}"
        effect = "while its service is down, every job still calls it, waits and fails"
        if not active:
            message = (
                f"{outside}: {effect} (a note: WL202 was selected by name, but the project uses "
                "no circuit-breaker library (stoplight, circuitbox, semian, circuit_breaker in "
                "Gemfile.lock) and the `circuit-breakers` setting names no wrapper)"
            )
            ctx.report(span, message, level=Level.NOTE)
            return
        if wrappers:
            why = f"the `circuit-breakers` setting names `{wrappers[0]}`"
        else:
            why = "the project uses " + " and ".join(_gem_source(g, ctx) for g in gems)
        message = f"{outside}, although {why}: {effect}"
        ctx.report(span, message, fix=_fix(found, gems, wrappers, ctx))


def _gem_source(gem: str, ctx: FileContext) -> str:
    line = breakers.lock_line(ctx, gem)
    return f"{gem} (Gemfile.lock:{line})" if line else f"{gem} (Gemfile.lock)"


def _span(call: Node) -> Span:
    return Span(*nodes.call_span(call))


def _where(found: HttpRequest, ctx: FileContext) -> str:
    builder = found.builder
    semian = ctx.index.semian_net_http
    if semian is not None and found.client not in breakers.NET_HTTP_BASED:
        client = _CLIENT_NAMES.get(found.client, found.client)
        if builder is not None and found.client == "faraday":
            client = f"Faraday on the `{breakers.faraday_adapter(builder)}` adapter"
        return (
            f" (Semian's Net::HTTP adapter, configured in {semian.path}:{semian.line}, does not "
            f"cover {client})"
        )
    if builder is not None and builder.call.start_point[0] != found.node.start_point[0]:
        line = builder.call.start_point[0] + 1
        what = "breaker middleware" if builder.kind == "Faraday.new" else "breaker"
        return f" (its connection, built by `{builder.kind}` on line {line}, has no {what})"
    return ""


_CLIENT_NAMES = {
    "excon": "Excon",
    "http_rb": "http.rb",
    "typhoeus": "Typhoeus",
}
_EXCEPTIONS = {
    "faraday": "Faraday::ConnectionFailed, Faraday::TimeoutError",
    "net_http": "Net::OpenTimeout, Net::ReadTimeout",
    "httparty": "Net::OpenTimeout, Net::ReadTimeout",
    "open_uri": "Net::OpenTimeout, Net::ReadTimeout",
    "rest_client": "RestClient::Exceptions::Timeout",
    "excon": "Excon::Error::Timeout, Excon::Error::Socket",
    "http_rb": "HTTP::TimeoutError, HTTP::ConnectionError",
}
_GENERIC = frozenset(
    {"HTTParty", "Faraday", "Net::HTTP", "URI", "RestClient", "RestClient::Request", "Excon",
     "HTTP", "Typhoeus"}
)  # fmt: skip


def _fix(
    found: HttpRequest, gems: tuple[str, ...], wrappers: tuple[str, ...], ctx: FileContext
) -> Fix | None:
    name = _circuit_name(found, ctx)
    if wrappers:
        first = wrappers[0]
        opener = f"{first}.call" if first[:1].isupper() and "." not in first else first
    elif "stoplight" in gems:
        opener = f'Stoplight("{name}").run'
    elif "circuitbox" in gems and found.client in _EXCEPTIONS:
        symbol = f":{name}" if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else f':"{name}"'
        exceptions = _EXCEPTIONS[found.client]
        opener = f"Circuitbox.circuit({symbol}, exceptions: [{exceptions}]).run"
    elif "semian" in gems and found.client in breakers.NET_HTTP_BASED:
        title = "configure `Semian::NetHTTP.semian_configuration` in an initializer"
        return Fix(Applicability.DISPLAY_ONLY, title, ())
    elif "circuit_breaker" in gems:
        title = "make the call in a method declared with `circuit_method` (circuit_breaker)"
        return Fix(Applicability.DISPLAY_ONLY, title, ())
    else:
        return None
    edit = _wrap(found.node, opener, ctx)
    if edit is None:
        return None
    return Fix(Applicability.DISPLAY_ONLY, f"wrap the call in `{opener}`", (edit,))


def _circuit_name(found: HttpRequest, ctx: FileContext) -> str:
    recv = nodes.receiver(found.node)
    reused = _existing_light(recv, ctx)
    if reused is not None:
        return reused
    service = _service_name(found, recv)
    if service is not None:
        return service
    const = nodes.constant_path(recv) if recv is not None else None
    if const is None or const in _GENERIC:
        scope = ctx.class_scope
        const = scope.facts.name if scope is not None else "external_api"
        const = re.sub(r"(Worker|Job)$", "", const) or const
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", const.split("::")[-1]).lower()
    return snake or "external_api"


_GENERIC_HOLDERS = frozenset({"connection", "conn", "client", "http", "faraday", "api", "request"})
_URL_SUFFIX = re.compile(r"_(API_)?(URL|URI|HOST|ENDPOINT|BASE)$")


def _service_name(found: HttpRequest, recv: Node | None) -> str | None:
    """One circuit per service, not per class: named after the URL constant the call or its
    connection uses (`TAX_URL` -> `tax`), else after the variable or method holding the
    connection (`tax_client`)."""
    sources: list[Node] = []
    if found.builder is not None:
        sources.extend(nodes.arguments(found.builder.call))
    sources.extend(nodes.arguments(found.node)[:1])
    for arg in sources:
        value = nodes.pair_value(arg) if arg.type == "pair" else arg
        key = arg.child_by_field_name("key") if arg.type == "pair" else None
        if key is not None and nodes.key_name(key) not in ("url", "uri", "host", "base_uri"):
            continue
        const = nodes.constant_path(value) if value is not None else None
        if const is not None and _URL_SUFFIX.search(const.split("::")[-1]):
            return _URL_SUFFIX.sub("", const.split("::")[-1]).lower()
    if recv is not None and recv.type in ("identifier", "instance_variable", "call"):
        if recv.type == "call" and nodes.receiver(recv) is not None:
            return None
        name = nodes.text(recv.child_by_field_name("method") if recv.type == "call" else recv)
        name = name.lstrip("@")
        if name and name not in _GENERIC_HOLDERS and name.isidentifier():
            return name
    return None


def _existing_light(recv: Node | None, ctx: FileContext) -> str | None:
    """The name of a ``Stoplight("name")`` of the class already used with the same receiver."""
    scope = ctx.class_scope
    if recv is None or scope is None or nodes.constant_path(recv) in _GENERIC:
        return None
    written = nodes.text(recv)
    for node in nodes.descendants(scope.node):
        if node.type != "call" or nodes.method_name(node) != "Stoplight":
            continue
        args = nodes.arguments(node)
        name = nodes.literal_value(args[0]) if args else None
        owner = node.parent if nodes.block(node) is None else node
        block = nodes.block(owner) if owner is not None else None
        if (
            isinstance(name, str)
            and block is not None
            and re.search(rf"(?<![\w.@]){re.escape(written)}\.", nodes.text(block))
        ):
            return name
    return None


_WIDTH = 100  # a wrapped line longer than this is written as a do ... end block
_UNWRAPPABLE = frozenset({"next", "break", "redo", "retry", "heredoc_body", "heredoc_beginning"})


def _wrap(call: Node, opener: str, ctx: FileContext) -> Edit | None:
    """The statement holding ``call`` (or its assignment's right side) inside ``opener do``."""
    statement = call
    while statement.parent is not None and statement.parent.type not in STATEMENT_PARENTS:
        statement = statement.parent
        if statement.type in ("method", "singleton_method", "block", "do_block", "class"):
            return None
    if statement.parent is None:
        return None
    target = statement
    if statement.type in ("assignment", "operator_assignment"):
        right = statement.child_by_field_name("right")
        if right is None or not (right.start_byte <= call.start_byte < right.end_byte):
            return None
        target = right
    elif statement.type == "return":
        return None
    for node in (target, *nodes.descendants(target)):
        if node.type in _UNWRAPPABLE:
            return None
        if node.type in ("assignment", "operator_assignment"):
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                return None  # the local would become the block's own
        if node.type in ("string", "string_array") and node.start_point[0] != node.end_point[0]:
            return None  # re-indenting would change the string
    data = ctx.data
    line_start = data.rfind(b"\n", 0, statement.start_byte) + 1
    indent = data[line_start : statement.start_byte].decode("utf-8", "replace")
    if indent.strip():
        return None
    body = data[target.start_byte : target.end_byte].decode("utf-8", "replace")
    newline = "\r\n" if "\r\n" in data[line_start : target.end_byte + 2].decode("latin-1") else "\n"
    if target is not statement and "\n" not in body:
        braces = f"{opener} {{ {body} }}"
        line_end = data.find(b"\n", target.end_byte)
        line_end = len(data) if line_end == -1 else line_end
        width = len(data[line_start:line_end]) - len(body.encode()) + len(braces.encode())
        if width <= _WIDTH:
            return Edit(target.start_byte, target.end_byte, braces)
    lines = body.split(newline)
    inner = newline.join(f"  {line}" if line.strip() else line for line in lines[1:])
    first = f"{indent}  {lines[0]}"
    text = f"{opener} do{newline}{first}"
    if inner:
        text += f"{newline}{inner}"
    text += f"{newline}{indent}end"
    return Edit(target.start_byte, target.end_byte, text)
