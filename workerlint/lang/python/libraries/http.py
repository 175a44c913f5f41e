"""HTTP (and mail) request calls in Python, as ``HttpRequest`` facts with their timeout state
(PYTHON.md §2 WL201, §9):

- requests: ``requests.get/post/put/patch/delete/head/options/request`` and the same (and
  ``send``) on a ``requests.Session()``: no default timeout. ``session.timeout = N`` is silently
  ignored by requests, so it never counts; a mounted project ``HTTPAdapter`` subclass that
  overrides ``send`` (the usual way to give a session a default) does, and so does a project
  ``Session`` subclass that overrides ``request`` or ``send``.
- urllib: ``urllib.request.urlopen(url)`` (socket default: none); ``http.client.HTTP(S)Connection``
  and ``smtplib.SMTP``/``SMTP_SSL``/``LMTP``: the timeout belongs in the constructor; the request
  is the sending call (``request``, ``sendmail``/``send_message``).
- urllib3: ``PoolManager``/connection pools and ``urllib3.request``: ``Timeout.DEFAULT_TIMEOUT``
  is the socket default (none) unless the pool or the call gives one.
- httpx: 5 s by default, so only an explicit ``timeout=None`` (or ``Timeout(None)``), on the call
  or on the ``Client``/``AsyncClient``, leaves it unbounded.
- imaplib, poplib, ftplib: the constructor connects and reads the greeting; its ``timeout``
  (positional or keyword-only, by class) is the socket default (none) when not given;
- Django mail: ``send_mail``/``send_mass_mail``/``mail_admins``/``mail_managers`` and
  ``.send()`` on an ``EmailMessage``/``EmailMultiAlternatives`` (or a project subclass): bounded
  by ``connection=get_connection(timeout=...)``, else by the settings' ``EMAIL_TIMEOUT``, which
  the rule reads (PYTHON.md §9);
- aiohttp: ``ClientTimeout(total=300, sock_connect=30)`` by default; ``ClientSession(timeout=None)``
  means that default; a request-level ``timeout=None`` and a bare ``ClientTimeout()`` (every
  field None) leave it unbounded.

A client is followed from the request to where it was built with the semantic model's
``value_of`` (locals, ``with ... as s``, ``self.s = ...`` in the class, module-level clients),
and across modules through the project index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Builder, HttpRequest, TimeoutState
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
# Names a request call can be made by (what the walk dispatches on).
REQUEST_NAMES = VERBS | frozenset(
    {"send", "urlopen", "sendmail", "send_message", "stream", "request_encode_url",
     "request_encode_body", "IMAP4", "IMAP4_SSL", "POP3", "POP3_SSL", "FTP", "FTP_TLS",
     "send_mail", "send_mass_mail", "mail_admins", "mail_managers"}
)  # fmt: skip

_REQUESTS_FUNCTIONS = frozenset(
    f"{module}.{verb}" for module in ("requests", "requests.api") for verb in VERBS
)
_HTTPX_FUNCTIONS = frozenset(f"httpx.{verb}" for verb in (*VERBS, "stream"))
_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
_HTTPX_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient"})
_AIOHTTP_SESSIONS = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession"})
_URLLIB3_POOLS = frozenset(
    {"urllib3.PoolManager", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
     "urllib3.connection_from_url", "urllib3.ProxyManager", "urllib3.proxy_from_url"}
)  # fmt: skip
_URLLIB3_METHODS = frozenset({"request", "urlopen", "request_encode_url", "request_encode_body"})
# Clients whose timeout is given to the constructor and that send in a separate call:
# constructor -> (client, the position of the timeout among its arguments, the sending calls).
_CONSTRUCTED = {
    "http.client.HTTPConnection": ("http_client", 2, frozenset({"request"})),
    "http.client.HTTPSConnection": ("http_client", 2, frozenset({"request"})),
    "smtplib.SMTP": ("smtplib", 3, frozenset({"sendmail", "send_message"})),
    "smtplib.SMTP_SSL": ("smtplib", 3, frozenset({"sendmail", "send_message"})),
    "smtplib.LMTP": ("smtplib", 3, frozenset({"sendmail", "send_message"})),
}
# Clients that connect (and read the server's greeting) in their constructor: qualified name ->
# (client, the position of the timeout among its arguments, None when keyword-only).
_CONNECTING = {
    "imaplib.IMAP4": ("imaplib", 2),
    "imaplib.IMAP4_SSL": ("imaplib", None),
    "poplib.POP3": ("poplib", 2),
    "poplib.POP3_SSL": ("poplib", None),
    "ftplib.FTP": ("ftplib", 4),
    "ftplib.FTP_TLS": ("ftplib", None),
}
# Django's mail functions: they send through the configured backend (SMTP: EMAIL_TIMEOUT).
_DJANGO_MAIL = frozenset(
    f"django.core.mail.{name}"
    for name in ("send_mail", "send_mass_mail", "mail_admins", "mail_managers")
)
_DJANGO_MESSAGES = frozenset(
    {"django.core.mail.EmailMessage", "django.core.mail.EmailMultiAlternatives",
     "django.core.mail.message.EmailMessage", "django.core.mail.message.EmailMultiAlternatives"}
)  # fmt: skip
_GET_CONNECTION = frozenset({"django.core.mail.get_connection"})
_ADAPTER_BASES = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})
_TIMEOUT_OVERRIDES = frozenset({"send", "request"})

# How long a hung server holds the worker, per client, for messages.
DEFAULT_WAIT = {
    "requests": "forever (requests has no default timeout)",
    "urllib": "forever (urllib's socket default is none)",
    "urllib3": "forever (urllib3's default is the socket default: none)",
    "http_client": "forever (http.client's socket default is none)",
    "smtplib": "forever (smtplib's socket default is none)",
    "httpx": "forever",
    "aiohttp": "forever",
    "imaplib": "forever (imaplib's socket default is none)",
    "poplib": "forever (poplib's socket default is none)",
    "ftplib": "forever (ftplib's socket default is none)",
    "django_mail": "forever (smtplib's socket default is none)",
}
# Clients whose unset timeout is the socket module's default, which
# ``socket.setdefaulttimeout(N)`` bounds (requests passes an explicit None: never).
SOCKET_DEFAULT = frozenset(
    {"urllib", "urllib3", "http_client", "smtplib", "imaplib", "poplib", "ftplib", "django_mail"}
)


def classify(call: Node, ctx: PythonContext) -> HttpRequest | None:
    """The request a call sends, or None when it is not one."""
    key = ("http", call.start_byte, call.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _classify(call, ctx)
    result: HttpRequest | None = ctx.memo[key]
    return result


def _classify(call: Node, ctx: PythonContext) -> HttpRequest | None:
    name = nodes.call_name(call)
    if name not in REQUEST_NAMES:
        return None
    function = nodes.callee(call)
    qualified = ctx.semantic.qualified_name(function)
    label = _label(function)
    if qualified is not None:
        if _wrapped(qualified, ctx):
            return None
        if qualified in _REQUESTS_FUNCTIONS:
            return _on_call(call, "requests", label)
        if qualified in _HTTPX_FUNCTIONS:
            return _httpx(call, None, label, ctx)
        if qualified in ("urllib.request.urlopen", "urllib2.urlopen"):
            return _on_call(call, "urllib", label, position=2)
        if qualified == "urllib3.request":
            return _on_call(call, "urllib3", label)
        if qualified in _CONNECTING:
            client, position = _CONNECTING[qualified]
            return _on_call(call, client, label, position=position)
        if qualified in _DJANGO_MAIL:
            return _django_mail(call, call, label, ctx)
    receiver = nodes.receiver(call)
    if name == "send" and receiver is not None:
        message = _django_message(receiver, ctx)
        if message is not None:
            return _django_mail(call, message, label, ctx)
    if receiver is None:
        return None
    built = _builder(receiver, ctx)
    if built is None:
        return None
    builder_qualified, builder_call, target, statement = built
    kind = _builder_kind(builder_qualified, ctx)
    if kind is None:
        return None
    builder = (
        Builder(f"{_short(builder_qualified)}()", builder_call, target, statement)
        if builder_call is not None
        else None
    )
    if kind == "requests-session":
        if name not in VERBS and name != "send":
            return None
        if _session_has_default(builder_qualified, receiver, ctx):
            return HttpRequest(call, "requests", label, TimeoutState.SET, builder=builder)
        return _on_call(call, "requests", label, builder=builder)
    if kind == "httpx":
        if name not in VERBS and name not in ("send", "stream"):
            return None
        return _httpx(call, builder, label, ctx)
    if kind == "aiohttp":
        if name not in VERBS:
            return None
        return _aiohttp(call, builder, label, ctx)
    if kind == "urllib3":
        if name not in _URLLIB3_METHODS:
            return None
        if builder_call is not None and "timeout" in nodes.keywords(builder_call):
            return HttpRequest(call, "urllib3", label, TimeoutState.SET, builder=builder)
        return _on_call(call, "urllib3", label, builder=builder)
    client, position, senders = _CONSTRUCTED[builder_qualified]
    if name not in senders:
        return None
    if builder_call is None:
        state = TimeoutState.UNKNOWN
    else:
        state = _state(builder_call, "timeout", position)
    return HttpRequest(
        call,
        client,
        label,
        state,
        option_call=builder_call,
        positional=position,
        builder=builder,
        nil_value=_nil(builder_call, "timeout", position) if builder_call is not None else None,
    )


def _django_message(receiver: Node, ctx: PythonContext) -> Node | None:
    """The ``EmailMessage(...)`` call a ``.send()`` receiver was built by, if it was."""
    value = ctx.semantic.value_of(receiver)
    if value.type != "call":
        return None
    qualified = ctx.semantic.qualified_name(nodes.callee(value))
    if qualified is None:
        return None
    if qualified in _DJANGO_MESSAGES or _project_subclass(qualified, _DJANGO_MESSAGES, ctx):
        return value
    return None


def _django_mail(call: Node, options: Node, label: str, ctx: PythonContext) -> HttpRequest:
    """Django mail: bounded by a ``connection=get_connection(timeout=...)`` given to the call
    (or to the message); otherwise it is the settings' to bound (the rule reads
    ``EMAIL_TIMEOUT``), so MISSING here."""
    connection = nodes.keywords(options).get("connection")
    if connection is None and options is not call:
        connection = nodes.keywords(call).get("connection")
    if connection is None:
        state = (
            TimeoutState.UNKNOWN if nodes.has_splat(options, double=True) else TimeoutState.MISSING
        )
        return HttpRequest(call, "django_mail", label, state)
    built = ctx.semantic.value_of(connection)
    if built.type == "call" and ctx.semantic.qualified_name(nodes.callee(built)) in _GET_CONNECTION:
        return HttpRequest(call, "django_mail", label, _state(built, "timeout"))
    return HttpRequest(call, "django_mail", label, TimeoutState.UNKNOWN)


def _label(function: Node | None) -> str:
    written = nodes.dotted(function)
    return written if written is not None else text(function)


def _short(qualified: str) -> str:
    """``requests.Session`` from ``requests.sessions.Session``; project classes by name."""
    parts = qualified.split(".")
    return ".".join(parts[-2:]) if parts[0] in _LIBRARIES else parts[-1]


_LIBRARIES = frozenset({"requests", "httpx", "aiohttp", "urllib3", "http", "smtplib"})


def _wrapped(qualified: str, ctx: PythonContext) -> bool:
    """Whether a call goes through a wrapper the ``http-wrappers`` setting names."""
    for wrapper in ctx.settings.http_wrappers:
        if qualified == wrapper or qualified.startswith(wrapper + "."):
            return True
    return False


def _builder(
    receiver: Node, ctx: PythonContext
) -> tuple[str, Node | None, Node | None, Node | None] | None:
    """(qualified name of what built the client, the building call when in this file, the
    name it was stored in, the assignment statement)."""
    value = ctx.semantic.value_of(receiver)
    if value.type == "call":
        qualified = ctx.semantic.qualified_name(nodes.callee(value))
        if qualified is None:
            return None
        target, statement = _stored(receiver, value)
        return qualified, value, target, statement
    qualified = ctx.semantic.qualified_name(value)
    if qualified is None:
        return None
    # A client built in another module (``from shop.http import session``).
    found = ctx.index.resolve(qualified)
    if found is None or found.kind != "assignment" or found.rest:
        return None
    assignment = found.facts.assignment(found.name)
    if assignment is None or assignment.call is None or assignment.call.name is None:
        return None
    return ctx.index.absolute(assignment.call.name, found.relpath), None, None, None


def _stored(receiver: Node, value: Node) -> tuple[Node | None, Node | None]:
    parent = value.parent
    if parent is not None and parent.type == "assignment":
        return parent.child_by_field_name("left"), parent
    return (receiver if receiver.type in ("identifier", "attribute") else None), None


def _builder_kind(qualified: str, ctx: PythonContext) -> str | None:
    if qualified in _SESSIONS:
        return "requests-session"
    if qualified in _HTTPX_CLIENTS:
        return "httpx"
    if qualified in _AIOHTTP_SESSIONS:
        return "aiohttp"
    if qualified in _URLLIB3_POOLS:
        return "urllib3"
    if qualified in _CONSTRUCTED:
        return "constructed"
    if _project_subclass(qualified, _SESSIONS, ctx) is not None:
        return "requests-session"
    return None


def _project_subclass(
    qualified: str, bases: frozenset[str], ctx: PythonContext
) -> tuple[str, str] | None:
    """(relpath, class name) of a project class deriving from one of ``bases``."""
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "class" or target.rest:
        return None
    if bases & set(ctx.index.class_bases(target.relpath, target.name)):
        return target.relpath, target.name
    return None


def _overrides(relpath: str, name: str, methods: frozenset[str], ctx: PythonContext) -> bool:
    """Whether a project class, or a project base of it, defines one of ``methods``."""
    facts = ctx.index.files.get(relpath)
    cls = facts.cls(name) if facts is not None else None
    if cls is not None and methods & set(cls.methods):
        return True
    for base in ctx.index.class_bases(relpath, name):
        target = ctx.index.resolve(base)
        if target is None or target.kind != "class" or target.rest:
            continue
        found = target.facts.cls(target.name)
        if found is not None and methods & set(found.methods):
            return True
    return False


def _session_has_default(qualified: str, receiver: Node, ctx: PythonContext) -> bool:
    """A requests session with a default timeout: a project Session subclass overriding
    ``request``/``send``, or a mounted project adapter overriding ``send``."""
    subclass = _project_subclass(qualified, _SESSIONS, ctx)
    if subclass is not None and _overrides(*subclass, _TIMEOUT_OVERRIDES, ctx):
        return True
    return any(_adapter_has_default(adapter, ctx) for adapter in _mounted_adapters(receiver, ctx))


def _mounted_adapters(receiver: Node, ctx: PythonContext) -> list[Node]:
    """The adapters given to ``<session>.mount(prefix, adapter)`` for this session: in the same
    function (or, for ``self.x``, the same class; for a module-level session, the module)."""
    written = text(receiver)
    scope = ctx.semantic.enclosing_function(receiver)
    if receiver.type == "attribute":
        scope = ctx.semantic.enclosing_class(receiver) or scope
    elif receiver.type == "identifier" and not ctx.semantic.is_local(receiver):
        scope = None
    root = scope if scope is not None else ctx.tree.root_node
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "call" and nodes.call_name(node) == "mount":
            owner = nodes.receiver(node)
            args = nodes.arguments(node)
            if owner is not None and text(owner) == written and len(args) >= 2:
                found.append(args[1])
        stack.extend(node.named_children)
    return found


def _adapter_has_default(adapter: Node, ctx: PythonContext) -> bool:
    value = ctx.semantic.value_of(adapter)
    if value.type != "call":
        return False
    qualified = ctx.semantic.qualified_name(nodes.callee(value))
    if qualified is None:
        return False
    subclass = _project_subclass(qualified, _ADAPTER_BASES, ctx)
    return subclass is not None and _overrides(*subclass, frozenset({"send"}), ctx)


def _state(call: Node, key: str, position: int | None = None) -> TimeoutState:
    """The timeout state of a call's own ``key=`` option (or its positional argument)."""
    value = nodes.keywords(call).get(key)
    if value is None and position is not None:
        args = nodes.arguments(call)
        if len(args) > position and args[position].type != "list_splat":
            value = args[position]
    if value is None:
        if nodes.has_splat(call, double=True) or nodes.has_splat(call):
            return TimeoutState.UNKNOWN
        return TimeoutState.MISSING
    if _is_none(value):
        return TimeoutState.NIL
    return TimeoutState.SET


