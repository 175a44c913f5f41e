"""Circuit breakers around HTTP request calls (RULES.md WL202, SIDEKIQ-FACTS.md "Circuit breakers").

A call is protected when it runs inside a breaker block (``Stoplight("x").run { }``,
``Stoplight("x") { }.run``, ``Circuitbox.circuit(:x, ...).run { }``, ``CircuitBreaker.run { }``,
``Semian[:x].acquire { }``, a block given to a wrapper named in the ``circuit-breakers`` setting
or to a method of the class that runs a breaker), in a method declared with ``circuit_method``,
in a method of the class that is called from inside a breaker block, or process-wide: Semian's
Net::HTTP adapter configured in ``config/**/*.rb`` (Net::HTTP and the clients built on it), or
breaker middleware on the Faraday connection the call was made on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes, shown
from workerlint.lang.ruby.nodes import (
    constant_path,
    enclosing_method,
    is_class_method,
    method_name,
    text,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Builder, HttpRequest
    from workerlint.lang.ruby.context import RubyContext

# Gem names in Gemfile.lock, in the order the fix prefers them.
GEMS = ("stoplight", "circuitbox", "circuit_breaker", "semian")
# Clients that send through Net::HTTP, which Semian's adapter patches.
NET_HTTP_BASED = frozenset({"net_http", "httparty", "rest_client", "open_uri"})
# Faraday adapters built on Net::HTTP (the default adapter is net_http).
_NET_HTTP_ADAPTERS = frozenset({":net_http", ":net_http_persistent", "Faraday.default_adapter"})
_RUN = frozenset({"run", "run!", "call", "acquire"})
_BREAKER_ROOTS = ("Stoplight", "Circuitbox", "CircuitBreaker", "Semian")
_BREAKER_NAME = re.compile(r"circuit|breaker|stoplight", re.IGNORECASE)
_BOUNDARIES = frozenset({"method", "singleton_method", "class", "module", "singleton_class"})
_MAX_DEPTH = 3


@record(frozen=True)
class Coverage:
    """How a call is protected (for --verbose and tests)."""

    how: str


def libraries(ctx: RubyContext) -> tuple[str, ...]:
    """Breaker gems in Gemfile.lock, in the fix's order of preference."""
    return tuple(gem for gem in GEMS if gem in ctx.setup.gems)


def lock_line(ctx: RubyContext, gem: str) -> int | None:
    """The line of ``gem``'s spec in the project's Gemfile.lock (for messages)."""
    return ctx.setup.gem_line(gem)


def protected(found: HttpRequest, ctx: RubyContext) -> Coverage | None:
    """Why the request call is protected by a circuit breaker, or None."""
    owner = enclosing_breaker(found.node, ctx)
    if owner is not None:
        return Coverage(f"inside `{_head(owner)}` on line {owner.start_point[0] + 1}")
    method = enclosing_method(found.node)
    if method is not None:
        covered = _method_covered(method, ctx, 0, set())
        if covered is not None:
            return covered
    return process_wide(found, ctx)


def process_wide(found: HttpRequest, ctx: RubyContext) -> Coverage | None:
    """Semian's Net::HTTP adapter, or breaker middleware on the Faraday connection."""
    semian = ctx.index.semian_net_http
    if semian is not None and _on_net_http(found):
        return Coverage(f"Semian::NetHTTP configured in {semian.path}:{semian.line}")
    if found.client == "faraday" and found.builder is not None:
        middleware = faraday_middleware(found.builder)
        if middleware is not None:
            return Coverage(f"`{middleware}` on its connection")
    return None


def _on_net_http(found: HttpRequest) -> bool:
    if found.client in NET_HTTP_BASED:
        return True
    if found.client != "faraday":
        return False
    adapter = faraday_adapter(found.builder) if found.builder is not None else None
    return adapter is None or adapter in _NET_HTTP_ADAPTERS


def faraday_adapter(builder: Builder) -> str | None:
    """The adapter a ``Faraday.new`` block names (``f.adapter :typhoeus``), if any."""
    body = nodes.block(builder.call)
    if body is None:
        return None
    for node in nodes.descendants(body):
        if node.type == "call" and method_name(node) == "adapter":
            args = nodes.arguments(node)
            return text(args[0]) if args else None
    return None


def faraday_middleware(builder: Builder) -> str | None:
    """Breaker middleware in a ``Faraday.new`` block: ``f.use Circuitbox::FaradayMiddleware``,
    ``f.use :circuit_breaker`` (faraday_middleware-circuit_breaker, on Stoplight)."""
    if builder.kind != "Faraday.new":
        return None
    body = nodes.block(builder.call)
    if body is None:
        return None
    for node in nodes.descendants(body):
        if node.type != "call" or method_name(node) not in ("use", "request", "response"):
            continue
        args = nodes.arguments(node)
        kinds = ("constant", "scope_resolution", "simple_symbol")
        if (
            args
            and args[0].type in kinds
            and _BREAKER_NAME.search(text(args[0]).replace("Semian", "breaker"))
        ):
            return text(node).split("\n")[0]
    return None


# -- breaker blocks ---------------------------------------------------------------------------


def enclosing_breaker(node: Node, ctx: RubyContext) -> Node | None:
    """The call owning the innermost breaker block around ``node`` (within its method)."""
    current = node.parent
    while current is not None and current.type not in _BOUNDARIES:
        if current.type in ("block", "do_block"):
            owner = current.parent
            if owner is not None and owner.type == "call" and is_breaker(owner, ctx, 0):
                return owner
        current = current.parent
    return None


