"""HTTP request calls (RULES.md, "HTTP request call") and where their read timeout comes from.

Shared by the rules about external calls: it finds which client a call uses, resolves a
connection object to where it was built within the class (locals, ``@ivar ||=`` memos, methods
returning it, ``Net::HTTP.start`` block parameters), and says whether a read timeout is set on the
call, on the connection, or process-wide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Builder, HttpRequest, TimeoutState
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.libraries.timeouts import has_timeout_key
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.parse import captures
from workerlint.lang.ruby.queries import ASSIGNMENTS
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.ruby.context import RubyContext

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
NET_HTTP_INSTANCE = VERBS | {
    "request", "request_get", "request_post", "request_head", "send_request", "get2", "post2"
}  # fmt: skip
NET_HTTP_NO_TIMEOUT = frozenset({"get", "get_response", "post_form", "post", "get_print"})
FARADAY_CONN = VERBS | {"run_request"}
REQUEST_METHODS = NET_HTTP_INSTANCE | FARADAY_CONN | {
    "open", "execute", "run", "get_response", "post_form", "get_print", "request"
}  # fmt: skip

# What a client waits for when no read timeout is set (SIDEKIQ-FACTS.md).
_NET_HTTP = "for up to 60 s per read (Net::HTTP's default), twice for idempotent requests"
DEFAULT_WAIT = {
    "net_http": _NET_HTTP,
    "httparty": _NET_HTTP,
    "open_uri": "for up to 60 s per read (Net::HTTP's default)",
    "rest_client": "for up to 60 s (RestClient's default)",
    "excon": "for up to 60 s (Excon's default)",
    "faraday": "as long as the adapter allows (Faraday sets no default; Net::HTTP's is 60 s)",
    "http_rb": "indefinitely (http.rb sets no default)",
    "typhoeus": "indefinitely (Typhoeus sets no default)",
}


def _positional_options(call: Node, positional: int) -> tuple[dict[str, Node], bool]:
    """Keyword options of a call whose first ``positional`` arguments are not options."""
    args = [a for a in nodes.arguments(call) if a.type != "block_argument"]
    pairs, complete = nodes.option_pairs(args)
    plain = [a for a in args if a.type not in ("pair", "hash", "hash_splat_argument")]
    if len(plain) > positional:
        complete = False  # an options hash passed as a variable
    return pairs, complete


def _options_timeout(call: Node, positional: int, keys: frozenset[str]) -> TimeoutState:
    """The timeout state of a call's options (unknown when they come from ``**opts``)."""
    return _timeout_state(call, positional, keys)[0]


def _timeout_state(
    call: Node, positional: int, keys: frozenset[str]
) -> tuple[TimeoutState, Node | None]:
    """The state, and the ``nil`` node when the timeout is given as nil."""
    pairs, complete = _positional_options(call, positional)
    given = [pairs[k] for k in sorted(keys) if k in pairs]
    if given:
        values = [nodes.pair_value(p) for p in given]
        nil = next((v for v in values if v is not None and v.type == "nil"), None)
        if nil is not None and all(v is not None and v.type == "nil" for v in values):
            return TimeoutState.NIL, nil
        return TimeoutState.SET, None
    return (TimeoutState.MISSING if complete else TimeoutState.UNKNOWN), None


_READ = frozenset({"read_timeout"})
_ANY = frozenset({"timeout", "read_timeout"})


def classify(call: Node, ctx: RubyContext) -> HttpRequest | None:
    """The HTTP request call ``call`` is, or None (not a request, or not known to be one).

    Computed once per call and file: every rule asking about the same call shares the answer.
    """
    key = ("http", call.start_byte, call.end_byte)
    memo = ctx.memo
    if key not in memo:
        memo[key] = _classify(call, ctx)
    found: HttpRequest | None = memo[key]
    return found


def _classify(call: Node, ctx: RubyContext) -> HttpRequest | None:
    method = method_name(call)
    if method is None or method not in REQUEST_METHODS:
        return None
    if _wrapped(call, ctx):
        return None
    recv = nodes.receiver(call)
    if recv is None:
        return _bare(call, method, ctx)
    const = constant_path(recv)
    if const is not None:
        return _on_constant(call, method, const, ctx)
    if recv.type == "call":
        found = _on_chain(call, method, recv, ctx)
        if found is not None:
            return found
    builder = resolve_connection(recv, call, ctx, ctx.method)
    if builder is None:
        return None
    return _on_connection(call, method, recv, builder, ctx)