def _nil(call: Node, key: str, position: int | None = None) -> Node | None:
    value = nodes.keywords(call).get(key)
    if value is None and position is not None:
        args = nodes.arguments(call)
        value = args[position] if len(args) > position else None
    return value if value is not None and _is_none(value) else None


def _is_none(value: Node) -> bool:
    return nodes.unwrap(value).type == "none"


def _on_call(
    call: Node,
    client: str,
    label: str,
    *,
    position: int | None = None,
    builder: Builder | None = None,
) -> HttpRequest:
    return HttpRequest(
        call,
        client,
        label,
        _state(call, "timeout", position),
        option_call=call,
        positional=position or 0,
        builder=builder,
        nil_value=_nil(call, "timeout", position),
    )


def _unbounded_timeout(value: Node, ctx: PythonContext, constructors: frozenset[str]) -> bool:
    """``None``, or a timeout object built with no bound (``httpx.Timeout(None)``,
    ``aiohttp.ClientTimeout()``)."""
    value = nodes.unwrap(value)
    if value.type == "none":
        return True
    built = ctx.semantic.value_of(value)
    if built.type != "call":
        return False
    if ctx.semantic.qualified_name(nodes.callee(built)) not in constructors:
        return False
    args = nodes.arguments(built)
    keywords = nodes.keywords(built)
    if not args and not keywords:
        return not nodes.has_splat(built) and not nodes.has_splat(built, double=True)
    values = [*args, *keywords.values()]
    return all(nodes.unwrap(v).type == "none" for v in values)