def is_breaker(call: Node, ctx: RubyContext, depth: int) -> bool:
    """Whether a call given a block runs it inside a circuit breaker."""
    name = method_name(call) or ""
    recv = nodes.receiver(call)
    if _configured(call, name, recv, ctx):
        return True
    if recv is None and name in ("Stoplight", "Circuitbox"):
        return True  # `Stoplight("x") { ... }.run`, `Circuitbox(:x) { ... }`
    if name in _RUN and recv is not None:
        return _breaker_object(recv, ctx, depth)
    if (recv is None or text(recv) == "self") and depth < _MAX_DEPTH:
        return _wrapper_method(name, ctx, depth + 1)
    return False


def _configured(call: Node, name: str, recv: Node | None, ctx: RubyContext) -> bool:
    wrappers = set(ctx.settings.circuit_breakers)
    if not wrappers:
        return False
    recv_text = text(recv) if recv is not None else ""
    candidates = {name, recv_text, f"{recv_text}.{name}", recv_text.split(".")[0].split("(")[0]}
    return bool(candidates & wrappers)


def _chain_root(node: Node) -> Node:
    while True:
        if node.type == "call":
            inner = nodes.receiver(node)
        elif node.type == "element_reference":
            inner = node.child_by_field_name("object")
        else:
            inner = None
        if inner is None:
            return node
        node = inner


def _breaker_object(recv: Node, ctx: RubyContext, depth: int) -> bool:
    """``Stoplight("x")``, ``Circuitbox.circuit(..)``, ``Semian[:x]``, or a variable holding one."""
    root = _chain_root(recv)
    bare = root.type == "call" and nodes.receiver(root) is None
    if bare and method_name(root) in ("Stoplight", "Circuitbox"):
        return True
    const = constant_path(root)
    if const is not None and const.removeprefix("::").split("::")[0] in _BREAKER_ROOTS:
        return True
    if _BREAKER_NAME.search(text(recv)):
        return True  # `circuit.run { }`, `@breaker.run { }`, `BILLING_CIRCUIT.run { }`
    if recv.type in ("identifier", "instance_variable") and depth < _MAX_DEPTH:
        value = ctx.semantic.value_of(recv)  # a local, an @ivar memo, a method returning it
        return value is not recv and _breaker_object(value, ctx, depth + 1)
    if recv.type == "constant" and depth < _MAX_DEPTH:
        assigned = _class_constant(text(recv), ctx)
        return assigned is not None and _breaker_object(assigned, ctx, depth + 1)
    return False


def _class_constant(name: str, ctx: RubyContext) -> Node | None:
    """What a constant of the class is assigned."""
    scope = ctx.class_scope
    if scope is None:
        return None
    for node in ctx.semantic.assignments(scope.node):
        left = node.child_by_field_name("left")
        if left is not None and left.type == "constant" and text(left) == name:
            return node.child_by_field_name("right")
    return None


def _wrapper_method(name: str, ctx: RubyContext, depth: int) -> bool:
    """A method of the class that runs a breaker (``def guarded(&) = Stoplight("x").run(&)``)."""
    scope = ctx.class_scope
    if scope is None:
        return False
    for method in scope.methods.get(name, ()):
        for node in nodes.descendants(method):
            if (
                node.type == "call"
                and method_name(node) != name
                and _runs_breaker(node, ctx, depth)
            ):
                return True
    return False


def _runs_breaker(call: Node, ctx: RubyContext, depth: int) -> bool:
    has_block = nodes.block(call) is not None or any(
        a.type == "block_argument" for a in nodes.arguments(call)
    )
    return has_block and is_breaker(call, ctx, depth)


# -- methods called from inside a breaker ----------------------------------------------------


def _method_covered(method: Node, ctx: RubyContext, depth: int, seen: set[int]) -> Coverage | None:
    """A method declared with ``circuit_method``, or called from inside a breaker block."""
    scope = ctx.class_scope
    name = text(method.child_by_field_name("name"))
    if scope is None or not name or method.id in seen or depth > _MAX_DEPTH:
        return None
    seen.add(method.id)
    declared = _circuit_methods(scope.node)
    if name in declared:
        return Coverage(f"`{name}` is declared with `circuit_method` on line {declared[name]}")
    for site in ctx.semantic.callers(scope, name, class_method=is_class_method(method)):
        owner = enclosing_breaker(site, ctx)
        if owner is not None:
            line = site.start_point[0] + 1
            return Coverage(f"`{name}` is called inside `{_head(owner)}` on line {line}")
        caller = enclosing_method(site)
        if caller is not None:
            covered = _method_covered(caller, ctx, depth + 1, seen)
            if covered is not None:
                return covered
    return None


def _circuit_methods(class_node: Node) -> dict[str, int]:
    body = class_node.child_by_field_name("body")
    found: dict[str, int] = {}
    if body is None:
        return found
    for child in body.named_children:
        if child.type == "call" and method_name(child) == "circuit_method":
            for arg in nodes.arguments(child):
                if arg.type == "simple_symbol":
                    found[text(arg).lstrip(":")] = child.start_point[0] + 1
    return found


def _head(call: Node) -> str:
    """``Stoplight("crm").run`` of a call with a block (the text before the block)."""
    block = nodes.block(call)
    end = block.start_byte if block is not None else call.end_byte
    head = (call.text or b"")[: end - call.start_byte].decode("utf-8", "replace").strip()
    return shown.shorten(head, 60)