def _wrapped(call: Node, ctx: RubyContext) -> bool:
    wrappers = set(ctx.settings.http_wrappers)
    if not wrappers:
        return False
    method = method_name(call) or ""
    recv = nodes.receiver(call)
    recv_text = text(recv) if recv is not None else ""
    return bool({method, recv_text, f"{recv_text}.{method}", recv_text.split(".")[0]} & wrappers)


def _per_call(
    call: Node, client: str, label: str, positional: int, keys: frozenset[str], key: str
) -> HttpRequest | None:
    state, nil = _timeout_state(call, positional, keys)
    return HttpRequest(
        call,
        client,
        label,
        state,
        option_call=call,
        option_key=key,
        positional=positional,
        nil_value=nil,
    )


def _httparty_class(call: Node, label: str, cls: str, ctx: RubyContext) -> HttpRequest | None:
    index = ctx.index
    if index.httparty_timeout(cls) is not None:
        return HttpRequest(call, "httparty", label, TimeoutState.SET)
    return _per_call(call, "httparty", label, 1, _ANY, "timeout")


def _on_constant(call: Node, method: str, const: str, ctx: RubyContext) -> HttpRequest | None:
    label = f"{const}.{method}"
    if const == "HTTParty" and method in VERBS:
        return _per_call(call, "httparty", label, 1, _ANY, "timeout")
    if const == "Faraday" and method in FARADAY_CONN:
        return _faraday_module(call, label, ctx)
    if const == "Net::HTTP" and method in NET_HTTP_NO_TIMEOUT:
        return HttpRequest(call, "net_http", label, TimeoutState.MISSING, impossible=True)
    if const == "URI" and method == "open":
        return _per_call(call, "open_uri", label, 1, _READ, "read_timeout")
    if const == "RestClient" and method in VERBS:
        return HttpRequest(call, "rest_client", label, TimeoutState.MISSING, impossible=True)
    if const == "RestClient::Request" and method == "execute":
        return _per_call(call, "rest_client", label, 0, _ANY, "timeout")
    if const == "Excon" and method in VERBS:
        return _per_call(call, "excon", label, 1, _READ, "read_timeout")
    if const == "HTTP" and method in VERBS:
        return HttpRequest(call, "http_rb", label, TimeoutState.MISSING)
    if const == "Typhoeus" and method in VERBS:
        return _per_call(call, "typhoeus", label, 1, frozenset({"timeout"}), "timeout")
    resolved = ctx.index.resolve(const, lexical(ctx.class_scope))
    if resolved is not None and method in VERBS and ctx.index.includes_httparty(resolved):
        return _httparty_class(call, label, resolved, ctx)
    recv = nodes.receiver(call)
    builder = _constant_connection(const, ctx)
    if builder is not None and recv is not None:
        return _on_connection(call, method, recv, builder, ctx)
    return None


def _constant_connection(const: str, ctx: RubyContext) -> Builder | None:
    """``CONN = Faraday.new(...)`` in the class (or at the top of the file) using it."""
    scope = ctx.class_scope.node if ctx.class_scope is not None else None
    if scope is None or "::" in const:
        return None
    for node in _assignments(scope):
        left = node.child_by_field_name("left")
        if left is not None and left.type == "constant" and text(left) == const:
            return _builder(node.child_by_field_name("right"), left, node)
    return None


def _faraday_module(call: Node, label: str, ctx: RubyContext) -> HttpRequest:
    covered = bool(ctx.index.faraday_default_options or ctx.index.faraday_default_connection)
    request_block = nodes.block(call)
    if request_block is not None and has_timeout_key(request_block):
        covered = True
    return HttpRequest(call, "faraday", label, _state(covered))


