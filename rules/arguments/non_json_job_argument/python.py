"""WL403's Python check: a task enqueued with an argument its serializer cannot carry (PYTHON.md
§1, §2, §9). Celery (JSON by default) and Dramatiq serialize arguments as JSON: a model
instance, a queryset, a set, a lambda or an instance of a project class raises at the call
(kombu's ``EncodeError``, Dramatiq's ``TypeError``). RQ, arq, Huey, Django-Q and a Celery
project configured for pickle carry them, but a record arrives with the state it had when it
was enqueued: a warning. A lambda cannot be pickled either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.lang.python import enqueues, nodes, relations
from workerlint.lang.python.libraries import django_models
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.enqueues import TaskEnqueue
    from workerlint.project.context import PythonFileContext

RECORD_METHODS = frozenset(
    {"get", "create", "first", "last", "earliest", "latest", "get_or_create",
     "update_or_create", "in_bulk"}
)  # fmt: skip
PICKLING = frozenset({"rq", "arq", "huey", "django-q"})
# Bases whose instances a JSON encoder carries, or which the project index cannot see through.
PLAIN_BASES = frozenset(
    {"dict", "list", "str", "int", "float", "tuple", "typing.NamedTuple", "typing.TypedDict",
     "collections.namedtuple", "enum.IntEnum", "enum.StrEnum"}
)  # fmt: skip
MAX_DEPTH = 4


@record(frozen=True)
class Bad:
    node: Node  # the argument as passed
    what: str  # "an `Order` record (`order`, assigned on line 3)"
    kind: str  # record | queryset | set | lambda | object
    fix: str | None = None  # the argument rewritten (`order.pk`)


class NonJsonCheck(LanguageCheck):
    call_names = enqueues.CALL_NAMES
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = enqueues.classify(node, ctx)
        if found is None:
            return
        pickled = self._pickled(found, ctx)
        if pickled is None:
            return
        values = [*found.args, *(v for _, v in found.keywords)]
        for value in values:
            bad = judge(value, ctx, 0)
            if bad is None or (pickled and bad.kind not in ("record", "queryset", "lambda")):
                continue
            self._report(found, bad, pickled, ctx)

    def _pickled(self, found: TaskEnqueue, ctx: PythonFileContext) -> bool | None:
        """Whether the task's arguments are pickled (None: not known, nothing reported)."""
        framework = found.task.framework
        if framework in PICKLING:
            return True
        if framework == "dramatiq":
            return False
        option = found.options.get("serializer")
        written = nodes.string_value(option) if option is not None else None
        if written is None:
            literal = found.task.options.get("serializer")
            written = literal if isinstance(literal, str) else None
        if written is None:
            setting = ctx.celery.value("task_serializer")
            if setting.status != "known" or not isinstance(setting.value, str):
                ctx.skip(f"{ctx.relpath}: Celery's `task_serializer` is not known here")
                return None
            written = setting.value
        return "pickle" in written

    def _report(self, found: TaskEnqueue, bad: Bad, pickled: bool, ctx: PythonFileContext) -> None:
        task = found.task.framework
        if bad.kind == "lambda":
            tail = (
                "a function defined in place cannot be serialized (JSON or pickle): the call raises"
            )
            level = Level.ERROR
        elif pickled:
            who = "Celery's pickle serializer" if task == "celery" else _FRAMEWORK.get(task, task)
            tail = (
                f"{who} pickles it, so the task gets the row as it was at enqueue time, not as it "
                "is when the task runs (and a whole object in the payload); pass its primary key"
            )
            level = Level.WARNING
        else:
            error = (
                "Dramatiq raises TypeError" if task == "dramatiq" else ("kombu raises EncodeError")
            )
            tail = f"task arguments must be JSON-serializable and {error} at the call"
            level = Level.ERROR
        fix = None
        if bad.fix is not None:
            edit = Edit(bad.node.start_byte, bad.node.end_byte, bad.fix)
            fix = Fix(
                Applicability.UNSAFE, f"pass `{bad.fix}` (the task must load the record)", (edit,)
            )
        message = f"`{found.label}` passes {bad.what}: {tail}"
        ctx.report(Span(bad.node.start_byte, bad.node.end_byte), message, level=level, fix=fix)


_FRAMEWORK = {"rq": "RQ", "arq": "arq", "huey": "Huey", "django-q": "Django-Q"}


