"""WL404's Python check: an enqueue passing a collection that grows with a table, a literal of
more than 100 elements, or request input of any size with no size check before it (PYTHON.md §2,
§9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Fix, LanguageCheck, Span
from workerlint.lang.python import enqueues, nodes, relations
from workerlint.lang.python.nodes import text
from workerlint.lang.python.size import copied

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.python.enqueues import TaskEnqueue
    from workerlint.project.context import PythonFileContext

MAX_LITERAL = 100
FLOODING = 770
LITERALS = frozenset({"list", "tuple", "set", "dictionary"})
# Reads of the request that are the whole body, or a list of any length.
BODY = frozenset({"body", "data", "json", "raw_post_data", "stream"})
BODY_CALLS = frozenset({"get_json", "get_data", "json", "body"})
LISTS = frozenset({"getlist", "lists"})
PARAMETERS = frozenset({"GET", "POST", "args", "form", "query_params", "values"})
MAX_DEPTH = 6


class UnboundedPayloadCheck(LanguageCheck):
    call_names = enqueues.CALL_NAMES
    worker_code_only = False

    def visit(self, node: Node, ctx: PythonFileContext) -> None:
        found = enqueues.classify(node, ctx)
        if found is None:
            return
        for arg in (*found.args, *(v for _, v in found.keywords)):
            request = request_input(arg, ctx, 0)
            if request is not None and not _size_checked(arg, node, ctx):
                where, line = request
                message = (
                    f"`{found.label}` passes request input of any size, `{where}` (line {line}), "
                    "with no size check before it: whoever sends the request sizes the task "
                    "payload, which sits in the broker for every retry; check its length first "
                    "(`len(x)` against a limit) or cap it (`x[:100]`), or enqueue slices"
                )
                ctx.report(Span(*nodes.call_span(node)), message, fix=_slices(found), cwe=FLOODING)
                return
            what = _collection(arg, ctx)
            if what is not None:
                message = (
                    f"`{found.label}` passes {what} as one argument: the task payload grows with "
                    "the table and sits in the broker for every retry; enqueue slices of ids"
                    f"{_advice(found)}"
                )
                ctx.report(Span(*nodes.call_span(node)), message, fix=_slices(found))
                return


def _advice(found: TaskEnqueue) -> str:
    if found.task.framework == "celery":
        name = text(nodes.receiver(found.call)) or found.task.qualname
        return f" with `{name}.chunks(zip(ids), 100)`"
    return ", 100 per task"


def _slices(found: TaskEnqueue) -> Fix:
    if found.task.framework == "celery":
        name = text(nodes.receiver(found.call)) or found.task.qualname
        title = f"enqueue 100 ids per task: `{name}.chunks(zip(ids), 100).apply_async()`"
    else:
        title = "enqueue one task per slice of 100 ids"
    return Fix(Applicability.DISPLAY_ONLY, title, ())


def _collection(arg: Node, ctx: PythonFileContext) -> str | None:
    value = nodes.unwrap(arg)
    if value.type in LITERALS:
        count = sum(1 for c in value.named_children if c.type != "comment")
        if count > MAX_LITERAL:
            return f"a literal {value.type} of {count} elements (more than {MAX_LITERAL})"
        return None
    chain = collected(value, ctx)
    if chain is not None:
        return f"`{_short(value)}` (one value per row of `{chain.written}`)"
    if value.type == "identifier":
        source = ctx.semantic.value_of(value)
        chain = collected(source, ctx) if source is not value else None
        if chain is not None:
            line = nodes.line_of(source)
            return f"`{text(value)}` (one value per row of `{chain.written}`, line {line})"
    return None


def collected(expr: Node, ctx: PythonFileContext) -> Relation | None:
    """The unbounded queryset ``expr`` collects whole: ``list(qs.values_list("id",
    flat=True))``, ``[o.id for o in qs]``, ``list(qs)``, ``qs.values_list(...)``."""
    node = nodes.unwrap(expr)
    for _ in range(MAX_DEPTH):
        if node.type == "call" and nodes.receiver(node) is None:
            inner = copied(node, ctx)
            if inner is None:
                return None
            node = nodes.unwrap(inner)
            continue
        if node.type in ("list_comprehension", "generator_expression", "set_comprehension"):
            clauses = [c for c in node.named_children if c.type == "for_in_clause"]
            if len(clauses) != 1:
                return None
            node = nodes.unwrap(clauses[0].child_by_field_name("right"))
            continue
        break
    chain = relations.relation_chain(node, ctx)
    if chain is None or not chain.unbounded or _by_ids(chain):
        return None
    return chain


def _by_ids(chain: Relation) -> bool:
    """A filter on a list of primary keys anywhere in the chain, a ``Q(id__in=ids)`` or an
    ``Exists(...)`` subquery's included: the rows are as many as the ids given."""
    return any(marker in text(step) for step in chain.calls for marker in ("id__in=", "pk__in="))