_HTTPX_TIMEOUTS = frozenset({"httpx.Timeout"})
_AIOHTTP_TIMEOUTS = frozenset({"aiohttp.ClientTimeout", "aiohttp.client.ClientTimeout"})


def _httpx(call: Node, builder: Builder | None, label: str, ctx: PythonContext) -> HttpRequest:
    return _defaulted(call, builder, label, ctx, "httpx", _HTTPX_TIMEOUTS, none_is_default=False)


def _aiohttp(call: Node, builder: Builder | None, label: str, ctx: PythonContext) -> HttpRequest:
    return _defaulted(call, builder, label, ctx, "aiohttp", _AIOHTTP_TIMEOUTS, none_is_default=True)


def _defaulted(
    call: Node,
    builder: Builder | None,
    label: str,
    ctx: PythonContext,
    client: str,
    constructors: frozenset[str],
    *,
    none_is_default: bool,
) -> HttpRequest:
    """A client with a bounded default: unbounded only when the call (or the client, where
    ``None`` does not mean the default there) says so."""
    value = nodes.keywords(call).get("timeout")
    where = call
    if value is None and builder is not None:
        value = nodes.keywords(builder.call).get("timeout")
        where = builder.call
        if value is not None and none_is_default and _is_none(value):
            value = None  # ClientSession(timeout=None) means the default
    if value is not None and _unbounded_timeout(value, ctx, constructors):
        return HttpRequest(
            call,
            client,
            label,
            TimeoutState.NIL,
            option_call=where,
            builder=builder,
            nil_value=nodes.unwrap(value),
        )
    return HttpRequest(call, client, label, TimeoutState.SET, builder=builder)