def judge(node: Node, ctx: PythonFileContext, depth: int) -> Bad | None:
    """What ``node`` is when a JSON encoder cannot carry it, else None."""
    value = nodes.unwrap(node)
    kind = value.type
    written = _short(value)
    if kind == "lambda":
        return Bad(node, "a lambda", "lambda")
    if kind in ("set", "set_comprehension"):
        return Bad(node, f"a set (`{written}`)", "set")
    if kind == "identifier" and text(value) == "self":
        cls = nodes.enclosing(value, ("class_definition",))
        name = _model_class(cls, ctx) if cls is not None else None
        return Bad(node, f"{_an(name)} record (`self`)", "record", "self.pk") if name else None
    if kind == "attribute" and text(value) in ("request.user", "self.request.user"):
        return Bad(node, f"a `User` record (`{written}`)", "record", f"{written}.pk")
    if kind == "identifier" and depth < MAX_DEPTH:
        return _name(node, value, ctx, depth)
    if kind == "call":
        return _call(node, value, ctx)
    return None


def _name(node: Node, value: Node, ctx: PythonFileContext, depth: int) -> Bad | None:
    binding = ctx.semantic.binding_of(value)
    name = text(value)
    if binding is None:
        return None
    if binding.kind == "parameter":
        function = nodes.enclosing(binding.node, ("function_definition",))
        params = [p for p, _, _ in nodes.parameters(function)] if function is not None else []
        if name == "instance" and "sender" in params:
            return Bad(node, "a record (`instance`, a signal receiver's)", "record", "instance.pk")
        return None
    source = ctx.semantic.value_of(value)
    if source is value:
        return None
    inner = judge(source, ctx, depth + 1)
    if inner is None:
        return None
    line = nodes.line_of(source)
    what = inner.what.split(" (`", 1)[0]
    fix = f"{name}.pk" if inner.kind == "record" and inner.fix is not None else None
    return Bad(node, f"{what} (`{name}`, assigned on line {line})", inner.kind, fix)


def _call(node: Node, value: Node, ctx: PythonFileContext) -> Bad | None:
    name = nodes.call_name(value) or ""
    recv = nodes.receiver(value)
    written = _short(value)
    qualified = ctx.semantic.qualified_name(nodes.callee(value))
    if qualified in ("set", "frozenset"):
        return Bad(node, f"a set (`{written}`)", "set")
    if qualified in ("django.shortcuts.get_object_or_404",):
        return Bad(node, f"a record (`{written}`)", "record", f"{text(value)}.pk")
    if name in RECORD_METHODS and name != "in_bulk" and recv is not None:
        chain = relations.relation_chain(value, ctx) or relations.relation_chain(recv, ctx)
        if chain is not None and relations.is_queryset(value, ctx) | relations.is_queryset(
            recv, ctx
        ):
            model = (chain.model or chain.constant).rsplit(".", 1)[-1]
            fix = f"{text(value)}.pk" if name not in ("get_or_create", "update_or_create") else None
            return Bad(node, f"{_an(model)} record (`{written}`)", "record", fix)
    if relations.is_queryset(value, ctx):
        return Bad(node, f"a queryset (`{written}`)", "queryset")
    if qualified is None or not qualified[:1]:
        return None
    model = django_models.model(qualified, ctx.index)
    short = qualified.rsplit(".", 1)[-1]
    if model is not None:
        return Bad(node, f"a new `{short}` record (`{written}`)", "record")
    if _project_object(qualified, ctx):
        return Bad(node, f"{_an(short)} object (`{written}`)", "object")
    return None


def _project_object(qualified: str, ctx: PythonFileContext) -> bool:
    """An instance of a project class a JSON encoder cannot carry: its bases all in the project
    (or none), no ``__json__`` method (which kombu uses), not an Enum or a dict/str subclass."""
    target = ctx.index.resolve(qualified)
    if target is None or target.kind != "class" or target.rest:
        return False
    cls = target.facts.cls(target.name)
    if cls is None or "__json__" in cls.methods:
        return False
    for base in ctx.index.class_bases(target.relpath, target.name):
        if base in PLAIN_BASES or base.startswith("enum.") or ctx.index.resolve(base) is None:
            return False
        found = ctx.index.resolve(base)
        facts = found.facts.cls(found.name) if found is not None else None
        if facts is not None and "__json__" in facts.methods:
            return False
    return True


def _model_class(cls: Node, ctx: PythonFileContext) -> str | None:
    name = text(cls.child_by_field_name("name"))
    if django_models.model(f"{ctx.module}.{name}", ctx.index) is None:
        return None
    return name


def _an(name: str) -> str:
    """```Order``` with its article: "an `Order`", "a `User`"."""
    return f"{'an' if name[:1].lower() in 'aeio' else 'a'} `{name}`"


def _short(node: Node, limit: int = 50) -> str:
    return nodes.describe(node, limit)