def request_input(arg: Node, ctx: PythonFileContext, depth: int) -> tuple[str, int] | None:
    """Request input of any size ``arg`` is (through locals): the body, a value parsed from it,
    a list parameter, all parameters; (as written, line) or None."""
    node = nodes.unwrap(arg)
    if depth > MAX_DEPTH:
        return None
    if node.type == "identifier":
        source = ctx.semantic.value_of(node)
        return request_input(source, ctx, depth + 1) if source is not node else None
    if node.type == "await" and node.named_children:
        return request_input(node.named_children[-1], ctx, depth + 1)
    written = _short(node)
    line = nodes.line_of(node)
    if node.type == "attribute":
        obj = node.child_by_field_name("object")
        attribute = text(node.child_by_field_name("attribute"))
        if _request(obj) and (attribute in BODY or attribute in PARAMETERS):
            return written, line
        return None
    if node.type == "subscript":
        inner = request_input(node.child_by_field_name("value"), ctx, depth + 1)
        return inner if inner is not None and _parsed(node, ctx) else None
    if node.type != "call":
        return None
    name = nodes.call_name(node) or ""
    recv = nodes.receiver(node)
    qualified = ctx.semantic.qualified_name(nodes.callee(node))
    if recv is not None and _request(recv) and name in BODY_CALLS:
        return written, line
    if recv is not None and name in LISTS and _parameters(recv):
        return written, line
    if recv is not None and name == "dict" and _parameters(recv):
        return written, line
    if qualified in ("json.loads", "orjson.loads", "ujson.loads") and nodes.arguments(node):
        inner = request_input(nodes.arguments(node)[0], ctx, depth + 1)
        return (written, line) if inner is not None else None
    if recv is not None and name == "get" and nodes.arguments(node):
        inner = request_input(recv, ctx, depth + 1)
        return inner if inner is not None and _parsed(recv, ctx) else None
    return None


def _parsed(container: Node, ctx: PythonFileContext) -> bool:
    """A part of a parsed body is of any size; a part of the query parameters is one string."""
    node = nodes.unwrap(container)
    while node.type in ("subscript", "call", "attribute"):
        if node.type == "attribute":
            attribute = text(node.child_by_field_name("attribute"))
            return attribute in BODY or attribute == "data"
        if node.type == "call":
            if nodes.call_name(node) in BODY_CALLS | {"loads"}:
                return True
            node = nodes.receiver(node) or node
            if node.type == "call" and nodes.receiver(node) is None:
                return False
            continue
        node = node.child_by_field_name("value") or node
    if node.type == "identifier":
        source = ctx.semantic.value_of(node)
        return source is not node and _parsed(source, ctx)
    return False


def _request(node: Node | None) -> bool:
    if node is None:
        return False
    node = nodes.unwrap(node)
    if node.type == "identifier":
        return text(node) == "request"
    return text(node) == "self.request"


def _parameters(node: Node) -> bool:
    node = nodes.unwrap(node)
    return (
        node.type == "attribute"
        and text(node.child_by_field_name("attribute")) in PARAMETERS
        and _request(node.child_by_field_name("object"))
    )


def _size_checked(arg: Node, call: Node, ctx: PythonFileContext) -> bool:
    """``len(x)`` compared, or ``x[:n]`` sliced, before the enqueue in the same function."""
    value = nodes.unwrap(arg)
    if value.type != "identifier":
        return value.type == "subscript" and any(
            c.type == "slice" for c in value.children_by_field_name("subscript")
        )
    name = text(value)
    function = ctx.semantic.enclosing_function(call)
    if function is None:
        return False
    stack = [function]
    while stack:
        node = stack.pop()
        if node.start_byte >= call.start_byte:
            continue
        if node.type == "call" and nodes.call_name(node) == "len":
            args = nodes.arguments(node)
            if args and text(args[0]) == name:
                return True
        if (
            node.type == "subscript"
            and text(node.child_by_field_name("value")) == name
            and any(c.type == "slice" for c in node.children_by_field_name("subscript"))
        ):
            return True
        stack.extend(node.named_children)
    return False


def _short(node: Node, limit: int = 60) -> str:
    return nodes.describe(node, limit)