def _on_chain(call: Node, method: str, recv: Node, ctx: RubyContext) -> HttpRequest | None:
    """``HTTP.headers(..).get``, ``URI(u).open``, ``URI.parse(u).open``, ``self.class.get``,
    ``Excon.new(u).get``, ``Typhoeus::Request.new(u).run``, ``Faraday.new(..).get``."""
    root = recv
    chain = []
    while root.type == "call" and (inner := nodes.receiver(root)) is not None:
        chain.append(method_name(root))
        root = inner
    root_const = constant_path(root)
    label = f"{text(recv).split('(')[0]}.{method}"
    if root_const == "HTTP" and method in VERBS:
        return HttpRequest(call, "http_rb", label, _state("timeout" in chain))
    if method == "open" and (
        (recv.type == "call" and method_name(recv) == "URI" and nodes.receiver(recv) is None)
        or (root_const == "URI" and chain == ["parse"])
    ):
        return _per_call(call, "open_uri", label, 0, _READ, "read_timeout")
    if text(recv) == "self.class" and method in VERBS:
        scope = ctx.class_scope
        if scope is not None and ctx.index.includes_httparty(scope.facts.name):
            return _httparty_class(call, label, scope.facts.name, ctx)
        return None
    builder = _builder(recv, None, None)
    if builder is not None:
        return _on_connection(call, method, recv, builder, ctx)
    return None


def _bare(call: Node, method: str, ctx: RubyContext) -> HttpRequest | None:
    scope = ctx.class_scope
    if method in VERBS and scope is not None and ctx.index.includes_httparty(scope.facts.name):
        return _httparty_class(call, method, scope.facts.name, ctx)
    if method == "open":
        args = nodes.arguments(call)
        if args and args[0].type == "string" and text(args[0])[1:].startswith("http"):
            state, nil = _timeout_state(call, 1, _READ)
            return HttpRequest(call, "open_uri", "open", state, nil_value=nil)
    return None


# -- connections -----------------------------------------------------------------------------

_BUILDERS = {
    ("Faraday", "new"): "Faraday.new",
    ("Net::HTTP", "new"): "Net::HTTP.new",
    ("Net::HTTP", "start"): "Net::HTTP.start",
    ("Excon", "new"): "Excon.new",
    ("Typhoeus::Request", "new"): "Typhoeus::Request.new",
}


def _builder(expr: Node | None, target: Node | None, statement: Node | None) -> Builder | None:
    if expr is None or expr.type != "call":
        return None
    kind = _BUILDERS.get((constant_path(nodes.receiver(expr)) or "", method_name(expr) or ""))
    return Builder(kind, expr, target, statement) if kind else None


def resolve_connection(
    recv: Node, call: Node, ctx: RubyContext, method: Node | None, depth: int = 0
) -> Builder | None:
    """Where the connection object ``recv`` (used in ``method``) was built, within the class."""
    if depth > 4:
        return None
    if recv.type == "identifier":
        binding = ctx.semantic.binding_of(recv)
        if binding is None:  # a method of the class returning the connection
            return _from_method(text(recv), ctx, call, depth)
        if binding.kind == "block-parameter":  # Net::HTTP.start(...) do |http| ... end
            owner = ctx.semantic.enclosing(binding.name, ("block", "do_block"))
            return _builder(owner.parent, None, None) if owner is not None else None
        if binding.value is None:
            return None
        statement = binding.name.parent
        return _from_expr((binding.name, binding.value, statement), call, ctx, method, depth)
    if recv.type == "instance_variable":
        for value in ctx.semantic.ivar_values(recv):
            if _builder(value, None, None) is not None:
                left = value.parent.child_by_field_name("left")
                return _from_expr((left, value, value.parent), call, ctx, method, depth)
        return None
    if recv.type == "call" and nodes.receiver(recv) is None and not nodes.arguments(recv):
        return _from_method(method_name(recv) or "", ctx, call, depth)
    return None


def _from_expr(
    assignment: tuple[Node, Node, Node],
    call: Node,
    ctx: RubyContext,
    method: Node | None,
    depth: int,
) -> Builder | None:
    target, expr, statement = assignment
    built = _builder(expr, target, statement)
    if built is not None:
        return built
    if expr.type == "call" and nodes.receiver(expr) is not None:
        return None
    return resolve_connection(expr, call, ctx, method, depth + 1)


def _assignments(scope: Node) -> list[Node]:
    """Assignments in a subtree, in source order (captures come in the tree's order)."""
    return captures(ASSIGNMENTS, scope).get("assignment", [])


