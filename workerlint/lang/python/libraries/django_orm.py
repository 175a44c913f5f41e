"""Django querysets as ``Relation`` facts (RULES.md, "Relation chain"; PYTHON.md §2 WL301).

A chain is a model's manager (``Order.objects``, a custom manager; lang/python/libraries/
django_models.py) followed only by queryset methods (``all``, ``filter``, ``exclude``,
``order_by``, ``select_related``, ``prefetch_related``, ``annotate``, ``values``,
``values_list``, ``distinct``, ``only``, ``defer``, ``using``...), slices, and at most one
method that ends it (``get``, ``first``, ``iterator``...). A custom queryset method ends the
recognition (what it filters is not known): such a chain is not a relation here.

It is **bounded** by a slice (``[:n]``, any ``n``: a task argument is WL402's), ``iterator()``,
``get``/``first``/``last``/``earliest``/``latest``/``in_bulk(ids)``, a ``filter`` on the primary key
(``pk=x``, ``pk__in=ids``, ``id__in=ids``) or on a unique field with a list (``token__in=keys``)
unless that list is itself an unbounded chain's values, or a lower time bound relative to now
(``created__gte=timezone.now() - timedelta(days=1)``, also through a local, and ``__range``
starting there); **scoped to one parent** by ``filter(<fk>=x)``, ``<fk>_id=x``, ``<fk>__pk=x``
or ``<unique field>=x`` with one value (a many-to-many field too: ``filter(tags=tag)`` is one
tag's rows), and through a declared foreign key to one non-literal value of the parent's own
(``filter(shipping_method__zone=zone)``: the rows of the parents sharing one record). A
``<fk>__in`` list does not bound: the rows of many parents; when the list is
known (a parameter, a literal, or the values of a chain that is not unbounded) they are the
children of a known set of parents, scoped like one parent's (their number is not known).
Conditions in ``Q(...)`` arguments count when every row must meet them (``Q(pk__in=ids) &
~Q(...)``; not under ``|`` or ``~``). Where the
model's fields are not known (a model of an add-on, a field of a base outside the project), a key
ending in ``_id`` or equal to the last name of its value (``user=user``, ``order=line.order``)
counts as a foreign key. A ``filter(**kwargs)`` is not a relation here (what it bounds is
not known) unless a slice bounds it. ``Exists(<rows>.filter(x=OuterRef(...)))`` over rows that
are not an unbounded chain scopes like a reverse relation; an ``OuterRef``/``F`` value is no one
value. An ``id__in`` list taken from a chain that is itself filtered by an ``__in`` list (a batch of
parents) is not taken as unbounded, and a ``<fk>__in`` list taken from a chain scoped to one
parent scopes to that parent too. A local assigned a chain once is that chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import NOT_LITERAL, Relation
from workerlint.lang.python import nodes
from workerlint.lang.python.libraries import django_models
from workerlint.lang.python.libraries.memo import relation_once
from workerlint.lang.python.nodes import text
from workerlint.lang.shown import shorten

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.libraries.django_models import Model

QUERY = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
     "alias", "values", "values_list", "distinct", "only", "defer", "using", "reverse",
     "select_for_update", "extra", "complex_filter", "none", "union", "dates", "datetimes"}
)  # fmt: skip
# Methods that end a chain with a bounded result (one row, a page, or a stream).
ENDING = frozenset(
    {"get", "first", "last", "earliest", "latest", "iterator", "in_bulk", "exists", "count",
     "aggregate", "get_or_create", "update_or_create"}
)  # fmt: skip
ORDERING = frozenset({"order_by"})
LOOKUPS = frozenset(
    {"exact", "iexact", "contains", "icontains", "in", "gt", "gte", "lt", "lte", "startswith",
     "istartswith", "endswith", "iendswith", "range", "date", "year", "month", "day", "isnull",
     "regex", "iregex", "week_day", "quarter", "time", "hour", "minute", "second", "isoyear",
     "week", "iso_week_day"}
)  # fmt: skip
LOWER = frozenset({"gt", "gte"})
Q_OBJECTS = frozenset({"django.db.models.Q", "django.db.models.query_utils.Q"})
NOW = frozenset({"now", "utcnow", "today"})
NOW_DEFAULT = frozenset({"localtime", "localdate"})  # now when given no argument
MAX_DEPTH = 6
MAX_SHOWN = 60


def relation_chain(expr: Node | None, ctx: PythonContext) -> Relation | None:
    """The queryset ``expr`` is, or None; computed once per expression and file."""
    return relation_once("django-relation", expr, ctx, _chain)


def _chain(expr: Node, ctx: PythonContext, depth: int) -> Relation | None:
    steps: list[Node] = []  # calls and subscripts, outermost first
    node = expr
    while True:
        node = nodes.unwrap(node)
        if node.type == "call":
            function = nodes.callee(node)
            if function is None or function.type != "attribute":
                return None
            steps.append(node)
            node = function.child_by_field_name("object")
        elif node.type == "subscript":
            steps.append(node)
            node = node.child_by_field_name("value")
        else:
            break
        if node is None:
            return None
    steps.reverse()
    names = tuple(_name(s) for s in steps)
    if any(n not in QUERY and n not in ENDING and n != "[]" for n in names):
        return None
    if any(n in ENDING for n in names[:-1]):
        return None
    splat = any(
        n == "filter" and nodes.has_splat(s, double=True) for s, n in zip(steps, names, strict=True)
    )
    if splat and "[]" not in names:
        return None  # what `filter(**kwargs)` bounds is not known (a slice bounds it anyway)
    if node.type == "identifier" and depth < MAX_DEPTH:
        binding = ctx.semantic.binding_of(node)
        if binding is None or binding.kind not in ("assignment", "walrus"):
            return None
        value = ctx.semantic.value_of(node)
        if value is node:
            return None
        base = relation_chain(value, ctx) if depth == 0 else _chain(value, ctx, depth + 1)
        if base is None or not isinstance(base.model, str) or base.local is not None:
            return None
        if any(n in ENDING for n in base.methods):
            return None
        found = _model_of_name(base.model, ctx)
        if found is None:
            return None
        manager = base.written[len(base.constant) :].split(".")[1].split("(")[0]
        line = binding.node.start_point.row + 1
        via = (text(node), line, len(steps))
        return _build(base.constant, manager, found, (*base.calls, *steps), via, ctx)
    if node.type != "attribute" or not steps:
        return None
    manager = text(node.child_by_field_name("attribute"))
    owner = node.child_by_field_name("object")
    model = _model_of(owner, ctx)
    if model is None or manager not in model.managers:
        return None
    constant = " ".join(text(owner).split())
    return _build(constant, manager, model, tuple(steps), None, ctx)


def _name(step: Node) -> str:
    if step.type == "subscript":
        return "[]"
    return nodes.call_name(step) or ""


def _model_of(owner: Node | None, ctx: PythonContext) -> Model | None:
    if owner is None:
        return None
    owner = nodes.unwrap(owner)
    if owner.type == "call":  # get_user_model().objects
        qualified = ctx.semantic.qualified_name(nodes.callee(owner))
        if qualified == "django.contrib.auth.get_user_model":
            return django_models.Model(qualified, None, None, django_models.DEFAULT_MANAGERS)
        return None
    return _model_of_name(ctx.semantic.qualified_name(owner), ctx)


def _model_of_name(qualified: str | None, ctx: PythonContext) -> Model | None:
    if qualified is None:
        return None
    if qualified == "django.contrib.auth.get_user_model":
        return django_models.Model(qualified, None, None, django_models.DEFAULT_MANAGERS)
    key = ("django-model:" + qualified, 0, 0)
    if key not in ctx.memo:
        ctx.memo[key] = django_models.model(qualified, ctx.index)
    found: Model | None = ctx.memo[key]
    return found


def _build(
    constant: str,
    manager: str,
    model: Model,
    steps: tuple[Node, ...],
    via: tuple[str, int, int] | None,
    ctx: PythonContext,
) -> Relation:
    names = tuple(_name(s) for s in steps)
    bounded = False
    scoped = False
    for step, name in zip(steps, names, strict=True):
        if name == "[]" or (name in ENDING and name != "in_bulk"):
            bounded = True
        elif name == "in_bulk":
            bounded = bounded or bool(nodes.arguments(step))
        elif name == "filter":
            kind = _filter_kind(step, model, ctx)
            bounded = bounded or kind == "bounded"
            scoped = scoped or kind == "scoped"
    written = f"{constant}.{manager}" + "".join(_part(s) for s in steps)
    local, line, shown = None, None, written
    if via is not None:
        local, line, own = via
        shown = local + "".join(_part(s) for s in steps[len(steps) - own :])
    return Relation(
        constant=constant,
        model=model.qualified,
        calls=steps,
        methods=names,
        bounded=bounded,
        ordered=bool(ORDERING & set(names)),
        written=_short(written),
        scoped=scoped,
        local=local,
        local_line=line,
        shown=_short(shown),
        filtered=bool(FILTERING & set(names)) or manager not in django_models.DEFAULT_MANAGERS,
    )


# Calls that select some rows (a custom manager does too): how many is not known from the chain.
FILTERING = frozenset({"filter", "exclude"})


def _part(step: Node) -> str:
    if step.type == "subscript":
        inner = step.child_by_field_name("subscript")
        written = text(inner)
        return f"[{written}]" if len(written) <= 12 else "[...]"
    return f".{nodes.call_name(step) or ''}" + ("(...)" if _has_args(step) else "()")


def _has_args(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and any(c.type != "comment" for c in args.named_children)


def _short(written: str) -> str:
    return shorten(written, MAX_SHOWN)


def _filter_kind(call: Node, model: Model, ctx: PythonContext) -> str | None:
    """What one ``filter(...)`` does to the rows: ``bounded``, ``scoped`` or None."""
    found: str | None = None
    conditions = list(nodes.keywords(call).items())
    for arg in nodes.arguments(call):
        conditions.extend(_q_conditions(arg, ctx))
        if _exists_in_known_rows(arg, ctx):
            found = "scoped"
    for key, value in conditions:
        parts = key.split("__")
        lookup, path = "exact", parts
        if len(parts) > 1 and parts[-1] in LOOKUPS:
            lookup, path = parts[-1], parts[:-1]
        field = path[0]
        rest = path[1:]
        if lookup in LOWER and relative_to_now(value, ctx):
            return "bounded"
        if lookup == "range" and _range_from_now(value, ctx):
            return "bounded"
        if lookup == "in" and not rest and _unique(field, model):
            if not _unbounded_list(value, ctx):
                return "bounded"
            continue
        if lookup == "in" and _foreign(field, rest, model, value, listed=True):
            inner = _list_chain(value, ctx)
            if (inner is not None and not inner.unbounded) or (
                inner is None and _given_list(value, ctx)
            ):
                found = "scoped"  # the children of a known set of parents
            continue
        if lookup != "exact" or not _one_value(value, ctx):
            continue
        if not rest and field in ("pk", "id"):
            return "bounded"
        if (not rest and _unique(field, model)) or _foreign(field, rest, model, value):
            found = "scoped"
    return found


EXISTS = frozenset({"django.db.models.Exists", "django.db.models.expressions.Exists"})


def _exists_in_known_rows(arg: Node, ctx: PythonContext) -> bool:
    """``Exists(deliveries.filter(payload_id=OuterRef("id")))`` over rows that are not an
    unbounded chain (bounded, scoped, or not a chain this module knows): the rows are tied to
    those, like a reverse relation."""
    arg = nodes.unwrap(arg)
    if arg.type != "call" or ctx.semantic.qualified_name(nodes.callee(arg)) not in EXISTS:
        return False
    inner = nodes.arguments(arg)
    if not inner:
        return False
    chain = relation_chain(inner[0], ctx)
    return chain is None or not chain.unbounded


def _q_conditions(node: Node, ctx: PythonContext, depth: int = 0) -> list[tuple[str, Node]]:
    """The conditions every row must meet in a ``Q(...)`` argument: its keywords, and those of
    both sides of ``&`` (``|`` and ``~`` bound nothing that can be told)."""
    node = nodes.unwrap(node)
    if depth > MAX_DEPTH:
        return []
    if node.type == "call" and ctx.semantic.qualified_name(nodes.callee(node)) in Q_OBJECTS:
        return list(nodes.keywords(node).items())
    if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "&":
        found: list[tuple[str, Node]] = []
        for side in ("left", "right"):
            inner = node.child_by_field_name(side)
            if inner is not None:
                found.extend(_q_conditions(inner, ctx, depth + 1))
        return found
    return []


def _unique(field: str, model: Model) -> bool:
    if field in ("pk", "id"):
        return True
    if model.unique is None:
        return False
    return field in model.unique


def _foreign(field: str, rest: list[str], model: Model, value: Node, listed: bool = False) -> bool:
    """A key naming a foreign key (``order``, ``order_id``, ``order__pk``) of one parent
    (``listed``: compared with a list, so its value says nothing about the name)."""
    if rest and rest != ["pk"] and rest != ["id"]:
        # through one parent to its own relation (``shipping_method__zone=zone``): the rows of
        # the parents that share one related record, tied to it like one parent's rows; a
        # literal there is a column's value (``order__status="paid"``), shared by many
        known = model.foreign_keys is not None and field in model.foreign_keys
        return known and not listed and nodes.literal(value) is NOT_LITERAL
    name = field.removesuffix("_id") if not rest else field
    if model.foreign_keys is not None and name in model.foreign_keys:
        return True
    if model.foreign_keys is not None and field in _declared(model):
        return False  # a field the model declares that is no foreign key
    if field.endswith("_id") and not rest:
        return True
    if listed:
        return False
    last = (nodes.dotted(value) or "").rpartition(".")[2]
    return bool(last) and last in (name, f"{name}_id")


def _declared(model: Model) -> frozenset[str]:
    return (model.unique or frozenset()) | (model.foreign_keys or frozenset())


COLLECTIONS = frozenset(
    {"list", "tuple", "set", "list_comprehension", "set_comprehension", "generator_expression"}
)


def _one_value(value: Node, ctx: PythonContext) -> bool:
    """Whether a filter value is one value (not a list, not a queryset)."""
    value = nodes.unwrap(value)
    if value.type in COLLECTIONS or value.type == "dictionary":
        return False
    if value.type in ("true", "false", "none"):
        return False  # a flag is a column of many rows, never a parent
    if value.type == "call" and nodes.call_name(value) in ("OuterRef", "F"):
        return False  # a column of the outer query (or of the row): one value per row
    if nodes.literal(value) is not NOT_LITERAL:
        return True
    if value.type in ("call", "subscript", "identifier", "attribute"):
        return relation_chain(value, ctx) is None
    return False


def _unbounded_list(value: Node, ctx: PythonContext) -> bool:
    """Whether a list given to ``__in`` is the values of an unbounded chain (through ``list()``
    and locals), a comprehension over one, or a subquery of one."""
    chain = _list_chain(value, ctx)
    return chain is not None and chain.unbounded and not _filtered_by_list(chain)


def _list_chain(value: Node, ctx: PythonContext, depth: int = 0) -> Relation | None:
    """The chain a list's elements come from: the chain itself (a subquery, ``values_list``),
    through ``list()``/``set()``/``tuple()``, comprehensions and locals; else None."""
    value = nodes.unwrap(ctx.semantic.value_of(value))
    if depth > MAX_DEPTH:
        return None
    if value.type == "call" and text(nodes.callee(value)) in ("list", "set", "tuple"):
        args = nodes.arguments(value)
        return _list_chain(args[0], ctx, depth + 1) if args else None
    if value.type in ("list_comprehension", "set_comprehension", "generator_expression"):
        clause = next((c for c in value.named_children if c.type == "for_in_clause"), None)
        right = clause.child_by_field_name("right") if clause is not None else None
        return _list_chain(right, ctx, depth + 1) if right is not None else None
    return relation_chain(value, ctx)


def _given_list(value: Node, ctx: PythonContext, depth: int = 0) -> bool:
    """A list the function is given (a parameter: a task argument, or a helper's caller's) or
    writes (a literal), also through ``list()``/``set()`` and comprehensions over one."""
    value = nodes.unwrap(ctx.semantic.value_of(value))
    if depth > MAX_DEPTH:
        return False
    if value.type in ("list", "tuple", "set"):
        return True
    if value.type == "identifier":
        binding = ctx.semantic.binding_of(value)
        return binding is not None and binding.kind == "parameter"
    if value.type == "call" and text(nodes.callee(value)) in ("list", "set", "tuple"):
        args = nodes.arguments(value)
        return bool(args) and _given_list(args[0], ctx, depth + 1)
    if value.type in ("list_comprehension", "set_comprehension", "generator_expression"):
        clause = next((c for c in value.named_children if c.type == "for_in_clause"), None)
        right = clause.child_by_field_name("right") if clause is not None else None
        return right is not None and _given_list(right, ctx, depth + 1)
    return False


def _filtered_by_list(chain: Relation) -> bool:
    """A chain filtered by some ``__in`` list: its values are tied to that list's elements
    (a batch of parents), so an ``id__in`` of them is not taken as every row."""
    for call, name in zip(chain.calls, chain.methods, strict=True):
        if name == "filter" and any(k.endswith("__in") for k in nodes.keywords(call)):
            return True
    return False


def relative_to_now(value: Node | None, ctx: PythonContext, depth: int = 0) -> bool:
    """Whether a value is a time relative to now: ``timezone.now() - timedelta(days=1)``,
    ``now()``, ``date.today()``, ``datetime.utcnow()``, through locals."""
    if value is None or depth > MAX_DEPTH:
        return False
    value = nodes.unwrap(value)
    if value.type == "identifier":
        source = ctx.semantic.value_of(value)
        return source is not value and relative_to_now(source, ctx, depth + 1)
    if value.type == "binary_operator":
        left = value.child_by_field_name("left")
        return relative_to_now(left, ctx, depth + 1)
    if value.type == "call":
        name = nodes.call_name(value)
        if name in NOW or (name in NOW_DEFAULT and not nodes.arguments(value)):
            return True
        if name in ("replace", "date", "astimezone"):  # `now().replace(hour=0)`
            return relative_to_now(nodes.receiver(value), ctx, depth + 1)
    return False


def _range_from_now(value: Node, ctx: PythonContext) -> bool:
    value = nodes.unwrap(ctx.semantic.value_of(value))
    if value.type not in ("tuple", "list"):
        return False
    items = [c for c in value.named_children if c.type != "comment"]
    return bool(items) and relative_to_now(items[0], ctx)
