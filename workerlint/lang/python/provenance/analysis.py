"""The enqueue sites of one Python module and where what they pass comes from (RULES.md,
"Provenance"; PYTHON.md §2, §9).

Sites: ``t.delay(...)``, ``t.apply_async(args, kwargs)``, ``t.s(...)``/``t.si(...)``,
``t.send(...)``/``send_with_options(args=, kwargs=)`` (Dramatiq), ``q.enqueue(f, ...)`` and
``enqueue_in``/``enqueue_at``/``enqueue_call`` (RQ), ``app.send_task("name", args, kwargs)``,
``async_task("mod.f", ...)`` (Django-Q), ``enqueue_job("f", ...)`` (arq). Which of them enqueue a
task is decided at query time, when the index resolves what they name.

Sources of a value, through locals assigned in the function: the request (Django
``request.GET/POST/body/FILES/headers/COOKIES/META``, DRF ``request.data/query_params``, Flask
``request.args/form/json/values/files/get_json()``, Starlette ``request.query_params/
path_params/json()/form()``, the URL parameters of a Django view, the parameters of a FastAPI
endpoint), stored data (a field read from a record fetched with ``get``/``first``/... or from
``self`` in a model), a task's own argument passed on, else unknown. Internal (no source):
literals, constants, ids (``.pk``, ``.id``, ``*_id``), numbers, times, ``uuid4()``,
``secrets.*``, ``default_storage.save(...)``, ``NamedTemporaryFile().name``,
``mkdtemp()``/``mkstemp()``, a record or class itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text
from workerlint.lang.python.parse import captures
from workerlint.lang.python.provenance.facts import (
    ARGUMENT,
    REQUEST,
    STORED,
    UNKNOWN,
    EnqueueSite,
    Slot,
    Source,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.semantic import SemanticModel

Qualify = Callable[["Node | None"], "str | None"]

ENQUEUES = frozenset(
    {"delay", "apply_async", "s", "si", "send", "send_with_options", "enqueue", "enqueue_in",
     "enqueue_at", "enqueue_call", "send_task", "async_task", "enqueue_job", "delay_on_commit",
     "apply_async_on_commit"}
)  # fmt: skip
PREFILTER = (b".delay", b".apply_async", b".s(", b".si(", b".send", b"enqueue", b"send_task",
             b"async_task", b'"schedule"', b"'schedule'")  # fmt: skip
# Keyword options of the enqueue calls, not task arguments.
RQ_OPTIONS = frozenset(
    {"job_timeout", "result_ttl", "ttl", "failure_ttl", "depends_on", "job_id", "at_front",
     "meta", "description", "retry", "on_success", "on_failure", "on_stopped", "timeout",
     "pipeline", "_job_id", "_queue_name", "_defer_until", "_defer_by", "_expires", "_job_try",
     "q_options", "hook", "group", "task_name", "cluster", "save", "sync", "cached", "ack_failure"}
)  # fmt: skip
REQUEST_ATTRIBUTES = frozenset(
    {"GET", "POST", "body", "FILES", "headers", "COOKIES", "META", "data", "query_params",
     "args", "form", "json", "values", "files", "cookies", "path_params", "get_json",
     "get_data", "stream", "query_string", "raw_post_data"}
)  # fmt: skip
# Reads of a part of a value or conversions: the result comes from the value.
READS = frozenset(
    {"get", "getlist", "lower", "upper", "strip", "split", "replace", "format", "decode",
     "encode", "items", "values", "keys", "copy", "dict", "get_json", "json", "form",
     "get_data", "read", "lists", "pop"}
)  # fmt: skip
CONVERSIONS = frozenset(
    {"str", "int", "float", "list", "tuple", "set", "dict", "sorted", "bool", "json.loads",
     "decimal.Decimal", "uuid.UUID", "base64.b64decode", "urllib.parse.unquote"}
)  # fmt: skip
INTERNAL_CALLS = frozenset(
    {"uuid.uuid4", "uuid.uuid1", "tempfile.mkdtemp", "tempfile.mkstemp", "tempfile.mktemp",
     "django.utils.timezone.now", "datetime.datetime.now", "datetime.datetime.utcnow",
     "datetime.date.today", "time.time", "timezone.now", "os.getpid", "socket.gethostname"}
)  # fmt: skip
INTERNAL_MODULES = ("secrets.",)
RECORD_GETTERS = frozenset(
    {"get", "first", "last", "create", "get_or_create", "earliest", "latest", "get_object_or_404",
     "update_or_create", "refresh_from_db", "scalar_one", "scalar", "one", "one_or_none"}
)  # fmt: skip
ENDPOINTS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "websocket"})
# Expressions whose value comes from any of their parts.
PARTS = frozenset(
    {"concatenated_string", "list", "tuple", "set", "expression_list", "binary_operator",
     "list_splat", "parenthesized_expression", "conditional_expression", "boolean_operator",
     "dictionary", "pair"}
)  # fmt: skip
MAX_DEPTH = 10
SHOWN = 60


def sites(root: Node, semantic: SemanticModel, qualify: Qualify) -> tuple[EnqueueSite, ...]:
    """The enqueue sites of the module (``qualify``: a name as written, model.py's)."""
    data = root.text or b""
    if not any(p in data for p in PREFILTER):
        return ()
    found: list[EnqueueSite] = []
    # The calls by a name and the dictionaries, in the order of the tree (one query, not a
    # Python walk of every node).
    for node in captures(_CANDIDATES, root).get("node", ()):
        if node.type == "call":
            if nodes.call_name(node) in ENQUEUES:
                site = Site(node, semantic, qualify).build()
                if site is not None:
                    found.append(site)
        else:
            site = beat_entry(node, semantic, qualify)
            if site is not None:
                found.append(site)
    return tuple(found)


# What ``sites`` reads: a call by a name (``nodes.call_name`` is None for any other), and a
# dictionary (a beat entry).
_CANDIDATES = "[(call function: [(identifier) (attribute)]) (dictionary)] @node"


def beat_entry(node: Node, semantic: SemanticModel, qualify: Qualify) -> EnqueueSite | None:
    """A Celery beat entry, ``{"task": "shop.tasks.f", "schedule": ..., "args": (...)}``: an
    enqueue site of the task it names, passing its ``args`` and ``kwargs`` (PYTHON.md §9)."""
    pairs: dict[str, Node] = {}
    for pair in node.named_children:
        key = nodes.string_value(pair.child_by_field_name("key")) if pair.type == "pair" else None
        value = pair.child_by_field_name("value") if pair.type == "pair" else None
        if key is not None and value is not None:
            pairs[key] = value
    task = nodes.string_value(pairs.get("task"))
    if task is None or "schedule" not in pairs:
        return None
    site = Site(node, semantic, qualify)
    return site.packed(f"beat entry {task}", f"name:{task}", pairs.get("args"), pairs.get("kwargs"))


class Site:
    """One enqueue call (or beat entry) being read."""

    def __init__(self, call: Node, semantic: SemanticModel, qualify: Qualify) -> None:
        self.call = call
        self.semantic = semantic
        self.qualify = qualify
        self.function = semantic.enclosing_function(call)

    def build(self) -> EnqueueSite | None:
        call = self.call
        name = nodes.call_name(call) or ""
        args = nodes.arguments(call)
        keywords = nodes.keywords(call)
        receiver = nodes.receiver(call)
        label = f"{_written(nodes.callee(call))}"
        if name in ("send_task", "async_task", "enqueue_job"):
            task = nodes.string_value(args[0]) if args else None
            if task is None:
                return None
            target = f"name:{task.rsplit('.', 1)[-1] if name == 'enqueue_job' else task}"
            if name == "send_task":
                return self.packed(label, target, keywords.get("args"), keywords.get("kwargs"))
            return self._plain(label, target, args[1:], keywords, RQ_OPTIONS)
        if name in ("enqueue", "enqueue_in", "enqueue_at", "enqueue_call"):
            skip = 1 if name in ("enqueue_in", "enqueue_at") else 0
            function = keywords.get("func") or (args[skip] if len(args) > skip else None)
            target = self._target(function)
            if target is None:
                return None
            if name == "enqueue_call":
                return self.packed(label, target, keywords.get("args"), keywords.get("kwargs"))
            return self._plain(label, target, args[skip + 1 :], keywords, RQ_OPTIONS)
        target = self._target(receiver)
        if target is None:
            return None
        if name in ("apply_async", "apply_async_on_commit", "send_with_options"):
            given = keywords.get("args") or (args[0] if args else None)
            kwargs = keywords.get("kwargs") or (args[1] if len(args) > 1 else None)
            return self.packed(label, target, given, kwargs)
        return self._plain(label, target, args, keywords, frozenset())

    def _target(self, node: Node | None) -> str | None:
        if node is None:
            return None
        head = node
        while head.type == "attribute":
            head = head.child_by_field_name("object") or head
        if head.type != "identifier" or self.semantic.is_local(head):
            return None
        return self.qualify(node)

    def _plain(
        self,
        label: str,
        target: str,
        args: list[Node],
        keywords: dict[str, Node],
        options: frozenset[str],
    ) -> EnqueueSite:
        positional: list[Slot] = []
        rest: Slot | None = None
        for arg in args:
            if arg.type == "list_splat":
                rest = self.slot(arg.named_children[0] if arg.named_children else arg)
                break
            positional.append(self.slot(arg))
        named = tuple((k, self.slot(v)) for k, v in keywords.items() if k not in options)
        holder = self.call.child_by_field_name("arguments")
        for child in holder.named_children if holder is not None else ():
            if child.type == "dictionary_splat" and child.named_children:
                rest = self.slot(child.named_children[0])
        return EnqueueSite(nodes.line_of(self.call), label, target, tuple(positional), named, rest)

    def packed(
        self, label: str, target: str, args: Node | None, kwargs: Node | None
    ) -> EnqueueSite:
        """``apply_async(args, kwargs)``: literal tuples and dicts read item by item."""
        positional: list[Slot] = []
        named: list[tuple[str, Slot]] = []
        rest: Slot | None = None
        if args is not None:
            inner = nodes.unwrap(args)
            if inner.type in ("list", "tuple"):
                for item in inner.named_children:
                    if item.type == "list_splat":
                        rest = self.slot(item)
                        break
                    positional.append(self.slot(item))
            else:
                rest = self.slot(args)
        if kwargs is not None:
            inner = nodes.unwrap(kwargs)
            if inner.type == "dictionary":
                for pair in inner.named_children:
                    key = nodes.string_value(pair.child_by_field_name("key"))
                    value = pair.child_by_field_name("value")
                    if pair.type == "pair" and key is not None and value is not None:
                        named.append((key, self.slot(value)))
                    elif pair.type != "comment":
                        rest = self.slot(pair)
            elif inner.type == "call" and nodes.call_name(inner) == "dict":
                named.extend((k, self.slot(v)) for k, v in nodes.keywords(inner).items())
            else:
                rest = self.slot(kwargs)
        line = nodes.line_of(self.call)
        return EnqueueSite(line, label, target, tuple(positional), tuple(named), rest)

    # -- sources ---------------------------------------------------------------------------------
    def slot(self, node: Node) -> Slot:
        return Slot(_written(node), tuple(dict.fromkeys(self.sources(node, 0))))

    def sources(self, node: Node | None, depth: int) -> list[Source]:
        if node is None or depth > MAX_DEPTH:
            return []
        node = nodes.unwrap(node)
        kind = node.type
        if kind in ("integer", "float", "true", "false", "none", "comment"):
            return []
        if kind == "string":
            holes = [c.child_by_field_name("expression") for c in node.named_children
                     if c.type == "interpolation"]  # fmt: skip
            return [s for h in holes for s in self.sources(h, depth + 1)]
        if kind in PARTS:
            return [s for c in node.named_children for s in self.sources(c, depth + 1)]
        if kind in ("list_comprehension", "generator_expression", "set_comprehension"):
            clauses = [c for c in node.named_children if c.type == "for_in_clause"]
            return [
                s for c in clauses for s in self.sources(c.child_by_field_name("right"), depth + 1)
            ]
        if kind == "identifier":
            return self._name(node, depth)
        if kind == "attribute":
            return self._attribute(node, depth)
        if kind == "subscript":
            return self._read(node, node.child_by_field_name("value"), depth)
        if kind == "call":
            return self._call(node, depth)
        if kind == "await":
            return self.sources(node.named_children[-1] if node.named_children else None, depth + 1)
        return [Source(UNKNOWN, _written(node), nodes.line_of(node))]

    def _name(self, node: Node, depth: int) -> list[Source]:
        name = text(node)
        binding = self.semantic.binding_of(node)
        if binding is None:
            return (
                []
                if name.isupper() or name in ("True", "False", "None")
                else [Source(UNKNOWN, name, nodes.line_of(node))]
            )
        if binding.kind in ("import", "def", "class"):
            return []
        if binding.kind == "parameter":
            return self._parameter(node, binding.node)
        if binding.scope.kind == "module":
            return [] if name.isupper() else [Source(UNKNOWN, name, nodes.line_of(node))]
        found: list[Source] = []
        for definition in self.semantic.definitions(node):
            value = definition.value
            if value is not None:
                found.extend(self.sources(value, depth + 1))
            else:
                found.append(Source(UNKNOWN, name, nodes.line_of(node)))
        return found

    def _parameter(self, use: Node, param: Node) -> list[Source]:
        function = nodes.enclosing(param, ("function_definition", "lambda"))
        line = nodes.line_of(use)
        name = text(use)
        if function is None or function.type != "function_definition":
            return [Source(UNKNOWN, name, line)]
        params = [p for p, _, _ in nodes.parameters(function)]
        if name == "request" or _endpoint(function):
            return [Source(REQUEST, name, line)]
        if params and params[0] == "request":  # a Django view: the URL's captured values
            return [Source(REQUEST, name, line)]
        if name == "instance" and "sender" in params:  # a signal receiver's record
            return []
        owner = self.semantic.function_at(param)
        qualname = owner.qualname if owner is not None and owner.node == function else ""
        if qualname:
            return [Source(ARGUMENT, name, line, qualname, params.index(name))]
        return [Source(UNKNOWN, name, line)]

    def _attribute(self, node: Node, depth: int) -> list[Source]:
        obj = node.child_by_field_name("object")
        attribute = text(node.child_by_field_name("attribute"))
        line = nodes.line_of(node)
        if obj is None:
            return []
        if attribute in ("pk", "id", "uuid", "name", "__name__") or attribute.endswith("_id"):
            return []  # an id, or a class's name
        if attribute in REQUEST_ATTRIBUTES and _request(obj):
            return [Source(REQUEST, _written(node), line)]
        if _request(obj) and attribute == "user":
            return []
        if obj.type == "identifier" and text(obj) == "self":
            cls = self.semantic.enclosing_class(node)
            if cls is not None and _model_class(cls):
                return [Source(STORED, _written(node), line)]
            return [Source(UNKNOWN, _written(node), line)]
        if _record(self.semantic.value_of(obj)) or (obj.type == "identifier"
                                                    and text(obj) == "instance"):  # fmt: skip
            return [Source(STORED, _written(node), line)]
        inner = self.sources(obj, depth + 1)
        return [s for s in inner if s.kind in (REQUEST, ARGUMENT)] or (
            [Source(UNKNOWN, _written(node), line)] if inner else []
        )

    def _read(self, node: Node, container: Node | None, depth: int) -> list[Source]:
        """A part of a value read (``request.GET["k"]``, ``data.get("k")``): its sources, shown
        as the read when that is where the request is first named."""
        inner = self.sources(container, depth + 1)
        written = _written(node)
        shown = _written(container)
        return [
            Source(s.kind, written, s.line, s.owner, s.position)
            if s.kind == REQUEST and s.shown == shown and len(written) <= SHOWN
            else s
            for s in inner
        ]

    def _call(self, node: Node, depth: int) -> list[Source]:
        function = nodes.callee(node)
        name = nodes.call_name(node) or ""
        qualified = self.semantic.qualified_name(function) or ""
        line = nodes.line_of(node)
        recv = nodes.receiver(node)
        args = nodes.arguments(node)
        if qualified in INTERNAL_CALLS or qualified.startswith(INTERNAL_MODULES):
            return []
        if name == "save" and recv is not None and text(recv).endswith("storage"):
            return []
        if name == "NamedTemporaryFile" or qualified.endswith("NamedTemporaryFile"):
            return []
        if name in RECORD_GETTERS and recv is not None and _queryish(recv):
            return []  # a record itself (WL403 judges it): it is no request value
        if recv is not None and name in READS:
            if _request(recv) and name in REQUEST_ATTRIBUTES:
                return [Source(REQUEST, _written(node), line)]
            return self._read(node, recv, depth)
        if qualified in CONVERSIONS:
            return [s for a in args for s in self.sources(a, depth + 1)]
        if name.isupper() or (name[:1].isupper() and not args and not nodes.keywords(node)):
            return []
        return [Source(UNKNOWN, _written(node), line)]


def _written(node: Node | None) -> str:
    return nodes.describe(node, SHOWN)


def _request(node: Node | None) -> bool:
    """``request`` or ``self.request`` (a view's request), as the root of a read."""
    if node is None:
        return False
    node = nodes.unwrap(node)
    if node.type == "identifier":
        return text(node) in ("request", "req")
    if node.type == "attribute":
        obj = node.child_by_field_name("object")
        attribute = text(node.child_by_field_name("attribute"))
        if attribute == "request" and obj is not None and text(obj) == "self":
            return True
        return attribute in REQUEST_ATTRIBUTES and _request(obj)
    if node.type == "call":
        return nodes.call_name(node) in REQUEST_ATTRIBUTES and _request(nodes.receiver(node))
    if node.type == "await":
        return bool(node.named_children) and _request(node.named_children[-1])
    return False


def _endpoint(function: Node) -> bool:
    """A FastAPI (or Starlette-style) endpoint: ``@app.get(...)``, ``@router.post(...)``."""
    for decorator in nodes.decorators(function):
        if decorator.type == "call" and nodes.call_name(decorator) in ENDPOINTS:
            recv = nodes.receiver(decorator)
            if recv is not None and text(recv).rsplit(".", 1)[-1] in ("app", "router", "api"):
                return True
    return False


def _model_class(cls: Node) -> bool:
    bases = cls.child_by_field_name("superclasses")
    return bases is not None and any(
        text(b).rsplit(".", 1)[-1] in ("Model", "TimeStampedModel", "Base", "PolymorphicModel")
        for b in bases.named_children
    )


def _record(value: Node) -> bool:
    """A record fetched from the database: ``M.objects.get(...)``, ``qs.first()``,
    ``get_object_or_404(M, ...)``."""
    value = nodes.unwrap(value)
    if value.type != "call":
        return False
    name = nodes.call_name(value)
    if name == "get_object_or_404":
        return True
    recv = nodes.receiver(value)
    return name in RECORD_GETTERS and recv is not None and _queryish(recv)


def _queryish(node: Node) -> bool:
    written = text(node)
    return ".objects" in written or written.endswith("objects") or ".query(" in written