def _from_method(name: str, ctx: RubyContext, call: Node, depth: int) -> Builder | None:
    scope = ctx.class_scope
    if scope is None or name not in scope.methods:
        return None
    for method in scope.methods[name]:
        body = method.child_by_field_name("body")
        if body is None or not body.named_children:
            continue
        last = body.named_children[-1]
        if last.type in ("assignment", "operator_assignment"):
            left = last.child_by_field_name("left")
            right = last.child_by_field_name("right")
            if left is not None and right is not None:
                return _builder(right, left, last) or resolve_connection(
                    right, call, ctx, method, depth + 1
                )
        built = _builder(last, None, None)
        if built is not None:
            return built
        if last.type in ("identifier", "instance_variable"):
            return resolve_connection(last, last, ctx, method, depth + 1)
    return None


def _sets_timeout(scope: Node, target: Node) -> bool:
    """``var.read_timeout = n``, ``var.options.timeout = n``, ``var.options[:timeout] = n``."""
    name = text(target)
    for node in _assignments(scope):
        left = node.child_by_field_name("left")
        if left is None:
            continue
        written = text(left).replace(" ", "")
        if not written.startswith(name + "."):
            continue
        last = written.rsplit(".", 1)[-1]
        if (
            last in _ANY
            or last.startswith("options[:timeout]")
            or last.startswith("options[:read_timeout]")
        ):
            return True
    return False


def _on_connection(
    call: Node, method: str, recv: Node, builder: Builder, ctx: RubyContext
) -> HttpRequest | None:
    label = f"{text(recv).split('(')[0]}.{method}"
    kind = builder.kind

    def setters() -> bool:
        return _setter_on_target(builder, ctx)

    if kind == "Faraday.new":
        if method not in FARADAY_CONN:
            return None
        request_block = nodes.block(call)
        covered = (
            has_timeout_key(builder.call)
            or ctx.index.faraday_default_options is not None
            or (request_block is not None and has_timeout_key(request_block))
            or setters()
        )
        return HttpRequest(
            call,
            "faraday",
            label,
            _state(covered),
            builder=builder,
            option_call=builder.call,
            option_key="request",
        )
    if kind in ("Net::HTTP.new", "Net::HTTP.start"):
        if method not in NET_HTTP_INSTANCE:
            return None
        block_node = nodes.block(builder.call)
        covered = setters() or (
            kind == "Net::HTTP.start"
            and (
                _options_timeout(builder.call, 2, _READ).bounded
                or (block_node is not None and _block_sets(block_node))
            )
        )
        return HttpRequest(
            call,
            "net_http",
            label,
            _state(covered),
            builder=builder,
            option_call=builder.call if kind == "Net::HTTP.start" else None,
            option_key="read_timeout",
            positional=2,
        )
    if kind == "Excon.new":
        if method not in VERBS | {"request"}:
            return None
        covered = (
            _options_timeout(builder.call, 1, _READ).bounded
            or _options_timeout(call, 0, _READ).bounded
        )
        return HttpRequest(
            call,
            "excon",
            label,
            _state(covered),
            builder=builder,
            option_call=builder.call,
            option_key="read_timeout",
        )
    if kind == "Typhoeus::Request.new" and method == "run":
        covered = _options_timeout(builder.call, 1, frozenset({"timeout"})).bounded
        return HttpRequest(
            call,
            "typhoeus",
            label,
            _state(covered),
            builder=builder,
            option_call=builder.call,
            option_key="timeout",
        )
    return None


def _setter_on_target(builder: Builder, ctx: RubyContext) -> bool:
    """A timeout set on the variable the connection was stored in (its method, or the class)."""
    target = builder.target
    if target is None:
        return False
    scope: Node | None = target
    if target.type == "identifier":
        while scope is not None and scope.type not in ("method", "singleton_method"):
            scope = scope.parent
    else:
        scope = ctx.class_scope.node if ctx.class_scope is not None else None
    return scope is not None and _sets_timeout(scope, target)


def _block_sets(block_node: Node) -> bool:
    params = nodes.block_params(block_node)
    if not params:
        return False
    body = nodes.block_body(block_node)
    if body is None:
        return False
    for node in _assignments(body):
        left = node.child_by_field_name("left")
        if left is not None and text(left).replace(" ", "") in (
            f"{params[0]}.read_timeout",
            f"{params[0]}.timeout",
        ):
            return True
    return False


def _state(covered: bool) -> TimeoutState:
    return TimeoutState.SET if covered else TimeoutState.MISSING
