"""Size evidence in Python (RULES.md, "Size evidence"; PYTHON.md §2, §9 WL601): how large the
collection or count a loop iterates is, as the code shows it.

**small**: a literal list, tuple, set or dict of at most 100 elements (also through a local
assigned once and never added to, or a module constant), ``range(n)`` with literal bounds of at
most 100 steps, ``settings.LANGUAGES``, a queryset sliced by a literal of at most 100
(``qs[:50]``); **large**: an unbounded queryset or query (lang/python/relations.py), one read
with ``.iterator()`` or ``yield_per``, batches (``chunked(...)``, ``Paginator``), a task argument
(a list of any length), a literal collection or range over 100, ``range`` over a count that no
literal bounds, ``while True`` and any ``while`` whose condition no small literal bounds;
**unknown**: anything else (a queryset scoped to one parent among them). ``enumerate``,
``sorted``, ``list``, ``zip``, ``.items()``... take their collection's evidence.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from workerlint.facts import Size, SizeEvidence
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import COMPREHENSIONS, text
from workerlint.lang.python.relations import relation_chain, without_evidence

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.python.context import PythonContext

LIMIT = 100  # the most elements (or steps) a small collection (or count) has
LITERALS = frozenset({"list", "tuple", "set", "dictionary"})
# Calls whose result has the size of their first argument.
WRAPPERS = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "zip", "iter",
     "filter", "map", "dict"}
)  # fmt: skip
# Calls that copy a collection into another holding the same elements (``list(qs)``).
COPIES = frozenset({"list", "tuple", "set", "sorted", "frozenset"})
# Methods whose result has the size of their receiver.
VIEWS = frozenset({"items", "keys", "values", "copy"})
BATCHES = frozenset({"chunked", "batched", "Paginator", "chunks", "grouper"})
LOCALES = frozenset({"django.conf.settings.LANGUAGES"})
# Methods that add to a collection (a literal local filled later is not known to stay small).
FILLING = frozenset({"append", "extend", "add", "update", "insert", "setdefault"})
SKIPPED_PARAMS = frozenset({"self", "cls", "ctx"})
MAX_DEPTH = 8


# Evidence of each size, given the reason messages show.
small = partial(SizeEvidence, Size.SMALL)
large = partial(SizeEvidence, Size.LARGE)
unknown = partial(SizeEvidence, Size.UNKNOWN)


def _shown(node: Node, limit: int = 40) -> str:
    return nodes.describe(node, limit)


def of_loop(loop: Node, ctx: PythonContext) -> SizeEvidence:
    """The size evidence of what a ``for``/``while`` statement or a comprehension iterates."""
    if loop.type == "for_statement":
        return collection(loop.child_by_field_name("right"), ctx)
    if loop.type in COMPREHENSIONS:
        clause = next((c for c in loop.named_children if c.type == "for_in_clause"), None)
        right = clause.child_by_field_name("right") if clause is not None else None
        return collection(right, ctx)
    if loop.type == "while_statement":
        condition = loop.child_by_field_name("condition")
        bound = _literal_bound(condition)
        if bound is not None and bound <= LIMIT:
            return small(f"a `while` loop bounded by {bound}")
        if condition is not None and nodes.literal(condition) in (True, 1):
            return large(f"a `while {text(nodes.unwrap(condition))}` loop")
        return large("a `while` loop that no small literal bounds")
    return unknown("a collection of unknown size")


def collection(node: Node | None, ctx: PythonContext, depth: int = 0) -> SizeEvidence:
    """The size evidence of an iterated collection."""
    if node is None or depth > MAX_DEPTH:
        return unknown("a collection of unknown size")
    node = nodes.unwrap(node)
    kind = node.type
    if kind in LITERALS:
        items = sum(1 for c in node.named_children if c.type != "comment")
        what = "dict" if kind == "dictionary" else kind
        if any(c.type in ("list_splat", "dictionary_splat") for c in node.named_children):
            return unknown(f"`{_shown(node)}` (its size is not known)")
        if items <= LIMIT:
            return small(f"a literal {what} of {items}")
        return large(f"a literal {what} of {items} elements (more than {LIMIT})")
    if ctx.semantic.qualified_name(node) in LOCALES:
        return small("the configured languages (`settings.LANGUAGES`)")
    chain = relation_chain(node, ctx)
    if chain is not None:
        return relation(chain, ctx)
    if kind == "identifier":
        return _variable(node, ctx, depth)
    if kind == "subscript":
        root = _root(node)
        if root is not None and task_argument(root, ctx):
            return large(f"`{_shown(node)}`, from a task argument (a list of any length)")
        return unknown(f"`{_shown(node)}` (its size is not known)")
    if kind == "call":
        return _call(node, ctx, depth)
    return unknown(f"`{_shown(node)}` (its size is not known)")


def _call(node: Node, ctx: PythonContext, depth: int) -> SizeEvidence:
    name = nodes.call_name(node) or ""
    args = nodes.arguments(node)
    function = nodes.callee(node)
    if name == "range" and function is not None and function.type == "identifier":
        return _range(node, args, ctx, depth)
    if name in BATCHES:
        return large(f"`{_shown(node)}`, batches (many rows)")
    if name in WRAPPERS and function is not None and function.type == "identifier" and args:
        return collection(args[0], ctx, depth + 1)
    receiver = nodes.receiver(node)
    if name in VIEWS and receiver is not None and not args:
        return collection(receiver, ctx, depth + 1)
    return unknown(f"`{_shown(node)}` (its size is not known)")


def _range(node: Node, args: list[Node], ctx: PythonContext, depth: int) -> SizeEvidence:
    values = [nodes.literal(a) for a in args]
    if args and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        start, stop, step = 0, 0, 1
        if len(values) == 1:
            stop = values[0]
        else:
            start, stop = values[0], values[1]
            step = values[2] if len(values) > 2 else 1
        steps = len(range(start, stop, step)) if step else 0
        if steps <= LIMIT:
            return small(f"a literal range of {steps}")
        return large(f"a literal range of {steps} (more than {LIMIT})")
    counted = nodes.unwrap(args[-1 if len(args) < 3 else 1]) if args else None
    if counted is not None and counted.type == "call" and nodes.call_name(counted) == "len":
        inner = nodes.arguments(counted)
        if inner:
            return collection(inner[0], ctx, depth + 1)
    return large(f"`{_shown(node)}`, a range over a count that no small literal bounds")


def relation(chain: Relation, ctx: PythonContext) -> SizeEvidence:
    """A queryset or query: unbounded (large), scoped to one parent (unknown), or bounded: by a
    literal slice or ``limit`` (small up to 100), streamed (large), by a list (that list's
    evidence), or otherwise (unknown)."""
    shown = chain.shown if chain.local is not None else chain.written
    if chain.scoped and not chain.bounded:
        return unknown(f"`{shown}`, scoped to one parent")
    if not chain.bounded:
        model = without_evidence(chain, ctx)
        if model is not None:
            return unknown(
                f"`{shown}`, a filtered queryset whose size is not known (nothing in the project "
                f"reads `{model}` in batches)"
            )
        return large(f"`{shown}`, an unbounded queryset")
    for call, name in zip(chain.calls, chain.methods, strict=True):
        size = _slice_size(call) if name == "[]" else None
        if name == "limit":
            args = nodes.arguments(call)
            value = nodes.literal(args[0]) if args else None
            size = value if isinstance(value, int) and not isinstance(value, bool) else None
        if size is not None:
            if size <= LIMIT:
                return small(f"`{shown}`, at most {size} rows")
            return large(f"`{shown}`, up to {size} rows (more than {LIMIT})")
        if name in ("iterator", "yield_per"):
            return large(f"`{shown}`, streamed in chunks (many rows)")
    for call, name in zip(chain.calls, chain.methods, strict=True):
        if name != "filter":
            continue
        keywords = nodes.keywords(call)
        value = keywords.get("pk__in") or keywords.get("id__in")
        if value is not None:
            found = collection(value, ctx, MAX_DEPTH - 2)
            return SizeEvidence(found.size, f"`{shown}`, one row per element of {found.reason}")
    return unknown(f"`{shown}`, a bounded queryset")


def _slice_size(subscript: Node) -> int | None:
    """The rows ``qs[a:b]`` keeps when its bounds are literals (``qs[:50]``: 50)."""
    inner = subscript.child_by_field_name("subscript")
    if inner is None:
        return None
    if inner.type != "slice":
        return 1 if isinstance(nodes.literal(inner), int) else None
    parts: list[Node | None] = [None, None]
    position = 0
    for child in inner.children:
        if child.type == ":":
            position += 1
        elif position < 2 and child.is_named:
            parts[position] = child
    start = nodes.literal(parts[0]) if parts[0] is not None else 0
    stop = nodes.literal(parts[1]) if parts[1] is not None else None
    if isinstance(start, int) and isinstance(stop, int):
        return max(stop - start, 0)
    return None


def _variable(node: Node, ctx: PythonContext, depth: int) -> SizeEvidence:
    shown = text(node)
    if task_argument(node, ctx):
        return large(f"`{shown}`, a task argument (a list of any length)")
    value = ctx.semantic.value_of(node)
    if value is node:
        return unknown(f"`{shown}` (its size is not known)")
    found = collection(value, ctx, depth + 1)
    if found.size is Size.SMALL and _filled(node, ctx):
        return unknown(f"`{shown}` (filled after it is assigned)")
    if found.size is Size.UNKNOWN:
        return unknown(f"`{shown}` (its size is not known)")
    return found


def task_argument(node: Node, ctx: PythonContext) -> bool:
    """A parameter of a task's body (not a bound ``self``, nor arq's ``ctx``)."""
    if node.type != "identifier" or text(node) in SKIPPED_PARAMS:
        return False
    binding = ctx.semantic.binding_of(node)
    if binding is None or binding.kind != "parameter":
        return False
    owner = binding.scope.node
    function = ctx.semantic.function_at(node)
    if function is None or function.node != owner:
        return False
    return ctx.index.task_of(ctx.relpath, function.qualname) is not None


def _filled(node: Node, ctx: PythonContext) -> bool:
    """Whether a local is added to in its function (``x.append(v)``, ``x[k] = v``)."""
    name = text(node)
    scope = ctx.semantic.enclosing_function(node) or ctx.semantic.root
    stack = [scope]
    while stack:
        current = stack.pop()
        if current.type == "call" and nodes.call_name(current) in FILLING:
            receiver = nodes.receiver(current)
            if receiver is not None and text(receiver) == name:
                return True
        if current.type in ("assignment", "augmented_assignment"):
            left = current.child_by_field_name("left")
            if (
                left is not None
                and left.type == "subscript"
                and text(left.child_by_field_name("value")) == name
            ):
                return True
            if current.type == "augmented_assignment" and text(left) == name:
                return True
        stack.extend(current.named_children)
    return False


def _root(node: Node) -> Node | None:
    """The name a chain of reads starts from (``payload`` in ``payload["ids"]``)."""
    for _ in range(MAX_DEPTH):
        node = nodes.unwrap(node)
        if node.type == "identifier":
            return node
        if node.type == "subscript":
            inner = node.child_by_field_name("value")
        elif node.type == "attribute":
            inner = node.child_by_field_name("object")
        else:
            return None
        if inner is None:
            return None
        node = inner
    return None


def _literal_bound(condition: Node | None) -> int | None:
    """The literal a loop condition compares with (``attempts < 3``), if any."""
    if condition is None:
        return None
    condition = nodes.unwrap(condition)
    if condition.type == "boolean_operator":
        operator = text(condition.child_by_field_name("operator"))
        bounds = [
            b
            for side in ("left", "right")
            if (b := _literal_bound(condition.child_by_field_name(side))) is not None
        ]
        if operator == "and" and bounds:
            return min(bounds)
        return None
    if condition.type != "comparison_operator":
        return None
    for child in condition.named_children:
        value = nodes.literal(child)
        if isinstance(value, int) and not isinstance(value, bool):
            return abs(value)
    return None


def copied(node: Node, ctx: PythonContext) -> Node | None:
    """What a copy (``list(x)``, ``sorted(x)``: a builtin of COPIES called on one argument)
    copies, or None when ``node`` is no such copy."""
    if node.type != "call" or nodes.receiver(node) is not None:
        return None
    if ctx.semantic.qualified_name(nodes.callee(node)) not in COPIES:
        return None
    args = nodes.arguments(node)
    return args[0] if len(args) == 1 else None
